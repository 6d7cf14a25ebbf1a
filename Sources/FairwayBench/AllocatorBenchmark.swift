import Allocator
import FairwayCore
import Foundation

/// `fairway-bench allocator`: the DRF allocator alone, in memory, at Mesos-benchmark scale. Prints
/// one JSON object per profile, one per line (JSON Lines).
struct AllocatorBenchmark {
    var profiles: [AllocatorProfile] = AllocatorProfile.all
    /// `--profile all` runs each profile in a child process so `peak_rss_mb` is per profile.
    var reexec = true
    var repeats = 3
    var events = 2_000
    var eventBudgetSeconds = 300.0
    var seed: UInt64 = 1
    /// `--profile all`: a profile's child process is stopped after this many seconds.
    var profileTimeoutSeconds = 1_200.0

    static let usage = """
        usage: fairway-bench allocator [--profile all|1k|5k|10k|20k|quota | --agents N --frameworks M [--quota]]
                                       [--repeat K (3)] [--events E (2000)] [--event-budget SECONDS (300)] [--seed S (1)]
                                       [--timeout SECONDS (1200)] [--events 0]

        Benchmarks the DRF allocator in memory (release build: swift build -c release --product fairway-bench).
        Output: JSON Lines, one JSON object per profile on its own line, printed as each profile finishes.

        Profiles (Mesos allocator benchmark style): agents of \(AllocatorProfile.agentResources);
        1k = 1,000 agents x 100 frameworks, 5k = 5,000 x 500, 10k = 10,000 x 1,000, 20k = 20,000 x 2,000,
        all frameworks in one role; quota = 3,000 agents, 3,000 roles each with a quota (guarantee
        cpus:8;mem:32768, limit twice that), one framework per role. Frameworks cycle through task shapes
        1 cpu/2 GiB, 2/8 GiB, 4/4 GiB, 0.5/1 GiB; offered resources, they launch tasks in up to half of the
        offer (at least one) and decline the rest with a refusal of a year. `--profile all` (the default)
        runs every profile in a child process of this binary so that peak memory is per profile.
        --agents/--frameworks run one custom profile in this process (--quota: one role per framework, with quota).

        Fields: add_frameworks_ms and add_agents_ms (agents join an allocator that has every framework;
        medians of --repeat fresh builds), full_allocation_ms {median, max, runs} (one allocate(now:) over
        the idle cluster, on each fresh build) and the offers it made (--events 0 stops there: handy
        under a profiler); steady state after the frameworks
        answered until no pass makes offers: event_to_offer_us {p50, p99, max, events, without_offer}
        (a random running task ends: recover + allocate, timed together; without_offer counts events whose
        pass offered nothing on that task's agent); the events phase stops early at --event-budget seconds
        (events_truncated); with `--profile all`, a profile still running after --timeout seconds is
        stopped and reported as {"profile": ..., "error": "timed out ..."}; peak_rss_mb (getrusage ru_maxrss); mesos_reference_ms where issue 3 quotes
        Mesos's figures; targets from issue 3.
        """

    static func parse(_ arguments: [String]) throws(BenchError) -> AllocatorBenchmark? {
        var benchmark = AllocatorBenchmark()
        var flags = BenchFlags(arguments)
        var profileName: String?
        var agents: Int?
        var frameworks: Int?
        var quota = false
        while let flag = flags.next() {
            switch flag {
            case "--profile": profileName = try flags.value(for: flag)
            case "--agents": agents = try flags.integer(for: flag)
            case "--frameworks": frameworks = try flags.integer(for: flag)
            case "--quota": quota = true
            case "--repeat": benchmark.repeats = try flags.integer(for: flag)
            case "--events": benchmark.events = try flags.integer(for: flag, minimum: 0)
            case "--event-budget": benchmark.eventBudgetSeconds = try flags.number(for: flag)
            case "--seed": benchmark.seed = UInt64(try flags.integer(for: flag, minimum: 0))
            case "--timeout": benchmark.profileTimeoutSeconds = try flags.number(for: flag)
            case "--help", "-h":
                print(usage)
                return nil
            default:
                throw BenchError("unknown argument \(flag) for `fairway-bench allocator`; see `fairway-bench allocator --help`")
            }
        }
        switch (profileName, agents, frameworks) {
        case (nil, nil, nil), ("all", nil, nil):
            benchmark.profiles = AllocatorProfile.all
        case (let name?, nil, nil):
            guard let profile = AllocatorProfile.named(name) else {
                let names = (["all"] + AllocatorProfile.all.map(\.name)).joined(separator: ", ")
                throw BenchError("unknown profile '\(name)'; use one of \(names)")
            }
            benchmark.profiles = [profile]
            benchmark.reexec = false
        case (nil, let agents?, let frameworks?):
            benchmark.profiles = [.custom(agents: agents, frameworks: frameworks, quota: quota)]
            benchmark.reexec = false
        default:
            throw BenchError("give either --profile NAME or both --agents N and --frameworks M")
        }
        return benchmark
    }

    /// Runs the profiles, printing each result line as soon as it is known. Returns false when a
    /// child process failed.
    func run() throws -> Bool {
        guard reexec else {
            for profile in profiles { BenchOutput.emit(try BenchOutput.line(try measure(profile))) }
            return true
        }
        var succeeded = true
        for profile in profiles {
            switch try runChild(profile: profile) {
            case .success(let lines):
                for line in lines { BenchOutput.emit(line) }
            case .failure(let problem):
                succeeded = false
                BenchOutput.progress("[\(profile.name)] \(problem.description)")
                BenchOutput.emit(try BenchOutput.line(["benchmark": "allocator", "profile": profile.name, "error": problem.description]))
            }
        }
        return succeeded
    }

    /// Re-executes this binary for one profile and returns the JSON lines it printed, or why
    /// there are none (it failed, or was still running after the timeout and was stopped).
    private func runChild(profile: AllocatorProfile) throws -> Result<[String], BenchError> {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "allocator", "--profile", profile.name, "--repeat", String(repeats), "--events", String(events),
            "--event-budget", String(eventBudgetSeconds), "--seed", String(seed),
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let deadline = Stopwatch.nanoseconds() + UInt64(profileTimeoutSeconds * 1e9)
        while process.isRunning && Stopwatch.nanoseconds() < deadline { usleep(100_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return .failure(BenchError("timed out after \(Int(profileTimeoutSeconds)) s (--timeout) and was stopped"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        guard process.terminationStatus == 0 else {
            return .failure(BenchError("the child process exited with status \(process.terminationStatus); see stderr"))
        }
        return .success(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
    }
}
