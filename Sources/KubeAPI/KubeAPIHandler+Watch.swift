import FairwayHTTP
import Foundation
import NIOHTTP1

/// Watches over HTTP: newline-separated `{"type":...,"object":...}` in a chunked response, until
/// `timeoutSeconds` passes or the client goes away (the store's watcher goes with it).
extension KubeAPIHandler {
    func watch(_ target: KubeRoute.ResourceRoute, _ options: RequestOptions) async throws(KubeError) -> HTTPReply {
        var fields = options.fields
        if let name = target.name {
            fields = FieldSelector(requirements: (fields?.requirements ?? []) + FieldSelector.name(name).requirements)
        }
        let resource = target.resource
        let events = try await store.watch(resource, namespace: target.namespace, labels: options.labels, fields: fields,
                                           from: options.resourceVersion)
        let timeout = options.timeoutSeconds.map { $0 == 0 ? watchTimeout : $0 } ?? watchTimeout
        let head = HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"])
        let asTable = options.asTable
        let includeObject = options.includeObject
        let clock = self.clock
        return .stream(head) { stream in
            let pump = Task {
                for await event in events {
                    var bytes: [UInt8]
                    if asTable && (event.type == .added || event.type == .modified || event.type == .deleted) {
                        var line = event.json
                        line["object"] = KubeTable.table(for: resource, objects: [event.object],
                                                         resourceVersion: event.object.string("metadata", "resourceVersion"),
                                                         now: clock(), includeObject: includeObject)
                        bytes = line.encoded()
                        bytes.append(UInt8(ascii: "\n"))
                    } else {
                        bytes = event.line
                    }
                    if !stream.write(bytes) || event.type == .error { break }
                }
            }
            stream.onClose { pump.cancel() }
            let timer = Task {
                try? await Task.sleep(for: .seconds(timeout))
                pump.cancel()
            }
            await pump.value
            timer.cancel()
            stream.close()
        }
    }
}
