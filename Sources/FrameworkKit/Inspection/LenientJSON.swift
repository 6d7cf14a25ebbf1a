/// A JSON value where the v0 endpoints put numbers or text: resource amounts (`"cpus": 2`,
/// `"ports": "[31000-32000]"`) and attribute values.
public enum JSONScalar: Decodable, Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case string(String)
    case bool(Bool)
    case other

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else {
            self = .other
        }
    }

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var description: String {
        switch self {
        case .number(let value): QuantityFormat.number(value)
        case .string(let text): text
        case .bool(let flag): String(flag)
        case .other: "?"
        }
    }
}

extension KeyedDecodingContainer {
    /// The value if present and of the expected type, nil otherwise: the state endpoints are read
    /// leniently so a field added or changed on the master side never breaks the CLI.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        try? decodeIfPresent(T.self, forKey: key)
    }
}

/// A JSON object key given as a string, for decoding fields by their snake_case names.
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer where Key == JSONKey {
    func string(_ name: String) -> String? { lenient(String.self, JSONKey(name)) }
    func double(_ name: String) -> Double? { lenient(Double.self, JSONKey(name)) }
    func int(_ name: String) -> Int? { lenient(Int.self, JSONKey(name)) ?? double(name).map { Int($0) } }
    func bool(_ name: String) -> Bool? { lenient(Bool.self, JSONKey(name)) }
    func array<T: Decodable>(_ name: String, of type: T.Type) -> [T] { lenient([T].self, JSONKey(name)) ?? [] }
    func value<T: Decodable>(_ name: String, as type: T.Type) -> T? { lenient(T.self, JSONKey(name)) }
}
