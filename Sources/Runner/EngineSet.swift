public import ContainerEngine
import DockerAPI
import DockerCLI
public import Manifest

/// One engine the project uses, with what it takes to show and compare it.
public struct EngineHandle: Sendable {
    /// Equal for two deployments that reach the same engine the same way.
    public var key: String
    public var engine: any ContainerEngine
    /// How to reach the engine again without the manifest; kept in the state file at `up`.
    public var access: EngineAccess?
    public var identity: EngineIdentity { engine.identity }

    public init(key: String, engine: any ContainerEngine, access: EngineAccess? = nil) {
        self.key = key
        self.engine = engine
        self.access = access
    }

    /// Whether a sandbox recorded in the state file runs on this engine.
    func holds(_ record: SandboxRecord) -> Bool {
        if let kept = record.access, let access { return kept.key == access.key }
        return record.access == nil && record.engine == self.record
    }

    /// `sdk docker at unix:///var/run/docker.sock`, for logs.
    public var summary: String { "\(identity.kind.rawValue) \(identity.runtime) at \(identity.endpoint)" }

    public var record: EngineIdentityRecord {
        EngineIdentityRecord(kind: identity.kind.rawValue, runtime: identity.runtime, endpoint: identity.endpoint)
    }
}

/// The engines of one project: one per distinct engine, shared by the deployments that use it.
public struct EngineSet: Sendable {
    public private(set) var distinct: [EngineHandle] = []
    private var byDeployment: [String: Int] = [:]

    public init() {}

    /// Makes (without contacting them) the engines `project`'s deployments resolved to.
    /// - Parameter environment: read for `SWEREX_SSH_CONFIG`, the ssh_config for ssh endpoints.
    /// - Throws: `RunnerError` when a CLI engine's program is not on PATH.
    public init(project: Project, environment: [String: String]) throws(RunnerError) {
        for deployment in project.deployments {
            let key = Self.key(for: deployment)
            if let index = distinct.firstIndex(where: { $0.key == key }) {
                byDeployment[deployment.name] = index
                continue
            }
            let engine = BoundedEngine(try Self.makeEngine(for: deployment, environment: environment))
            let access = EngineAccess(deployment: deployment, environment: environment)
            distinct.append(EngineHandle(key: key, engine: engine, access: access))
            byDeployment[deployment.name] = distinct.count - 1
        }
    }

    /// A set of explicitly given engines (for `down --project` without a manifest).
    public init(engines: [EngineHandle]) {
        self.distinct = engines
    }

    public func engine(for deployment: String) -> EngineHandle? {
        byDeployment[deployment].map { distinct[$0] }
    }

    private static func makeEngine(
        for deployment: ResolvedDeployment,
        environment: [String: String]
    ) throws(RunnerError) -> any ContainerEngine {
        switch deployment.engine {
        case .sdk:
            return DockerAPIEngine(endpoint: deployment.endpoint, sshConfigFile: environment["SWEREX_SSH_CONFIG"])
        case .cli:
            do {
                return try DockerCLIEngine(
                    runtime: deployment.config.containerRuntime.rawValue,
                    environment: deployment.cliEnvironment)
            } catch {
                throw RunnerError("deployment \(deployment.name): \(error.message)", hint: error.hint)
            }
        }
    }

    private static func key(for deployment: ResolvedDeployment) -> String {
        switch deployment.engine {
        case .sdk:
            return "sdk|\(deployment.endpoint.displayString)"
        case .cli:
            let environment = deployment.cliEnvironment.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
            return "cli|\(deployment.config.containerRuntime.rawValue)|\(environment)"
        }
    }
}
