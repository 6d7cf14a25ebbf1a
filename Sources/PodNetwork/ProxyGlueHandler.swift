import NIOCore

/// Joins a client connection and its backend connection (both on one event loop): bytes read on
/// one side are written to the other, a side stops reading while its partner cannot take more
/// (back-pressure through intercepted `read`s), a half-close is passed on as a half-close, and
/// when either side closes or fails both are closed.
///
/// The client's handler is there from the accept on, before the backend is connected: whatever
/// arrives meanwhile (NIO consumes data up to an end-of-input even with autoRead off) is kept and
/// handed over, end-of-input included, when `join` pairs it with the backend's handler.
final class ProxyGlueHandler {
    private var partner: ProxyGlueHandler?
    private var context: ChannelHandlerContext?
    /// Called once the channel is active (the client side starts its backend connect there).
    private var onActive: ((Channel) -> Void)?
    /// A read was held back because the partner was not writable (or not there yet).
    private var pendingRead = false
    /// Data and end-of-input that arrived before the partner was joined.
    private var early: [NIOAny] = []
    private var earlyInputClosed = false

    init(onActive: ((Channel) -> Void)? = nil) {
        self.onActive = onActive
    }

    /// Pairs this (client) handler with the backend's and hands over what arrived early.
    func join(_ backend: ProxyGlueHandler) {
        partner = backend
        backend.partner = self
        for data in early { backend.write(data) }
        early = []
        backend.flush()
        if earlyInputClosed { backend.closeOutput() }
    }

    private var isWritable: Bool { context?.channel.isWritable ?? false }

    private func write(_ data: NIOAny) { context?.write(data, promise: nil) }

    private func flush() { context?.flush() }

    private func closeOutput() { context?.close(mode: .output, promise: nil) }

    private func closeAll() { context?.close(promise: nil) }

    private func partnerBecameWritable() {
        guard pendingRead else { return }
        pendingRead = false
        context?.read()
    }
}

extension ProxyGlueHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive, let onActive {
            self.onActive = nil
            onActive(context.channel)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        if let onActive {
            self.onActive = nil
            onActive(context.channel)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let partner {
            partner.write(data)
        } else {
            early.append(data)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        partner?.closeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            if let partner { partner.closeOutput() } else { earlyInputClosed = true }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        partner?.closeAll()
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.isWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }
}
