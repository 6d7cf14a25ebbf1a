import Glibc
import Spawning

/// Small file operations for the claims directory and the pods' `/etc/netns` files.
enum ClaimFiles {
    /// The whole file as text; nil when it cannot be read.
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes all of `text` to `fd`.
    static func write(_ text: String, to fd: Int32, path: String) throws(PodNetworkError) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw PodNetworkError(.io, "cannot write \(path): \(LinuxCalls.errorText(errno))") }
            offset += count
        }
    }

    /// Creates `path` only if it does not exist; false when it exists.
    static func createExclusive(_ path: String, text: String) throws(PodNetworkError) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw PodNetworkError(.io, "cannot create \(path): \(LinuxCalls.errorText(errno))")
        }
        defer { close(fd) }
        try write(text, to: fd, path: path)
        return true
    }

    /// Replaces `path` atomically: writes a dot-file beside it, then renames it over.
    static func replace(_ path: String, text: String, mode: mode_t = 0o644) throws(PodNetworkError) {
        let slash = path.lastIndex(of: "/").map { path[...$0] } ?? ""
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = "\(slash).\(name).tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw PodNetworkError(.io, "cannot create \(temporary): \(LinuxCalls.errorText(errno))") }
        do {
            try write(text, to: fd, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        _ = fchmod(fd, mode)
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw PodNetworkError(.io, "cannot rename \(temporary) to \(path): \(LinuxCalls.errorText(code))")
        }
    }

    /// `mkdir -p` with `mode` for the directories it creates.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(PodNetworkError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw PodNetworkError(.io, "cannot create directory \(current): \(LinuxCalls.errorText(errno))")
            }
        }
    }

    /// Names in a directory (without `.` and `..`); empty when it does not exist.
    static func list(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a directory and the plain files in it (the pod's `/etc/netns/NAME`); no error when absent.
    static func removeFlatDirectory(_ path: String) throws(PodNetworkError) {
        for name in list(path) { unlink(path + "/" + name) }
        if rmdir(path) != 0 && errno != ENOENT {
            throw PodNetworkError(.io, "cannot remove \(path): \(LinuxCalls.errorText(errno))")
        }
    }
}
