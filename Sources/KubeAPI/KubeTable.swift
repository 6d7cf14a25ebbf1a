import Foundation

/// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns
/// `kubectl get` shows, with `priority: 1` for the extra `-o wide` columns.
public enum KubeTable {
    public struct Column: Sendable {
        public var name: String
        public var type: String
        public var priority: Int
        public var format: String

        init(_ name: String, _ type: String = "string", priority: Int = 0, format: String = "") {
            self.name = name
            self.type = type
            self.priority = priority
            self.format = format
        }

        var json: JSON {
            ["name": .string(name), "type": .string(type), "format": .string(format), "description": "", "priority": .int(Int64(priority))]
        }
    }

    /// What each row carries besides its cells (`?includeObject=`).
    public enum IncludeObject: String, Sendable {
        case none = "None"
        case metadata = "Metadata"
        case object = "Object"
    }

    static let name = Column("Name", format: "name")
    static let age = Column("Age")

    public static func columns(for resource: KubeResource) -> [Column] {
        switch resource {
        case .pods: return PodRows.columns
        case .services: return ServiceRows.columns
        case .replicationControllers: return ControllerRows.columns
        case .endpoints: return [name, Column("Endpoints"), age]
        case .namespaces: return [name, Column("Status"), age]
        case .events: return [Column("Last Seen"), Column("Type"), Column("Reason"), Column("Object"), Column("Message"), name]
        default: return [name, age]
        }
    }

    /// One row's cells for `object`, matching `columns(for:)`.
    public static func cells(for resource: KubeResource, object: JSON, now: Date) -> [JSON] {
        let age = JSON.string(Self.age(of: object.string("metadata", "creationTimestamp"), now: now))
        let objectName = JSON.string(object.string("metadata", "name") ?? "")
        switch resource {
        case .pods: return PodRows.cells(object, age: age)
        case .services: return ServiceRows.cells(object, age: age)
        case .replicationControllers: return ControllerRows.cells(object, age: age)
        case .endpoints: return [objectName, .string(EndpointsText.addresses(object)), age]
        case .namespaces: return [objectName, .string(object.string("status", "phase") ?? "Active"), age]
        case .events:
            let seen = Self.age(of: object.string("lastTimestamp") ?? object.string("eventTime")
                                    ?? object.string("metadata", "creationTimestamp"), now: now)
            let involved = "\((object.string("involvedObject", "kind") ?? "").lowercased())/\(object.string("involvedObject", "name") ?? "")"
            return [.string(seen), .string(object.string("type") ?? ""), .string(object.string("reason") ?? ""),
                    .string(involved), .string(object.string("message") ?? ""), objectName]
        default: return [objectName, age]
        }
    }

    /// The Table for `objects` (a list, one object, or one watch event's object).
    public static func table(for resource: KubeResource, objects: [JSON], resourceVersion: String?, now: Date,
                             includeObject: IncludeObject = .metadata) -> JSON {
        let rows: [JSON] = objects.map { object in
            var row: JSON = ["cells": .array(cells(for: resource, object: object, now: now))]
            switch includeObject {
            case .none: break
            case .metadata:
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"] ?? .emptyObject]
            case .object: row["object"] = object
            }
            return row
        }
        var metadata: JSON = .emptyObject
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
                "columnDefinitions": .array(columns(for: resource).map(\.json)), "rows": .array(rows)]
    }

    static func age(of timestamp: String?, now: Date) -> String {
        guard let timestamp, let date = Timestamps.parse(timestamp) else { return "<unknown>" }
        return Timestamps.humanDuration(now.timeIntervalSince(date))
    }
}

enum EndpointsText {
    /// `10.0.0.1:80,10.0.0.2:80 + 1 more...`, or `<none>`.
    static func addresses(_ endpoints: JSON) -> String {
        var entries: [String] = []
        for subset in endpoints["subsets"]?.arrayValue ?? [] {
            let ports = (subset["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
            for address in subset["addresses"]?.arrayValue ?? [] {
                let ip = address.string("ip") ?? ""
                if ports.isEmpty { entries.append(ip) } else { entries += ports.map { "\(ip):\($0)" } }
            }
        }
        if entries.isEmpty { return "<none>" }
        if entries.count > 3 { return entries.prefix(3).joined(separator: ",") + " + \(entries.count - 3) more..." }
        return entries.joined(separator: ",")
    }
}
