/// The readable, unique Mesos TaskIDs of attempts: `"<jobID>.m00003.a1"`.
public enum AttemptID {
    /// The ID of attempt `number` (1-based) of task `index` of `phase`.
    public static func make(jobID: JobID, phase: TaskPhase, index: Int, number: Int) -> String {
        "\(jobID).\(phase.letter)\(padded(index)).a\(number)"
    }

    /// The parts of an attempt ID (the job ID may itself contain dots), or nil when it is not one of ours.
    public static func parse(_ attemptID: String) -> (jobID: JobID, phase: TaskPhase, index: Int, number: Int)? {
        let parts = attemptID.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        let attemptPart = parts[parts.count - 1]
        let taskPart = parts[parts.count - 2]
        guard attemptPart.first == "a", let number = Int(attemptPart.dropFirst()), number >= 1,
              let letter = taskPart.first,
              let phase = TaskPhase.allCases.first(where: { $0.letter == String(letter) }),
              let index = Int(taskPart.dropFirst()), index >= 0 else { return nil }
        let jobID = parts[0..<(parts.count - 2)].joined(separator: ".")
        guard !jobID.isEmpty else { return nil }
        return (jobID, phase, index, number)
    }

    /// Zero-padded to five digits so that IDs sort like the indexes do (more digits past 99999).
    static func padded(_ value: Int) -> String {
        let digits = String(value)
        return digits.count >= 5 ? digits : String(repeating: "0", count: 5 - digits.count) + digits
    }
}
