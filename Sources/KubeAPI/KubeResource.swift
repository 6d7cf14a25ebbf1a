/// A resource type the API serves (all in the core `v1` group): its URL name, kind, scope and
/// what discovery tells kubectl about it (short names, categories, verbs).
public struct KubeResource: Sendable, Hashable, CustomStringConvertible {
    /// The plural, lowercase name used in URLs (`pods`).
    public let name: String
    public let singularName: String
    public let kind: String
    public let namespaced: Bool
    public let shortNames: [String]
    public let categories: [String]
    public let verbs: [String]
    /// Subresources served under `<name>/<subresource>` (`status`, `log`, `scale`).
    public let subresources: [String]
    /// Whether writes to the main resource keep the stored `status` (it has a status subresource).
    public let hasStatus: Bool

    /// Resources are identified by their URL name (cheap to hash: the store keys maps by it).
    public static func == (a: KubeResource, b: KubeResource) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    public var apiVersion: String { "v1" }
    public var listKind: String { kind + "List" }
    public var description: String { name }

    static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    public static let pods = KubeResource(name: "pods", singularName: "pod", kind: "Pod", namespaced: true,
                                          shortNames: ["po"], categories: ["all"], verbs: allVerbs,
                                          subresources: ["status", "log"], hasStatus: true)
    public static let services = KubeResource(name: "services", singularName: "service", kind: "Service", namespaced: true,
                                              shortNames: ["svc"], categories: ["all"], verbs: allVerbs,
                                              subresources: ["status"], hasStatus: true)
    public static let endpoints = KubeResource(name: "endpoints", singularName: "endpoints", kind: "Endpoints", namespaced: true,
                                               shortNames: ["ep"], categories: [], verbs: allVerbs,
                                               subresources: [], hasStatus: false)
    public static let replicationControllers = KubeResource(name: "replicationcontrollers", singularName: "replicationcontroller",
                                                            kind: "ReplicationController", namespaced: true,
                                                            shortNames: ["rc"], categories: ["all"], verbs: allVerbs,
                                                            subresources: ["scale", "status"], hasStatus: true)
    public static let namespaces = KubeResource(name: "namespaces", singularName: "namespace", kind: "Namespace", namespaced: false,
                                                shortNames: ["ns"], categories: [],
                                                verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
                                                subresources: ["status"], hasStatus: true)
    public static let events = KubeResource(name: "events", singularName: "event", kind: "Event", namespaced: true,
                                            shortNames: ["ev"], categories: [], verbs: allVerbs,
                                            subresources: [], hasStatus: false)

    /// Every resource served, in discovery order.
    public static let all: [KubeResource] = [.namespaces, .pods, .services, .endpoints, .replicationControllers, .events]

    /// The resource a URL names (its plural name), or nil.
    public static func named(_ name: String) -> KubeResource? {
        all.first { $0.name == name }
    }

    /// The resource whose kind is `kind`, or nil.
    public static func withKind(_ kind: String) -> KubeResource? {
        all.first { $0.kind == kind }
    }
}
