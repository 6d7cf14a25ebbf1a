import Glibc
import Spawning

/// The few file-system calls the task runners make, with errors turned into `BatchRuntimeError`s
/// that name the file. Plain POSIX calls keep the data path free of Foundation's copies.
enum POSIXFiles {
    static func openForReading(_ path: String, what: String) throws(BatchRuntimeError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw BatchRuntimeError("cannot open \(what) \(path): \(LinuxCalls.errorText(errno))")
        }
        return fd
    }

    static func createForWriting(_ path: String, what: String) throws(BatchRuntimeError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw BatchRuntimeError("cannot create \(what) \(path): \(LinuxCalls.errorText(errno)); check that the directory is writable and the disk not full")
        }
        return fd
    }

    /// Reads up to `count` bytes, retrying on EINTR; 0 means end of file. Returns -errno on failure.
    static func read(_ fd: Int32, into pointer: UnsafeMutableRawPointer, count: Int) -> Int {
        while true {
            let result = Glibc.read(fd, pointer, count)
            if result >= 0 { return result }
            if errno != EINTR { return -Int(errno) }
        }
    }

    /// `pread` with the same conventions as `read`.
    static func read(_ fd: Int32, into pointer: UnsafeMutableRawPointer, count: Int, at offset: Int64) -> Int {
        while true {
            let result = pread(fd, pointer, count, off_t(offset))
            if result >= 0 { return result }
            if errno != EINTR { return -Int(errno) }
        }
    }

    /// Writes every byte; returns 0 or the errno of the failed write (EPIPE when the reader left).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard var pointer = bytes.baseAddress else { return 0 }
        var remaining = bytes.count
        while remaining > 0 {
            let written = write(fd, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            pointer += written
            remaining -= written
        }
        return 0
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes a whole small file through a temporary name and a rename, so readers see all or nothing.
    static func writeFileAtomically(_ path: String, _ bytes: [UInt8], what: String) throws(BatchRuntimeError) {
        let temporary = path + ".tmp"
        let fd = try createForWriting(temporary, what: what)
        let code = writeAll(fd, bytes)
        close(fd)
        guard code == 0 else {
            unlink(temporary)
            throw BatchRuntimeError("cannot write \(what) \(temporary): \(LinuxCalls.errorText(code))")
        }
        try rename(temporary, to: path, what: what)
    }

    static func rename(_ from: String, to: String, what: String) throws(BatchRuntimeError) {
        guard Glibc.rename(from, to) == 0 else {
            throw BatchRuntimeError("cannot rename \(what) \(from) to \(to): \(LinuxCalls.errorText(errno))")
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(BatchRuntimeError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw BatchRuntimeError("cannot create directory \(prefix): \(LinuxCalls.errorText(errno))")
            }
        }
        guard isDirectory(path) else {
            throw BatchRuntimeError("cannot create directory \(path): a file of that name is in the way")
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func isReadableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }

    /// Removes a file or a directory tree, best effort (`rm -rf`); symlinks are removed, not followed.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if let directory = opendir(path) {
                var names: [String] = []
                while let entry = readdir(directory) {
                    let name = withUnsafePointer(to: entry.pointee.d_name) {
                        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(directory)
                for name in names { removeTree(path + "/" + name) }
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The current working directory, the sandbox when `MESOS_SANDBOX` is not set.
    static func currentDirectory() -> String {
        guard let path = getcwd(nil, 0) else { return "." }
        defer { free(path) }
        return String(cString: path)
    }
}
