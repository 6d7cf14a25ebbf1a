/// The discovery documents kubectl reads before anything else: which versions and resources the
/// server has, and which server version it is (the kubectl on PATH is a dispatcher that picks its
/// built-in 1.32 when the server says minor 32).
public enum Discovery {
    public static let gitVersion = "v1.32.0-fairway"

    /// `GET /api`.
    public static func apiVersions(serverAddress: String) -> JSON {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    /// `GET /apis`: no groups beyond the core one.
    public static let apiGroupList: JSON = ["kind": "APIGroupList", "apiVersion": "v1", "groups": []]

    /// `GET /api/v1`: the legacy `APIResourceList`, which both kubectl 1.20 and 1.32 accept.
    public static var coreResourceList: JSON {
        var resources: [JSON] = []
        for resource in KubeResource.all {
            var entry: JSON = [
                "name": .string(resource.name), "singularName": .string(resource.singularName),
                "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind),
                "verbs": .array(resource.verbs.map { .string($0) }),
            ]
            if !resource.shortNames.isEmpty { entry["shortNames"] = .array(resource.shortNames.map { .string($0) }) }
            if !resource.categories.isEmpty { entry["categories"] = .array(resource.categories.map { .string($0) }) }
            resources.append(entry)
            for subresource in resource.subresources {
                resources.append(subresourceEntry(resource, subresource))
            }
        }
        return ["kind": "APIResourceList", "groupVersion": "v1", "resources": .array(resources)]
    }

    static func subresourceEntry(_ resource: KubeResource, _ subresource: String) -> JSON {
        var entry: JSON = ["name": .string("\(resource.name)/\(subresource)"), "singularName": "",
                           "namespaced": .bool(resource.namespaced), "kind": .string(resource.kind)]
        switch subresource {
        case "log": entry["verbs"] = ["get"]
        case "scale":
            entry["kind"] = "Scale"
            entry["group"] = "autoscaling"
            entry["version"] = "v1"
            entry["verbs"] = ["get", "patch", "update"]
        default: entry["verbs"] = ["get", "patch", "update"]
        }
        return entry
    }

    /// `GET /version`.
    public static let version: JSON = [
        "major": "1", "minor": "32", "gitVersion": .string(gitVersion), "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
        "platform": "linux/amd64",
    ]
}
