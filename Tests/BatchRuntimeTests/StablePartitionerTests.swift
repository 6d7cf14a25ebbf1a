import BatchRuntime
import XCTest

final class StablePartitionerTests: XCTestCase {
    func testFNV1a64MatchesThePublishedVectors() {
        XCTAssertEqual(StablePartitioner.fnv1a64(Array("".utf8)), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(StablePartitioner.fnv1a64(Array("a".utf8)), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(StablePartitioner.fnv1a64(Array("foobar".utf8)), 0x8594_4171_f739_67e8)
    }

    func testPartitionsAreFixedForKnownKeys() {
        let three = StablePartitioner(partitions: 3)
        XCTAssertEqual(three.partition(ofKey: ""), 2)
        XCTAssertEqual(three.partition(ofKey: "a"), 1)
        XCTAssertEqual(three.partition(ofKey: "foobar"), 0)
        XCTAssertEqual(three.partition(ofKey: "hello"), 0)
        let seven = StablePartitioner(partitions: 7)
        XCTAssertEqual(seven.partition(ofKey: "a"), 5)
        XCTAssertEqual(seven.partition(ofKey: "foobar"), 6)
        XCTAssertEqual(seven.partition(ofKey: "the"), 5)
        XCTAssertEqual(StablePartitioner(partitions: 1).partition(ofKey: "anything"), 0)
    }

    func testTextAndBytesAgreeAndSpreadKeys() {
        let partitioner = StablePartitioner(partitions: 4)
        var used = Set<Int>()
        for index in 0..<200 {
            let key = "key-\(index)-ü"
            XCTAssertEqual(partitioner.partition(ofKey: key), partitioner.partition(ofKey: Array(key.utf8)))
            used.insert(partitioner.partition(ofKey: key))
        }
        XCTAssertEqual(used, [0, 1, 2, 3])
    }
}
