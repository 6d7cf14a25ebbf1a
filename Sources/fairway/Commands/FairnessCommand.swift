import ArgumentParser
import Foundation
import FrameworkKit

struct FairnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fairness",
        abstract: "Show how fairly the cluster is shared: each framework's dominant share, its ideal DRF share and the gap.",
        discussion: """
        Reads the master's /fairness. The first table has one row per framework: ID (shortened), \
        NAME, ROLE, STATE (active, suppressed, disconnected), DOMINANT (the resource it holds the \
        largest share of), SHARE (its dominant share of the cluster, offered resources included, as \
        DRF counts them), WEIGHT, IDEAL (the dominant share weighted DRF would give it over everyone's \
        declared demand), GAP (SHARE minus IDEAL in percentage points: positive holds more than fair), \
        DEMAND (tasks it declared with REQUEST, - if none) and OFFERS (outstanding offers, marked ! \
        when it sits on them). Then one row per role (figures cover the role's subtree, with its quota \
        as guarantee/limit), the cluster's resources, and Jain's fairness index over the frameworks \
        with unmet demand (1 = even).

        --watch redraws the view every --interval seconds until Ctrl-C. --since asks for the sampled \
        history as well; with --svg it is drawn as a chart of dominant shares over time, one line per \
        framework, the ideal share dashed beside it (--since defaults to 1h). Times: a duration ago \
        (90s, 30m, 2h, 1d), unix seconds, or ISO 8601 (2025-11-25T22:00:00Z).
        """)

    @OptionGroup var master: InspectMasterOption

    @Flag(name: .long, help: "Print the master's /fairness JSON as it sent it (one document per line with --watch).")
    var json = false

    @Flag(name: .long, help: "Refresh the view in place every --interval seconds until Ctrl-C.")
    var watch = false

    @Option(name: .long, help: ArgumentHelp("Seconds between refreshes with --watch (default 2).", valueName: "seconds"))
    var interval: Double?

    @Option(name: .long, help: ArgumentHelp("Also fetch the history from this time: 30m (ago), unix seconds or ISO 8601.", valueName: "time"),
            transform: { try FairnessTimeBound(parsing: $0) })
    var since: FairnessTimeBound?

    @Option(name: .long, help: ArgumentHelp("End of the history range (default: now).", valueName: "time"),
            transform: { try FairnessTimeBound(parsing: $0) })
    var until: FairnessTimeBound?

    @Option(name: .long, help: ArgumentHelp("Write a chart of dominant shares over the history (--since, default 1h) to this SVG file.", valueName: "file"))
    var svg: String?

    func validate() throws {
        if let interval {
            guard watch else { throw ValidationError("--interval sets how often --watch refreshes; add --watch") }
            guard interval.isFinite, interval >= 0.2 else { throw ValidationError("--interval wants seconds, 0.2 or more") }
        }
        if until != nil, since == nil, svg == nil { throw ValidationError("--until ends a history range; give its start with --since") }
        if json, svg != nil { throw ValidationError("--json and --svg both choose what to print; use one") }
        if let svg, svg.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--svg wants a file name, like shares.svg") }
    }

    func run() async throws {
        let client = FairnessClient(master: master.address)
        if watch {
            try await watchView(client)
        } else {
            InspectOutput.write(try await view(client))
        }
    }

    /// The history range asked for: --since, or an hour for a chart.
    var historyStart: FairnessTimeBound? {
        since ?? (svg != nil ? FairnessTimeBound(kind: .ago(3600)) : nil)
    }

    /// Fetches once and returns what to print: the JSON, where the chart went, or the tables.
    func view(_ client: FairnessClient) async throws -> String {
        let (response, raw) = try await client.fairness(since: historyStart, until: until)
        if json { return String(decoding: raw, as: UTF8.self) }
        if let svg {
            let now = response.report.hasTime ? response.report.time : Date().timeIntervalSince1970
            let start = historyStart?.resolve(now: now) ?? now - 3600
            let end = until?.resolve(now: now) ?? now
            let chart = SharesChart(history: response.history, title: "Dominant shares on \(master.address)",
                                    timeRange: end > start ? start...end : nil)
            return try write(chart, to: svg)
        }
        var text = FairnessTable(report: response.report).render()
        if since != nil { text += "\n\n" + FairnessTable.historySummary(response.history) }
        return text
    }

    /// Writes the chart (atomically, so a browser reloading it never sees half a file) and says where.
    private func write(_ chart: SharesChart, to path: String) throws -> String {
        do {
            try Data(chart.render().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw InspectionError("cannot write the chart to \(path): there is no directory \(directory)")
            }
            throw InspectionError("cannot write the chart to \(path): \(error.localizedDescription)")
        }
        let frameworks = SharesChart.series(of: chart.history).count
        let samples = chart.history.samples.count
        let range = chart.timeRange.map { range in
            let clock = { (time: Double) in
                SharesChart.clockLabel(time, seconds: range.upperBound - range.lowerBound < 600, timeZone: .current)
            }
            return "from \(clock(range.lowerBound)) to \(clock(range.upperBound))"
        } ?? "in that range"
        if samples == 0 {
            return "wrote \(path): no samples \(range) (the master samples every few seconds; try a longer --since)"
        }
        return "wrote \(path): \(frameworks) framework\(frameworks == 1 ? "" : "s"), \(samples) sample\(samples == 1 ? "" : "s") \(range)"
    }
}
