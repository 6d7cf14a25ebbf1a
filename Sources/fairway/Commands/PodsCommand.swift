import ArgumentParser
import Foundation
import FrameworkKit
import PodFramework

struct PodsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pods",
        abstract: "Run the pods framework: a Kubernetes-compatible API (kubectl works) whose pods run on resource offers.",
        discussion: """
        Subscribes to the master as the framework 'fairway-pods' (checkpointing, with a failover \
        timeout) and serves a subset of the Kubernetes API on --api-port: namespaces, pods (with logs), \
        services, endpoints, replication controllers (with scale) and events, with watches, label and \
        field selectors, and the patches kubectl apply and scale send. Objects live in SQLite at \
        WORK_DIR/pods.db with one global resourceVersion: start it again with the same --work-dir and \
        it re-attaches to its running pods. Pods run their containers' commands (images are not \
        pulled), each pod in its own network namespace with its own IP where the agent supports it. \
        On this machine it also runs the service proxy (ClusterIP:port spread round-robin over ready \
        endpoints) and cluster DNS (NAME.NAMESPACE.svc.cluster.local, through dnsmasq).
        Point kubectl at it with a kubeconfig whose server is http://IP:API_PORT ('fairway dev' writes one); \
        with --tls-cert and --tls-key it serves HTTPS, and with --token it requires a bearer token.
        """)

    @Option(help: ArgumentHelp("The master, as HOST:PORT.", valueName: "host:port"))
    var master = "127.0.0.1:5050"

    @Option(help: "Address the Kubernetes API listens on.")
    var ip = "127.0.0.1"

    @Option(help: "Port of the Kubernetes API (0 picks a free one and prints it).")
    var apiPort = 6443

    @Option(help: "Directory for the framework's state (created if missing).")
    var workDir = ".fairway/pods"

    @Option(help: "Role the framework takes offers in.")
    var role = "services"

    @Option(help: "Framework name shown by the master.")
    var name = "fairway-pods"

    @Option(help: "Seconds the master keeps the framework's pods while it is down (Mesos failover_timeout).")
    var failoverTimeout: Double = 7 * 24 * 3600

    @Option(help: ArgumentHelp("Require this bearer token on every API request (also read from $FAIRWAY_PODS_TOKEN).", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("Serve the API over HTTPS with this PEM certificate (with --tls-key).", valueName: "file"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(help: "CIDR services' ClusterIPs are allocated from.")
    var serviceCIDR = "10.96.0.0/16"

    @Option(help: "The pod bridge on this machine (the agents create it); the service proxy and DNS attach to it.")
    var bridge = "fairway0"

    @Option(help: "The pod CIDR the bridge serves (its first address is the bridge's, where DNS listens).")
    var podCIDR = "10.88.0.0/16"

    @Option(help: "Most pods one agent takes (the kubelet's --max-pods; an agent's /24 of the pod CIDR holds 254).")
    var maxPodsPerAgent = PodOptions.defaultMaximumPodsPerAgent

    @Flag(help: "Do not run the service proxy and cluster DNS on this machine.")
    var noServiceNetwork = false

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (0...65535).contains(apiPort) else { throw ValidationError("--api-port must be between 0 and 65535") }
        guard failoverTimeout > 0 else { throw ValidationError("--failover-timeout must be positive") }
        guard !role.isEmpty else { throw ValidationError("--role must not be empty") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard (1...254).contains(maxPodsPerAgent) else {
            throw ValidationError("--max-pods-per-agent must be between 1 and 254 (an agent's pods share one /24 of the pod CIDR)")
        }
    }

    func run() async throws {
        ProcessSignals.install()
        logging.bootstrap()
        var options = PodOptions(master: MasterAddress.normalize(master) ?? master,
                                 workDir: URL(fileURLWithPath: workDir).standardizedFileURL.path)
        options.host = ip
        options.apiPort = apiPort
        options.role = role
        options.name = name
        options.failoverTimeout = failoverTimeout
        options.bearerToken = token ?? ProcessInfo.processInfo.environment["FAIRWAY_PODS_TOKEN"]
        options.tlsCertificate = tlsCert
        options.tlsKey = tlsKey
        options.serviceCIDR = serviceCIDR
        options.bridgeName = bridge
        options.podCIDR = podCIDR
        options.maximumPodsPerAgent = maxPodsPerAgent
        options.serviceNetwork = !noServiceNetwork
        let service = try PodService(options: options)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            group.addTask { _ = await ProcessSignals.waitForTermination() }
            try await group.next()
            group.cancelAll()
        }
    }
}
