import FairwayCore
import FairwayProto

/// The master connection: register, consume the event stream, and on any break reconnect with
/// jittered exponential backoff and register again with the same agent id and every task.
extension AgentService {
    /// Thrown out of the event stream to drop it after SHUTDOWN, so the agent registers afresh.
    struct RegisterAgain: Error {}

    func connectionLoop() async {
        var attempt = 0
        while !Task.isCancelled && !stopped {
            let call = registerCall()
            let registrationsBefore = registrationCount
            let link = self.link
            let connection = Task {
                try await link.register(call) { [weak self] event in try await self?.handle(event) }
            }
            currentConnection = connection
            var immediate = false
            do {
                switch try await connection.value {
                case .closed:
                    logger.warning("the master closed the agent stream; reconnecting")
                case .refused(let status, let message):
                    if attempt == 0 || attempt % 20 == 0 {
                        logger.warning("the master refused to register this agent (\(status)): \(message); retrying")
                    }
                }
            } catch is RegisterAgain {
                immediate = true
            } catch {
                if stopped || Task.isCancelled { break }
                if attempt == 0 || attempt % 20 == 0 {
                    logger.warning("cannot reach the master at \(options.master): \(error); retrying")
                }
            }
            currentConnection = nil
            streamID = nil
            if registrationCount > registrationsBefore { attempt = 0 }
            if immediate {
                try? await Task.sleep(for: .seconds(options.reconnectInitialDelay))
                continue
            }
            let delay = Self.backoff(attempt: attempt, initial: options.reconnectInitialDelay,
                                     maximum: options.reconnectMaximumDelay, jitter: Double.random(in: 0.5...1))
            attempt += 1
            try? await Task.sleep(for: .seconds(delay))
        }
    }

    /// `initial · 2^attempt`, capped at `maximum`, scaled by `jitter` (0.5…1) so that agents that
    /// lost the same master do not all come back in the same millisecond.
    static func backoff(attempt: Int, initial: Double, maximum: Double, jitter: Double) -> Double {
        min(maximum, initial * Double(1 << min(attempt, 20))) * jitter
    }

    /// REGISTER with everything the master needs to take this agent back: its id (if it has one),
    /// resources, and every task it has, terminal ones with unacknowledged updates included.
    func registerCall() -> Fairway_Internal_AgentCall {
        var info = Fairway_V1_AgentInfo()
        info.hostname = hostname
        info.port = Int32(port)
        info.resources = resources.proto()
        info.attributes = options.attributes
        if let agentID = state.agentID { info.id.value = agentID }
        var register = Fairway_Internal_AgentCall.Register()
        register.agentInfo = info
        register.version = "1.11.0"
        if let address = advertisedAddress { register.address = address }
        if let masterID = state.masterID { register.lastMasterID = masterID }
        register.frameworks = state.tasksByFramework.map { frameworkID, tasks in
            var entry = Fairway_Internal_FrameworkTasks()
            if let framework = state.frameworks[frameworkID] {
                entry.frameworkInfo = framework
            } else {
                entry.frameworkInfo.id.value = frameworkID
                entry.frameworkInfo.user = ""
                entry.frameworkInfo.name = ""
            }
            entry.tasks = tasks.map(taskProto)
            return entry
        }
        var call = Fairway_Internal_AgentCall()
        call.type = .register
        if let agentID = state.agentID { call.agentID.value = agentID }
        call.register = register
        return call
    }

    func taskProto(_ task: AgentTask) -> Fairway_V1_Task {
        var proto = Fairway_V1_Task()
        proto.name = task.info.name
        proto.taskID.value = task.key.taskID
        proto.frameworkID.value = task.key.frameworkID
        if !task.isCommandTask { proto.executorID.value = task.executorID }
        proto.agentID.value = state.agentID ?? task.info.agentID.value
        proto.state = task.state
        proto.resources = task.info.resources
        if task.info.hasLabels { proto.labels = task.info.labels }
        if task.info.hasDiscovery { proto.discovery = task.info.discovery }
        if task.info.hasKillPolicy { proto.killPolicy = task.info.killPolicy }
        if let head = queue.head(of: task.key) {
            proto.statusUpdateState = head.update.status.state
            proto.statusUpdateUuid = head.uuid
        }
        return proto
    }
}
