/// What a run collects as it goes: fairness samples, allocation passes and their wall-clock
/// durations, and counts of anything the master refused (which a healthy run never has).
struct SimulationRecorder: Sendable {
    var samples: [SimulationReport.Sample] = []
    /// Wall-clock seconds of each allocation pass.
    var passDurations: [Double] = []
    var offers = 0
    var events = 0
    var refusedUpdates = 0
    var refusedCalls = 0

    mutating func recordPass(_ duration: Duration, offers: Int) {
        let (seconds, attoseconds) = duration.components
        passDurations.append(Double(seconds) + Double(attoseconds) / 1e18)
        self.offers += offers
    }
}
