import Glibc

/// A minimal DNS client (one A query over UDP) to tell when dnsmasq answers and what it answers.
enum DNSQuery {
    struct Reply: Sendable, Equatable {
        var rcode: Int
        /// The IPv4 addresses of the A records in the answer section.
        var addresses: [IPv4Address]
    }

    /// The reply to an A query for `name`, or nil when none came within `timeout`.
    static func ask(_ name: String, server: IPv4Address, port: Int = 53,
                    timeout: Duration = .milliseconds(250)) -> Reply? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let micros = timeout.components.seconds * 1_000_000 + timeout.components.attoseconds / 1_000_000_000_000
        var limit = timeval(tv_sec: Int(micros / 1_000_000), tv_usec: Int(micros % 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = server.value.bigEndian
        let id = UInt16.random(in: 1...UInt16.max)
        let query = packet(id: id, name: name)
        let sent = query.withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard sent == query.count else { return nil }
        var reply = [UInt8](repeating: 0, count: 512)
        while true {
            let count = recv(fd, &reply, reply.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count >= 12 else { return nil }
            guard UInt16(reply[0]) << 8 | UInt16(reply[1]) == id else { continue }
            return Reply(rcode: Int(reply[3] & 0x0F), addresses: addresses(in: Array(reply[0..<count])))
        }
    }

    /// The A records of a reply's answer section (parsing stops at anything malformed).
    static func addresses(in reply: [UInt8]) -> [IPv4Address] {
        guard reply.count >= 12 else { return [] }
        let questions = Int(reply[4]) << 8 | Int(reply[5])
        let answers = Int(reply[6]) << 8 | Int(reply[7])
        var offset = 12
        func skipName() -> Bool {
            while offset < reply.count {
                let length = Int(reply[offset])
                if length & 0xC0 == 0xC0 { offset += 2; return offset <= reply.count }
                offset += 1 + length
                if length == 0 { return offset <= reply.count }
            }
            return false
        }
        for _ in 0..<questions {
            guard skipName() else { return [] }
            offset += 4
        }
        var found: [IPv4Address] = []
        for _ in 0..<answers {
            guard skipName(), offset + 10 <= reply.count else { break }
            let type = Int(reply[offset]) << 8 | Int(reply[offset + 1])
            let length = Int(reply[offset + 8]) << 8 | Int(reply[offset + 9])
            offset += 10
            guard offset + length <= reply.count else { break }
            if type == 1 && length == 4 {
                found.append(IPv4Address(value: reply[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
            }
            offset += length
        }
        return found
    }

    /// A recursive-desired query for the A record of `name`.
    static func packet(id: UInt16, name: String) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            let utf8 = Array(label.utf8.prefix(63))
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes += [0, 0, 1, 0, 1]
        return bytes
    }
}
