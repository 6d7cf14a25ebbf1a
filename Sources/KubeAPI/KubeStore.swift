import Foundation
import Logging

/// The API server's object store: every object as JSON in memory and in SQLite (WAL), one
/// global, monotonic resourceVersion persisted with each write, admission on every write, and
/// watches fed from a window of recent changes. The pods framework and the HTTP handler share one.
public actor KubeStore {
    let database: ObjectDatabase
    let options: KubeStoreOptions
    let clock: @Sendable () -> Date
    let logger = Logger(label: "fairway.kubeapi")
    var objects: [KubeResource: [ObjectKey: JSON]] = [:]
    var resourceVersion: UInt64
    var window: WatchWindow
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 1
    var clusterIPs: ClusterIPAllocator
    /// Event name by the identity of what it reports, so repeats bump `count`.
    var eventNames: [String: ObjectKey] = [:]
    /// Owner uid → the objects that name it.
    var owners = OwnerIndex()
    /// Inside `batch`: the changes made so far, written to SQLite and shown to watchers at its end.
    var batched: [BatchedChange]?

    /// The namespaces that always exist and cannot be deleted.
    public static let systemNamespaces = ["default", "kube-system", "kube-public"]

    /// Opens (or creates) the store in the SQLite file at `path`.
    public init(path: String, options: KubeStoreOptions = .init(), clock: @escaping @Sendable () -> Date) throws {
        self.options = options
        self.clock = clock
        let database = try ObjectDatabase(path: path)
        self.database = database
        var allocator = try ClusterIPAllocator(cidr: options.serviceCIDR)
        var loaded: [KubeResource: [ObjectKey: JSON]] = [:]
        var version = try database.resourceVersion()
        for row in try database.loadAll() {
            guard let resource = KubeResource.named(row.resource), let object = try? JSON.parse(row.body) else { continue }
            loaded[resource, default: [:]][ObjectKey(namespace: row.namespace, name: row.name)] = object
            if resource == .services, let ip = object.string("spec", "clusterIP").flatMap(ClusterIPAllocator.parse), allocator.contains(ip) {
                allocator.mark(ip)
            }
        }
        for name in Self.systemNamespaces where loaded[.namespaces]?[ObjectKey(namespace: "", name: name)] == nil {
            version += 1
            let namespace = Self.namespaceObject(name, now: Timestamps.format(clock()), resourceVersion: version)
            try database.write(resource: KubeResource.namespaces.name, namespace: "", name: name,
                               uid: namespace.string("metadata", "uid") ?? "", body: namespace.text, resourceVersion: version)
            loaded[.namespaces, default: [:]][ObjectKey(namespace: "", name: name)] = namespace
        }
        objects = loaded
        for (resource, byKey) in loaded where resource.namespaced {
            for (key, object) in byKey { owners.update(resource, key, old: nil, new: object) }
        }
        resourceVersion = version
        clusterIPs = allocator
        window = WatchWindow(capacity: options.watchWindow, startResourceVersion: version)
        eventNames = Self.indexEvents(loaded[.events] ?? [:])
    }

    static func namespaceObject(_ name: String, now: String, resourceVersion: UInt64) -> JSON {
        ["kind": "Namespace", "apiVersion": "v1",
         "metadata": ["name": .string(name), "uid": .string(UUID().uuidString.lowercased()), "creationTimestamp": .string(now),
                      "resourceVersion": .string(String(resourceVersion)), "labels": ["kubernetes.io/metadata.name": .string(name)]],
         "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"]]
    }

    /// The newest resourceVersion.
    public var currentResourceVersion: UInt64 { resourceVersion }

    /// How many watches are open (a closed client must not leave one behind).
    public var watcherCount: Int { watchers.count }

    func now() -> String { Timestamps.format(clock()) }

    /// Writes one change: the next resourceVersion, SQLite, memory, the watch window, watchers.
    /// `new` nil deletes. Returns the object as stored (for a delete, its last state).
    @discardableResult
    func commit(_ resource: KubeResource, _ key: ObjectKey, new: JSON?, old: JSON?) throws(KubeError) -> JSON {
        let version = resourceVersion + 1
        var stored = new ?? old ?? .emptyObject
        stored[path: "metadata", "resourceVersion"] = .string(String(version))
        let encoded = stored.encoded()
        let type: WatchEventType = new == nil ? .deleted : (old == nil ? .added : .modified)
        let record = ChangeRecord(resourceVersion: version, resource: resource, namespace: key.namespace, type: type,
                                  object: stored, previous: type == .modified ? old : nil, encoded: encoded)
        let row = ObjectDatabase.Change(resource: resource.name, namespace: key.namespace, name: key.name,
                                        uid: stored.string("metadata", "uid") ?? "",
                                        body: new == nil ? nil : String(decoding: encoded, as: UTF8.self))
        if batched != nil {
            batched?.append(BatchedChange(row: row, record: record, key: key, old: old))
        } else {
            do {
                try database.write([row], resourceVersion: version)
            } catch {
                logger.error("could not write \(resource.name) \(key.namespace)/\(key.name) to the store: \(error)")
                throw KubeError.internalError("could not write to the object store (\(error)); check the disk under the pods framework's work dir")
            }
        }
        resourceVersion = version
        objects[resource, default: [:]][key] = new == nil ? nil : stored
        owners.update(resource, key, old: old, new: new)
        if batched == nil {
            window.append(record)
            notify(record)
        }
        return stored
    }

    /// Runs writes the framework makes on its own behalf as one SQLite transaction: each sees the
    /// changes of those before it at once, and watchers see them all once the transaction is on
    /// disk. A write that throws (its object was deleted meanwhile, say) changes nothing and the
    /// others go on. If the transaction itself fails, every change is undone and `committed` is
    /// false: the caller may run the same writes again. Called from inside a batch, the writes join it.
    public func batch(_ writes: [(what: String, write: IsolatedWrite)]) -> BatchOutcome {
        var outcome = BatchOutcome()
        let outer = batched != nil
        if !outer { batched = [] }
        let allocatedIPs = clusterIPs
        for (what, write) in writes {
            do {
                try write(self)
            } catch {
                outcome.failures.append((what, error))
            }
        }
        if outer { return outcome }
        let changes = batched ?? []
        batched = nil
        guard let first = changes.first else { return outcome }
        do {
            try database.write(changes.map(\.row), resourceVersion: resourceVersion)
        } catch {
            logger.warning("could not write \(changes.count) changes to the store: \(error)")
            for change in changes.reversed() {
                let resource = change.record.resource
                owners.update(resource, change.key, old: objects[resource]?[change.key], new: change.old)
                objects[resource, default: [:]][change.key] = change.old
            }
            resourceVersion = first.record.resourceVersion - 1
            eventNames = Self.indexEvents(objects[.events] ?? [:])
            clusterIPs = allocatedIPs
            outcome.committed = false
            outcome.failures = writes.map { ($0.what, KubeError.internalError("could not write to the object store (\(error))") as any Error) }
            return outcome
        }
        for change in changes {
            window.append(change.record)
            notify(change.record)
        }
        return outcome
    }
}

/// What a `KubeStore.batch` did: whether its transaction reached the disk, and the writes that
/// failed on their own (all of them when it did not).
public struct BatchOutcome: Sendable {
    public var committed = true
    public var failures: [(what: String, error: any Error)] = []
}

/// A write run inside the store (see `KubeStore.batch`).
public typealias IsolatedWrite = @Sendable (isolated KubeStore) throws -> Void

/// One change of a batch: its row for SQLite, its record for watchers, and what to restore if the
/// transaction fails.
struct BatchedChange: Sendable {
    var row: ObjectDatabase.Change
    var record: ChangeRecord
    var key: ObjectKey
    var old: JSON?
}
