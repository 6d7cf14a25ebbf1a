import FairwayHTTP
import Glibc
import Spawning

/// Read-only access to sandbox files over HTTP, the Mesos `/files` endpoints: `read` (a window of
/// a file as JSON), `browse` (a directory listing) and `download` (raw bytes). Every path is
/// resolved (symlinks, `..`) before use and must stay inside the sandboxes root, or the answer is
/// 403; a missing file is 404 and a bad parameter 400.
public struct SandboxFiles: Sendable {
    /// The sandboxes directory, symlinks resolved.
    public let root: String
    /// Largest window `read` returns, and largest file `download` sends.
    public static let maximumReadLength = 16 << 20
    public static let maximumDownloadSize = 64 << 20

    public init(root: String) {
        self.root = Self.realPath(root) ?? root
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return .text(.methodNotAllowed, "The /files endpoints are read-only; use GET")
        }
        switch resolve(request.query["path"]) {
        case .failure(let response):
            return response
        case .success(let path):
            switch request.path {
            case "/files/read": return read(path, query: request.query)
            case "/files/browse": return browse(path)
            case "/files/download": return download(path)
            default: return .text(.notFound, "No such endpoint \(request.path); use /files/read, /files/browse or /files/download")
            }
        }
    }

    enum Resolution {
        case success(String)
        case failure(HTTPResponse)
    }

    /// The real path of `raw` if it is inside the root; otherwise the response to give.
    func resolve(_ raw: String?) -> Resolution {
        guard let raw, !raw.isEmpty else {
            return .failure(.text(.badRequest, "Missing 'path' query parameter: give the absolute path of a sandbox file"))
        }
        guard raw.hasPrefix("/") else {
            return .failure(.text(.badRequest, "'path' must be absolute, inside \(root)"))
        }
        guard let real = Self.realPath(raw) else {
            let code = errno
            let lexical = Self.normalize(raw)
            if !isInside(lexical) && !isInside(Self.realPathOfParent(lexical) ?? lexical) {
                return .failure(.text(.forbidden, "Access to \(raw) is refused: only files in sandboxes (\(root)) are served"))
            }
            if code == ENOENT || code == ENOTDIR {
                return .failure(.text(.notFound, "No such file or directory: \(raw)"))
            }
            return .failure(.text(.forbidden, "Cannot access \(raw): \(LinuxCalls.errorText(code))"))
        }
        guard isInside(real) else {
            return .failure(.text(.forbidden, "Access to \(raw) is refused: it resolves to \(real), outside the sandboxes (\(root))"))
        }
        return .success(real)
    }

    private func isInside(_ path: String) -> Bool {
        path == root || path.hasPrefix(root.hasSuffix("/") ? root : root + "/")
    }

    private func read(_ path: String, query: [String: String]) -> HTTPResponse {
        var info = stat()
        guard stat(path, &info) == 0 else { return .text(.notFound, "No such file: \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .text(.badRequest, "\(path) is not a regular file; browse it instead") }
        let size = Int64(info.st_size)
        var offset: Int64 = 0
        if let text = query["offset"] {
            guard let value = Int64(text), value >= -1 else {
                return .text(.badRequest, "'offset' must be a non-negative integer, or -1 for the file's size")
            }
            if value == -1 {
                return .json(JSONValue.object([("data", .string("")), ("offset", .integer(size))]).encoded())
            }
            offset = value
        }
        var length = Int64(Self.maximumReadLength)
        if let text = query["length"] {
            guard let value = Int64(text), value >= 0 else {
                return .text(.badRequest, "'length' must be a non-negative integer")
            }
            length = min(value, length)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .text(.forbidden, "Cannot open \(path): \(LinuxCalls.errorText(errno))") }
        defer { close(fd) }
        let count = Int(max(0, min(length, size - offset)))
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            }
            if result <= 0 { break }
            done += result
        }
        let data = String(decoding: bytes[0..<done], as: UTF8.self)
        return .json(JSONValue.object([("data", .string(data)), ("offset", .integer(offset))]).encoded())
    }

    private func browse(_ path: String) -> HTTPResponse {
        var info = stat()
        guard stat(path, &info) == 0 else { return .text(.notFound, "No such directory: \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return .text(.badRequest, "\(path) is not a directory; read it instead") }
        guard let directory = opendir(path) else { return .text(.forbidden, "Cannot list \(path): \(LinuxCalls.errorText(errno))") }
        defer { closedir(directory) }
        var entries: [(String, JSONValue)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name != "." && name != ".." else { continue }
            let full = path == "/" ? "/" + name : path + "/" + name
            var entryInfo = stat()
            guard lstat(full, &entryInfo) == 0 else { continue }
            entries.append((full, .object([
                ("path", .string(full)),
                ("size", .integer(Int64(entryInfo.st_size))),
                ("mode", .string(Self.modeString(entryInfo.st_mode))),
                ("mtime", .integer(Int64(entryInfo.st_mtim.tv_sec))),
                ("nlink", .integer(Int64(entryInfo.st_nlink))),
                ("uid", .string(Self.userName(entryInfo.st_uid))),
                ("gid", .string(Self.groupName(entryInfo.st_gid))),
            ])))
        }
        return .json(JSONValue.array(entries.sorted { $0.0 < $1.0 }.map(\.1)).encoded())
    }

    private func download(_ path: String) -> HTTPResponse {
        var info = stat()
        guard stat(path, &info) == 0 else { return .text(.notFound, "No such file: \(path)") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .text(.badRequest, "\(path) is not a regular file") }
        guard info.st_size <= Self.maximumDownloadSize else {
            return .text(.payloadTooLarge, "\(path) is larger than \(Self.maximumDownloadSize) bytes; page through it with /files/read")
        }
        guard let text = CgroupFiles.readBytes(path) else {
            return .text(.forbidden, "Cannot open \(path): \(LinuxCalls.errorText(errno))")
        }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: text)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// For a path that does not exist: its parent resolved, plus the last component.
    static func realPathOfParent(_ path: String) -> String? {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        guard let parent = realPath(String(path[..<slash])) else { return nil }
        return parent + path[slash...]
    }

    /// Removes `.`, `..` and empty components without touching the file system.
    static func normalize(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            if component == "." || component.isEmpty { continue }
            if component == ".." { _ = components.popLast() } else { components.append(component) }
        }
        return "/" + components.joined(separator: "/")
    }

    static func modeString(_ mode: mode_t) -> String {
        let type: Character = switch mode & S_IFMT {
        case S_IFDIR: "d"
        case S_IFLNK: "l"
        case S_IFIFO: "p"
        case S_IFSOCK: "s"
        case S_IFCHR: "c"
        case S_IFBLK: "b"
        default: "-"
        }
        let letters: [Character] = ["r", "w", "x"]
        var text = String(type)
        for shift in stride(from: 8, through: 0, by: -1) {
            text.append(mode & (1 << mode_t(shift)) != 0 ? letters[(8 - shift) % 3] : "-")
        }
        return text
    }

    static func userName(_ uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 1024)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return String(uid)
        }
        return String(cString: name)
    }

    static func groupName(_ gid: gid_t) -> String {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 1024)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.gr_name else {
            return String(gid)
        }
        return String(cString: name)
    }
}
