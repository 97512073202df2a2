public import ContainerEngine
import DockerAPI
import DockerCLI
import Manifest

/// How to reach the engine a sandbox was started on, kept beside its token so that `down` finds
/// it again without the manifest: the engine kind and runtime, the endpoint with its TLS files
/// (sdk), or the variables given to the CLI (cli). Values of secret-looking variables are left out.
public struct EngineAccess: Sendable, Hashable, Codable {
    public var kind: EngineIdentity.Kind
    /// `docker` or `podman`.
    public var runtime: String
    /// The sdk engine's endpoint.
    public var endpoint: EndpointRecord?
    /// The cli engine's variables on top of the process environment, without secret-looking ones.
    public var cliEnvironment: [String: String]?
    /// The ssh_config file (`SWEREX_SSH_CONFIG`) an ssh endpoint was reached with.
    public var sshConfig: String?

    /// Equal for two accesses that reach the same engine the same way.
    public var key: String {
        switch kind {
        case .sdk:
            return "sdk|\(endpoint?.displayString ?? "?")"
        case .cli:
            let variables = (cliEnvironment ?? [:]).sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
            return "cli|\(runtime)|\(variables)"
        }
    }

    init(deployment: ResolvedDeployment, environment: [String: String]) {
        kind = deployment.engine
        runtime = deployment.config.containerRuntime.rawValue
        switch deployment.engine {
        case .sdk:
            endpoint = EndpointRecord(deployment.endpoint)
            if case .ssh = deployment.endpoint { sshConfig = environment["SWEREX_SSH_CONFIG"] }
        case .cli:
            cliEnvironment = deployment.cliEnvironment.filter { !ManifestRenderer.looksSecret($0.key) }
        }
    }

    /// Makes the engine again, without contacting it.
    /// - Parameter environment: the process environment; its `SWEREX_SSH_CONFIG` wins over the one kept.
    /// - Throws: `RunnerError` when the record is incomplete or the CLI program is not on PATH.
    func makeEngine(environment: [String: String]) throws(RunnerError) -> any ContainerEngine {
        switch kind {
        case .sdk:
            guard let endpoint = endpoint?.endpoint else {
                throw RunnerError("the state file keeps no usable endpoint for an sdk engine")
            }
            return DockerAPIEngine(endpoint: endpoint, sshConfigFile: environment["SWEREX_SSH_CONFIG"] ?? sshConfig)
        case .cli:
            do {
                return try DockerCLIEngine(runtime: runtime, environment: cliEnvironment ?? [:])
            } catch {
                throw RunnerError(error.message, hint: error.hint)
            }
        }
    }
}

/// A `DockerEndpoint` as the state file keeps it.
public struct EndpointRecord: Sendable, Hashable, Codable {
    /// `unix`, `tcp` or `ssh`.
    public var scheme: String
    public var path: String?
    public var host: String?
    public var port: Int?
    public var user: String?
    public var tls: TLSRecord?

    public struct TLSRecord: Sendable, Hashable, Codable {
        public var verify: Bool
        public var caFile: String?
        public var certFile: String?
        public var keyFile: String?
    }

    init(_ endpoint: DockerEndpoint) {
        switch endpoint {
        case .unix(let path):
            scheme = "unix"
            self.path = path
        case .tcp(let host, let port, let tls):
            scheme = "tcp"
            self.host = host
            self.port = port
            self.tls = tls.map {
                TLSRecord(verify: $0.verify, caFile: $0.caFile, certFile: $0.certFile, keyFile: $0.keyFile)
            }
        case .ssh(let user, let host, let port, let socketPath):
            scheme = "ssh"
            self.user = user
            self.host = host
            self.port = port
            self.path = socketPath
        }
    }

    /// The endpoint, or nil when a field it needs is missing.
    var endpoint: DockerEndpoint? {
        switch scheme {
        case "unix":
            return path.map { .unix(path: $0) }
        case "tcp":
            guard let host, let port else { return nil }
            let settings = tls.map {
                TLSSettings(verify: $0.verify, caFile: $0.caFile, certFile: $0.certFile, keyFile: $0.keyFile)
            }
            return .tcp(host: host, port: port, tls: settings)
        case "ssh":
            return host.map { .ssh(user: user, host: $0, port: port, socketPath: path) }
        default:
            return nil
        }
    }

    var displayString: String { endpoint?.displayString ?? "\(scheme)://?" }
}
