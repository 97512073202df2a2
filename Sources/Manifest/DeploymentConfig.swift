public import ContainerEngine
public import Diagnostics

/// One deployment as the manifest gives it after defaults: SWE-ReX's `DockerDeploymentConfig` fields
/// plus the engine and connection fields. Field names follow the YAML keys.
public struct DeploymentConfig: Sendable, Hashable {
    public enum Pull: String, Sendable, Hashable, CaseIterable {
        case never, always, missing
    }

    public enum Runtime: String, Sendable, Hashable, CaseIterable {
        case docker, podman
    }

    public enum EngineSetting: String, Sendable, Hashable, CaseIterable {
        case auto, sdk, cli
    }

    public var image: String = "python:3.11"
    public var port: Int? = nil
    /// Without any `--platform` flag: that one is moved into `platform`.
    public var dockerArgs: [String] = []
    public var startupTimeout: Double = 180.0
    public var pull: Pull = .missing
    public var removeImages: Bool = false
    public var pythonStandaloneDir: String? = nil
    public var platform: String? = nil
    public var removeContainer: Bool = true
    public var containerRuntime: Runtime = .docker
    public var execShell: [String] = ["/bin/sh", "-c"]
    /// Normalised: a scheme, no trailing slash, no path. Defaults to `http://127.0.0.1`, or to the
    /// remote endpoint's host when the endpoint is a remote tcp or ssh host and this is not set.
    public var dockerInternalHost: String = "http://127.0.0.1"
    public var engine: EngineSetting = .auto
    public var dockerEndpoint: String? = nil
    public var dockerTLS: Bool = false
    public var dockerCertPath: String? = nil
    public var dockerUseSSH: Bool = false
    public var dockerEnv: [String: String] = [:]

    public init() {}
}

/// A deployment with everything the runner needs decided: engine, endpoint, liveness host.
public struct ResolvedDeployment: Sendable, Hashable {
    /// The key under `deployments:`, or for a file holding one deployment the first file's name without
    /// its extension (`local.yaml` → `local`).
    public var name: String
    public var replicas: Int
    public var config: DeploymentConfig
    public var engine: EngineIdentity.Kind
    /// Why that engine was chosen, for `config --explain` and the run log.
    public var engineReason: String
    public var endpoint: DockerEndpoint
    /// Where the endpoint came from (`docker_endpoint`, `docker_env.DOCKER_HOST`, `DOCKER_HOST`,
    /// `context NAME`, `default`).
    public var endpointSource: String
    /// Environment for the cli engine: docker_env plus what the endpoint and TLS settings imply.
    public var cliEnvironment: [String: String]

    public init(
        name: String,
        replicas: Int,
        config: DeploymentConfig,
        engine: EngineIdentity.Kind,
        engineReason: String,
        endpoint: DockerEndpoint,
        endpointSource: String,
        cliEnvironment: [String: String]
    ) {
        self.name = name
        self.replicas = replicas
        self.config = config
        self.engine = engine
        self.engineReason = engineReason
        self.endpoint = endpoint
        self.endpointSource = endpointSource
        self.cliEnvironment = cliEnvironment
    }
}

/// A whole manifest after loading, merging, interpolation and validation.
public struct Project: Sendable, Hashable {
    public var name: String
    /// The files it came from, in merge order, as given on the command line.
    public var files: [String]
    /// In the order the manifest lists them.
    public var deployments: [ResolvedDeployment]
    /// Warnings and notes found while loading (such as ignored agent-config keys), with their positions.
    public var warnings: [Diagnostic]

    public init(name: String, files: [String], deployments: [ResolvedDeployment], warnings: [Diagnostic]) {
        self.name = name
        self.files = files
        self.deployments = deployments
        self.warnings = warnings
    }
}
