import FairwayCore
import PodCore
import XCTest

/// Random clusters and queues: the fast placer never overcommits, every placed pod passes every
/// filter, and it decides exactly as a naive "score every offer for every pod" pass would.
final class PlacementPropertyTests: XCTestCase {
    func testRandomPassesMatchTheNaiveReferenceAndNeverOvercommit() {
        var random = SeededRandom(seed: 42)
        for round in 0..<150 {
            let zones = ["a", "b", "c"]
            var offers: [AgentOffer] = []
            for index in 0..<(1 + random.int(below: 12)) {
                let cpus = Double(random.int(below: 9)) + 0.5 * Double(random.int(below: 2))
                let mem = Double(256 * random.int(below: 17))
                offers.append(offer("agent-\(index)", cpus: cpus, mem: mem, attributes: ["zone": zones[random.int(below: 3)]]))
            }
            let controllers: [String?] = [nil, "rc/default/web", "rc/default/db"]
            let sizes: [Double] = [0.1, 0.5, 1, 2, 3]
            var pending: [PodRequest] = []
            for index in 0..<random.int(below: 60) {
                let cpus = sizes[random.int(below: 5)]
                let mem = Double(64 * random.int(below: 20))
                let selector: [String: String] = random.int(below: 4) == 0 ? ["zone": zones[random.int(below: 3)]] : [:]
                let rc = controllers[random.int(below: 3)]
                pending.append(pod("p\(index)", cpus: cpus, mem: mem, selector: selector, rc: rc, at: Double(random.int(below: 10))))
            }
            var placer = PodPlacer()
            let result = placer.place(pending: pending, offers: offers, now: 0)
            let expected = naivePlace(pending: pending, offers: offers)
            XCTAssertEqual(result.assignments, expected.assignments, "round \(round)")
            XCTAssertEqual(result.unplaced, expected.unplaced, "round \(round)")

            var usedCPU: [String: Int64] = [:]
            var usedMem: [String: Int64] = [:]
            let podsByUID = Dictionary(pending.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
            let offersByID = Dictionary(uniqueKeysWithValues: offers.map { ($0.offerID, $0) })
            for assignment in result.assignments {
                guard let placed = podsByUID[assignment.podUID], let target = offersByID[assignment.offerID] else {
                    return XCTFail("unknown pod or offer in \(assignment)")
                }
                usedCPU[target.offerID, default: 0] += Scalar(placed.cpus).millis
                usedMem[target.offerID, default: 0] += Scalar(placed.memMB).millis
                for (key, value) in placed.nodeSelector { XCTAssertEqual(target.attributes[key], value) }
            }
            for target in offers {
                XCTAssertLessThanOrEqual(usedCPU[target.offerID] ?? 0, Scalar(target.cpus).millis, "round \(round)")
                XCTAssertLessThanOrEqual(usedMem[target.offerID] ?? 0, Scalar(target.memMB).millis, "round \(round)")
                XCTAssertEqual(result.unusedOffers.contains(target.offerID), usedCPU[target.offerID] == nil)
            }
            XCTAssertEqual(result.assignments.count + result.unplaced.count, pending.count)
        }
    }

    /// The obvious algorithm, written independently of the placer's heaps.
    private func naivePlace(pending: [PodRequest], offers: [AgentOffer]) -> PlacementResult {
        let filters: [any FilterPlugin] = [ResourcesFit(), NodeSelectorMatch()]
        let scorers: [any ScorePlugin] = [SpreadReplicas(), LeastAllocated()]
        let sortedOffers = offers.sorted { $0.agentID < $1.agentID }
        var free = sortedOffers.map { (Scalar($0.cpus), Scalar($0.memMB)) }
        var replicas: [String: [String: Int]] = [:]
        var result = PlacementResult()
        let ordered = pending.enumerated().sorted { ($0.element.createdAt, $0.offset) < ($1.element.createdAt, $1.offset) }
        for (_, pod) in ordered {
            var best: (score: Double, index: Int)?
            var counts: [String: Int] = [:]
            for (index, target) in sortedOffers.enumerated() {
                let agent = AgentCandidate(
                    offerID: target.offerID, agentID: target.agentID, hostname: target.hostname, attributes: target.attributes,
                    totalCpus: Scalar(target.cpus), totalMem: Scalar(target.memMB), freeCpus: free[index].0, freeMem: free[index].1,
                    replicasOfController: pod.controllerKey.map { replicas[$0]?[target.agentID] ?? 0 } ?? 0)
                var failed: String?
                for filter in filters {
                    if case .unfit(let reason) = filter.filter(pod: pod, agent: agent) { failed = reason; break }
                }
                if let failed { counts[failed, default: 0] += 1; continue }
                let score = scorers.reduce(0.0) { $0 + $1.weight * $1.score(pod: pod, agent: agent) }
                if best == nil || score > best!.score { best = (score, index) }
            }
            if let best {
                free[best.index].0 = free[best.index].0 - Scalar(pod.cpus)
                free[best.index].1 = free[best.index].1 - Scalar(pod.memMB)
                let target = sortedOffers[best.index]
                if let key = pod.controllerKey { replicas[key, default: [:]][target.agentID, default: 0] += 1 }
                result.assignments.append(PodAssignment(podUID: pod.uid, offerID: target.offerID, agentID: target.agentID))
            } else {
                result.unplaced[pod.uid] = UnschedulableReason(agentsTotal: offers.count, counts: counts)
            }
        }
        return result
    }
}
