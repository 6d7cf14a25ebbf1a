import FairwayProto
import Foundation

/// The fairness history drawn as an SVG line chart: time across, dominant share (0–100%) up, one
/// colour per framework with its actual share solid and its ideal DRF share dashed, so the gap
/// between what a framework holds and what it should hold is visible over time.
///
/// Each framework is one `<g class="series" data-framework="ID">`. The renderer is pure: the same
/// history, size and time zone give the same bytes.
public struct SharesChart: Sendable {
    public var history: Fairway_V1_FairnessHistory
    public var title: String
    /// A second line under the title; by default the time range and the number of samples.
    public var subtitle: String?
    /// The time span of the x axis; by default the span of the samples.
    public var timeRange: ClosedRange<Double>?
    /// Clock times on the axis are shown in this zone.
    public var timeZone: TimeZone
    public var width: Double = 960
    public var height: Double = 540

    public init(history: Fairway_V1_FairnessHistory, title: String = "Dominant shares",
                subtitle: String? = nil, timeRange: ClosedRange<Double>? = nil, timeZone: TimeZone = .current) {
        self.history = history
        self.title = title
        self.subtitle = subtitle
        self.timeRange = timeRange
        self.timeZone = timeZone
    }

    /// The chart as a standalone SVG document.
    public func render() -> String {
        let series = Self.series(of: history)
        let layout = Layout(width: width, height: height, legendEntries: series.count)
        let range = xRange()
        var svg = SVGBuilder()
        svg.open(layout: layout, title: title)
        svg.text(title, x: layout.plotLeft, y: 26, attributes: ##"font-size="18" font-weight="bold""##)
        svg.text(subtitle ?? defaultSubtitle(range: range), x: layout.plotLeft, y: 46, attributes: ##"font-size="12" fill="#555""##)
        svg.yAxis(layout: layout)
        guard let range, !series.isEmpty else {
            svg.frame(layout: layout)
            svg.text("no samples", x: (layout.plotLeft + layout.plotRight) / 2, y: (layout.plotTop + layout.plotBottom) / 2,
                     attributes: ##"font-size="16" fill="#777" text-anchor="middle" class="empty""##)
            return svg.close()
        }
        let scale = Scale(layout: layout, range: range)
        svg.xAxis(layout: layout, scale: scale, ticks: Self.timeTicks(from: range.lowerBound, to: range.upperBound, timeZone: timeZone),
                  timeZone: timeZone, caption: "time (\(Self.zoneLabel(timeZone, at: range.lowerBound)))")
        svg.frame(layout: layout)
        for (index, line) in series.enumerated() {
            svg.series(line, colour: Self.colour(index), scale: scale)
        }
        svg.legend(series, layout: layout, colour: Self.colour)
        return svg.close()
    }

    /// The requested range, else the samples' span (a lone sample gets a minute either side).
    func xRange() -> ClosedRange<Double>? {
        if let timeRange, timeRange.upperBound > timeRange.lowerBound { return timeRange }
        let times = history.samples.map(\.time).filter(\.isFinite)
        guard let first = times.min(), let last = times.max() else { return timeRange }
        return last > first ? first...last : (first - 60)...(last + 60)
    }

    private func defaultSubtitle(range: ClosedRange<Double>?) -> String {
        let count = history.samples.count
        let samples = "\(count) sample\(count == 1 ? "" : "s")"
        guard let range else { return "solid: dominant share held; dashed: ideal DRF share" }
        let from = Self.dateLabel(range.lowerBound, timeZone: timeZone)
        let to = Self.clockLabel(range.upperBound, seconds: false, timeZone: timeZone)
        return "\(from) – \(to) · \(samples) · solid: dominant share held; dashed: ideal DRF share"
    }

    /// Distinct colours for the first nine series (Tableau 10 without its grey), then hues a golden
    /// angle apart.
    static func colour(_ index: Int) -> String {
        let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
        if index < palette.count { return palette[index] }
        let hue = Int((Double(index) * 137.508).truncatingRemainder(dividingBy: 360))
        return "hsl(\(hue),60%,45%)"
    }

    /// Where things go, in SVG units. The legend sits right of the plot; a long legend makes the
    /// chart taller rather than overflow.
    struct Layout {
        var width: Double
        var height: Double
        let plotLeft = 64.0
        let plotTop = 64.0
        let legendWidth = 220.0
        let bottomMargin = 56.0
        let legendLine = 18.0

        init(width: Double, height: Double, legendEntries: Int) {
            self.width = width
            self.height = max(height, 64 + Double(legendEntries + 3) * 18 + 56)
        }

        var plotRight: Double { width - legendWidth }
        var plotBottom: Double { height - bottomMargin }
    }

    /// Maps times and shares to plot coordinates.
    struct Scale {
        let layout: Layout
        let range: ClosedRange<Double>

        func x(_ time: Double) -> Double {
            let span = range.upperBound - range.lowerBound
            let fraction = span > 0 ? (time - range.lowerBound) / span : 0.5
            return layout.plotLeft + min(1, max(0, fraction)) * (layout.plotRight - layout.plotLeft)
        }

        func y(_ share: Double) -> Double {
            layout.plotBottom - min(1, max(0, share)) * (layout.plotBottom - layout.plotTop)
        }
    }
}
