import ContainerEngine
import Foundation

/// Where a deployment's daemon is and how to reach it, decided from the manifest, `docker_env`, the
/// process environment and the docker context store, in that order.
struct EndpointResolver: Sendable {
    /// The settings that decide the endpoint.
    struct Request: Sendable, Hashable {
        var runtime: DeploymentConfig.Runtime = .docker
        var engine: EngineIdentity.Kind = .sdk
        var endpoint: String?
        var tls = false
        /// Already absolute.
        var certPath: String?
        var useSSH = false
        var dockerEnv: [String: String] = [:]
        /// The process environment, with `--env-file` values left out.
        var environment: [String: String] = [:]
        var homeDirectory: String?
    }

    /// Which manifest setting a problem belongs to, so the diagnostic can point at it.
    enum Origin: Sendable, Hashable {
        case dockerEndpoint, dockerTLS, dockerCertPath, dockerUseSSH
        case dockerEnv(String)
        /// The process environment or the docker context store: nothing in the file to point at.
        case outside
    }

    struct Problem: Error, Sendable, Hashable {
        var message: String
        var origin: Origin
    }

    struct Resolution: Sendable, Hashable {
        var endpoint: DockerEndpoint
        var source: String
        var cliEnvironment: [String: String]
        var warnings: [Problem]
    }

    /// The keys of `docker_env` that the sdk engine reads (for the endpoint); the rest only reach the CLI.
    static let sdkEnvironmentKeys: Set<String> = ["DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"]

    var request: Request

    static func resolve(_ request: Request) throws(Problem) -> Resolution {
        let resolver = EndpointResolver(request: request)
        switch request.runtime {
        case .docker: return try resolver.docker()
        case .podman: return try resolver.podman()
        }
    }

    /// The environment a docker command would see: the process's, with `docker_env` on top (under sdk,
    /// only the keys the sdk engine reads).
    private var effectiveEnvironment: [String: String] {
        var environment = request.environment
        for (key, value) in request.dockerEnv where request.engine == .cli || Self.sdkEnvironmentKeys.contains(key) {
            environment[key] = value
        }
        return environment
    }

    private func nonEmpty(_ key: String, in environment: [String: String]) -> String? {
        guard let value = environment[key], !value.isEmpty else { return nil }
        return value
    }

    // MARK: - Docker

    private struct HostChoice {
        var text: String
        var source: String
        var origin: Origin
        /// How an invalid value is introduced in an error message.
        var label: String
        var readsEnvironmentTLS = false
        var context: DockerContextStore.Context?
    }

    private struct TLSChoice {
        var verify: Bool
        var reason: String
        var origin: Origin
    }

    private func docker() throws(Problem) -> Resolution {
        let environment = effectiveEnvironment
        let choice = try chooseDockerHost(environment)
        let target = try parse(choice)
        let tls = try tlsChoice(for: choice, target: target, environment: environment)
        var warnings = overriddenEnvironmentWarnings()
        let endpoint: DockerEndpoint
        var certDirectory: String?
        switch target {
        case .unix(let path):
            if let tls { throw tlsOnNonTCP(tls, endpoint: "unix://\(path)", kind: "a unix socket") }
            endpoint = .unix(path: path)
        case .ssh(let user, let host, let port, let socketPath):
            let ssh = DockerEndpoint.ssh(user: user, host: host, port: port, socketPath: socketPath)
            if let tls { throw tlsOnNonTCP(tls, endpoint: ssh.displayString, kind: "an ssh endpoint") }
            if request.engine == .sdk && !request.useSSH {
                throw Problem(
                    message: "the sdk engine reaches \(ssh.displayString) through the ssh command only with "
                        + "docker_use_ssh: true; set it, or use engine: cli",
                    origin: choice.origin
                )
            }
            endpoint = ssh
        case .tcp(let host, let port, _):
            var settings: TLSSettings?
            if let tls {
                let files = try certificates(for: tls, choice: choice, environment: environment)
                settings = files.settings
                certDirectory = files.directory
            }
            let defaultPort = tls == nil ? DockerEndpointDefaults.plainPort : DockerEndpointDefaults.tlsPort
            endpoint = .tcp(host: host, port: port ?? defaultPort, tls: settings)
        }
        if request.useSSH, case .ssh = endpoint {
        } else if request.useSSH {
            warnings.append(
                Problem(
                    message: "docker_use_ssh has no effect: \(endpoint.displayString) is not an ssh:// endpoint",
                    origin: .dockerUseSSH
                )
            )
        }
        let cli = dockerCLIEnvironment(endpoint: endpoint, certDirectory: certDirectory)
        return Resolution(endpoint: endpoint, source: choice.source, cliEnvironment: cli, warnings: warnings)
    }

