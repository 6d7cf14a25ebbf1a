import FairwayHTTP
import NIOHTTP1

/// `GET pods/NAME/log`: plain text from the `PodLogSource`, whole or (with `follow=true`)
/// streamed until the container ends or the client leaves.
extension KubeAPIHandler {
    func podLog(namespace: String, name: String, query: [String: String]) async throws(KubeError) -> HTTPReply {
        let pod = try await store.get(.pods, namespace: namespace, name: name)
        let follow = try query["follow"].map { value throws(KubeError) in try RequestOptions.parseBool(value, name: "follow") } ?? false
        let tailLines = try Self.integer(query["tailLines"], name: "tailLines")
        let limitBytes = try Self.integer(query["limitBytes"], name: "limitBytes")
        let container = try Self.container(query["container"], in: pod)
        guard let logs else {
            throw KubeError.badRequest("this API server has no log source; logs are read through the pods framework")
        }
        let pump = LogPump(limit: follow ? 1 << 20 : Int.max)
        let producer = Task {
            do throws(KubeError) {
                try await logs.streamLog(namespace: namespace, pod: pod, container: container, follow: follow, tailLines: tailLines,
                                         limitBytes: limitBytes, write: { chunk in await pump.push(chunk) })
                await pump.finish(nil)
            } catch {
                await pump.finish(error)
            }
        }
        let headers: HTTPHeaders = ["Content-Type": "text/plain"]
        guard follow else {
            await producer.value
            var body = await pump.drain()
            if case .failed(let error) = await pump.next() { throw error }
            if let limitBytes, body.count > limitBytes { body = Array(body.prefix(limitBytes)) }
            return .response(HTTPResponse(status: .ok, headers: headers, body: body))
        }
        let first = await pump.next()
        switch first {
        case .failed(let error):
            throw error
        case .end:
            return .response(HTTPResponse(status: .ok, headers: headers))
        case .chunk(let chunk):
            return .stream(HTTPResponse(status: .ok, headers: headers, body: chunk)) { stream in
                stream.onClose {
                    producer.cancel()
                    Task { await pump.close() }
                }
                while case .chunk(let next) = await pump.next() {
                    if !stream.write(next) { break }
                }
                producer.cancel()
                await pump.close()
                stream.close()
            }
        }
    }

    /// The container to read: the one named, or the only one; 400 naming the choices otherwise.
    static func container(_ requested: String?, in pod: JSON) throws(KubeError) -> String? {
        let names = (pod[path: "spec", "containers"]?.arrayValue ?? []).compactMap { $0.string("name") }
        let podName = pod.string("metadata", "name") ?? ""
        if let requested, !requested.isEmpty {
            let initNames = (pod[path: "spec", "initContainers"]?.arrayValue ?? []).compactMap { $0.string("name") }
            guard names.contains(requested) || initNames.contains(requested) else {
                throw KubeError.badRequest("container \(requested) is not valid for pod \(podName)")
            }
            return requested
        }
        if names.count > 1 {
            throw KubeError.badRequest("a container name must be specified for pod \(podName), choose one of: [\(names.joined(separator: " "))]")
        }
        return names.first
    }

    static func integer(_ text: String?, name: String) throws(KubeError) -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text), value >= 0 else { throw KubeError.badRequest("\(name)=\(text) must be a non-negative integer") }
        return value
    }
}
