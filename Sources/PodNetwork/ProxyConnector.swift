import Logging
import NIOCore
import NIOPosix

/// Serves the connections accepted on one service address: connects each to the endpoint whose
/// turn it is, moving on to the next endpoint when a connect fails, and closes the client at once
/// when there is no endpoint (or none answers). Then glues the two connections together.
final class ProxyConnector: Sendable {
    let address: ServiceAddress
    let service: String
    let rotation: EndpointRotation
    let connectTimeout: TimeAmount
    let logger: Logger

    init(address: ServiceAddress, service: String, rotation: EndpointRotation, connectTimeout: TimeAmount, logger: Logger) {
        self.address = address
        self.service = service
        self.rotation = rotation
        self.connectTimeout = connectTimeout
        self.logger = logger
    }

    /// Takes over an accepted, active connection (autoRead off; its `ProxyGlueHandler` keeps
    /// whatever arrives before the backend is there).
    func accept(_ client: Channel) {
        connect(client, attemptsLeft: rotation.count)
    }

    private func connect(_ client: Channel, attemptsLeft: Int) {
        guard attemptsLeft > 0, client.isActive, let endpoint = rotation.next() else {
            if client.isActive {
                logger.log(level: rotation.count == 0 ? .debug : .warning,
                           "no endpoint of the service accepted the connection; closing it",
                           metadata: ["service": "\(service)", "address": "\(address)"])
            }
            client.close(promise: nil)
            return
        }
        let target: SocketAddress
        do {
            target = try SocketAddress(ipAddress: endpoint.ip.description, port: endpoint.port)
        } catch {
            connect(client, attemptsLeft: attemptsLeft - 1)
            return
        }
        ClientBootstrap(group: client.eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(ChannelOptions.autoRead, value: false)
            .channelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connect(to: target)
            .whenComplete { result in
                switch result {
                case .success(let backend):
                    self.join(client, backend)
                case .failure(let error):
                    self.logger.debug("endpoint refused a proxied connection; trying the next one", metadata: [
                        "service": "\(self.service)", "endpoint": "\(endpoint)", "error": "\(error)"])
                    self.connect(client, attemptsLeft: attemptsLeft - 1)
                }
            }
    }

    /// Glues the client to its backend and starts reading on both (runs on their shared loop).
    private func join(_ client: Channel, _ backend: Channel) {
        client.eventLoop.assertInEventLoop()
        do {
            guard client.isActive else { throw ChannelError.ioOnClosedChannel }
            let clientSide = try client.pipeline.syncOperations.handler(type: ProxyGlueHandler.self)
            let backendSide = ProxyGlueHandler()
            try backend.pipeline.syncOperations.addHandler(backendSide)
            clientSide.join(backendSide)
        } catch {
            client.close(promise: nil)
            backend.close(promise: nil)
            return
        }
        client.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in client.close(promise: nil) }
        backend.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in backend.close(promise: nil) }
    }
}
