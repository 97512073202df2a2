import ContainerEngine
import DockerAPI
import DockerCLI
import Foundation
import TestSupport
import Testing

/// One engine the conformance suite runs against, with the images it uses there.
struct EngineFixture: Sendable, CustomTestStringConvertible {
    /// How a fixture's engine came to be, or why it cannot be used here.
    enum Setup: Sendable {
        case ready(any ContainerEngine)
        case unavailable(String)
        /// The environment says the engine should be here, but it could not be made.
        case broken(EngineError)
    }

    /// `sdk unix`, `cli podman`, ...
    let name: String
    /// Whether the engine's store names local images `localhost/...`.
    let qualifiesLocalImages: Bool
    let makeEngine: @Sendable (TestEnvironment) -> Setup

    var testDescription: String { name }
    /// The name in a form fit for container names and label values.
    var slug: String { name.replacingOccurrences(of: " ", with: "-") }

    static let all: [EngineFixture] = [
        EngineFixture(name: "sdk unix", qualifiesLocalImages: false) { environment in
            let socket = environment.dockerSocket ?? DockerEndpoint.defaultSocketPath
            return .ready(DockerAPIEngine(endpoint: .unix(path: socket)))
        },
        EngineFixture(name: "sdk tls", qualifiesLocalImages: false) { environment in
            if let missing = environment.missing("SWEREX_TEST_TLS_ENDPOINT", "SWEREX_TEST_TLS_CERT_DIR") {
                return .unavailable(missing)
            }
            guard let address = hostAndPort(environment.tlsEndpoint!) else {
                return .unavailable("SWEREX_TEST_TLS_ENDPOINT is not tcp://HOST:PORT: \(environment.tlsEndpoint!)")
            }
            let folder = environment.tlsCertDir!
            let tls = TLSSettings(
                verify: true,
                caFile: "\(folder)/ca.pem",
                certFile: "\(folder)/cert.pem",
                keyFile: "\(folder)/key.pem"
            )
            return .ready(DockerAPIEngine(endpoint: .tcp(host: address.host, port: address.port, tls: tls)))
        },
        EngineFixture(name: "sdk ssh", qualifiesLocalImages: false) { environment in
            if let missing = environment.missing("SWEREX_TEST_SSH_ENDPOINT", "SWEREX_TEST_SSH_CONFIG") {
                return .unavailable(missing)
            }
            guard let url = URLComponents(string: environment.sshEndpoint!), url.scheme == "ssh", let host = url.host
            else {
                return .unavailable("SWEREX_TEST_SSH_ENDPOINT is not ssh://USER@HOST:PORT: \(environment.sshEndpoint!)")
            }
            let endpoint = DockerEndpoint.ssh(user: url.user, host: host, port: url.port, socketPath: nil)
            return .ready(DockerAPIEngine(endpoint: endpoint, sshConfigFile: environment.sshConfig))
        },
        EngineFixture(name: "cli docker", qualifiesLocalImages: false) { environment in
            let socket = environment.dockerSocket ?? DockerEndpoint.defaultSocketPath
            return cliEngine("docker", ["DOCKER_HOST": "unix://\(socket)"])
        },
        EngineFixture(name: "cli docker tls", qualifiesLocalImages: false) { environment in
            if let missing = environment.missing("SWEREX_TEST_TLS_ENDPOINT", "SWEREX_TEST_TLS_CERT_DIR") {
                return .unavailable(missing)
            }
            return cliEngine(
                "docker",
                [
                    "DOCKER_HOST": environment.tlsEndpoint!,
                    "DOCKER_TLS_VERIFY": "1",
                    "DOCKER_CERT_PATH": environment.tlsCertDir!,
                ]
            )
        },
        EngineFixture(name: "cli podman", qualifiesLocalImages: true) { environment in
            if let missing = environment.missing("SWEREX_TEST_CONTAINERS_CONF") { return .unavailable(missing) }
            return cliEngine("podman", ["CONTAINERS_CONF": environment.podmanContainersConf!])
        },
    ]

    private static func cliEngine(_ runtime: String, _ environment: [String: String]) -> Setup {
        do {
            return .ready(try DockerCLIEngine(runtime: runtime, environment: environment))
        } catch {
            return .broken(error)
        }
    }

    private static func hostAndPort(_ endpoint: String) -> (host: String, port: Int)? {
        guard let url = URLComponents(string: endpoint), url.scheme == "tcp", let host = url.host, let port = url.port
        else { return nil }
        return (host, port)
    }
}

/// Whether each fixture's engine can run here, decided once per test run.
actor FixtureRegistry {
    static let shared = FixtureRegistry()
    private var setups: [String: EngineFixture.Setup] = [:]

    /// The fixture's engine, or why it cannot be used: its environment keys are missing, or the engine
    /// is still a stub that answers "not built yet". Any other failure is left for the cases to report.
    func setup(for fixture: EngineFixture) async -> EngineFixture.Setup {
        if let known = setups[fixture.name] { return known }
        var setup = fixture.makeEngine(TestEnvironment.shared)
        if case .ready(let engine) = setup {
            do {
                _ = try await engine.version()
            } catch let error where error.message == "not built yet" {
                setup = .unavailable("the \(engine.identity.kind.rawValue) engine is not built yet")
            } catch {}
        }
        setups[fixture.name] = setup
        return setup
    }
}
