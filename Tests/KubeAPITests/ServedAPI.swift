import FairwayHTTP
import Foundation
import KubeAPI
import Logging

/// The API handler on a real `HTTPServer` (127.0.0.1, a free port) with its store in a temp dir,
/// a kubeconfig for it and a kubectl cache dir: what the compatibility tests point clients at.
final class ServedAPI: @unchecked Sendable {
    let directory: TemporaryDirectory
    let store: KubeStore
    let server: HTTPServer
    let handler: KubeAPIHandler
    let recorder: RecordingHandler
    let kubeconfig: String

    static func start(logs: (any PodLogSource)? = nil) async throws -> ServedAPI {
        let directory = try TemporaryDirectory("kubeapi-served")
        do {
            let store = try KubeStore(path: directory.file("objects.sqlite"), clock: { Date() })
            var logger = Logger(label: "fairway.kubeapi.test")
            logger.logLevel = .warning
            let handler = KubeAPIHandler(store: store, logs: logs)
            let recorder = RecordingHandler(handler)
            let server = try await HTTPServer.start(host: "127.0.0.1", port: 0, handler: recorder, logger: logger)
            let kubeconfig = try directory.write("kubeconfig", KubeConfig.yaml(server: "http://127.0.0.1:\(server.port)"))
            return ServedAPI(directory: directory, store: store, server: server, handler: handler, recorder: recorder, kubeconfig: kubeconfig)
        } catch {
            directory.remove()
            throw error
        }
    }

    private init(directory: TemporaryDirectory, store: KubeStore, server: HTTPServer, handler: KubeAPIHandler,
                 recorder: RecordingHandler, kubeconfig: String) {
        self.directory = directory
        self.store = store
        self.server = server
        self.handler = handler
        self.recorder = recorder
        self.kubeconfig = kubeconfig
    }

    var url: String { "http://127.0.0.1:\(server.port)" }

    /// Runs `kubectl` (the given binary) with this server's kubeconfig and a private cache dir.
    func kubectl(_ binary: String, _ arguments: [String], timeout: Double = 60) async throws -> ProcessResult {
        try await runProcess(binary, kubectlArguments(arguments), environment: environment, directory: directory, timeout: timeout)
    }

    /// Starts a long-running kubectl (`get -w`) to read its output while it runs.
    func kubectlChild(_ binary: String, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(binary, kubectlArguments(arguments), environment: environment, directory: directory)
    }

    func kubectlArguments(_ arguments: [String]) -> [String] {
        ["--kubeconfig", kubeconfig, "--cache-dir", directory.file("kube-cache-\(cacheName)")] + arguments
    }

    /// Separate caches per kubectl version (1.20 and 1.32 write different discovery caches).
    var cacheName = "default"

    var environment: [String: String] { ["KUBECONFIG": kubeconfig, "HOME": directory.path] }

    func shutdown() async {
        await server.shutdown()
        directory.remove()
    }
}
