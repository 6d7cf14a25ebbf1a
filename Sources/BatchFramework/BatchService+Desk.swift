import BatchCore
import FairwayProto
import Foundation
import FrameworkKit

extension BatchService: JobDesk {
    func submit(_ request: Fairway_V1_Batch_JobSpec) async -> Result<Fairway_V1_Batch_Job, JobAPIError> {
        let spec: JobSpec
        var splits: [InputSplit] = []
        do {
            spec = try JobSpec(proto: request)
            var problems = spec.validate()
            if case .mapReduce(let mr) = spec.kind, problems.isEmpty {
                for (role, command) in [("mapper", mr.mapper), ("reducer", mr.reducer), ("combiner", mr.combiner ?? "")]
                where !command.isEmpty {
                    if let problem = CommandCheck.problem(with: command, role: role) { problems.append(problem) }
                }
                if problems.isEmpty {
                    let files = try InputResolver.files(for: mr.inputs).map { file in
                        InputFile(path: file.path, size: file.size, hosts: request.mapReduce.inputHosts)
                    }
                    splits = SplitPlanner.splits(files: files, splitSize: mr.splitSize)
                }
            }
            if problems.isEmpty { problems = spec.validate(splits: splits, largestAgent: await largestAgent()) }
            guard problems.isEmpty else { throw JobAPIError.invalid(problems) }
            if case .mapReduce(let mr) = spec.kind { try InputResolver.prepareOutput(mr.output) }
        } catch let error as JobAPIError {
            return .failure(error)
        } catch {
            return .failure(.invalid(["\(error)"]))
        }
        return accept(spec, splits: splits)
    }

    /// Stores the job, then hands it to the planner (a job is answered only once it would survive a restart).
    private func accept(_ spec: JobSpec, splits: [InputSplit]) -> Result<Fairway_V1_Batch_Job, JobAPIError> {
        let now = Self.now()
        do {
            let number = try store.nextJobNumber()
            let id = "job-\(number)"
            try store.insertJob(id: id, number: number, spec: try spec.proto.serializedBytes(),
                                splits: try JSONEncoder().encode(splits), submittedAt: now)
            perform(planner.submit(id: id, spec: spec, splits: splits, now: now))
            logger.notice("job \(id) submitted: \(spec.kind.summary)")
            return job(id, includeTasks: false)
        } catch {
            return .failure(JobAPIError(status: .internalServerError, message: "cannot store the job: \(error)"))
        }
    }

    func job(_ id: String, includeTasks: Bool) -> Result<Fairway_V1_Batch_Job, JobAPIError> {
        guard let job = planner.job(id), let status = planner.status(of: id, now: Self.now()) else {
            return .failure(.unknownJob(id))
        }
        return .success(view(job, status: status, includeTasks: includeTasks, now: Self.now()))
    }

    func jobs(limit: Int) -> [Fairway_V1_Batch_Job] {
        let now = Self.now()
        return planner.statuses(now: now).suffix(max(limit, 0)).reversed().compactMap { status in
            planner.job(status.id).map { view($0, status: status, includeTasks: false, now: now) }
        }
    }

    /// A job as the API shows it, with why its tasks wait when no agent offered room for one lately.
    private func view(_ job: Job, status: JobStatus, includeTasks: Bool, now: Double) -> Fairway_V1_Batch_Job {
        var view = Fairway_V1_Batch_Job(job, status: status, includeTasks: includeTasks)
        if !job.isFinished, status.phases.contains(where: { $0.waiting > 0 }),
           let reason = offerHistory.reasonWaiting(cpus: job.spec.cpus, memMB: job.spec.memMB, now: now) {
            view.waitingReason = reason
        }
        return view
    }

    func kill(_ id: String) -> Result<Fairway_V1_Batch_Job, JobAPIError> {
        guard let job = planner.job(id) else { return .failure(.unknownJob(id)) }
        if !job.isFinished {
            try? store.setJobState(id: id, state: JobState.killed.rawValue, message: "killed by a user")
            perform(planner.kill(jobID: id, now: Self.now()))
        }
        return self.job(id, includeTasks: false)
    }

    /// The biggest agent's cpus and memory, from the master's state; nil when the master cannot be asked.
    private func largestAgent() async -> AgentCapacity? {
        guard let (snapshot, _) = try? await ClusterInspector(master: options.master).masterState() else { return nil }
        let agents = snapshot.agents.filter(\.active)
        guard !agents.isEmpty else { return nil }
        return AgentCapacity(cpus: agents.map { $0.resources.scalar("cpus") }.max() ?? 0,
                             memMB: agents.map { $0.resources.scalar("mem") }.max() ?? 0)
    }
}

extension JobKind {
    var summary: String {
        switch self {
        case .array(let array): "\(array.count) × \(array.command)"
        case .mapReduce(let mr): "map/reduce of \(mr.inputs.joined(separator: " ")) into \(mr.output)"
        }
    }
}
