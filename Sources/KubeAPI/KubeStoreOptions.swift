/// Tunables of the store.
public struct KubeStoreOptions: Sendable {
    /// How many recent changes are kept for watches that resume from a resourceVersion; older
    /// ones get 410 Expired and must list again.
    public var watchWindow: Int
    /// Events a watcher may have pending before it is dropped with 410 Expired (a slow
    /// watcher never holds back writers). As many as the window keeps by default: a client
    /// reading a burst of 10,000 pods' changes a little late should not have to list them all again.
    public var watcherBuffer: Int
    /// Where service cluster IPs come from.
    public var serviceCIDR: String
    /// Seconds an event is kept after it last happened (Kubernetes's `--event-ttl`, one hour):
    /// every pod leaves a few, and a busy cluster would otherwise keep them all.
    public var eventTTL: Double

    public init(watchWindow: Int = 10_000, watcherBuffer: Int = 10_000, serviceCIDR: String = "10.96.0.0/16",
                eventTTL: Double = 3600) {
        self.watchWindow = watchWindow
        self.watcherBuffer = watcherBuffer
        self.serviceCIDR = serviceCIDR
        self.eventTTL = eventTTL
    }
}

/// The answer to a list: the matching objects (sorted by namespace and name) and the
/// resourceVersion to start a watch from.
public struct KubeList: Sendable, Equatable {
    public var resource: KubeResource
    public var items: [JSON]
    public var resourceVersion: UInt64

    public init(resource: KubeResource, items: [JSON], resourceVersion: UInt64) {
        self.resource = resource
        self.items = items
        self.resourceVersion = resourceVersion
    }

    /// The list as clients expect it: `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"N"},"items":[...]}`.
    public var json: JSON {
        ["kind": .string(resource.listKind), "apiVersion": "v1",
         "metadata": ["resourceVersion": .string(String(resourceVersion))], "items": .array(items)]
    }
}

/// How a delete treats the objects the deleted one owns (`metadata.ownerReferences`).
public enum PropagationPolicy: String, Sendable {
    /// Dependents are deleted too (kubectl's default).
    case background = "Background"
    case foreground = "Foreground"
    /// Dependents stay, with the owner reference removed.
    case orphan = "Orphan"
}

/// The body of a DELETE (`DeleteOptions`).
public struct DeleteOptions: Sendable, Equatable {
    public var propagationPolicy: PropagationPolicy
    /// Preconditions: the delete fails with 409 Conflict unless the object still has these.
    public var uid: String?
    public var resourceVersion: String?
    public var dryRun: Bool

    public init(propagationPolicy: PropagationPolicy = .background, uid: String? = nil, resourceVersion: String? = nil, dryRun: Bool = false) {
        self.propagationPolicy = propagationPolicy
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.dryRun = dryRun
    }

    /// From a DeleteOptions JSON body (`propagationPolicy`, legacy `orphanDependents`,
    /// `preconditions`, `dryRun`).
    public init(json: JSON) throws(KubeError) {
        self.init()
        if let policy = json.string("propagationPolicy") {
            guard let parsed = PropagationPolicy(rawValue: policy) else {
                throw KubeError.badRequest("propagationPolicy \"\(policy)\" is not one of Background, Foreground, Orphan")
            }
            propagationPolicy = parsed
        } else if json["orphanDependents"]?.boolValue == true {
            propagationPolicy = .orphan
        }
        uid = json.string("preconditions", "uid")
        resourceVersion = json.string("preconditions", "resourceVersion")
        dryRun = json["dryRun"]?.arrayValue?.contains("All") ?? false
    }
}
