import FairwayCore
import FairwayProto
import Foundation
import XCTest

final class MesosJSONTests: XCTestCase {
    func testWritesSnakeCaseEnumNamesAndInt64AsNumbers() throws {
        var status = Fairway_V1_TaskStatus()
        status.taskID.value = "t"
        status.state = .taskRunning
        status.agentID.value = "a"
        status.uuid = Data([1, 2, 3])
        status.reason = .containerLimitationMemory
        var event = Fairway_V1_Scheduler_Event()
        event.type = .update
        event.update.status = status
        var resource = Fairway_V1_Resource()
        resource.name = "ports"
        resource.type = .ranges
        var range = Fairway_V1_Value.Range()
        range.begin = 31000
        range.end = 32000
        resource.ranges.range = [range]

        let json = MesosJSON.encodeString(event)
        XCTAssertTrue(json.contains(#""task_id":{"value":"t"}"#), json)
        XCTAssertTrue(json.contains(#""state":"TASK_RUNNING""#), json)
        XCTAssertTrue(json.contains(#""reason":"REASON_CONTAINER_LIMITATION_MEMORY""#), json)
        XCTAssertTrue(json.contains(#""uuid":"AQID""#), "bytes are base64: \(json)")
        XCTAssertFalse(json.contains("\n"))
        XCTAssertTrue(MesosJSON.encodeString(resource).contains(#""begin":31000"#), "uint64 as a JSON number")
    }

    func testOutputIsASCIIOnly() {
        var info = Fairway_V1_FrameworkInfo()
        info.user = "root"
        info.name = "café ☕ 𝄞"
        let bytes = MesosJSON.encode(info)
        XCTAssertTrue(bytes.allSatisfy { $0 < 0x80 })
        let decoded = try? MesosJSON.decode(Fairway_V1_FrameworkInfo.self, from: bytes)
        XCTAssertEqual(decoded?.name, "café ☕ 𝄞", "escapes decode back to the same text")
    }

    func testReadsMesosJSONIgnoringUnknownKeysAndNulls() throws {
        let body = #"{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n","hostname":null,"webui_url":null,"failover_timeout":100,"capabilities":[{"type":"MULTI_ROLE"}]},"credentials":{"x":1}}}"#
        let call = try MesosJSON.decode(Fairway_V1_Scheduler_Call.self, from: Array(body.utf8))
        XCTAssertEqual(call.type, .subscribe)
        XCTAssertEqual(call.subscribe.frameworkInfo.failoverTimeout, 100)
        XCTAssertFalse(call.subscribe.frameworkInfo.hasHostname)
        XCTAssertEqual(call.subscribe.frameworkInfo.capabilities.first?.type, .multiRole)
    }

    func testMissingRequiredFieldsAndBadJSONAreErrorsWithMessages() {
        XCTAssertThrowsError(try MesosJSON.decode(Fairway_V1_FrameworkInfo.self, from: Array(#"{"name":"n"}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("missing required fields"), "\(error)")
        }
        XCTAssertThrowsError(try MesosJSON.decode(Fairway_V1_FrameworkInfo.self, from: Array("{".utf8)))
        XCTAssertThrowsError(try MessageFormat.protobuf.decode(Fairway_V1_FrameworkInfo.self, from: [0x0a, 0x05, 0x61]))
    }
}
