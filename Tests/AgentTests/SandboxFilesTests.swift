@testable import Agent
import FairwayHTTP
import Foundation
import XCTest

final class SandboxFilesTests: XCTestCase {
    private var root = ""
    private var outside = ""

    override func setUp() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("fairway-files-\(UUID().uuidString.prefix(8))").path
        root = base + "/work/sandboxes"
        outside = base + "/secret.txt"
        try FileManager.default.createDirectory(atPath: root + "/fw/task", withIntermediateDirectories: true)
        try "0123456789".write(toFile: root + "/fw/task/stdout", atomically: true, encoding: .utf8)
        try "top secret".write(toFile: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/fw/task/escape", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: root + "/fw/task/etc", withDestinationPath: "/etc")
    }

    override func tearDown() async throws {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: root).deletingLastPathComponent().deletingLastPathComponent().path)
    }

    private func get(_ path: String, _ query: String) -> HTTPResponse {
        SandboxFiles(root: root).handle(HTTPRequest(method: .GET, uri: path + "?" + query))
    }

    private func json(_ response: HTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    private func encoded(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._"))) ?? path
    }

    func testReadsAWindowOfASandboxFile() throws {
        let file = root + "/fw/task/stdout"
        let window = get("/files/read", "path=\(encoded(file))&offset=3&length=4")
        XCTAssertEqual(window.status, .ok)
        XCTAssertEqual(try json(window)["data"] as? String, "3456")
        XCTAssertEqual(try json(window)["offset"] as? Int, 3)

        let rest = get("/files/read", "path=\(encoded(file))&offset=8")
        XCTAssertEqual(try json(rest)["data"] as? String, "89")

        let size = get("/files/read", "path=\(encoded(file))&offset=-1")
        XCTAssertEqual(try json(size)["data"] as? String, "")
        XCTAssertEqual(try json(size)["offset"] as? Int, 10)

        let past = get("/files/read", "path=\(encoded(file))&offset=100")
        XCTAssertEqual(try json(past)["data"] as? String, "")

        let download = get("/files/download", "path=\(encoded(file))")
        XCTAssertEqual(download.body, Array("0123456789".utf8))
    }

    func testBrowseListsASandbox() throws {
        let listing = get("/files/browse", "path=\(encoded(root + "/fw/task"))")
        XCTAssertEqual(listing.status, .ok)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listing.body)) as? [[String: Any]])
        let stdout = try XCTUnwrap(entries.first { ($0["path"] as? String)?.hasSuffix("/stdout") == true })
        XCTAssertEqual(stdout["size"] as? Int, 10)
        XCTAssertEqual(stdout["mode"] as? String, "-rw-r--r--")
        XCTAssertNotNil(stdout["mtime"])
        XCTAssertNotNil(stdout["uid"])
    }

    func testEscapesAreRefused() {
        let dotdot = get("/files/read", "path=\(encoded(root + "/fw/task/../../../../secret.txt"))")
        XCTAssertEqual(dotdot.status, .forbidden, String(decoding: dotdot.body, as: UTF8.self))
        XCTAssertFalse(String(decoding: dotdot.body, as: UTF8.self).contains("top secret"))

        XCTAssertEqual(get("/files/read", "path=\(encoded(root + "/fw/task/escape"))").status, .forbidden)
        XCTAssertEqual(get("/files/download", "path=\(encoded(root + "/fw/task/escape"))").status, .forbidden)
        XCTAssertEqual(get("/files/read", "path=\(encoded(root + "/fw/task/etc/passwd"))").status, .forbidden)
        XCTAssertEqual(get("/files/browse", "path=\(encoded(root + "/fw/task/etc"))").status, .forbidden)
        XCTAssertEqual(get("/files/read", "path=/etc/passwd").status, .forbidden)
        XCTAssertEqual(get("/files/read", "path=/nonexistent/file").status, .forbidden)
        XCTAssertEqual(get("/files/browse", "path=\(encoded(root + "/.."))").status, .forbidden)
    }

    func testMissingFilesAndBadParameters() {
        XCTAssertEqual(get("/files/read", "path=\(encoded(root + "/fw/task/nope"))").status, .notFound)
        XCTAssertEqual(get("/files/read", "offset=1").status, .badRequest)
        XCTAssertEqual(get("/files/read", "path=relative/path").status, .badRequest)
        XCTAssertEqual(get("/files/read", "path=\(encoded(root + "/fw/task/stdout"))&offset=abc").status, .badRequest)
        XCTAssertEqual(get("/files/read", "path=\(encoded(root + "/fw/task/stdout"))&length=-5").status, .badRequest)
        XCTAssertEqual(get("/files/read", "path=\(encoded(root + "/fw/task"))").status, .badRequest, "a directory is browsed, not read")
    }
}
