/// Text made safe for SVG (XML 1.0) character data and attribute values: markup characters
/// escaped, characters XML forbids (most control characters) dropped. Framework names come from
/// frameworks, so a name like `a<b&"c"` must not break the document.
enum SVGText {
    static func escape(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case "\t", "\n", "\r": output += " "
            default:
                if allowed(scalar) { output.unicodeScalars.append(scalar) }
            }
        }
        return output
    }

    /// At most `limit` characters, with `…` when cut (before escaping, so no entity is split).
    static func truncate(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
    }

    /// XML 1.0's `Char` production: no C0 controls but tab/newline/return, no U+FFFE/U+FFFF.
    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return false }
        if value == 0xFFFE || value == 0xFFFF { return false }
        return true
    }
}
