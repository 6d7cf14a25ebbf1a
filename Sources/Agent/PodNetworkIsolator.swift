import Logging
import PodNetwork

/// Pod network namespaces for the agent's pods: probes once whether they work here (`auto`),
/// claims the agent's subnet of the pod CIDR (the same one again after a restart: the claim is
/// by agent id), hands out pod IPs (`PodIPAM`) and creates and destroys the namespaces
/// (`PodSandboxNetwork`). What the agent must remember — which pod has which IP — it checkpoints
/// itself and hands back to `recover`.
actor PodNetworkIsolator {
    /// The network name a task group's executor asks for to get a pod network namespace.
    static let networkName = "fairway-pods"

    nonisolated let options: PodNetworkOptions
    nonisolated let configuration: PodNetworkConfiguration
    nonisolated let network: PodSandboxNetwork
    private let logger: Logger
    /// Nil until probed; then nil reason = available.
    private var probed: PodNetworkSupport.Report?
    private var claimedFor: String?
    private var ipam: PodIPAM?

    init(options: PodNetworkOptions, agentTag: String, logger: Logger) {
        self.options = options
        configuration = options.configuration(agentTag: agentTag)
        network = PodSandboxNetwork(configuration: configuration, logger: logger)
        self.logger = logger
    }

    /// What to put before a pod container's argv (with the pod's hostname, where it can have one).
    nonisolated func commandPrefix(podID: String, hostname: String? = nil) -> [String] {
        network.commandPrefix(podID: podID, hostname: hostname)
    }

    /// Why pods run on the host network here, or nil when they get namespaces. Probes once.
    func unavailableReason() async -> String? {
        if options.mode == .off { return "pod networking is off (--pod-network off)" }
        if probed == nil {
            let report = await Self.probes.report(for: configuration)
            probed = report
            if let reason = report.reason {
                logger.warning("pod networking is not available, pods run on the host network: \(reason)")
            } else {
                logger.info("pod networking: bridge \(configuration.bridgeName), pod CIDR \(configuration.podCIDR)")
            }
        }
        return probed?.reason.map { "pod networking is not available: \($0)" }
    }

    /// Gives a pod its namespace with a fresh IP; on failure nothing is left behind and the error
    /// says why (the pod then runs on the host network).
    func attach(podID: String, agentID: String, hostname: String, podNamespace: String) async throws(AgentError) -> IPv4Address {
        if let reason = await unavailableReason() { throw AgentError(reason) }
        do throws(PodNetworkError) {
            try claim(agentID: agentID)
            guard var addresses = ipam else { throw PodNetworkError(.invalidArgument, "no pod subnet claimed") }
            let ip = try addresses.allocate()
            ipam = addresses
            let resolvConf = ClusterDNS.resolvConf(namespace: podNamespace.isEmpty ? "default" : podNamespace,
                                                   bridgeIP: configuration.bridgeAddress)
            do throws(PodNetworkError) {
                _ = try await network.create(podID: podID, ip: ip, hostname: hostname, resolvConf: resolvConf)
            } catch {
                ipam?.release(ip)
                throw error
            }
            return ip
        } catch {
            throw AgentError("could not create the pod's network namespace: \(error.message)")
        }
    }

    /// Removes a pod's namespace and frees its IP (nil for a pod on the host network).
    func detach(podID: String, ip: IPv4Address?) async {
        do throws(PodNetworkError) {
            try await network.destroy(podID: podID)
        } catch {
            logger.warning("could not remove the network namespace of pod \(podID): \(error.message)")
        }
        if let ip { ipam?.release(ip) }
    }

    /// After an agent restart: claims the subnet again, marks the IPs of the pods that still run
    /// (`keep`, pod id → IP) as used, and removes every other namespace of this agent.
    func recover(agentID: String?, keep: [String: IPv4Address]) async {
        if options.mode != .off, let agentID, !keep.isEmpty {
            do throws(PodNetworkError) {
                try claim(agentID: agentID)
                for ip in keep.values where ipam?.isAllocatable(ip) == true { try ipam?.markInUse(ip) }
            } catch {
                logger.warning("could not claim the pod subnet again: \(error.message)")
            }
        }
        guard options.mode != .off else { return }
        let names: [String]
        do throws(PodNetworkError) {
            names = try await network.existing()
        } catch {
            return
        }
        let kept = Set(keep.keys.map { network.namespaceName(podID: $0) })
        for name in names where !kept.contains(name) {
            logger.info("removing the network namespace \(name), left by a pod that no longer runs")
            do throws(PodNetworkError) {
                try await network.destroy(namespace: name)
            } catch {
                logger.warning("could not remove the leftover network namespace \(name): \(error.message)")
            }
        }
    }

    /// The agent's pod subnet, once claimed.
    var subnet: IPv4Subnet? { ipam?.subnet }

    /// The pod IPs handed out and not freed, ascending.
    var addressesInUse: [String] { ipam?.inUse.map(\.description) ?? [] }

    /// Claims the subnet for `agentID` (again, when the id changed), keeping IPs in use.
    private func claim(agentID: String) throws(PodNetworkError) {
        guard claimedFor != agentID || ipam == nil else { return }
        let claims = SubnetClaims(configuration: configuration)
        let subnet = try claims.claim(agentID: agentID)
        if let previous = claimedFor, previous != agentID { try? claims.release(agentID: previous) }
        ipam = PodIPAM(configuration: configuration, subnet: subnet)
        claimedFor = agentID
        logger.info("pod subnet \(subnet) claimed for agent \(agentID)")
    }
}

extension PodNetworkIsolator {
    /// One probe per bridge in this process: two agents of `fairway dev` probing at once would
    /// race for the probe's namespace name (it is named after the pid).
    static let probes = ProbeOnce()

    actor ProbeOnce {
        private var reports: [String: Task<PodNetworkSupport.Report, Never>] = [:]

        func report(for configuration: PodNetworkConfiguration) async -> PodNetworkSupport.Report {
            let key = configuration.bridgeName + " " + configuration.ipPath
            if let known = reports[key] { return await known.value }
            let probe = Task { await PodNetworkSupport.probe(configuration: configuration) }
            reports[key] = probe
            return await probe.value
        }
    }
}
