import Glibc
import Spawning

/// Small, allocation-light reads and writes of cgroup control files. Paths are relative to `at`, a
/// directory descriptor (the agent's subtree: far fewer path components to look up per call), or
/// to the working directory by default (absolute paths).
enum CgroupFiles {
    static func write(_ path: String, _ value: String, at directory: Int32 = AT_FDCWD) throws(AgentError) {
        let fd = openat(directory, path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AgentError("could not open \(path): \(LinuxCalls.errorText(errno))") }
        defer { close(fd) }
        let written = value.utf8.withContiguousStorageIfAvailable { Glibc.write(fd, $0.baseAddress, $0.count) }
            ?? Array(value.utf8).withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == value.utf8.count else {
            throw AgentError("could not write '\(value)' to \(path): \(LinuxCalls.errorText(errno))")
        }
    }

    static func read(_ path: String, at directory: Int32 = AT_FDCWD) -> String? {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            while true {
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count <= 0 { break }
                result += buffer[0..<count]
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `key value` lines (memory.oom_control, memory.events) as a dictionary.
    static func keyedValues(_ path: String, at directory: Int32 = AT_FDCWD) -> [String: Int64] {
        var values: [String: Int64] = [:]
        for line in (read(path, at: directory) ?? "").split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Int64(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    static func pids(_ path: String, at directory: Int32 = AT_FDCWD) -> [Int32] {
        (read(path, at: directory) ?? "").split(separator: "\n").compactMap { Int32($0) }
    }

    /// Subdirectory names of a directory.
    static func subdirectories(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a cgroup directory; true if it is gone.
    static func remove(_ path: String, at directory: Int32 = AT_FDCWD) -> Bool {
        unlinkat(directory, path, AT_REMOVEDIR) == 0 || errno == ENOENT
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

extension CgroupFiles {
    /// A whole file's bytes, or nil (with errno set) if it cannot be opened.
    static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            result += buffer[0..<count]
        }
        return result
    }
}

extension CgroupFiles {
    /// Renames a cgroup directory within its parent (cgroup v1 only; v2 refuses).
    static func rename(_ from: String, to: String, at directory: Int32 = AT_FDCWD) -> Bool {
        renameat(directory, from, directory, to) == 0
    }

    /// Hard links of a directory: 2 plus its subdirectories (child cgroups); nil if it is gone.
    static func linkCount(_ path: String, at directory: Int32 = AT_FDCWD) -> Int? {
        var info = stat()
        guard fstatat(directory, path, &info, 0) == 0 else { return nil }
        return Int(info.st_nlink)
    }

    /// A file holding one integer (`memory.usage_in_bytes`).
    static func integer(_ path: String, at directory: Int32 = AT_FDCWD) -> Int64? {
        read(path, at: directory).flatMap { Int64($0.trimmed) }
    }

    /// A directory descriptor for `*at` calls relative to it, or -1.
    static func openDirectory(_ path: String) -> Int32 {
        open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }
}
