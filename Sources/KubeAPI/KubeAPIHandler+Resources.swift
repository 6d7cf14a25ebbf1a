import FairwayHTTP
import NIOHTTP1

/// Resource requests: GET (object, list, Table, watch), POST, PUT, PATCH, DELETE.
extension KubeAPIHandler {
    func handleResource(_ target: KubeRoute.ResourceRoute, _ request: HTTPRequest) async throws(KubeError) -> HTTPReply {
        let options = try RequestOptions(query: request.query, accept: request.header("Accept"))
        let resource = target.resource
        if target.subresource == "log" {
            guard request.method == .GET, let name = target.name else { throw KubeError.methodNotAllowed() }
            return try await podLog(namespace: target.namespace ?? "default", name: name, query: request.query)
        }
        switch request.method {
        case .GET:
            if target.watchPath || options.watch {
                guard target.subresource == nil else { throw KubeError.methodNotAllowed("watch is not supported on \(resource.name)/\(target.subresource ?? "")") }
                return try await watch(target, options)
            }
            guard let name = target.name else {
                let list = try await store.list(resource, namespace: target.namespace, labels: options.labels, fields: options.fields)
                if options.asTable {
                    return Self.json(KubeTable.table(for: resource, objects: list.items, resourceVersion: String(list.resourceVersion),
                                                     now: clock(), includeObject: options.includeObject), contentType: Self.tableContentType)
                }
                return Self.json(list.json)
            }
            let object = try await store.get(resource, namespace: target.namespace, name: name, subresource: target.subresource)
            if options.asTable && target.subresource == nil {
                return Self.json(KubeTable.table(for: resource, objects: [object], resourceVersion: object.string("metadata", "resourceVersion"),
                                                 now: clock(), includeObject: options.includeObject), contentType: Self.tableContentType)
            }
            return Self.json(object)
        case .POST:
            guard target.name == nil, !target.watchPath, target.namespace != nil || !resource.namespaced else {
                throw KubeError.methodNotAllowed("POST creates objects: send it to the collection, /api/v1/namespaces/NAMESPACE/\(resource.name)")
            }
            let body = try Self.body(request)
            let created = try await store.create(resource, namespace: target.namespace, object: body, dryRun: options.dryRun)
            return Self.json(created, status: .created)
        case .PUT:
            guard let name = target.name, !target.watchPath else { throw KubeError.methodNotAllowed("PUT replaces one object: name it in the URL") }
            let body = try Self.body(request)
            return Self.json(try await store.update(resource, namespace: target.namespace, name: name, object: body,
                                                    subresource: target.subresource, dryRun: options.dryRun))
        case .PATCH:
            guard let name = target.name, !target.watchPath else { throw KubeError.methodNotAllowed("PATCH changes one object: name it in the URL") }
            let contentType = request.header("Content-Type") ?? ""
            guard let type = PatchType(contentType: contentType) else { throw KubeError.unsupportedMediaType(contentType) }
            let body = try Self.body(request)
            return Self.json(try await store.patch(resource, namespace: target.namespace, name: name, patch: body, type: type,
                                                   subresource: target.subresource, dryRun: options.dryRun))
        case .DELETE:
            guard target.subresource == nil, !target.watchPath else { throw KubeError.methodNotAllowed() }
            var deleteOptions = request.body.isEmpty ? DeleteOptions() : try DeleteOptions(json: try Self.body(request))
            if let policy = options.propagationPolicy { deleteOptions.propagationPolicy = policy }
            if options.dryRun { deleteOptions.dryRun = true }
            guard let name = target.name else {
                let deleted = try await store.deleteCollection(resource, namespace: target.namespace, labels: options.labels,
                                                               fields: options.fields, options: deleteOptions)
                return Self.json(deleted.json)
            }
            return Self.json(try await store.delete(resource, namespace: target.namespace, name: name, options: deleteOptions))
        default:
            throw KubeError.methodNotAllowed()
        }
    }

    /// The JSON body of a write; 400 with the parse error when it is not JSON, 415 for YAML or
    /// protobuf (kubectl and the client libraries send JSON).
    static func body(_ request: HTTPRequest) throws(KubeError) -> JSON {
        let contentType = (request.header("Content-Type") ?? "application/json").lowercased()
        if contentType.contains("yaml") || contentType.contains("protobuf") {
            throw KubeError(code: 415, reason: .unsupportedMediaType,
                            message: "the body is \(contentType); this server takes JSON bodies (application/json)")
        }
        guard !request.body.isEmpty else { throw KubeError.badRequest("the request body is empty; send the object as JSON") }
        do {
            return try JSON.parse(request.body)
        } catch {
            throw KubeError.badRequest("the request body is not valid JSON: \(error)")
        }
    }
}
