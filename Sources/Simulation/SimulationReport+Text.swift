/// The report as text for a terminal: frameworks, roles, the history table, utilisation, tasks and
/// allocation latency.
extension SimulationReport {
    /// `historyColumns` caps how many frameworks the history table shows (the JSON has them all).
    public func text(historyColumns: Int = 8) -> String {
        var out: [String] = []
        let frameworkCount = frameworks.count
        out.append("Simulated \(Self.number(seconds)) s (seed \(seed)): \(agents) agents of \(agentResources), "
                   + "\(frameworkCount) frameworks in \(roles.count) role\(roles.count == 1 ? "" : "s").")
        out.append("")

        var table = [["FRAMEWORK", "ROLE", "WEIGHT", "SHAPE", "REQUEST", "OFFERS", "DECLINED", "LAUNCHED", "FINISHED", "RUNNING", "SHARE", "MEAN", "IDEAL"]]
        for framework in frameworks {
            table.append([framework.name, framework.role, Self.number(framework.weight), framework.shape,
                          framework.declaresDemand ? "yes" : "no", String(framework.offersReceived),
                          String(framework.offersDeclined), String(framework.tasksLaunched),
                          String(framework.tasksFinished), String(framework.tasksRunning),
                          Self.percent(framework.dominantShare), Self.percent(framework.meanShare),
                          Self.percent(framework.idealShare)])
        }
        out.append(Self.align(table, rightAligned: [2, 5, 6, 7, 8, 9, 10, 11, 12]))
        out.append("")

        var roleTable = [["ROLE", "WEIGHT", "QUOTA GUARANTEE", "QUOTA LIMIT", "SHARE", "MEAN"]]
        for role in roles {
            roleTable.append([role.name, Self.number(role.weight), Self.quantities(role.quotaGuarantees),
                              Self.quantities(role.quotaLimits), Self.percent(role.dominantShare), Self.percent(role.meanShare)])
        }
        out.append(Self.align(roleTable, rightAligned: [1, 4, 5]))
        out.append("")

        let shown = min(historyColumns, frameworkCount)
        out.append("History: dominant share of each framework (held + offered) and Jain's index"
                   + (shown < frameworkCount ? " (first \(shown) of \(frameworkCount) frameworks; --json has all):" : ":"))
        var history = [["TIME"] + frameworks.prefix(shown).map(\.name) + ["JAIN"]]
        for sample in samples {
            history.append(["\(Self.number(sample.time))s"] + sample.shares.prefix(shown).map(Self.percent)
                           + [Self.number(sample.jainIndex, places: 3)])
        }
        out.append(Self.align(history, rightAligned: Set(0..<(shown + 2))))
        out.append("")

        out.append("Utilisation at the end: \(Self.percentages(utilisation)); "
                   + "mean over the second half: \(Self.percentages(meanUtilisation)).")
        out.append("Tasks: \(tasksLaunched) launched, \(tasksCompleted) completed. "
                   + "\(allocationPasses) allocation passes made \(offers) offers (\(events) events).")
        let latency = allocationLatency
        out.append("Allocation pass latency (wall clock): p50 \(Self.number(latency.p50, places: 3)) ms, "
                   + "p99 \(Self.number(latency.p99, places: 3)) ms, max \(Self.number(latency.max, places: 3)) ms, "
                   + "mean \(Self.number(latency.mean, places: 3)) ms.")
        if refused > 0 { out.append("The master refused \(refused) simulated calls or updates.") }
        return out.joined(separator: "\n")
    }

    static func percent(_ fraction: Double) -> String { number(fraction * 100, places: 1) + "%" }

    static func percentages(_ values: [String: Double]) -> String {
        values.isEmpty ? "nothing" : values.keys.sorted().map { "\($0) \(percent(values[$0] ?? 0))" }.joined(separator: ", ")
    }

    static func quantities(_ values: [String: Double]?) -> String {
        guard let values, !values.isEmpty else { return "-" }
        return values.keys.sorted().map { "\($0):\(number(values[$0] ?? 0))" }.joined(separator: ";")
    }

    /// At most `places` decimals, trailing zeros dropped.
    static func number(_ value: Double, places: Int = 2) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(rounded)
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > places + 1 {
            text = String(text[..<text.index(dot, offsetBy: places + 1)])
        }
        return text
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func align(_ rows: [[String]], rightAligned: Set<Int>) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? padding + cell : (index == row.count - 1 ? cell : cell + padding)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
