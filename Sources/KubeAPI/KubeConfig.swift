import Foundation

/// A kubeconfig for kubectl and the client libraries pointing at a Fairway API server: cluster,
/// user and context all named `fairway`, namespace `default`. `fairway dev` writes it out.
public enum KubeConfig {
    /// - Parameters:
    ///   - server: the API URL, e.g. `http://127.0.0.1:6443`.
    ///   - token: a bearer token, when the server requires one.
    ///   - certificateAuthorityData: base64 PEM of the CA for an https server.
    public static func yaml(server: String, token: String? = nil, certificateAuthorityData: String? = nil,
                            namespace: String = "default") -> String {
        var cluster = "    server: \(quoted(server))\n"
        if let certificateAuthorityData { cluster += "    certificate-authority-data: \(certificateAuthorityData)\n" }
        let user = token.map { "    token: \(quoted($0))\n" } ?? "    {}\n"
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fairway
          cluster:
        \(cluster)contexts:
        - name: fairway
          context:
            cluster: fairway
            user: fairway
            namespace: \(quoted(namespace))
        current-context: fairway
        preferences: {}
        users:
        - name: fairway
          user:
        \(user)
        """
    }

    /// A YAML double-quoted string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
