extension ClusterDNS {
    /// The DNS name of a service: `web` in `default` is `web.default.svc.cluster.local`.
    public static func serviceName(_ service: String, namespace: String, domain: String = "cluster.local") -> String {
        "\(service).\(namespace).svc.\(domain)".lowercased()
    }

    /// A pod's `resolv.conf`: the cluster DNS on the bridge, the namespace's search list (so `web`
    /// and `web.default` resolve), one-second timeouts so a lost answer costs little.
    public static func resolvConf(namespace: String, bridgeIP: IPv4Address, domain: String = "cluster.local") -> String {
        """
        nameserver \(bridgeIP)
        search \(namespace).svc.\(domain) svc.\(domain) \(domain)
        options ndots:5 timeout:1 attempts:2

        """
    }

    /// A record name in canonical form (lowercase, no trailing dot), or an error when it is not a
    /// DNS name of letters, digits, `-` and `_` labels.
    static func normalize(_ name: String) throws(PodNetworkError) -> String {
        var fqdn = name.lowercased()
        if fqdn.hasSuffix(".") { fqdn.removeLast() }
        let labels = fqdn.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !fqdn.isEmpty && fqdn.utf8.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.utf8.count)
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
        guard valid else {
            throw PodNetworkError(.invalidArgument, "`\(name)` is not a DNS name (dot-separated labels of letters, digits and `-`)")
        }
        return fqdn
    }
}
