extension ContainerSpec {
    /// The spec of a container of `group`: in its own namespace, the program runs behind
    /// `ip netns exec NS`, which enters the namespace, bind-mounts the pod's `resolv.conf` and
    /// `hosts` and `exec`s the program (same pid, so signals and the reaper are unaffected).
    func joining(_ group: PodGroupNetwork, isolator: PodNetworkIsolator) -> ContainerSpec {
        guard group.isolated else { return self }
        var spec = self
        spec.command = command.prefixed(isolator.commandPrefix(podID: group.podID, hostname: podHostname))
        return spec
    }
}

extension TaskCommand {
    /// This command run through `prefix`: the prefix's program comes first and gets this
    /// program (searched in `PATH` by the prefix when it has no `/`) and its arguments.
    func prefixed(_ prefix: [String]) -> TaskCommand {
        guard let first = prefix.first else { return self }
        let argv = arguments.isEmpty ? [program] : arguments
        return TaskCommand(program: first, arguments: prefix + [program] + argv.dropFirst(), searchPath: false)
    }
}
