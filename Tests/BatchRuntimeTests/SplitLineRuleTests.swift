@testable import BatchRuntime
import BatchCore
import XCTest

/// The Hadoop line rule: every line of a file is read by exactly one split, the one its first
/// byte lies in, for every split size.
final class SplitLineRuleTests: XCTestCase {
    private var directory: TestDirectory!

    override func setUp() async throws {
        directory = try TestDirectory("splits")
    }

    override func tearDown() async throws {
        directory.remove()
    }

    private struct Line: Equatable, CustomStringConvertible {
        var start: Int
        var bytes: [UInt8]
        var terminated: Bool
        var description: String { "\(start):\(String(decoding: bytes, as: UTF8.self).debugDescription)\(terminated ? "\\n" : "")" }
    }

    /// The file's lines by definition: one starts at 0 and after every newline but at end of file.
    private func referenceLines(_ file: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        while start < file.count {
            var end = start
            while end < file.count && file[end] != UInt8(ascii: "\n") { end += 1 }
            lines.append(Line(start: start, bytes: Array(file[start..<end]), terminated: end < file.count))
            start = end + 1
        }
        return lines
    }

    private func readSplit(_ split: InputSplit) throws -> [[UInt8]] {
        let reader = try SplitLineReader(split: split)
        var lines: [[UInt8]] = []
        while let line = try reader.next({ bytes, _ in Array(bytes) }) { lines.append(line) }
        return lines
    }

    /// Checks every tiling of `file` by splits of each size from 1 byte to past the end.
    private func checkAllSplitSizes(_ file: [UInt8], name: String) throws {
        let path = try directory.write(name, file)
        let lines = referenceLines(file)
        for size in 1...(file.count + 2) {
            var readLines: [[UInt8]] = []
            var offset = 0
            repeat {
                let split = InputSplit(path: path, offset: offset, length: size)
                let expected = lines.filter { $0.start >= offset && $0.start < offset + size }.map(\.bytes)
                let got = try readSplit(split)
                XCTAssertEqual(got, expected, "file \(lines) split \(split)")
                readLines += got
                offset += size
            } while offset < file.count
            XCTAssertEqual(readLines, lines.map(\.bytes), "file \(lines) split size \(size): lines lost or read twice")
        }
    }

    func testEveryShortFileOverNewlinesAndLettersForEverySplitSize() throws {
        // All 255 files of length 0...7 over {a, \n}: empty lines, leading/trailing newlines,
        // no final newline, lines longer than the split.
        var files: [[UInt8]] = [[]]
        var frontier: [[UInt8]] = [[]]
        for _ in 1...7 {
            frontier = frontier.flatMap { [$0 + [UInt8(ascii: "a")], $0 + [UInt8(ascii: "\n")]] }
            files += frontier
        }
        for (index, file) in files.enumerated() {
            try checkAllSplitSizes(file, name: "short-\(index)")
        }
    }

    func testRandomFilesWithCRLFAndLongLines() throws {
        var random = TestRandom(state: 42)
        let alphabet: [UInt8] = Array("ab\r\n\n\t ".utf8)
        for index in 0..<60 {
            var file: [UInt8] = []
            for _ in 0..<(random.next(60) + 1) {
                if random.next(10) == 0 {
                    file += [UInt8](repeating: UInt8(ascii: "x"), count: random.next(25))
                } else {
                    file.append(alphabet[random.next(alphabet.count)])
                }
            }
            try checkAllSplitSizes(file, name: "random-\(index)")
        }
    }

    func testCarriageReturnsAreData() throws {
        let path = try directory.write("crlf", Array("one\r\ntwo\r\n\r\nthree".utf8))
        let lines = try readSplit(InputSplit(path: path, offset: 0, length: 100))
        XCTAssertEqual(lines.map { String(decoding: $0, as: UTF8.self) }, ["one\r", "two\r", "\r", "three"])
    }

    func testSplitPastTheEndOfTheFileReadsNothing() throws {
        let path = try directory.write("short", Array("a\nb\n".utf8))
        XCTAssertEqual(try readSplit(InputSplit(path: path, offset: 4, length: 10)), [])
        XCTAssertEqual(try readSplit(InputSplit(path: path, offset: 40, length: 10)), [])
    }

    func testMissingInputFileIsAClearError() {
        XCTAssertThrowsError(try SplitLineReader(split: InputSplit(path: directory.file("nope"), offset: 0, length: 1))) { error in
            XCTAssertTrue("\(error)".contains("cannot open input split \(directory.file("nope"))"), "\(error)")
            XCTAssertTrue("\(error)".contains("No such file"), "\(error)")
        }
    }
}
