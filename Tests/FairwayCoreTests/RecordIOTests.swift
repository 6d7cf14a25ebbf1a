import FairwayCore
import XCTest

final class RecordIOTests: XCTestCase {
    func testEncodesLengthNewlineAndBytes() {
        XCTAssertEqual(RecordIO.encode(Array("hello".utf8)), Array("5\nhello".utf8))
    }

    func testDecodesRecordsSplitAtEveryByteBoundary() throws {
        let records = [#"{"type":"SUBSCRIBED"}"#, #"{"type":"HEARTBEAT"}"#, "", String(repeating: "x", count: 300)]
        let stream = records.flatMap { RecordIO.encode(Array($0.utf8)) }
        for chunkSize in [1, 2, 3, 7, 64, stream.count] {
            var decoder = RecordIODecoder()
            var decoded: [String] = []
            var index = 0
            while index < stream.count {
                let chunk = stream[index..<min(index + chunkSize, stream.count)]
                decoded += try decoder.decode(chunk).map { String(decoding: $0, as: UTF8.self) }
                index += chunkSize
            }
            XCTAssertEqual(decoded, records, "chunks of \(chunkSize) bytes")
        }
    }

    func testSeveralRecordsInOneChunk() throws {
        var decoder = RecordIODecoder()
        let records = try decoder.decode(Array("1\na2\nbc3\nd".utf8))
        XCTAssertEqual(records.map { String(decoding: $0, as: UTF8.self) }, ["a", "bc"], "the incomplete third record waits")
        XCTAssertEqual(try decoder.decode(Array("ef".utf8)).map { String(decoding: $0, as: UTF8.self) }, ["def"])
    }

    func testRejectsGarbageLengths() {
        var decoder = RecordIODecoder()
        XCTAssertThrowsError(try decoder.decode(Array("12x\nabc".utf8)))
        var small = RecordIODecoder(maximumRecordSize: 10)
        XCTAssertThrowsError(try small.decode(Array("11\n".utf8)))
    }
}
