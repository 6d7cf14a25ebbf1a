import FairwayHTTP
import FairwayProto
import FairwayTesting
import Foundation
import FrameworkKit
import XCTest

/// The batch framework through the real binaries: a master, agents, `fairway batch`, and jobs
/// submitted with `fairway job submit` or the job API.
final class BatchIntegrationTests: XCTestCase {
    /// A master that gives up on a vanished agent after 3 s (instead of 75), two agents and the batch framework.
    private func makeCluster(agents: Int = 2, resources: String = "cpus:2;mem:2048;disk:10000;ports:[31000-32000]")
        async throws -> (ProcessCluster, BatchClient) {
        let cluster = try ProcessCluster(masterArguments: ["--agent-removal-timeout", "3"], logLevel: "info")
        try await cluster.startMaster()
        for index in 1...agents { try await cluster.startAgent(index: index, resources: resources) }
        let address = try await cluster.startBatch()
        return (cluster, BatchClient(address: address))
    }

    private func wait(for id: String, on client: BatchClient, timeout: Double = 120) async throws -> Fairway_V1_Batch_Job {
        try await waitUntil("\(id) finishes", timeout: timeout, interval: 0.2) {
            [.succeeded, .failed, .killed].contains(try await client.job(id).state)
        }
        return try await client.job(id, includeTasks: true)
    }

    /// A few MB of real text (`TextCorpus`) in two files under `directory/input`.
    private func corpus(in directory: URL, bytes: Int = 3 << 20) throws -> URL {
        let input = directory.appendingPathComponent("input")
        try TextCorpus.write(to: input, bytes: bytes, fileBytes: bytes / 2)
        return input
    }

