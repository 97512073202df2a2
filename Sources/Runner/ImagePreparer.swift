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
    /// that the image is there.
    func prepare(_ specs: [SandboxSpec], engines: EngineSet) async throws {
        var seen = Set<String>()
        for spec in specs {
            guard let handle = engines.engine(for: spec.deployment) else { continue }
            let config = spec.resolved.config
            let key = "\(handle.key)|\(config.image)|\(config.platform ?? "")"
            guard seen.insert(key).inserted else { continue }
            try await prepare(image: config.image, platform: config.platform, pull: config.pull, on: handle)
        }
    }

    private func prepare(image: String, platform: String?, pull: DeploymentConfig.Pull, on handle: EngineHandle)
        async throws
    {
        let engine = handle.engine
        switch pull {
        case .always:
            try await self.pull(image, platform: platform, on: handle, why: "pull is always")
        case .missing:
            if try await engine.inspectImage(image) == nil {
                try await self.pull(image, platform: platform, on: handle, why: "it is not on the engine")
            }
        case .never:
            if try await engine.inspectImage(image) == nil {
                throw RunnerError(
                    "image \(image) is not on \(handle.summary) and pull is never",
                    hint: "pull or build it there, or set pull: missing")
            }
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
