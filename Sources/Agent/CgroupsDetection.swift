import Foundation
import Logging

/// Finds out which cgroup version this machine offers for the agent's tasks and where the agent's
/// own cgroups are, from `/proc/self/mountinfo` and `/proc/self/cgroup`, and prepares the agent's
/// `fairway/agent-<key>` subtree. Parsing is separate from the file system for tests.
enum CgroupsDetection {
    struct Mount: Equatable, Sendable {
        var mountPoint: String
        /// The path inside the hierarchy that is mounted there (`/` unless in a container).
        var root: String
        /// v1 controllers of the hierarchy; empty for cgroup2.
        var controllers: Set<String>
        var isUnified: Bool
    }

    /// The agent's own cgroups: per v1 controller, and the unified (v2) path if any.
    struct Membership: Equatable, Sendable {
        var v1: [String: String] = [:]
        var unified: String?
    }

    static func parseMounts(_ mountinfo: String) -> [Mount] {
        var mounts: [Mount] = []
        for line in mountinfo.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2 else { continue }
            let fields = halves[0].split(separator: " ")
            let tail = halves[1].split(separator: " ")
            guard fields.count >= 5, tail.count >= 3 else { continue }
            let root = unescape(String(fields[3]))
            let mountPoint = unescape(String(fields[4]))
            switch tail[0] {
            case "cgroup2":
                mounts.append(Mount(mountPoint: mountPoint, root: root, controllers: [], isUnified: true))
            case "cgroup":
                let known: Set<String> = ["memory", "cpu", "cpuacct", "cpuset", "devices", "freezer", "blkio", "pids",
                                          "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc"]
                let controllers = Set(tail[2].split(separator: ",").map(String.init)).intersection(known)
                mounts.append(Mount(mountPoint: mountPoint, root: root, controllers: controllers, isUnified: false))
            default:
                continue
            }
        }
        return mounts
    }

    static func parseMembership(_ procSelfCgroup: String) -> Membership {
        var membership = Membership()
        for line in procSelfCgroup.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            if parts[0] == "0" && parts[1].isEmpty {
                membership.unified = String(parts[2])
            } else {
                for controller in parts[1].split(separator: ",") { membership.v1[String(controller)] = String(parts[2]) }
            }
        }
        return membership
    }

    /// The directory of cgroup `path` in a hierarchy mounted at `mount` (whose root may itself be a
    /// sub-cgroup, as in containers).
    static func directory(of path: String, in mount: Mount) -> String {
        var relative = path
        if mount.root != "/" && relative.hasPrefix(mount.root) { relative = String(relative.dropFirst(mount.root.count)) }
        if relative == "/" { relative = "" }
        return mount.mountPoint + relative
    }

    /// mountinfo escapes spaces and the like as `\040`.
    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var result = ""
        var iterator = Array(field).makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else { result.append(character); continue }
            let digits = String([iterator.next(), iterator.next(), iterator.next()].compactMap { $0 })
            if let code = UInt8(digits, radix: 8) { result.append(Character(Unicode.Scalar(code))) } else { result += "\\" + digits }
        }
        return result
    }

    /// Returns the isolator to use, or nil (after saying why in the log, once).
    static func detect(agentKey: String, logger: Logger) -> (any CgroupIsolator)? {
        let mounts = parseMounts(CgroupFiles.read("/proc/self/mountinfo") ?? "")
        let membership = parseMembership(CgroupFiles.read("/proc/self/cgroup") ?? "")
        let subtree = "/fairway/" + agentKey

        if let memoryMount = mounts.first(where: { $0.controllers.contains("memory") }),
           let memoryPath = membership.v1["memory"] {
            let memoryBase = directory(of: memoryPath, in: memoryMount) + subtree
            CgroupsV1.removeAbandonedPools(under: directory(of: memoryPath, in: memoryMount) + "/fairway")
            do {
                try Sandbox.makeDirectories(memoryBase)
            } catch {
                logger.warning("cgroups unavailable, tasks run without cpu and memory limits: cannot create \(memoryBase) (\(error)); run the agent as root or pass --no-cgroups")
                return nil
            }
            var cpuBase: String?
            if let cpuMount = mounts.first(where: { $0.controllers.contains("cpu") }), let cpuPath = membership.v1["cpu"] {
                let candidate = directory(of: cpuPath, in: cpuMount) + subtree
                CgroupsV1.removeAbandonedPools(under: directory(of: cpuPath, in: cpuMount) + "/fairway")
                do {
                    try Sandbox.makeDirectories(candidate)
                    cpuBase = candidate
                } catch {
                    logger.warning("cgroup v1 cpu controller unusable, cpus are not enforced: \(error)")
                }
            }
            return CgroupsV1(memoryBase: memoryBase, cpuBase: cpuBase)
        }

        if let unifiedMount = mounts.first(where: \.isUnified), let unifiedPath = membership.unified {
            let own = directory(of: unifiedPath, in: unifiedMount)
            let available = Set((CgroupFiles.read(own + "/cgroup.controllers") ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
            guard available.contains("memory") else {
                logger.warning("cgroups unavailable, tasks run without cpu and memory limits: no v1 memory hierarchy, and the memory controller is not delegated to \(own) in cgroup v2")
                return nil
            }
            let hasCPU = available.contains("cpu")
            let enable = "+memory" + (hasCPU ? " +cpu" : "")
            var current = own
            do {
                for component in ["fairway", agentKey] {
                    try CgroupFiles.write(current + "/cgroup.subtree_control", enable)
                    current += "/" + component
                    try Sandbox.makeDirectories(current)
                }
                try CgroupFiles.write(current + "/cgroup.subtree_control", enable)
            } catch {
                logger.warning("cgroups unavailable, tasks run without cpu and memory limits: cannot delegate controllers below \(own) (\(error)). In cgroup v2 a cgroup with processes cannot have controlled children: start the agent in a cgroup of its own, or pass --no-cgroups")
                return nil
            }
            return CgroupsV2(base: current, hasCPU: hasCPU)
        }

        logger.warning("cgroups unavailable, tasks run without cpu and memory limits: no cgroup hierarchy is mounted")
        return nil
    }
}
