/// What a watch delivers: a change to an object, or an error that ends the watch.
public enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case error = "ERROR"
    case bookmark = "BOOKMARK"
}

public struct WatchEvent: Sendable, Equatable {
    public var type: WatchEventType
    /// The object after the change (for DELETED, its last state); for ERROR, a Status.
    public var object: JSON

    public init(type: WatchEventType, object: JSON) {
        self.type = type
        self.object = object
    }

    /// An ERROR event carrying `error` as a Status (410 Expired tells the client to relist).
    public static func error(_ error: KubeError) -> WatchEvent {
        WatchEvent(type: .error, object: error.status)
    }

    /// `{"type":"ADDED","object":{...}}`, one line of a watch response.
    public var json: JSON { ["type": .string(type.rawValue), "object": object] }
}

/// One change kept in the watch window.
struct ChangeRecord: Sendable {
    var resourceVersion: UInt64
    var resource: KubeResource
    var namespace: String
    var type: WatchEventType
    var object: JSON
    /// The object before a modification, to tell watchers whose selector it left or entered.
    var previous: JSON?
}

/// The last N changes, oldest first: watches resume from here. Everything after
/// `startResourceVersion` is kept.
struct WatchWindow: Sendable {
    let capacity: Int
    private var records: [ChangeRecord] = []
    private var head = 0
    private(set) var startResourceVersion: UInt64

    init(capacity: Int, startResourceVersion: UInt64) {
        self.capacity = max(1, capacity)
        self.startResourceVersion = startResourceVersion
    }

    var count: Int { records.count - head }

    mutating func append(_ record: ChangeRecord) {
        records.append(record)
        while count > capacity {
            startResourceVersion = records[head].resourceVersion
            head += 1
        }
        // Compact now and then so the array does not grow without bound.
        if head > capacity {
            records.removeFirst(head)
            head = 0
        }
    }

    /// Changes after `resourceVersion`, or nil when some of them are no longer kept.
    func changes(after resourceVersion: UInt64) -> ArraySlice<ChangeRecord>? {
        guard resourceVersion >= startResourceVersion else { return nil }
        let live = records[head...]
        guard let index = live.firstIndex(where: { $0.resourceVersion > resourceVersion }) else { return [] }
        return live[index...]
    }
}