    private func chooseDockerHost(_ environment: [String: String]) throws(Problem) -> HostChoice {
        if let endpoint = request.endpoint {
            return HostChoice(
                text: endpoint, source: "docker_endpoint", origin: .dockerEndpoint, label: "docker_endpoint")
        }
        if let host = nonEmpty("DOCKER_HOST", in: request.dockerEnv) {
            return HostChoice(
                text: host,
                source: "docker_env.DOCKER_HOST",
                origin: .dockerEnv("DOCKER_HOST"),
                label: "docker_env.DOCKER_HOST",
                readsEnvironmentTLS: true
            )
        }
        if let host = nonEmpty("DOCKER_HOST", in: request.environment) {
            return HostChoice(
                text: host,
                source: "DOCKER_HOST",
                origin: .outside,
                label: "DOCKER_HOST in the environment",
                readsEnvironmentTLS: true
            )
        }
        guard let store = DockerContextStore(environment: environment, homeDirectory: home(environment)) else {
            return defaultHost
        }
        var name = nonEmpty("DOCKER_CONTEXT", in: environment)
        if name == nil {
            do {
                name = try store.currentContext()
            } catch {
                throw Problem(message: error.message, origin: .outside)
            }
        }
        guard let name, name != "default" else { return defaultHost }
        let context: DockerContextStore.Context
        do {
            context = try store.context(named: name)
        } catch {
            let how =
                nonEmpty("DOCKER_CONTEXT", in: environment) != nil
                ? "DOCKER_CONTEXT" : "currentContext in \(store.configFile)"
            throw Problem(message: "\(error.message) (chosen by \(how))", origin: .outside)
        }
        return HostChoice(
            text: context.host.isEmpty ? "unix://" : context.host,
            source: "context \(name)",
            origin: .outside,
            label: "docker context '\(name)' host",
            context: context
        )
    }

    private var defaultHost: HostChoice {
        HostChoice(text: "unix://", source: "default", origin: .outside, label: "default endpoint")
    }

    private func home(_ environment: [String: String]) -> String? {
        request.homeDirectory ?? nonEmpty("HOME", in: request.environment)
    }

    private func parse(_ choice: HostChoice) throws(Problem) -> EndpointGrammar.Target {
        do {
            return try EndpointGrammar.parse(choice.text)
        } catch {
            throw Problem(message: "invalid \(choice.label) '\(choice.text)': \(error.reason)", origin: choice.origin)
        }
    }

    private func tlsChoice(
        for choice: HostChoice,
        target: EndpointGrammar.Target,
        environment: [String: String]
    ) throws(Problem) -> TLSChoice? {
        if case .tcp(_, _, let schemeTLS?) = target {
            if !schemeTLS && request.tls {
                throw Problem(
                    message: "\(choice.label) '\(choice.text)' says plain HTTP, but docker_tls is true: "
                        + "write tcp:// or https://",
                    origin: .dockerTLS
                )
            }
            if schemeTLS { return TLSChoice(verify: true, reason: "https://", origin: choice.origin) }
        }
        if request.tls { return TLSChoice(verify: true, reason: "docker_tls is true", origin: .dockerTLS) }
        if choice.readsEnvironmentTLS {
            if nonEmpty("DOCKER_TLS_VERIFY", in: environment) != nil {
                return TLSChoice(
                    verify: true, reason: "DOCKER_TLS_VERIFY is set", origin: environmentOrigin("DOCKER_TLS_VERIFY"))
            }
            if nonEmpty("DOCKER_TLS", in: environment) != nil {
                return TLSChoice(verify: false, reason: "DOCKER_TLS is set", origin: environmentOrigin("DOCKER_TLS"))
            }
        }
        if let context = choice.context, context.tlsDirectory != nil {
            return TLSChoice(
                verify: !context.skipTLSVerify,
                reason: "docker context '\(context.name)' has TLS files",
                origin: .outside
            )
        }
        return nil
    }

