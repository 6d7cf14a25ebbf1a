import FairwayCore
import Glibc

/// What this machine offers when the operator does not say: all cores, physical memory less 1 GB
/// for the system (half of it on a small machine), the work dir's free space less 5 GB, and ports
/// 31000-32000, as Mesos detects them. Given resources win; missing ones are filled in.
public enum MachineResources {
    public static func detect(workDirectory: String) -> Resources {
        let cpus = Double(max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let totalMB = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
        let memMB = totalMB >= 2048 ? totalMB - 1024 : totalMB / 2
        var stats = statvfs()
        var diskMB = 0.0
        if statvfs(workDirectory, &stats) == 0 {
            diskMB = max(0, Double(stats.f_bavail) * Double(stats.f_frsize) / 1_048_576 - 5 * 1024)
        }
        var resources = Resources(scalars: ["cpus": cpus, "mem": memMB.rounded(.down), "disk": diskMB.rounded(.down)])
        resources.add(ResourceKey(name: "ports"), .ranges(ValueRanges([31000...32000])))
        return resources
    }

    /// `given` plus detected values for whichever of cpus, mem, disk and ports it lacks.
    public static func complete(_ given: Resources?, workDirectory: String) -> Resources {
        let detected = detect(workDirectory: workDirectory)
        guard var resources = given else { return detected }
        let present = resources.names
        for (key, value) in detected.values where !present.contains(key.name) {
            resources.add(key, value)
        }
        return resources
    }

    /// The advertised hostname: the flag, else the IP if it is a real address, else gethostname().
    public static func hostname(flag: String?, ip: String) -> String {
        if let flag, !flag.isEmpty { return flag }
        if ip != "0.0.0.0" && ip != "::" && !ip.isEmpty { return ip }
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
