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
    /// `object` as the store encoded it for SQLite, so a watch over HTTP need not encode it again.
    var encodedObject: [UInt8]?

    public init(type: WatchEventType, object: JSON) {
        self.type = type
        self.object = object
    }

    init(type: WatchEventType, object: JSON, encodedObject: [UInt8]?) {
        self.type = type
        self.object = object
        self.encodedObject = encodedObject
    }

    public static func == (left: WatchEvent, right: WatchEvent) -> Bool {
        left.type == right.type && left.object == right.object
    }

    /// The line a watch over HTTP sends, newline included.
    var line: [UInt8] {
        guard let encodedObject else {
            var bytes = json.encoded()
            bytes.append(UInt8(ascii: "\n"))
            return bytes
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encodedObject.count + 32)
        bytes.append(contentsOf: #"{"object":"#.utf8)
        bytes.append(contentsOf: encodedObject)
        bytes.append(contentsOf: #","type":""#.utf8)
        bytes.append(contentsOf: type.rawValue.utf8)
        bytes.append(contentsOf: "\"}\n".utf8)
        return bytes
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
    /// `object` encoded, as written to SQLite.
    var encoded: [UInt8]?
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
