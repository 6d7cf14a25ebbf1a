import Foundation

/// A few MB of real English text for map/reduce tests and benchmarks: the copyright files Debian
/// packages install, with the common licenses, concatenated (repeated if the machine has few).
public enum TextCorpus {
    /// Writes at least `bytes` of text into `directory` as `part-NNN.txt` files of about `fileBytes`
    /// each, every file ending at a line end so no word is cut in two. Returns the bytes written.
    @discardableResult
    public static func write(to directory: URL, bytes: Int, fileBytes: Int) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let licenses = "/usr/share/common-licenses"
        var sources = ((try? FileManager.default.contentsOfDirectory(atPath: licenses)) ?? []).sorted().map { "\(licenses)/\($0)" }
        let docs = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/share/doc")) ?? []).sorted()
        sources += docs.map { "/usr/share/doc/\($0)/copyright" }
        var written = 0
        var chunk = Data()
        var files = 0
        func flush(_ data: Data) throws {
            try data.write(to: directory.appendingPathComponent(String(format: "part-%03d.txt", files)))
            files += 1
        }
        while written < bytes {
            let before = written
            for source in sources where written < bytes {
                guard let data = FileManager.default.contents(atPath: source) else { continue }
                chunk.append(data)
                written += data.count
                if chunk.count >= fileBytes, let end = chunk[(chunk.startIndex + fileBytes - 1)...].firstIndex(of: UInt8(ascii: "\n")) {
                    try flush(chunk[...end])
                    chunk = Data(chunk[(end + 1)...])
                }
            }
            guard written > before else { throw ClusterError("no text under /usr/share to build a corpus from") }
        }
        if !chunk.isEmpty { try flush(chunk) }
        return written
    }
}
