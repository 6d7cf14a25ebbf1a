import Foundation
import KubeAPI
import PodCore

extension PodStatusView {
    /// The pod's `status` as Kubernetes clients read it.
    public var json: JSON {
        var status: JSON = ["phase": .string(phase.rawValue), "qosClass": "Burstable"]
        status["conditions"] = .array(conditions.map { condition in
            var entry: JSON = ["type": .string(condition.type), "status": condition.status ? "True" : "False",
                               "lastProbeTime": .null,
                               "lastTransitionTime": .string(Self.time(condition.lastTransitionTime))]
            if let reason = condition.reason { entry["reason"] = .string(reason) }
            if let message = condition.message { entry["message"] = .string(message) }
            return entry
        })
        if let hostIP { status["hostIP"] = .string(hostIP) }
        if let podIP {
            status["podIP"] = .string(podIP)
            status["podIPs"] = [["ip": .string(podIP)]]
        }
        if let startTime { status["startTime"] = .string(Self.time(startTime)) }
        if let reason { status["reason"] = .string(reason) }
        if let message { status["message"] = .string(message) }
        if !containers.isEmpty { status["containerStatuses"] = .array(containers.map(Self.containerJSON)) }
        return status
    }

    private static func containerJSON(_ container: ContainerStatusView) -> JSON {
        var entry: JSON = ["name": .string(container.name), "ready": .bool(container.ready),
                           "restartCount": .int(Int64(container.restartCount)), "started": .bool(container.state.isRunning),
                           "image": "", "imageID": ""]
        entry["state"] = stateJSON(container.state)
        entry["lastState"] = container.lastTermination.map { ["terminated": terminationJSON($0)] } ?? .emptyObject
        return entry
    }

    private static func stateJSON(_ state: ContainerState) -> JSON {
        switch state {
        case .waiting(let reason, let message):
            var waiting: JSON = ["reason": .string(reason)]
            if let message { waiting["message"] = .string(message) }
            return ["waiting": waiting]
        case .running(let startedAt):
            return ["running": ["startedAt": .string(time(startedAt))]]
        case .terminated(let end):
            return ["terminated": terminationJSON(end)]
        }
    }

    private static func terminationJSON(_ end: ContainerTermination) -> JSON {
        var terminated: JSON = ["exitCode": .int(Int64(end.exitCode)), "reason": .string(end.reason),
                                "finishedAt": .string(time(end.finishedAt))]
        if let message = end.message { terminated["message"] = .string(message) }
        if let startedAt = end.startedAt { terminated["startedAt"] = .string(time(startedAt)) }
        return terminated
    }

    static func time(_ seconds: Double) -> String {
        Timestamps.format(Date(timeIntervalSince1970: seconds))
    }
}