    private func environmentOrigin(_ key: String) -> Origin {
        request.dockerEnv[key].map { _ in .dockerEnv(key) } ?? .outside
    }

    private func tlsOnNonTCP(_ tls: TLSChoice, endpoint: String, kind: String) -> Problem {
        Problem(
            message: "TLS is on (\(tls.reason)), but \(endpoint) is \(kind): TLS applies only to tcp:// endpoints",
            origin: tls.origin
        )
    }

    /// The CA, certificate and key for a TLS endpoint, checked on disk.
    private func certificates(
        for tls: TLSChoice,
        choice: HostChoice,
        environment: [String: String]
    ) throws(Problem) -> (settings: TLSSettings, directory: String) {
        let directory: String
        let from: String
        var origin = tls.origin
        if let contextDirectory = choice.context?.tlsDirectory {
            (directory, from) = (contextDirectory, "docker context '\(choice.context?.name ?? "")'")
        } else if let path = request.certPath {
            (directory, from, origin) = (path, "docker_cert_path", .dockerCertPath)
        } else if let path = nonEmpty("DOCKER_CERT_PATH", in: environment) {
            let inManifest = request.dockerEnv["DOCKER_CERT_PATH"] != nil
            (directory, from) = (path, inManifest ? "docker_env.DOCKER_CERT_PATH" : "DOCKER_CERT_PATH")
            if inManifest { origin = .dockerEnv("DOCKER_CERT_PATH") }
        } else if let home = home(environment) {
            (directory, from) = ((home as NSString).appendingPathComponent(".docker"), "~/.docker")
        } else {
            throw Problem(
                message: "TLS is on (\(tls.reason)), but no certificate folder is known: set docker_cert_path",
                origin: tls.origin
            )
        }
        let ca = (directory as NSString).appendingPathComponent("ca.pem")
        let cert = (directory as NSString).appendingPathComponent("cert.pem")
        let key = (directory as NSString).appendingPathComponent("key.pem")
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        let suffix = " (TLS certificates come from \(from))"
        if tls.verify && !exists(ca) {
            throw Problem(message: "the CA certificate \(ca) does not exist" + suffix, origin: origin)
        }
        switch (exists(cert), exists(key)) {
        case (true, false):
            throw Problem(
                message: "the client certificate \(cert) has no key: \(key) does not exist" + suffix, origin: origin)
        case (false, true):
            throw Problem(
                message: "the client key \(key) has no certificate: \(cert) does not exist" + suffix, origin: origin)
        case (true, true):
            let settings = TLSSettings(verify: tls.verify, caFile: exists(ca) ? ca : nil, certFile: cert, keyFile: key)
            return (settings, directory)
        case (false, false):
            return (
                TLSSettings(verify: tls.verify, caFile: exists(ca) ? ca : nil, certFile: nil, keyFile: nil), directory
            )
        }
    }

