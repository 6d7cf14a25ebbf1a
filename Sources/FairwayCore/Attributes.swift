import FairwayProto

/// Agent attributes in Mesos text form: `rack:a;zone:1` — numbers become SCALAR, `[a-b]` RANGES,
/// `{x,y}` SET, anything else TEXT.
public enum Attributes {
    public static func parse(_ text: String) throws(ResourceSyntaxError) -> [Fairway_V1_Attribute] {
        var attributes: [Fairway_V1_Attribute] = []
        for item in text.split(separator: ";") {
            let entry = item.trimmingWhitespace()
            guard !entry.isEmpty else { continue }
            guard let colon = entry.firstIndex(of: ":") else {
                throw ResourceSyntaxError("attribute '\(entry)' is not NAME:VALUE")
            }
            var attribute = Fairway_V1_Attribute()
            attribute.name = entry[..<colon].trimmingWhitespace()
            let raw = entry[entry.index(after: colon)...].trimmingWhitespace()
            guard !attribute.name.isEmpty else { throw ResourceSyntaxError("attribute '\(entry)' has no name") }
            if raw.hasPrefix("[") || raw.hasPrefix("{") || Double(raw) != nil {
                switch try ResourceValue(parsing: raw, of: attribute.name) {
                case .scalar(let scalar):
                    attribute.type = .scalar
                    attribute.scalar.value = scalar.value
                case .ranges(let ranges):
                    attribute.type = .ranges
                    attribute.ranges = ranges.proto
                case .set(let items):
                    attribute.type = .set
                    attribute.set.item = items.sorted()
                }
            } else {
                attribute.type = .text
                attribute.text.value = raw
            }
            attributes.append(attribute)
        }
        return attributes
    }

    /// The value of an attribute as text, for display and matching.
    public static func text(of attribute: Fairway_V1_Attribute) -> String {
        switch attribute.type {
        case .scalar: Scalar(attribute.scalar.value).description
        case .text: attribute.text.value
        case .set: "{" + attribute.set.item.joined(separator: ",") + "}"
        case .ranges: ValueRanges(attribute.ranges.range.map { $0.begin...$0.end }).description
        }
    }
}
