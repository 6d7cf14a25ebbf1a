import Foundation
import Glibc
import Synchronization

/// A minimal HTTP server on 127.0.0.1 for probe tests: answers every request with the current
/// `status`, or holds connections open without a word when `silent`. One thread; `stop()` ends it.
final class TinyHTTPServer: Sendable {
    let port: Int
    private let fd: Int32
    private let state = Mutex((status: 200, silent: false, stopped: false, held: [Int32]()))

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.fd = fd
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    func set(status: Int) { state.withLock { $0.status = status } }
    func set(silent: Bool) { state.withLock { $0.silent = silent } }

    func stop() {
        let held = state.withLock { state -> [Int32] in
            state.stopped = true
            defer { state.held = [] }
            return state.held
        }
        for connection in held { close(connection) }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func serve() {
        while true {
            let connection = accept(fd, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            let (status, silent, stopped) = state.withLock { ($0.status, $0.silent, $0.stopped) }
            if stopped {
                close(connection)
                return
            }
            if silent {
                state.withLock { $0.held.append(connection) }
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(connection, &buffer, buffer.count)
            let body = "status \(status)\n"
            let response = Array("HTTP/1.1 \(status) Whatever\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
            _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }
}
