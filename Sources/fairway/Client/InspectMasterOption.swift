import ArgumentParser
import Foundation
import FrameworkKit

/// `--master` for the inspection commands: which master to ask.
struct InspectMasterOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The master to ask, as HOST:PORT.",
        discussion: "Defaults to $FAIRWAY_MASTER, or 127.0.0.1:5050 (the local cluster of 'fairway dev').",
        valueName: "host:port"))
    var master: String?

    /// The master given, else `$FAIRWAY_MASTER`, else the local cluster's.
    var address: String {
        let given = master ?? ProcessInfo.processInfo.environment["FAIRWAY_MASTER"].flatMap { $0.isEmpty ? nil : $0 }
        return given.flatMap(MasterAddress.normalize) ?? "127.0.0.1:5050"
    }

    var inspector: ClusterInspector { ClusterInspector(master: address) }
}
