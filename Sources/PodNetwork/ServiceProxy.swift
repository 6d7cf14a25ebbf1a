import Logging
import NIOCore
import NIOPosix

/// The user-space service proxy of one host, in the host's network namespace: each TCP service
/// port gets a listener on `clusterIP:port`, the ClusterIP sitting on the pod bridge as a /32 (pods
/// reach it through their default route, the host directly), and every accepted connection is
/// forwarded to the next endpoint in round-robin order. No iptables, no NAT, no forwarding: the
/// backend sees the bridge address as the source.
///
/// `apply` takes the complete rule set each time (the pods framework recomputes it from services
/// and endpoints); connections already open continue when their rule changes or goes.
public actor ServiceProxy {
    struct Listener {
        var channel: Channel
        var rotation: EndpointRotation
    }

    let configuration: PodNetworkConfiguration
    let serviceCIDR: IPv4Subnet?
    let connectTimeout: TimeAmount
    let group: any EventLoopGroup
    let logger: Logger
    var listeners: [ServiceAddress: Listener] = [:]
    /// Service IPs we put (or found and adopted) on the bridge.
    var addresses: Set<IPv4Address> = []
    var bridgeChecked = false
    /// The last queued `apply` or `shutdown`: each waits for the one before, so calls made while
    /// one is suspended (in `ip` or a bind) run in order instead of interleaving.
    var queue: Task<Void, Never>?

    /// - Parameters:
    ///   - configuration: the host's pod network (bridge name and address, `ip` path).
    ///   - serviceCIDR: when given, /32 addresses of this range found on the bridge and used by no
    ///     rule (left by a proxy that crashed) are removed on the first apply.
    ///   - connectTimeout: how long to wait for an endpoint before trying the next.
    public init(configuration: PodNetworkConfiguration = PodNetworkConfiguration(), serviceCIDR: IPv4Subnet? = nil,
                connectTimeout: TimeAmount = .seconds(2),
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "fairway.service-proxy")) {
        self.configuration = configuration
        self.serviceCIDR = serviceCIDR
        self.connectTimeout = connectTimeout
        self.group = group
        self.logger = logger
    }

    var bridge: PodBridge { PodBridge(name: configuration.bridgeName, ipPath: configuration.ipPath) }

    /// The addresses listened on now.
    public var serving: [ServiceAddress] { listeners.keys.sorted() }

    /// The current endpoints of a served address.
    public func endpoints(of address: ServiceAddress) -> [ServiceEndpoint]? {
        listeners[address]?.rotation.endpoints
    }

    /// Makes the proxy serve exactly `rules`. Rules it cannot serve (UDP, a port taken, a failed
    /// `ip`) are logged and returned in the report; the others are served regardless.
    @discardableResult
    public func apply(_ rules: [ServiceRule]) async -> ServiceProxyReport {
        let previous = queue
        let work = Task { () async -> ServiceProxyReport in
            await previous?.value
            return await self.applyNow(rules)
        }
        queue = Task { _ = await work.value }
        return await work.value
    }

    /// Closes every listener and removes the service IPs from the bridge. Connections already
    /// open are left to finish (they lose their address, so not for long).
    public func shutdown() async {
        let previous = queue
        let work = Task { () async in
            await previous?.value
            await self.shutdownNow()
        }
        queue = work
        await work.value
    }

    private func applyNow(_ rules: [ServiceRule]) async -> ServiceProxyReport {
        var problems: [ServiceProxyProblem] = []
        if !bridgeChecked {
            do throws(PodNetworkError) {
                try await prepareBridge()
                bridgeChecked = true
            } catch {
                logger.error("cannot prepare the pod bridge for service IPs", metadata: ["error": "\(error)"])
            }
        }
        let plan = ServiceProxyPlan.make(rules: rules, listening: Set(listeners.keys), addresses: addresses)
        problems += plan.problems
        var failedIPs: [IPv4Address: PodNetworkError] = [:]
        for ip in plan.addressesToAdd {
            do throws(PodNetworkError) {
                try await bridge.addHostAddress(ip)
                addresses.insert(ip)
            } catch {
                failedIPs[ip] = error
            }
        }
        for (address, endpoints) in plan.listenersToOpen.sorted(by: { $0.key < $1.key }) {
            let service = plan.owners[address] ?? "?"
            if let error = failedIPs[address.ip] {
                problems.append(ServiceProxyProblem(service: service, address: address, error: error))
                continue
            }
            do throws(PodNetworkError) {
                listeners[address] = try await open(address, service: service, endpoints: endpoints)
            } catch {
                problems.append(ServiceProxyProblem(service: service, address: address, error: error))
            }
        }
        for (address, endpoints) in plan.endpointUpdates {
            listeners[address]?.rotation.replace(endpoints)
        }
        for address in plan.listenersToClose {
            await close(address)
        }
        for ip in plan.addressesToRemove where !listeners.keys.contains(where: { $0.ip == ip }) {
            await removeAddress(ip)
        }
        for problem in problems {
            logger.warning("service not proxied", metadata: [
                "service": "\(problem.service)", "address": "\(problem.address)", "reason": "\(problem.error.message)"])
        }
        return ServiceProxyReport(serving: serving, problems: problems)
    }

    private func shutdownNow() async {
        for address in listeners.keys.sorted() {
            await close(address)
        }
        for ip in addresses.sorted() {
            await removeAddress(ip)
        }
        bridgeChecked = false
    }
}
