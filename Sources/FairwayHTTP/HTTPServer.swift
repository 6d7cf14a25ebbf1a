import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small HTTP/1.1 server on SwiftNIO: keep-alive, pipelining, whole-body requests and either
/// whole or streaming (chunked) responses. Master, agent and frameworks put their routes on it.
public final class HTTPServer: Sendable {
    private let channel: Channel
    public let port: Int
    public let host: String

    /// Largest request body accepted; bigger ones get 413.
    public static let maximumBodySize = 64 << 20

    private init(channel: Channel, host: String, port: Int) {
        self.channel = channel
        self.host = host
        self.port = port
    }

    /// Binds `host:port` (port 0 picks a free one; read it back from `port`). With `tls`, every
    /// connection is HTTPS.
    public static func start(host: String, port: Int, handler: any HTTPHandler, logger: Logger, tls: NIOSSLContext? = nil,
                             group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> HTTPServer {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(handler: handler, logger: logger))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        let boundPort = channel.localAddress?.port ?? port
        return HTTPServer(channel: channel, host: host, port: boundPort)
    }

    /// A server TLS context from PEM files: the certificate (chain) and its private key.
    public static func tlsContext(certificate: String, key: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain,
                                                                     privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        return try NIOSSLContext(configuration: configuration)
    }

    public func shutdown() async {
        try? await channel.close()
    }
}

final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: any HTTPHandler
    private let logger: Logger
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false
    private var stream: HTTPStream?

    init(handler: any HTTPHandler, logger: Logger) {
        self.handler = handler
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            tooLarge = false
        case .body(var buffer):
            if body.count + buffer.readableBytes > HTTPServer.maximumBodySize {
                tooLarge = true
            } else if let bytes = buffer.readBytes(length: buffer.readableBytes) {
                body.append(contentsOf: bytes)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let keepAlive = requestHead.isKeepAlive
            if tooLarge {
                write(context: context, response: .text(.payloadTooLarge, "Request body exceeds \(HTTPServer.maximumBodySize) bytes"),
                      version: requestHead.version, keepAlive: false)
                return
            }
            let request = HTTPRequest(method: requestHead.method, uri: requestHead.uri, headers: requestHead.headers, body: body)
            body = []
            let handler = self.handler
            let loop = context.eventLoop
            let boundContext = NIOLoopBound(context, eventLoop: loop)
            let boundSelf = NIOLoopBound(self, eventLoop: loop)
            Task {
                let reply = await handler.handle(request)
                loop.execute {
                    boundSelf.value.send(reply, context: boundContext.value, version: requestHead.version, keepAlive: keepAlive)
                }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stream?.connectionClosed()
        stream = nil
        context.fireChannelInactive()
    }

    private func send(_ reply: HTTPReply, context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool) {
        switch reply {
        case .response(let response):
            write(context: context, response: response, version: version, keepAlive: keepAlive)
        case .stream(let response, let producer):
            var head = HTTPResponseHead(version: version, status: response.status, headers: response.headers)
            head.headers.remove(name: "Content-Length")
            head.headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !response.body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
            }
            context.flush()
            let stream = HTTPStream(channel: context.channel)
            self.stream = stream
            if !context.channel.isActive { stream.connectionClosed() }
            Task { await producer(stream) }
        }
    }

    private func write(context: ChannelHandlerContext, response: HTTPResponse, version: HTTPVersion, keepAlive: Bool) {
        var head = HTTPResponseHead(version: version, status: response.status, headers: response.headers)
        head.headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
