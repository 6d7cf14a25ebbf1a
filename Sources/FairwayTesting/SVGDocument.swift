import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What tests look at in an SVG document (the shares chart), read with Foundation's `XMLParser` (parsing fails
/// on anything that is not well-formed XML).
public final class SVGDocument: NSObject, XMLParserDelegate {
    public private(set) var root: String?
    public private(set) var rootAttributes: [String: String] = [:]
    /// The y coordinate of each text, by its content.
    public private(set) var textPositions: [String: Double] = [:]
    private var textY: Double?
    public private(set) var seriesFrameworks: [String] = []
    public private(set) var polylines: [String: Int] = [:]
    public private(set) var circles = 0
    public private(set) var texts: [String] = []
    private var text: String?
    private var failure: Error?

    public init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse(), failure == nil else {
            throw failure ?? parser.parserError ?? NSError(domain: "SVGDocument", code: 1)
        }
    }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil {
            root = name
            rootAttributes = attributes
        }
        switch name {
        case "g" where attributes["class"] == "series":
            seriesFrameworks.append(attributes["data-framework"] ?? "")
        case "polyline":
            polylines[attributes["class"] ?? "", default: 0] += 1
        case "circle":
            circles += 1
        case "text":
            text = ""
            textY = attributes["y"].flatMap(Double.init)
        default:
            break
        }
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        text? += string
    }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text {
            texts.append(text)
            textPositions[text] = textY
            self.text = nil
        }
    }

    public func parser(_ parser: XMLParser, parseErrorOccurred error: Error) {
        failure = error
    }
}
