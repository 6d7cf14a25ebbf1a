extension TestNetwork {
    /// The small servers and clients the tests run inside pods (Python 3, standard library only).
    static let tool = #"""
    import http.server, os, socket, struct, sys, urllib.request

    def serve(port, bind, handle):
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((bind, port))
        server.listen(64)
        while True:
            connection, _ = server.accept()
            try:
                handle(connection)
            finally:
                connection.close()

    def read_all(connection):
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "http":  # PORT NAME [BIND]: answers every GET with NAME
        name = args[1].encode()
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(name)))
                self.end_headers()
                self.wfile.write(name)
            def log_message(self, *arguments):
                pass
        bind = args[2] if len(args) > 2 else "0.0.0.0"
        http.server.ThreadingHTTPServer((bind, int(args[0])), Handler).serve_forever()
    elif mode == "reverse":  # PORT: reads to end of input, answers the bytes reversed, closes
        serve(int(args[0]), "0.0.0.0", lambda c: c.sendall(read_all(c)[::-1]))
    elif mode == "bulk":  # PORT COUNT: sends COUNT bytes, closes
        serve(int(args[0]), "0.0.0.0", lambda c: c.sendall(b"x" * int(args[1])))
    elif mode == "get":  # URL COUNT: COUNT sequential GETs, one body per line
        for _ in range(int(args[1])):
            with urllib.request.urlopen(args[0], timeout=5) as response:
                print(response.read().decode())
    elif mode == "halfclose":  # HOST PORT TEXT: sends TEXT, shuts down writing, prints the answer
        connection = socket.create_connection((args[0], int(args[1])), timeout=5)
        connection.sendall(args[2].encode())
        connection.shutdown(socket.SHUT_WR)
        print(read_all(connection).decode())
    elif mode == "held":  # HOST PORT TEXT MARKER GO: like halfclose, but holds the connection open
        import time                         # (after creating MARKER) until the file GO exists
        connection = socket.create_connection((args[0], int(args[1])), timeout=30)
        connection.sendall(args[2].encode())
        open(args[3], "w").close()
        while not os.path.exists(args[4]):
            time.sleep(0.01)
        connection.shutdown(socket.SHUT_WR)
        print(read_all(connection).decode())
    elif mode == "count":  # HOST PORT: prints how many bytes arrive before the end
        connection = socket.create_connection((args[0], int(args[1])), timeout=10)
        print(len(read_all(connection)))
    elif mode == "rcode":  # NAME: asks the resolv.conf nameserver for NAME, prints the response code
        server = [line.split()[1] for line in open("/etc/resolv.conf") if line.startswith("nameserver")][0]
        query = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
        query += b"".join(bytes([len(label)]) + label.encode() for label in args[0].split(".")) + b"\0"
        query += struct.pack(">HH", 1, 1)
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.settimeout(5)
        udp.sendto(query, (server, 53))
        print(udp.recv(512)[3] & 15)
    """#
}
