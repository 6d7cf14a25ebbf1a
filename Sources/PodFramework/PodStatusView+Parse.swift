import Foundation
import KubeAPI
import PodCore

extension PodStatusView {
    /// Reads back a status this framework wrote, so a restarted framework continues from it.
    init(json pod: JSON) {
        self.init()
        let status = pod["status"] ?? .emptyObject
        phase = status.string("phase").flatMap(PodPhase.init(rawValue:)) ?? .pending
        nodeName = pod.string("spec", "nodeName")
        hostIP = status.string("hostIP")
        podIP = status.string("podIP")
        startTime = status.string("startTime").flatMap(Self.seconds)
        reason = status.string("reason")
        message = status.string("message")
        conditions = (status["conditions"]?.arrayValue ?? []).compactMap { entry in
            guard let type = entry.string("type") else { return nil }
            return PodCondition(type: type, status: entry.string("status") == "True", reason: entry.string("reason"),
                                message: entry.string("message"),
                                lastTransitionTime: entry.string("lastTransitionTime").flatMap(Self.seconds) ?? 0)
        }
        containers = (status["containerStatuses"]?.arrayValue ?? []).compactMap { entry in
            guard let name = entry.string("name") else { return nil }
            return ContainerStatusView(name: name, state: Self.state(entry["state"]) ?? .waiting(reason: "Pending"),
                                       lastTermination: entry[path: "lastState", "terminated"].flatMap(Self.termination),
                                       ready: entry["ready"]?.boolValue ?? false,
                                       restartCount: Int(entry["restartCount"]?.intValue ?? 0))
        }
    }

    private static func seconds(_ text: String) -> Double? { Timestamps.parse(text)?.timeIntervalSince1970 }

    private static func state(_ json: JSON?) -> ContainerState? {
        guard let json else { return nil }
        if let waiting = json["waiting"] { return .waiting(reason: waiting.string("reason") ?? "Waiting", message: waiting.string("message")) }
        if let running = json["running"] { return .running(startedAt: running.string("startedAt").flatMap(seconds) ?? 0) }
        if let terminated = json["terminated"], let end = termination(terminated) { return .terminated(end) }
        return nil
    }

    private static func termination(_ json: JSON) -> ContainerTermination? {
        guard let code = json["exitCode"]?.intValue else { return nil }
        return ContainerTermination(exitCode: Int(code), reason: json.string("reason") ?? "Error", message: json.string("message"),
                                    startedAt: json.string("startedAt").flatMap(seconds),
                                    finishedAt: json.string("finishedAt").flatMap(seconds) ?? 0)
    }
}
