import ContainerEngine
import DockerCLI
import Foundation
import TestSupport
import Testing

/// The cli engine's typed errors, each provoked by the real condition on this machine.
@Suite struct CLIEngineErrorTests {
    let environment = TestEnvironment.shared

    @Test func anEndpointWithNothingListeningIsCannotConnect() async throws {
        let port = try LoopbackListener.freePort()
        let engine = try DockerCLIEngine(runtime: "docker", environment: ["DOCKER_HOST": "tcp://127.0.0.1:\(port)"])
        let error = await #expect(throws: EngineError.self) { try await engine.version() }
        #expect(error?.code == .cannotConnect, "\(String(describing: error))")
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(error?.hint?.contains("DOCKER_HOST") == true)
    }

    @Test func aSocketThatDoesNotExistIsCannotConnect() async throws {
        let engine = try DockerCLIEngine(
            runtime: "docker",
            environment: ["DOCKER_HOST": "unix:///tmp/swerex-no-such-\(UUID().uuidString).sock"]
        )
        let error = await #expect(throws: EngineError.self) { try await engine.listContainers(labels: [:]) }
        #expect(error?.code == .cannotConnect)
    }

    @Test func podmanWithNoServiceBehindItsSocketIsCannotConnect() async throws {
        let engine = try DockerCLIEngine(
            runtime: "podman",
            environment: ["CONTAINER_HOST": "unix:///tmp/swerex-no-such-\(UUID().uuidString).sock"]
        )
        let error = await #expect(throws: EngineError.self) { try await engine.version() }
        #expect(error?.code == .cannotConnect)
    }

    @Test func aCAThatDidNotSignTheDaemonIsATLSFailure() async throws {
        guard let endpoint = environment.tlsEndpoint, let wrongCA = environment.tlsWrongCACertDir else {
            print(
                "SKIP cli wrong CA: \(environment.missing("SWEREX_TEST_TLS_ENDPOINT", "SWEREX_TEST_TLS_WRONG_CA_DIR")!)"
            )
            return
        }
        let engine = try DockerCLIEngine(
            runtime: "docker",
            environment: ["DOCKER_HOST": endpoint, "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": wrongCA]
        )
        let error = await #expect(throws: EngineError.self) { try await engine.version() }
        #expect(error?.code == .tlsFailure)
        #expect(error?.hint?.contains("docker_cert_path") == true)
    }

    @Test func plainHTTPToATLSDaemonIsATLSFailure() async throws {
        guard let endpoint = environment.tlsEndpoint else {
            print("SKIP cli plain HTTP to TLS: \(environment.missing("SWEREX_TEST_TLS_ENDPOINT")!)")
            return
        }
        let engine = try DockerCLIEngine(runtime: "docker", environment: ["DOCKER_HOST": endpoint])
        let error = await #expect(throws: EngineError.self) { try await engine.version() }
        #expect(error?.code == .tlsFailure)
    }

    @Test func anSSHEndpointWithNothingListeningIsAnSSHFailure() async throws {
        let port = try LoopbackListener.freePort()
        let engine = try DockerCLIEngine(
            runtime: "docker", environment: ["DOCKER_HOST": "ssh://root@127.0.0.1:\(port)"])
        let error = await #expect(throws: EngineError.self) { try await engine.version() }
        #expect(error?.code == .sshFailure, "\(String(describing: error))")
    }

    /// The docker CLI run as an unprivileged user (through `setpriv`) against the real socket.
    @Test func aSocketTheUserMayNotOpenIsPermissionDenied() async throws {
        guard let user = environment.unprivilegedUser, let socket = environment.dockerSocket else {
            print(
                "SKIP cli permission denied: \(environment.missing("SWEREX_TEST_UNPRIVILEGED_USER", "SWEREX_TEST_DOCKER_SOCKET")!)"
            )
            return
        }
        guard getuid() == 0 else {
            print("SKIP cli permission denied: needs root to switch to \(user)")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swerex-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let docker = try #require(
            ProcessInfo.processInfo.environment["PATH"].flatMap { path in
                path.split(separator: ":").map { "\($0)/docker" }.first {
                    FileManager.default.isExecutableFile(atPath: $0)
                }
            })
        let wrapper = folder.appendingPathComponent("docker")
        let script = "#!/bin/sh\nexec setpriv --reuid=\(user) --regid=\(user) --clear-groups \(docker) \"$@\"\n"
        try script.write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)

        let engine = try DockerCLIEngine(
            runtime: wrapper.path,
            environment: ["DOCKER_HOST": "unix://\(socket)", "HOME": folder.path, "DOCKER_CONFIG": folder.path]
        )
        #expect(engine.identity.runtime == "docker")
        let error = await #expect(throws: EngineError.self) { try await engine.version() }
        #expect(error?.code == .permissionDenied)
        #expect(error?.hint?.contains("group") == true)
    }
}
