/// Names of the kernel objects of a pod: its network namespace (`<prefix><pod>`) and the host end
/// of its veth pair (`fwv` + 8 hex digits of a hash of the namespace name, under the kernel's
/// 15-character limit). Both derive from the pod ID alone, so `destroy` needs no saved state.
enum InterfaceNames {
    /// Longest pod-ID part kept readable in a namespace name before it is shortened with a hash.
    static let maximumReadableID = 40

    static func isSafe(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_" || character == ".")
    }

    /// Whether `name` is a legal network interface name (1-15 chars, no `/`, `:` or spaces).
    static func isValid(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name.allSatisfy { isSafe($0) && $0 != "." }
    }

    /// The namespace of a pod: the pod ID as is when short and safe, else a cleaned, shortened
    /// form with a hash so distinct IDs stay distinct.
    static func namespace(prefix: String, podID: String) -> String {
        if !podID.isEmpty, podID.count <= maximumReadableID, podID.allSatisfy(isSafe), !podID.hasPrefix(".") {
            return prefix + podID
        }
        let cleaned = String(podID.map { isSafe($0) ? $0 : "_" }.prefix(24))
        return prefix + cleaned + "-" + hex(fnv1a(podID))
    }

    /// The host end of a pod's veth pair.
    static func hostInterface(namespace: String) -> String {
        "fwv" + hex(fnv1a(namespace))
    }

    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
