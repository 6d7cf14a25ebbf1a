@testable import Agent
import Foundation
import Glibc
import XCTest

/// A private pod network for one agent test, beside any dev cluster: its own bridge (`fwa` + 4
/// hex of the pid), pod CIDR 10.240.0.0/16, claims directory and namespace prefix. `cleanUp()` is
/// synchronous so tests call it from `defer`: it removes the namespaces, veths, `/etc/netns`
/// directories and the bridge the test left.
final class TestPodNetwork: Sendable {
    let tag: String
    let options: PodNetworkOptions
    let claimsDirectory: String

    /// Skips the test unless it runs as root (namespaces and bridges need it).
    init(mode: PodNetworkMode = .on) throws {
        try XCTSkipUnless(geteuid() == 0, "pod networking tests need root (network namespaces, bridges); run them as root")
        let hex = String(getpid() & 0xFFFF, radix: 16)
        tag = String(repeating: "0", count: 4 - hex.count) + hex
        claimsDirectory = NSTemporaryDirectory() + "fwa-claims-\(UUID().uuidString.prefix(8))"
        var options = try PodNetworkOptions(mode: mode.rawValue, bridge: "fwa\(tag)", podCIDR: "10.240.0.0/16",
                                            claimsDirectory: claimsDirectory)
        options.namespacePrefix = "fwa\(tag)-"
        self.options = options
        cleanUp()
    }

    var bridgeAddress: String { "10.240.0.1" }

    /// Our namespaces that exist now.
    func namespaces() -> [String] {
        Self.run(["/usr/sbin/ip", "netns", "list"]).output.split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix(options.namespacePrefix) }
    }

    /// Whether a network interface of that name exists in the host namespace.
    func interfaceExists(_ name: String) -> Bool {
        Self.run(["/usr/sbin/ip", "link", "show", "dev", name]).status == 0
    }

    /// The host ends of veth pairs attached to our bridge.
    func bridgePorts() -> [String] {
        Self.run(["/usr/sbin/ip", "-o", "link", "show", "master", options.bridge]).output.split(separator: "\n")
            .compactMap { line in line.split(separator: ":").dropFirst().first.map { String($0.trimmingCharacters(in: .whitespaces).split(separator: "@")[0]) } }
    }

    /// Removes everything of this test network (safe to call when nothing exists).
    func cleanUp() {
        for namespace in namespaces() {
            _ = Self.run(["/usr/sbin/ip", "netns", "pids", namespace]).output.split(separator: "\n").map { kill(Int32($0) ?? 0, SIGKILL) }
            _ = Self.run(["/usr/sbin/ip", "netns", "del", namespace])
            try? FileManager.default.removeItem(atPath: options.netnsConfigDirectory + "/" + namespace)
        }
        for port in bridgePorts() { _ = Self.run(["/usr/sbin/ip", "link", "del", port]) }
        _ = Self.run(["/usr/sbin/ip", "link", "del", options.bridge])
        try? FileManager.default.removeItem(atPath: claimsDirectory)
    }

    /// Runs a command to completion (tests only).
    @discardableResult
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
