extension ClusterDNS {
    /// Where and how dnsmasq runs. `stateDirectory` holds the hosts directory, the pid file and
    /// dnsmasq's log; it and its parents must be readable by `nobody` (dnsmasq re-reads the hosts
    /// files after dropping privileges).
    public struct Configuration: Sendable, Equatable {
        /// The bridge address: the only address dnsmasq listens on.
        public var listenAddress: IPv4Address
        /// The DNS port (53: what pods' resolvers ask).
        public var port: Int
        public var stateDirectory: String
        /// Debian's dnsmasq (`apt-get install -y --no-install-recommends dnsmasq`).
        public var dnsmasqPath: String
        /// The cluster domain (`cluster.local`): answered locally, never forwarded.
        public var domain: String
        /// How long `start` waits for the first answer.
        public var startTimeout: Duration

        public init(listenAddress: IPv4Address, port: Int = 53, stateDirectory: String = "/run/fairway/cluster-dns",
                    dnsmasqPath: String = "/usr/sbin/dnsmasq", domain: String = "cluster.local",
                    startTimeout: Duration = .seconds(10)) {
            self.listenAddress = listenAddress
            self.port = port
            self.stateDirectory = stateDirectory
            self.dnsmasqPath = dnsmasqPath
            self.domain = domain
            self.startTimeout = startTimeout
        }

        /// dnsmasq's `--hostsdir`: the records file lives here.
        public var hostsDirectory: String { stateDirectory + "/hosts" }
        public var pidFile: String { stateDirectory + "/dnsmasq.pid" }
        public var logPath: String { stateDirectory + "/dnsmasq.log" }
        /// A record always served (`fairway-dns.<domain>` → the listen address): `start` waits
        /// until it resolves, which proves the answer comes from our dnsmasq.
        public var probeName: String { "fairway-dns.\(domain)" }

        /// dnsmasq's command line: no config file, foreground, only the bridge address, no upstream
        /// servers, no `/etc/hosts`, our hosts directory, the cluster domain local, no negative cache.
        var dnsmasqArguments: [String] {
            [dnsmasqPath, "--conf-file=/dev/null", "--keep-in-foreground", "--log-facility=-",
             "--listen-address=\(listenAddress)", "--bind-interfaces", "--port=\(port)",
             "--no-resolv", "--no-hosts", "--hostsdir=\(hostsDirectory)", "--local=/\(domain)/",
             "--domain-needed", "--bogus-priv", "--no-negcache", "--pid-file=\(pidFile)"]
        }
    }
}
