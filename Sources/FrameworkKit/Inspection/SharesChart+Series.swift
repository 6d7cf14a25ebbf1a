import FairwayProto

extension SharesChart {
    /// One framework's line: its samples as runs of consecutive points (a run breaks where the
    /// framework is missing from a sample, so a line never bridges a time it did not exist).
    public struct Series: Sendable, Equatable {
        public struct Point: Sendable, Equatable {
            public var time: Double
            /// Dominant share, 0..1.
            public var actual: Double
            /// Ideal DRF share, 0..1, when the sample had one.
            public var ideal: Double?
        }

        public var frameworkID: String
        /// The framework's latest non-empty name, or its id.
        public var name: String
        public var runs: [[Point]]

        public var points: [Point] { runs.flatMap { $0 } }
    }

    /// The series of a history, one per framework id, ordered by name then id.
    public static func series(of history: Fairway_V1_FairnessHistory) -> [Series] {
        var byID: [String: Series] = [:]
        var lastSeen: [String: Int] = [:]
        let samples = history.samples.sorted { $0.time < $1.time }
        for (index, sample) in samples.enumerated() {
            for share in sample.shares {
                let id = share.frameworkID
                var series = byID[id] ?? Series(frameworkID: id, name: id, runs: [])
                if !share.name.isEmpty { series.name = share.name }
                let point = Series.Point(time: sample.time,
                                         actual: clampShare(share.dominantShare),
                                         ideal: share.hasIdealShare ? clampShare(share.idealShare) : nil)
                if let previous = lastSeen[id], previous == index - 1, !series.runs.isEmpty {
                    series.runs[series.runs.count - 1].append(point)
                } else if lastSeen[id] != index {
                    series.runs.append([point])
                }
                lastSeen[id] = index
                byID[id] = series
            }
        }
        return byID.values.sorted { ($0.name, $0.frameworkID) < ($1.name, $1.frameworkID) }
    }

    static func clampShare(_ value: Double) -> Double {
        value.isFinite ? min(1, max(0, value)) : 0
    }
}