    /// Word → count as `sort | uniq -c` prints it (leading spaces, count, space, word), empty word left out.
    private func counts(_ text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard let space = trimmed.firstIndex(of: " "), let count = Int(trimmed[..<space]) else { continue }
            let word = String(trimmed[trimmed.index(after: space)...])
            guard !word.isEmpty else { continue }
            result[word, default: 0] += count
        }
        return result
    }

    private func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func outputCounts(_ directory: URL, reducers: Int) throws -> [String: Int] {
        var all: [String: Int] = [:]
        for partition in 0..<reducers {
            let part = directory.appendingPathComponent(String(format: "part-%05d", partition))
            let text = try String(contentsOf: part, encoding: .utf8)
            for (word, count) in counts(text) {
                XCTAssertNil(all[word], "\(word) appears in two partitions")
                all[word] = count
            }
        }
        return all
    }

    func testWordCountOverARealCorpusEqualsSortUniqAndBadJobsAreRefusedWhole() async throws {
        let (cluster, client) = try await makeCluster()
        defer { cluster.shutdown() }
        let input = try corpus(in: cluster.root)
        let output = cluster.root.appendingPathComponent("counts")
        let batch = "--batch=127.0.0.1:\(cluster.batchPort ?? 0)"

        let run = try cluster.runFairway(["job", "submit", "mapreduce", batch, "--input", input.path + "/*.txt",
                                          "--output", output.path, "--reducers", "4", "--split-size", "512k",
                                          "--mapper", "LC_ALL=C tr -s '[:space:]' '\\n'", "--reducer", "uniq -c",
                                          "--cpus", "0.5", "--mem", "64", "--wait"])
        XCTAssertEqual(run.status, 0, run.output + run.errors + cluster.log("batch"))
        XCTAssertTrue(run.output.contains("succeeded"), run.output)

        let expected = counts(try shell("cat \(input.path)/*.txt | tr -s '[:space:]' '\\n' | sort | uniq -c"))
        XCTAssertGreaterThan(expected.count, 1000)
        let actual = try outputCounts(output, reducers: 4)
        XCTAssertEqual(actual.count, expected.count)
        for (word, count) in expected where actual[word] != count {
            XCTFail("\(word): \(actual[word].map(String.init) ?? "missing") instead of \(count)")
            break
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("_SUCCESS").path))
        // Counters: every input line read once, one output record per distinct word (and the empty one).
        let listed = try await client.jobs()
        let job = try XCTUnwrap(listed.first)
        let counter = { (name: String) in job.counters.first { $0.name == name }?.value ?? -1 }
        let lines = try shell("cat \(input.path)/*.txt | wc -l").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(counter("map_input_records"), Int64(lines))
        XCTAssertEqual(counter("map_output_records"), counter("reduce_input_records"))
        XCTAssertGreaterThanOrEqual(counter("reduce_output_records"), Int64(expected.count))
        XCTAssertGreaterThan(counter("map_tasks_done"), 1, "the corpus was split over several maps")
        XCTAssertEqual(counter("reduce_tasks_done"), 4)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("_temporary").path))

        // Bad input: a clear error at submit time, and nothing created.
        let before = try await client.jobs().count
        let fresh = cluster.root.appendingPathComponent("never").path
        let missing = try cluster.runFairway(["job", "submit", "mapreduce", batch, "--input", "/nonexistent/input.txt",
                                              "--output", fresh, "--mapper", "cat", "--reducer", "cat"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.errors.contains("/nonexistent/input.txt does not exist"), missing.errors)
        let noMapper = try cluster.runFairway(["job", "submit", "mapreduce", batch, "--input", input.path,
                                               "--output", fresh, "--mapper", "frobnicate-words --fast", "--reducer", "cat"])
        XCTAssertNotEqual(noMapper.status, 0)
        XCTAssertTrue(noMapper.errors.contains("frobnicate-words was not found"), noMapper.errors)
        let huge = try cluster.runFairway(["job", "submit", "array", batch, "--count", "3", "--cpus", "64", "--", "true"])
        XCTAssertNotEqual(huge.status, 0)
        XCTAssertTrue(huge.errors.contains("largest agent"), huge.errors)
        let jobs = try await client.jobs()
        XCTAssertEqual(jobs.count, before, "a refused job leaves nothing behind")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh), "a refused job creates no output directory")
    }

    func testAThousandTaskArrayRunsEveryIndexExactlyOnce() async throws {
        let (cluster, client) = try await makeCluster()
        defer { cluster.shutdown() }
        var spec = Fairway_V1_Batch_JobSpec()
        spec.array.command = "echo index=$FAIRWAY_TASK_INDEX"
        spec.array.count = 1000
        spec.cpus = 0.05
        spec.mem = 16
        let job = try await client.submit(spec)
        let done = try await wait(for: job.id, on: client, timeout: 300)
        XCTAssertEqual(done.state, .succeeded, done.message)
        XCTAssertEqual(done.tasks.count, 1000)
        XCTAssertEqual(Set(done.tasks.map(\.index)), Set(0..<1000))
        for task in done.tasks {
            XCTAssertEqual(task.attempts.filter { $0.state == .succeeded }.count, 1, "task \(task.index)")
        }
        // The output of one task, through the agent's sandbox.
        let logs = try cluster.runFairway(["job", "logs", done.id, "--task", "417", "--batch=127.0.0.1:\(cluster.batchPort ?? 0)",
                                           "--master", cluster.master])
        XCTAssertEqual(logs.status, 0, logs.errors)
        XCTAssertEqual(logs.output, "index=417\n")
    }

    func testAFlakyMapperIsRetriedAndAnAlwaysFailingOneFailsTheJobNamingTheTask() async throws {
        let (cluster, client) = try await makeCluster()
        defer { cluster.shutdown() }
        let input = cluster.root.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for file in 0..<3 {
            try String(repeating: "alpha beta gamma file\(file)\n", count: 200).write(to: input.appendingPathComponent("f\(file).txt"), atomically: true, encoding: .utf8)
        }
        let tries = cluster.root.appendingPathComponent("tries").path
        // Map 1 fails twice (counting its runs in a file), then works.
        var flaky = Fairway_V1_Batch_JobSpec()
        flaky.mapReduce.inputs = [input.path]
        flaky.mapReduce.output = cluster.root.appendingPathComponent("flaky-out").path
        flaky.mapReduce.mapper = """
            if [ "$FAIRWAY_TASK_INDEX" = 1 ]; then n=$(cat \(tries) 2>/dev/null || echo 0); echo $((n+1)) > \(tries); \
            if [ "$n" -lt 2 ]; then echo "flaky split, run $n" >&2; exit 3; fi; fi; tr -s ' ' '\\n'
            """
        flaky.mapReduce.reducer = "uniq -c"
        flaky.mapReduce.reducers = 2
        flaky.cpus = 0.5
        flaky.mem = 64
        let first = try await client.submit(flaky)
        let done = try await wait(for: first.id, on: client)
        XCTAssertEqual(done.state, .succeeded, done.message)
        let map1 = try XCTUnwrap(done.tasks.first { $0.phase == .map && $0.index == 1 })
        XCTAssertEqual(map1.attempts.map(\.state), [.failed, .failed, .succeeded])
        let counted = try outputCounts(URL(fileURLWithPath: flaky.mapReduce.output), reducers: 2)
        XCTAssertEqual(counted["alpha"], 600)
        XCTAssertEqual(counted["file1"], 200)

        var broken = flaky
        broken.mapReduce.output = cluster.root.appendingPathComponent("broken-out").path
        broken.mapReduce.mapper = "echo 'cannot parse record 7' >&2; exit 2"
        broken.maxAttempts = 2
        let second = try await client.submit(broken)
        let failed = try await wait(for: second.id, on: client)
        XCTAssertEqual(failed.state, .failed)
        XCTAssertTrue(failed.message.contains("map"), failed.message)
        XCTAssertTrue(failed.message.contains("cannot parse record 7"), failed.message)
        XCTAssertFalse(FileManager.default.fileExists(atPath: broken.mapReduce.output + "/part-00000"))
    }

    func testMapsRunOnTheHostThatHoldsTheirInput() async throws {
        let cluster = try ProcessCluster(logLevel: "info")
        defer { cluster.shutdown() }
        try await cluster.startMaster()
        try await cluster.startAgent(index: 1)
        try await cluster.startAgent(index: 2, extra: ["--hostname", "localhost"])
        let client = BatchClient(address: try await cluster.startBatch())
        let input = try corpus(in: cluster.root, bytes: 256 << 10)
        var spec = Fairway_V1_Batch_JobSpec()
        spec.mapReduce.inputs = [input.path]
        spec.mapReduce.output = cluster.root.appendingPathComponent("local-out").path
        spec.mapReduce.mapper = "cat"
        spec.mapReduce.reducer = "wc -l"
        spec.mapReduce.splitSize = 64 << 10
        spec.mapReduce.inputHosts = ["localhost"]
        spec.cpus = 0.25
        spec.mem = 32
        spec.localityDelaySeconds = 30
        let job = try await wait(for: try await client.submit(spec).id, on: client)
        XCTAssertEqual(job.state, .succeeded, job.message)
        let maps = job.tasks.filter { $0.phase == .map }
        XCTAssertGreaterThanOrEqual(maps.count, 4)
        XCTAssertEqual(Set(maps.flatMap(\.attempts).map(\.hostname)), ["localhost"], "every map ran where its input is")
    }

    func testReducesStartOnceTheSlowstartFractionOfMapsIsDoneAndTheOutputIsComplete() async throws {
        let (cluster, client) = try await makeCluster()
        defer { cluster.shutdown() }
        let input = cluster.root.appendingPathComponent("slowstart-in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for file in 0..<8 {
            let text = (0..<300).map { "word\($0 % (7 + file)) shared line\(file)" }.joined(separator: "\n") + "\n"
            try text.write(to: input.appendingPathComponent("f\(file).txt"), atomically: true, encoding: .utf8)
        }
        // Eight maps at once (8 slots of 0.5 cpu); six take a second, two take four, so the reduces
        // (slowstart 25 %) can start while the last maps still run and must fetch their outputs later.
        var spec = Fairway_V1_Batch_JobSpec()
        spec.mapReduce.inputs = [input.path]
        spec.mapReduce.output = cluster.root.appendingPathComponent("slowstart-out").path
        spec.mapReduce.mapper = """
            if [ "$FAIRWAY_TASK_INDEX" -ge 6 ]; then sleep 4; else sleep 1; fi; LC_ALL=C tr -s '[:space:]' '\\n'
            """
        spec.mapReduce.reducer = "uniq -c"
        spec.mapReduce.reducers = 2
        spec.mapReduce.reduceSlowstart = 0.25
        spec.cpus = 0.5
        spec.mem = 64
        let job = try await wait(for: try await client.submit(spec).id, on: client)
        XCTAssertEqual(job.state, .succeeded, job.message + cluster.log("batch"))
        let maps = job.tasks.filter { $0.phase == .map }
        let reduces = job.tasks.filter { $0.phase == .reduce }
        XCTAssertEqual(maps.count, 8)
        XCTAssertEqual(reduces.count, 2)
        let lastMapFinished = try XCTUnwrap(maps.flatMap(\.attempts).filter { $0.state == .succeeded }.map(\.finishedAt).max())
        let firstReduceStarted = try XCTUnwrap(reduces.flatMap(\.attempts).map(\.startedAt).min())
        XCTAssertLessThan(firstReduceStarted, lastMapFinished, "a reduce started before the last map finished")
        let expected = counts(try shell("cat \(input.path)/*.txt | tr -s '[:space:]' '\\n' | sort | uniq -c"))
        XCTAssertGreaterThan(expected.count, 10)
        XCTAssertEqual(try outputCounts(URL(fileURLWithPath: spec.mapReduce.output), reducers: 2), expected)

        // The job API lists where every map's output is, for reduces polling it.
        let listed = try await HTTPCalls.get("http://127.0.0.1:\(cluster.batchPort ?? 0)/jobs/\(job.id)/map-outputs")
        XCTAssertEqual(listed.status, .ok, listed.text)
        let document = try JSONSerialization.jsonObject(with: Data(listed.body)) as? [String: Any]
        XCTAssertEqual(document?["maps"] as? Int, 8)
        XCTAssertEqual(document?["state"] as? String, "succeeded")
        XCTAssertEqual((document?["outputs"] as? [[String: Any]])?.compactMap { $0["index"] as? Int }, Array(0..<8))
        let unknown = try await HTTPCalls.get("http://127.0.0.1:\(cluster.batchPort ?? 0)/jobs/job-999/map-outputs")
        XCTAssertEqual(unknown.status, .notFound)
    }

    func testKillingTheFrameworkMidJobLosesNothingAndDuplicatesNothing() async throws {
        let (cluster, client) = try await makeCluster()
        defer { cluster.shutdown() }
        let input = try corpus(in: cluster.root, bytes: 1 << 20)
        var spec = Fairway_V1_Batch_JobSpec()
        spec.mapReduce.inputs = [input.path]
        spec.mapReduce.output = cluster.root.appendingPathComponent("out").path
        spec.mapReduce.mapper = "sleep 1; LC_ALL=C tr -s '[:space:]' '\\n'"
        spec.mapReduce.reducer = "sleep 1; uniq -c"
        spec.mapReduce.reducers = 3
        spec.mapReduce.splitSize = 64 << 10
        spec.cpus = 0.5
        spec.mem = 64
        let job = try await client.submit(spec)
        try await waitUntil("some maps are done and others run", timeout: 60, interval: 0.1) {
            let phase = try await client.job(job.id).phases.first { $0.phase == .map }
            return (phase?.succeeded ?? 0) >= 2 && (phase?.running ?? 0) > 0
        }
        cluster.killBatch(signal: SIGKILL)
        let restarted = BatchClient(address: try await cluster.startBatch())
        let done = try await wait(for: job.id, on: restarted, timeout: 180)
        XCTAssertEqual(done.state, .succeeded, done.message + cluster.log("batch"))
        let expected = counts(try shell("cat \(input.path)/*.txt | tr -s '[:space:]' '\\n' | sort | uniq -c"))
        XCTAssertEqual(try outputCounts(URL(fileURLWithPath: spec.mapReduce.output), reducers: 3), expected)
    }

    func testAStoppedAgentsTasksRunElsewhereAndAStragglerGetsABackup() async throws {
        let (cluster, client) = try await makeCluster()
        defer { cluster.shutdown() }
        // Four 3-second tasks at 1 cpu: two per agent, on both agents at once.
        var spec = Fairway_V1_Batch_JobSpec()
        spec.array.command = "sleep 3"
        spec.array.count = 4
        spec.cpus = 1
        spec.mem = 64
        spec.speculative = false
        let job = try await client.submit(spec)
        try await waitUntil("tasks run on both agents", timeout: 60, interval: 0.1) {
            let running = try await client.job(job.id, includeTasks: true).tasks.flatMap(\.attempts).filter { $0.state == .running }
            return Set(running.map(\.agentID)).count == 2
        }
        cluster.stopAgent(index: 2, signal: SIGKILL)
        let done = try await wait(for: job.id, on: client, timeout: 120)
        XCTAssertEqual(done.state, .succeeded, done.message)
        XCTAssertTrue(done.tasks.contains { $0.attempts.contains { $0.state == .lost } }, "some attempts were lost with the agent")
        XCTAssertEqual(done.tasks.filter { $0.attempts.last?.state == .succeeded }.count, 4)

        // A straggler: task 3's first attempt would take two minutes, the others a second. Its backup
        // needs another agent than the straggler's.
        try await cluster.startAgent(index: 3)
        let marker = cluster.root.appendingPathComponent("slow-once").path
        var straggly = Fairway_V1_Batch_JobSpec()
        straggly.array.command = """
            if [ "$FAIRWAY_TASK_INDEX" = 3 ] && mkdir \(marker) 2>/dev/null; then sleep 120; else sleep 1; fi
            """
        straggly.array.count = 4
        straggly.cpus = 0.5
        straggly.mem = 64
        let second = try await client.submit(straggly)
        let fast = try await wait(for: second.id, on: client, timeout: 100)
        XCTAssertEqual(fast.state, .succeeded, fast.message)
        let slow = try XCTUnwrap(fast.tasks.first { $0.index == 3 })
        XCTAssertTrue(slow.attempts.contains { $0.speculative && $0.state == .succeeded }, "the backup won: \(slow.attempts)")
        XCTAssertTrue(slow.attempts.contains { !$0.speculative && $0.state == .killed }, "the straggler was killed: \(slow.attempts)")
    }
}
