import FairwayCore
import FairwayProto
import FrameworkKit
import XCTest

/// Collects a scheduler's events as short strings, for order-sensitive assertions.
actor EventRecorder {
    private(set) var summaries: [String] = []
    private(set) var finished = false

    static func recording(_ scheduler: Scheduler) -> EventRecorder {
        let recorder = EventRecorder()
        Task {
            for await event in scheduler.events { await recorder.append(event) }
            await recorder.markFinished()
        }
        return recorder
    }

    private func append(_ event: SchedulerEvent) { summaries.append(Self.summary(event)) }
    private func markFinished() { finished = true }

    func count(_ prefix: String) -> Int { summaries.filter { $0.hasPrefix(prefix) }.count }

    static func summary(_ event: SchedulerEvent) -> String {
        switch event {
        case .subscribed(let id, _, _): "subscribed:\(id.value)"
        case .offers(let offers): "offers:" + offers.map(\.id.value).joined(separator: ",")
        case .rescind(let id): "rescind:\(id.value)"
        case .update(let status): "update:\(status.taskID.value):\(status.state.name)"
        case .message: "message"
        case .failure: "failure"
        case .error(let message): "error:\(message)"
        case .heartbeat: "heartbeat"
        case .disconnected: "disconnected"
        }
    }
}


func testFrameworkInfo() -> Fairway_V1_FrameworkInfo {
    var info = Fairway_V1_FrameworkInfo()
    info.user = "tester"
    info.name = "sdk-test"
    info.failoverTimeout = 60
    return info
}

func testConfiguration(_ master: FakeMaster, format: MessageFormat = .protobuf) -> SchedulerConfiguration {
    var configuration = SchedulerConfiguration(master: master.address, frameworkInfo: testFrameworkInfo(), format: format)
    configuration.initialBackoff = 0.01
    configuration.maximumBackoff = 0.1
    return configuration
}
