/// The strategic merge patch kubectl apply sends: maps merge, `null` deletes, lists of objects
/// merge by their key (containers by `name`...), and the directives `$patch` (replace/delete),
/// `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
struct StrategicMergePatch {
    let resource: KubeResource

    static let setOrderPrefix = "$setElementOrder/"
    static let deletePrimitivesPrefix = "$deleteFromPrimitiveList/"

    func apply(_ patch: JSON, to original: JSON) throws(PatchError) -> JSON {
        guard let patchMembers = patch.objectValue else { throw PatchError("the patch must be a JSON object", malformed: true) }
        return .object(try mergeMap(original.objectValue ?? [:], patchMembers, path: []) ?? [:])
    }

    /// The merged map, or nil when the patch deletes it (`$patch: delete`).
    func mergeMap(_ original: [String: JSON], _ patch: [String: JSON], path: [String]) throws(PatchError) -> [String: JSON]? {
        var result = original
        switch patch["$patch"]?.stringValue {
        case nil, "merge": break
        case "delete": return nil
        case "replace":
            // The patch (minus its directives) is the whole new map.
            result = [:]
        case let other: throw PatchError("unknown $patch directive \"\(other ?? "")\" in a map", malformed: true)
        }
        if let retain = patch["$retainKeys"] {
            guard let keys = retain.arrayValue?.compactMap(\.stringValue) else { throw PatchError("$retainKeys must be a list of strings", malformed: true) }
            result = result.filter { keys.contains($0.key) }
        }
        var orders: [String: [JSON]] = [:]
        for (key, value) in patch where key.hasPrefix("$") {
            if key.hasPrefix(Self.deletePrimitivesPrefix) {
                let field = String(key.dropFirst(Self.deletePrimitivesPrefix.count))
                let doomed = value.arrayValue ?? []
                if let list = result[field]?.arrayValue { result[field] = .array(list.filter { !doomed.contains($0) }) }
            } else if key.hasPrefix(Self.setOrderPrefix) {
                orders[String(key.dropFirst(Self.setOrderPrefix.count))] = value.arrayValue ?? []
            }
        }
        for (key, value) in patch where !key.hasPrefix("$") {
            switch value {
            case .null:
                result[key] = nil
            case .object(let members):
                let base = result[key]?.objectValue ?? [:]
                result[key] = try mergeMap(base, members, path: path + [key]).map { .object($0) }
            case .array(let items):
                result[key] = .array(try mergeList(result[key]?.arrayValue ?? [], items, field: key, path: path))
            default:
                result[key] = value
            }
        }
        for (field, order) in orders {
            if let list = result[field]?.arrayValue {
                result[field] = .array(reorder(list, by: order, strategy: strategy(for: field, at: path)))
            }
        }
        return result
    }

    func mergeList(_ original: [JSON], _ patch: [JSON], field: String, path: [String]) throws(PatchError) -> [JSON] {
        let listPath = path + [field]
        let replaceWhole = patch.contains { $0["$patch"]?.stringValue == "replace" }
        let items = patch.filter { $0["$patch"]?.stringValue != "replace" }
        switch strategy(for: field, at: path) {
        case .replace:
            return try items.map { item throws(PatchError) in try cleaned(item, path: listPath) }
        case .mergePrimitives:
            if replaceWhole { return items }
            var result = original
            for item in items where !result.contains(item) { result.append(item) }
            return result
        case .mergeByKey(let key):
            if replaceWhole { return try items.map { item throws(PatchError) in try cleaned(item, path: listPath) } }
            var result = original
            for item in items {
                guard let members = item.objectValue, let keyValue = members[key] else {
                    if item["$patch"]?.stringValue == "delete" { throw PatchError("a $patch: delete item in \(field) needs its merge key \"\(key)\"", malformed: true) }
                    result.append(try cleaned(item, path: listPath))
                    continue
                }
                let index = result.firstIndex { $0[key] == keyValue }
                if members["$patch"]?.stringValue == "delete" {
                    result.removeAll { $0[key] == keyValue }
                } else if let index {
                    if let merged = try mergeMap(result[index].objectValue ?? [:], members, path: listPath) {
                        result[index] = .object(merged)
                    } else {
                        result.remove(at: index)
                    }
                } else {
                    result.append(try cleaned(item, path: listPath))
                }
            }
            return result
        }
    }

    /// A new value from the patch with its directives removed.
    func cleaned(_ value: JSON, path: [String]) throws(PatchError) -> JSON {
        guard case .object(let members) = value else { return value }
        return .object(try mergeMap([:], members, path: path) ?? [:])
    }

    /// Orders `list` as `order` says (items named there first, in that order); items the order
    /// does not name keep their relative order after them.
    func reorder(_ list: [JSON], by order: [JSON], strategy: ListStrategy) -> [JSON] {
        func position(_ item: JSON) -> Int? {
            switch strategy {
            case .mergeByKey(let key): return order.firstIndex { $0[key] != nil && $0[key] == item[key] }
            default: return order.firstIndex(of: item)
            }
        }
        let ranked = list.enumerated().map { (offset: $0.offset, item: $0.element, rank: position($0.element)) }
        let named = ranked.filter { $0.rank != nil }.sorted { ($0.rank ?? 0, $0.offset) < ($1.rank ?? 0, $1.offset) }
        let others = ranked.filter { $0.rank == nil }
        return (named + others).map(\.item)
    }
}