    /// `docker_env` values a manifest setting outranks: said once, so nothing is ignored silently.
    private func overriddenEnvironmentWarnings() -> [Problem] {
        var warnings: [Problem] = []
        let pairs: [(key: String, setting: String, set: Bool)] = [
            ("DOCKER_HOST", "docker_endpoint", request.endpoint != nil),
            ("DOCKER_TLS_VERIFY", "docker_endpoint and docker_tls", request.endpoint != nil),
            ("DOCKER_CERT_PATH", "docker_cert_path", request.certPath != nil),
        ]
        for pair in pairs where pair.set && request.dockerEnv[pair.key] != nil {
            warnings.append(
                Problem(
                    message: "docker_env.\(pair.key) is ignored: \(pair.setting) in the manifest decide instead",
                    origin: .dockerEnv(pair.key)
                )
            )
        }
        return warnings
    }

    /// docker_env, then what the resolved endpoint and TLS mean for the docker command, so that the cli
    /// engine reaches the same daemon as the sdk engine would.
    private func dockerCLIEnvironment(endpoint: DockerEndpoint, certDirectory: String?) -> [String: String] {
        var environment = request.dockerEnv
        environment["DOCKER_HOST"] = endpoint.displayString
        guard case .tcp(_, _, let tls) = endpoint else { return environment }
        if let tls, let certDirectory {
            environment["DOCKER_CERT_PATH"] = certDirectory
            environment["DOCKER_TLS_VERIFY"] = tls.verify ? "1" : ""
            environment["DOCKER_TLS"] = tls.verify ? "" : "1"
        } else {
            // Set but empty turns the CLI's TLS off, whatever the parent process had.
            environment["DOCKER_TLS_VERIFY"] = ""
            environment["DOCKER_TLS"] = ""
        }
        return environment
    }

    // MARK: - Podman

    private func podman() throws(Problem) -> Resolution {
        if request.tls {
            throw Problem(
                message: "docker_tls cannot be used with container_runtime podman, which has no TLS client settings",
                origin: .dockerTLS
            )
        }
        var warnings: [Problem] = []
        if request.certPath != nil {
            warnings.append(
                Problem(
                    message: "docker_cert_path has no effect with container_runtime podman", origin: .dockerCertPath))
        }
        if request.useSSH {
            warnings.append(
                Problem(message: "docker_use_ssh has no effect with container_runtime podman", origin: .dockerUseSSH))
        }
        let environment = effectiveEnvironment
        let choice: HostChoice
        if let endpoint = request.endpoint {
            choice = HostChoice(
                text: endpoint, source: "docker_endpoint", origin: .dockerEndpoint, label: "docker_endpoint")
        } else if let host = nonEmpty("CONTAINER_HOST", in: request.dockerEnv) {
            choice = HostChoice(
                text: host,
                source: "docker_env.CONTAINER_HOST",
                origin: .dockerEnv("CONTAINER_HOST"),
                label: "docker_env.CONTAINER_HOST"
            )
        } else if let host = nonEmpty("CONTAINER_HOST", in: environment) {
            choice = HostChoice(
                text: host, source: "CONTAINER_HOST", origin: .outside, label: "CONTAINER_HOST in the environment")
        } else {
            let endpoint = DockerEndpoint.unix(path: DockerEndpointDefaults.podmanSocketPath)
            return Resolution(
                endpoint: endpoint, source: "default", cliEnvironment: request.dockerEnv, warnings: warnings)
        }
        let endpoint: DockerEndpoint
        switch try parse(choice) {
        case .unix(let path):
            endpoint = .unix(path: path)
        case .tcp(_, _, true):
            throw Problem(
                message: "\(choice.label) '\(choice.text)' asks for TLS, which podman cannot do; use tcp:// or ssh://",
                origin: choice.origin
            )
        case .tcp(let host, let port, _):
            endpoint = .tcp(host: host, port: port ?? DockerEndpointDefaults.plainPort, tls: nil)
        case .ssh(let user, let host, let port, let socketPath):
            endpoint = .ssh(user: user, host: host, port: port, socketPath: socketPath)
        }
        var cli = request.dockerEnv
        if choice.origin == .dockerEndpoint { cli["CONTAINER_HOST"] = endpoint.displayString }
        return Resolution(endpoint: endpoint, source: choice.source, cliEnvironment: cli, warnings: warnings)
    }
}
