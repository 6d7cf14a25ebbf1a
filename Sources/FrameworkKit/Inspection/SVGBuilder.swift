import Foundation

/// Writes the elements of a `SharesChart`, one method per part. Every piece of text passes
/// through `SVGText.escape`; numbers are written with one decimal.
struct SVGBuilder {
    private var output = ""

    mutating func open(layout: SharesChart.Layout, title: String) {
        let (width, height) = (n(layout.width), n(layout.height))
        output += ##"<?xml version="1.0" encoding="UTF-8"?>"## + "\n"
        output += ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(width)" height="\##(height)" viewBox="0 0 \##(width) \##(height)" font-family="sans-serif">"## + "\n"
        output += "<title>\(SVGText.escape(title))</title>\n"
        output += ##"<rect x="0" y="0" width="\##(width)" height="\##(height)" fill="#ffffff"/>"## + "\n"
    }

    mutating func close() -> String {
        output + "</svg>\n"
    }

    mutating func text(_ content: String, x: Double, y: Double, attributes: String = "") {
        output += ##"<text x="\##(n(x))" y="\##(n(y))"\##(attributes.isEmpty ? "" : " " + attributes)>\##(SVGText.escape(content))</text>"## + "\n"
    }

    mutating func frame(layout: SharesChart.Layout) {
        let (left, top) = (layout.plotLeft, layout.plotTop)
        output += ##"<rect class="plot" x="\##(n(left))" y="\##(n(top))" width="\##(n(layout.plotRight - left))" height="\##(n(layout.plotBottom - top))" fill="none" stroke="#333" stroke-width="1"/>"## + "\n"
    }

    /// Horizontal grid lines and labels every 20%, and the axis caption.
    mutating func yAxis(layout: SharesChart.Layout) {
        output += ##"<g class="y-axis" font-size="11" fill="#333">"## + "\n"
        for percent in stride(from: 0, through: 100, by: 20) {
            let y = layout.plotBottom - Double(percent) / 100 * (layout.plotBottom - layout.plotTop)
            if percent > 0, percent < 100 {
                line(x1: layout.plotLeft, y1: y, x2: layout.plotRight, y2: y, attributes: ##"stroke="#e3e3e3" stroke-width="1""##)
            }
            text("\(percent)%", x: layout.plotLeft - 6, y: y + 4, attributes: ##"text-anchor="end""##)
        }
        let middle = n((layout.plotTop + layout.plotBottom) / 2)
        output += ##"<text x="16" y="\##(middle)" transform="rotate(-90 16 \##(middle))" text-anchor="middle" font-size="12">dominant share</text>"## + "\n"
        output += "</g>\n"
    }

    /// Tick marks, clock-time labels and vertical grid lines along the bottom, and the caption.
    mutating func xAxis(layout: SharesChart.Layout, scale: SharesChart.Scale, ticks: (times: [Double], step: Double),
                        timeZone: TimeZone, caption: String) {
        output += ##"<g class="x-axis" font-size="11" fill="#333">"## + "\n"
        for time in ticks.times {
            let x = scale.x(time)
            line(x1: x, y1: layout.plotTop, x2: x, y2: layout.plotBottom, attributes: ##"stroke="#f0f0f0" stroke-width="1""##)
            line(x1: x, y1: layout.plotBottom, x2: x, y2: layout.plotBottom + 5, attributes: ##"stroke="#333" stroke-width="1""##)
            text(SharesChart.clockLabel(time, seconds: ticks.step < 60, timeZone: timeZone), x: x, y: layout.plotBottom + 18,
                 attributes: ##"text-anchor="middle""##)
        }
        text(caption, x: (layout.plotLeft + layout.plotRight) / 2, y: layout.plotBottom + 40,
             attributes: ##"text-anchor="middle" font-size="12""##)
        output += "</g>\n"
    }

    /// A framework's group: the actual share solid, the ideal share dashed, in one colour; a lone
    /// point becomes a dot so it is not lost.
    mutating func series(_ series: SharesChart.Series, colour: String, scale: SharesChart.Scale) {
        output += ##"<g class="series" data-framework="\##(SVGText.escape(series.frameworkID))" stroke="\##(colour)" fill="none">"## + "\n"
        output += "<title>\(SVGText.escape(series.name)) (\(SVGText.escape(series.frameworkID)))</title>\n"
        for run in series.runs {
            polyline(run.map { (scale.x($0.time), scale.y($0.actual)) }, attributes: ##"class="actual" stroke-width="2""##, colour: colour)
            for idealRun in Self.split(run) {
                polyline(idealRun.map { (scale.x($0.time), scale.y($0.ideal ?? 0)) },
                         attributes: ##"class="ideal" stroke-width="1.5" stroke-dasharray="6 4""##, colour: colour)
            }
        }
        output += "</g>\n"
    }

    /// Names and colours right of the plot, then a key for solid and dashed.
    mutating func legend(_ series: [SharesChart.Series], layout: SharesChart.Layout, colour: (Int) -> String) {
        let left = layout.plotRight + 20
        var y = layout.plotTop + 4
        output += ##"<g class="legend" font-size="12" fill="#222">"## + "\n"
        for (index, entry) in series.enumerated() {
            line(x1: left, y1: y, x2: left + 22, y2: y, attributes: ##"stroke="\##(colour(index))" stroke-width="3""##)
            text(SVGText.truncate(entry.name, to: 26), x: left + 28, y: y + 4)
            y += layout.legendLine
        }
        y += layout.legendLine / 2
        line(x1: left, y1: y, x2: left + 22, y2: y, attributes: ##"stroke="#555" stroke-width="2""##)
        text("actual", x: left + 28, y: y + 4, attributes: ##"fill="#555""##)
        y += layout.legendLine
        line(x1: left, y1: y, x2: left + 22, y2: y, attributes: ##"stroke="#555" stroke-width="1.5" stroke-dasharray="6 4""##)
        text("ideal (DRF)", x: left + 28, y: y + 4, attributes: ##"fill="#555""##)
        output += "</g>\n"
    }

    private mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, attributes: String) {
        output += ##"<line x1="\##(n(x1))" y1="\##(n(y1))" x2="\##(n(x2))" y2="\##(n(y2))" \##(attributes)/>"## + "\n"
    }

    private mutating func polyline(_ points: [(Double, Double)], attributes: String, colour: String) {
        guard let first = points.first else { return }
        if points.count == 1 {
            output += ##"<circle cx="\##(n(first.0))" cy="\##(n(first.1))" r="2.5" fill="\##(colour)" stroke="none"/>"## + "\n"
            return
        }
        let coordinates = points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ")
        output += ##"<polyline \##(attributes) points="\##(coordinates)"/>"## + "\n"
    }

    /// The stretches of a run where the ideal share is known.
    private static func split(_ run: [SharesChart.Series.Point]) -> [[SharesChart.Series.Point]] {
        var parts: [[SharesChart.Series.Point]] = [[]]
        for point in run {
            if point.ideal == nil {
                if !(parts.last?.isEmpty ?? true) { parts.append([]) }
            } else {
                parts[parts.count - 1].append(point)
            }
        }
        return parts.filter { !$0.isEmpty }
    }

    private func n(_ value: Double) -> String { QuantityFormat.tenths(value) }
}
