/// What a request path names: a discovery document, or a resource (collection, object or
/// subresource) in a namespace or across all of them.
enum KubeRoute: Equatable {
    case root
    case apiVersions
    case apiGroups
    case coreResources
    case version
    case openAPIv2
    case openAPIv3
    case health
    case resource(ResourceRoute)
    case unknown

    struct ResourceRoute: Equatable {
        var resource: KubeResource
        /// nil: all namespaces (a namespaced collection) or a cluster-scoped resource.
        var namespace: String?
        var name: String?
        var subresource: String?
        /// The legacy `/api/v1/watch/...` form.
        var watchPath = false
    }

    init(path: String) {
        let segments = path.split(separator: "/").map(String.init)
        switch segments.first {
        case nil: self = .root
        case "version": self = segments.count == 1 ? .version : .unknown
        case "healthz", "livez", "readyz": self = .health
        case "openapi":
            self = segments.count == 2 && segments[1] == "v2" ? .openAPIv2 : .openAPIv3
        case "apis": self = segments.count == 1 ? .apiGroups : .unknown
        case "api":
            if segments.count == 1 { self = .apiVersions; return }
            guard segments[1] == "v1" else { self = .unknown; return }
            if segments.count == 2 { self = .coreResources; return }
            var rest = Array(segments.dropFirst(2))
            var watchPath = false
            if rest.first == "watch" {
                watchPath = true
                rest.removeFirst()
            }
            guard var route = Self.resourceRoute(rest) else { self = .unknown; return }
            route.watchPath = watchPath
            self = .resource(route)
        default: self = .unknown
        }
    }

    static func resourceRoute(_ segments: [String]) -> ResourceRoute? {
        guard let first = segments.first else { return nil }
        if first == "namespaces" {
            switch segments.count {
            case 1: return ResourceRoute(resource: .namespaces)
            case 2: return ResourceRoute(resource: .namespaces, name: segments[1])
            case 3 where KubeResource.namespaces.subresources.contains(segments[2]):
                return ResourceRoute(resource: .namespaces, name: segments[1], subresource: segments[2])
            default:
                guard let resource = KubeResource.named(segments[2]), resource.namespaced, segments.count <= 5 else { return nil }
                if segments.count == 5 && !resource.subresources.contains(segments[4]) { return nil }
                return ResourceRoute(resource: resource, namespace: segments[1], name: segments.count > 3 ? segments[3] : nil,
                                     subresource: segments.count > 4 ? segments[4] : nil)
            }
        }
        guard segments.count == 1, let resource = KubeResource.named(first), resource.namespaced else { return nil }
        return ResourceRoute(resource: resource)
    }
}
