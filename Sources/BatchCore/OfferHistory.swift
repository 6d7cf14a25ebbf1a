/// What each agent offered last, so a job whose tasks wait can say why when no agent has
/// room for one (`0/2 agents offered enough: 2 insufficient cpus`) — as a pending pod does —
/// instead of only counting its waiting tasks.
public struct OfferHistory: Sendable {
    struct Seen: Sendable {
        var cpus: Double
        var memMB: Double
        var lastSeen: Double
    }

    private var agents: [String: Seen] = [:]
    /// Agents not offered for this long are not counted.
    public var memory: Double

    public init(memory: Double = 120) {
        self.memory = memory
    }

    /// Notes a batch of offers.
    public mutating func saw(_ offers: [OfferView], now: Double) {
        // The latest offer: what the agent has free now (others' tasks may have taken what it
        // offered before).
        for offer in offers {
            agents[offer.agentID] = Seen(cpus: offer.cpus, memMB: offer.memMB, lastSeen: now)
        }
    }

    /// Why a task of `cpus` and `memMB` cannot start anywhere now, or nil when some agent's last
    /// offer had room for it (then it waits its turn).
    public func reasonWaiting(cpus: Double, memMB: Double, now: Double) -> String? {
        let recent = agents.values.filter { now - $0.lastSeen <= memory }
        let need = "a task needs \(Self.number(cpus)) cpus and \(Self.number(memMB)) MB"
        guard !recent.isEmpty else {
            return "no offers from the master in the last \(Int(memory)) s (other frameworks may hold the cluster); \(need)"
        }
        var insufficientCPUs = 0, insufficientMemory = 0
        for seen in recent {
            if seen.cpus + 1e-9 < cpus {
                insufficientCPUs += 1
            } else if seen.memMB + 1e-9 < memMB {
                insufficientMemory += 1
            } else {
                return nil
            }
        }
        var counts: [String] = []
        if insufficientCPUs > 0 { counts.append("\(insufficientCPUs) insufficient cpus") }
        if insufficientMemory > 0 { counts.append("\(insufficientMemory) insufficient memory") }
        return "0/\(recent.count) agents offered enough: \(counts.joined(separator: ", ")); \(need)"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
