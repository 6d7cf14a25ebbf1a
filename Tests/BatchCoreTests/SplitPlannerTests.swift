import BatchCore
import XCTest

/// How input files become map tasks.
final class SplitPlannerTests: XCTestCase {
    func testFileSmallerThanSplitSizeIsOneSplit() {
        let result = SplitPlanner.splits(files: [InputFile(path: "/a", size: 10, hosts: ["h1"])], splitSize: 64)
        XCTAssertEqual(result, [InputSplit(path: "/a", offset: 0, length: 10, hosts: ["h1"])])
    }

    func testEmptyFileGivesNoSplit() {
        let files = [InputFile(path: "/empty", size: 0), InputFile(path: "/b", size: 5)]
        XCTAssertEqual(SplitPlanner.splits(files: files, splitSize: 64).map(\.path), ["/b"])
        XCTAssertEqual(SplitPlanner.splits(files: [InputFile(path: "/empty", size: 0)], splitSize: 64), [])
    }

    func testSplitsCoverEveryByteOnceInOrder() {
        for size in [1, 99, 100, 101, 109, 110, 111, 250, 1000, 1234] {
            for splitSize in [1, 7, 100] {
                let result = SplitPlanner.splits(files: [InputFile(path: "/f", size: size)], splitSize: splitSize)
                var next = 0
                for split in result {
                    XCTAssertEqual(split.offset, next, "size \(size) split \(splitSize)")
                    XCTAssertGreaterThan(split.length, 0)
                    XCTAssertLessThanOrEqual(Double(split.length), Double(splitSize) * SplitPlanner.slop + 1)
                    next += split.length
                }
                XCTAssertEqual(next, size, "size \(size) split \(splitSize)")
            }
        }
    }

    func testExactMultipleAndSmallTailFollowHadoopSlop() {
        XCTAssertEqual(SplitPlanner.splits(files: [InputFile(path: "/f", size: 300)], splitSize: 100).map(\.length),
                       [100, 100, 100])
        XCTAssertEqual(SplitPlanner.splits(files: [InputFile(path: "/f", size: 305)], splitSize: 100).map(\.length),
                       [100, 100, 105], "a tail under 10 % stays with the last split")
        XCTAssertEqual(SplitPlanner.splits(files: [InputFile(path: "/f", size: 320)], splitSize: 100).map(\.length),
                       [100, 100, 100, 20])
    }

    func testOneByteSplitsAndManyFilesKeepFileOrderAndHosts() {
        let files = [InputFile(path: "/a", size: 3, hosts: ["h1"]), InputFile(path: "/b", size: 2, hosts: ["h2", "h3"])]
        let result = SplitPlanner.splits(files: files, splitSize: 1)
        XCTAssertEqual(result.map(\.path), ["/a", "/a", "/a", "/b", "/b"])
        XCTAssertEqual(result.map(\.offset), [0, 1, 2, 0, 1])
        XCTAssertEqual(result.last?.hosts, ["h2", "h3"])
    }

    func testNonPositiveSplitSizeMeansWholeFiles() {
        let result = SplitPlanner.splits(files: [InputFile(path: "/a", size: 1000)], splitSize: 0)
        XCTAssertEqual(result, [InputSplit(path: "/a", offset: 0, length: 1000)])
    }
}
