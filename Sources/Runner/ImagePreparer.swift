import ContainerEngine
import Manifest
import Synchronization

/// Gets each deployment's image onto its engine as the `pull` policy says, and builds the
/// standalone-Python image once per deployment when one is needed.
final class ImagePreparer: Sendable {
    private let log: RunnerLog
    private let progress: ProgressPrinter
    private let environment: [String: String]
    private let builds = Mutex<[String: Task<String, any Error>]>([:])

    init(log: RunnerLog, progress: ProgressPrinter, environment: [String: String]) {
        self.log = log
        self.progress = progress
        self.environment = environment
    }

    /// Pulls what the policy asks for: `always` pulls, `missing` pulls when absent, `never` checks
    /// that the image is there. Returns the ids it saw, by `ImagePreparer.key`: an image it did not
    /// pull is not asked for again by the plan.
    func prepare(_ specs: [SandboxSpec], engines: EngineSet) async throws -> [String: String] {
        var seen = Set<String>()
        var ids: [String: String] = [:]
        for spec in specs {
            guard let handle = engines.engine(for: spec.deployment) else { continue }
            let config = spec.resolved.config
            guard seen.insert("\(handle.key)|\(config.image)|\(config.platform ?? "")").inserted else { continue }
            let id = try await prepare(image: config.image, platform: config.platform, pull: config.pull, on: handle)
            if let id { ids[Self.key(handle, config.image)] = id }
        }
        return ids
    }

    /// Names an image on one engine.
    static func key(_ handle: EngineHandle, _ image: String) -> String { "\(handle.key)|\(image)" }

    /// The image's id when it was there before (and so not pulled), else nil.
    private func prepare(image: String, platform: String?, pull: DeploymentConfig.Pull, on handle: EngineHandle)
        async throws -> String?
    {
        let engine = handle.engine
        switch pull {
        case .always:
            try await self.pull(image, platform: platform, on: handle, why: "pull is always")
            return nil
        case .missing:
            if let present = try await engine.inspectImage(image) { return present.id }
            try await self.pull(image, platform: platform, on: handle, why: "it is not on the engine")
            return nil
        case .never:
            guard let present = try await engine.inspectImage(image) else {
                throw RunnerError(
                    "image \(image) is not on \(handle.summary) and pull is never",
                    hint: "pull or build it there, or set pull: missing")
            }
            return present.id
        }
    }

    private func pull(_ image: String, platform: String?, on handle: EngineHandle, why: String) async throws {
        log.info("pulling \(image) on \(handle.summary) (\(why))")
        let started = ContinuousClock.now
        defer { progress.finish() }
        try await handle.engine.pullImage(image, platform: platform, progress: progress.reporter("pull \(image)"))
        log.info("pulled \(image) in \(Seconds.text(since: started))")
    }

    /// The image a new container of `spec` runs: the built standalone image's id, else the manifest's.
    func runImage(for spec: SandboxSpec, on handle: EngineHandle) async throws -> String {
        guard let directory = spec.identity.pythonStandaloneDir else { return spec.identity.image }
        let key = "\(handle.key)|\(spec.identity.hash)"
        let task = builds.withLock { builds in
            if let running = builds[key] { return running }
            let task = Task { try await self.build(spec, directory: directory, on: handle) }
            builds[key] = task
            return task
        }
        return try await task.value
    }

    private func build(_ spec: SandboxSpec, directory: String, on handle: EngineHandle) async throws -> String {
        let builder = StandaloneImage.builderImage(environment: environment)
        let request = BuildRequest(
            dockerfile: StandaloneImage.dockerfile(directory: directory, builderImage: builder),
            buildArgs: [StandaloneImage.baseImageArgument: spec.identity.image],
            platform: spec.identity.platform,
            labels: [SandboxLabels.managedBy: SandboxLabels.managedByValue, SandboxLabels.project: spec.project]
        )
        log.info(
            "building \(spec.identity.image) with a standalone Python in \(directory) on \(handle.summary)"
                + " (python_standalone_dir is set)")
        let started = ContinuousClock.now
        defer { progress.finish() }
        let id = try await handle.engine.buildImage(request, progress: progress.reporter("build \(spec.deployment)"))
        log.info("built \(Planner.short(id)) for \(spec.deployment) in \(Seconds.text(since: started))")
        return id
    }
}

/// Durations as operators read them.
enum Seconds {
    static func since(_ start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func text(since start: ContinuousClock.Instant) -> String {
        text(since(start))
    }

    static func text(_ seconds: Double) -> String {
        seconds < 10 ? String(Double(Int(seconds * 100)) / 100) + " s" : String(Int(seconds.rounded())) + " s"
    }
}
