/// Kubernetes resource quantities (`500m`, `1`, `0.5` cpu; `64Mi`, `1Gi`, `128M`, `1000000`
/// bytes), converted to what Mesos offers count: cpus and megabytes (MiB, as Mesos's `mem`).
public struct Quantity: Sendable, Equatable, CustomStringConvertible {
    /// The value in base units (cores for cpu, bytes for memory).
    public let value: Double
    public let text: String

    public var description: String { text }

    static let suffixes: [String: Double] = [
        "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
        "Ki": 1024, "Mi": 1_048_576, "Gi": 1_073_741_824, "Ti": 1_099_511_627_776,
        "Pi": 1_125_899_906_842_624, "Ei": 1_152_921_504_606_846_976,
    ]

    /// Parses the quantity syntax: a signed decimal number, then a binary suffix (Ki..Ei), a
    /// decimal suffix (n, u, m, k, M..E) or an exponent (`1e3`). Nil when it is not one.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        var numberEnd = trimmed.startIndex
        var sawDigit = false
        var sawDot = false
        for (offset, character) in zip(trimmed.indices, trimmed) {
            if character.isASCII && character.isNumber {
                sawDigit = true
            } else if character == "." && !sawDot {
                sawDot = true
            } else if (character == "+" || character == "-") && offset == trimmed.startIndex {
                // sign
            } else {
                break
            }
            numberEnd = trimmed.index(after: offset)
        }
        guard sawDigit, let number = Double(trimmed[..<numberEnd]) else { return nil }
        let suffix = String(trimmed[numberEnd...])
        let multiplier: Double
        if let known = Self.suffixes[suffix] {
            multiplier = known
        } else if let first = suffix.first, first == "e" || first == "E", let exponent = Int(suffix.dropFirst()), abs(exponent) <= 18 {
            multiplier = Double("1e\(exponent)") ?? 1
        } else {
            return nil
        }
        value = number * multiplier
        self.text = trimmed
    }

    /// A quantity from a JSON field: a string (`"500m"`) or a number (`1`, `0.5`).
    public init?(json: JSON) {
        switch json {
        case .string(let text): self.init(text)
        case .int(let number): self.init(String(number))
        case .double(let number): self.init("\(number)")
        default: return nil
        }
    }

    /// Cores from a cpu quantity (`"500m"` is 0.5), or nil when it does not parse.
    public static func cpus(_ text: String) -> Double? { Quantity(text)?.value }
    public static func cpus(_ json: JSON) -> Double? { Quantity(json: json)?.value }

    /// MiB from a memory quantity (`"64Mi"` is 64, `"128M"` is 122.07), or nil.
    public static func megabytes(_ text: String) -> Double? { Quantity(text).map { $0.value / 1_048_576 } }
    public static func megabytes(_ json: JSON) -> Double? { Quantity(json: json).map { $0.value / 1_048_576 } }
}
