import ContainerEngine
public import Manifest
import Synchronization

/// What every runner operation needs besides the project.
public struct RunnerSettings: Sendable {
    public var environment: [String: String]
    public var log: RunnerLog
    public var state: StateStore
    public var lockFolder: String
    /// Absolute paths of the manifest files, written on each container.
    public var manifestFiles: [String]
    /// How many sandboxes start (or are removed) at once.
    public var parallelism: Int
    /// Whether progress goes to a terminal (one rewritten line) or a log (plain lines).
    public var progressOnTerminal: Bool

    public init(
        environment: [String: String],
        log: RunnerLog,
        state: StateStore,
        lockFolder: String,
        manifestFiles: [String],
        parallelism: Int = 8,
        progressOnTerminal: Bool = false
    ) {
        self.environment = environment
        self.log = log
        self.state = state
        self.lockFolder = lockFolder
        self.manifestFiles = manifestFiles
        self.parallelism = parallelism
        self.progressOnTerminal = progressOnTerminal
    }
}

/// Plans and carries out one project's changes: observe by label, decide, create or remove, wait
/// until alive, tear down.
public final class Runner: Sendable {
    public let project: Project
    public let engines: EngineSet
    public let settings: RunnerSettings
    /// What this run created or took over, for teardown.
    public let owned = OwnedContainers()
    /// Written on every sandbox this run creates or keeps.
    public let claim = RunClaim.fresh()
    let images: ImagePreparer
    let progress: ProgressPrinter
    /// How many sandboxes are waiting to answer right now: their probes share one budget.
    let waiting = Mutex(0)

    var log: RunnerLog { settings.log }

    /// - Throws: `RunnerError` when an engine cannot be set up (a CLI program missing from PATH).
    public init(project: Project, settings: RunnerSettings) throws(RunnerError) {
        self.project = project
        self.settings = settings
        self.engines = try EngineSet(project: project, environment: settings.environment)
        self.progress = ProgressPrinter(log: settings.log, terminal: settings.progressOnTerminal)
        self.images = ImagePreparer(log: settings.log, progress: progress, environment: settings.environment)
    }

    /// For a project named on the command line without a manifest (`down --project NAME`, `status
    /// -p NAME`): a project without deployments, on the engines given and on every engine its state
    /// file says one of its sandboxes was started on.
    public init(projectName: String, engines: [EngineHandle], settings: RunnerSettings) {
        self.project = Project(name: projectName, files: [], deployments: [], warnings: [])
        self.settings = settings
        var handles = engines
        let records = (try? settings.state.load(project: projectName).sandboxes.values) ?? [:].values
        for record in records.sorted(by: { $0.name < $1.name }) {
            guard let access = record.access, !handles.contains(where: { $0.holds(record) }),
                let engine = try? access.makeEngine(environment: settings.environment)
            else { continue }
            handles.append(EngineHandle(key: access.key, engine: BoundedEngine(engine), access: access))
        }
        self.engines = EngineSet(engines: handles)
        self.progress = ProgressPrinter(log: settings.log, terminal: settings.progressOnTerminal)
        self.images = ImagePreparer(log: settings.log, progress: progress, environment: settings.environment)
    }

    /// Every wanted replica.
    public var desired: [SandboxSpec] { SandboxSpec.all(in: project) }

    /// Says which engine each deployment uses and why, and checks that each engine answers.
    public func connect() async throws {
        for deployment in project.deployments {
            guard let handle = engines.engine(for: deployment.name) else { continue }
            log.info(
                "deployment \(deployment.name): engine \(handle.identity.kind.rawValue) (\(deployment.engineReason)),"
                    + " endpoint \(handle.identity.endpoint) (from \(deployment.endpointSource))")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for handle in engines.distinct {
                group.addTask { [log] in
                    let version = try await handle.engine.version()
                    log.detail(
                        "\(handle.summary): \(handle.identity.runtime) \(version.version), API \(version.apiVersion)")
                }
            }
            try await group.waitForAll()
        }
    }

    /// Takes the project lock, saying so when another process holds it.
    func lock() async throws -> ProjectLock {
        try await ProjectLock.acquire(project: project.name, folder: settings.lockFolder) { [log, project] holder in
            let who = holder.map { " (pid \($0))" } ?? ""
            log.info("waiting for another swerex-run\(who) working on project \(project.name)")
        }
    }

    /// Plans without changing anything: no pulls, no lock.
    public func plan(prune: Bool) async throws -> Plan {
        let observation = try await observe()
        let imageIDs = try await currentImageIDs()
        return try planner(observation, imageIDs: imageIDs, prune: prune).plan(project: project.name, desired: desired)
    }

    func planner(_ observation: Observation, imageIDs: [String: String], prune: Bool) throws -> Planner {
        let state = try settings.state.load(project: project.name)
        let known = Set(state.sandboxes.values.map(\.containerID))
        return Planner(
            observed: observation.containers,
            nameHolders: observation.nameHolders,
            knownTokens: known,
            currentImageIDs: imageIDs,
            prune: prune)
    }

    /// Each deployment's image id on its engine now, for the ones whose image is there; each image
    /// is asked for once per engine, and not at all when `known` (by `ImagePreparer.key`) has it.
    func currentImageIDs(known: [String: String] = [:]) async throws -> [String: String] {
        var byImage = known
        var absent = Set<String>()
        var ids: [String: String] = [:]
        for deployment in project.deployments where deployment.config.pythonStandaloneDir == nil {
            guard let handle = engines.engine(for: deployment.name) else { continue }
            let key = ImagePreparer.key(handle, deployment.config.image)
            if byImage[key] == nil, !absent.contains(key) {
                if let id = try await handle.engine.inspectImage(deployment.config.image)?.id {
                    byImage[key] = id
                } else {
                    absent.insert(key)
                }
            }
            ids[deployment.name] = byImage[key]
        }
        return ids
    }
}
