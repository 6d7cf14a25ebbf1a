import NIOCore
import NIOPosix

extension ServiceProxy {
    /// Makes sure the bridge is there; adopts leftover service IPs so the plan removes unused ones.
    func prepareBridge() async throws(PodNetworkError) {
        try await bridge.ensure(address: configuration.bridgeAddress, prefixLength: configuration.podCIDR.prefixLength)
        guard let serviceCIDR, let state = try await bridge.inspect() else { return }
        for (ip, length) in state.addresses where length == 32 && serviceCIDR.contains(ip) {
            addresses.insert(ip)
        }
    }

    func open(_ address: ServiceAddress, service: String, endpoints: [ServiceEndpoint]) async throws(PodNetworkError) -> Listener {
        let rotation = EndpointRotation(endpoints)
        let connector = ProxyConnector(address: address, service: service, rotation: rotation,
                                       connectTimeout: connectTimeout, logger: logger)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ProxyGlueHandler { connector.accept($0) })
                }
            }
        do {
            let channel = try await bootstrap.bind(host: address.ip.description, port: address.port).get()
            logger.info("proxying service", metadata: [
                "service": "\(service)", "address": "\(address)", "endpoints": "\(endpoints.map(\.description))"])
            return Listener(channel: channel, rotation: rotation)
        } catch {
            throw PodNetworkError(.proxyFailed, "cannot listen on \(address): \(error)")
        }
    }

    func close(_ address: ServiceAddress) async {
        guard let listener = listeners.removeValue(forKey: address) else { return }
        do {
            try await listener.channel.close()
        } catch {
            logger.debug("listener already closed", metadata: ["address": "\(address)", "error": "\(error)"])
        }
        logger.info("stopped proxying", metadata: ["address": "\(address)"])
    }

    func removeAddress(_ ip: IPv4Address) async {
        do throws(PodNetworkError) {
            try await bridge.removeHostAddress(ip)
            addresses.remove(ip)
        } catch {
            logger.warning("cannot remove a service IP from the bridge", metadata: ["ip": "\(ip)", "error": "\(error)"])
        }
    }
}
