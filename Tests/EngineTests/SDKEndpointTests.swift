import ContainerEngine
import Foundation
import TestSupport
import Testing

@testable import DockerAPI

/// Runs the sandbox through `run`'s engine, checks it answers on the published port, and removes it.
private func runSandboxAndCheckAlive(_ run: SDKTestRun, host: String) async throws {
    try await run.withCleanup {
        let token = UUID().uuidString
        let spec = run.spec(
            "sandbox", image: SDKTest.sandboxImage, command: ["/bin/sh", "-c", "swerex-remote --auth-token \(token)"],
            publish: PortPublication())
        let id = try await run.engine.runContainer(spec)
        let port = try #require(try await run.engine.inspectContainer(id)?.ports[8000]?.port)
        #expect(await SDKTest.waitUntilAlive(host: host, port: port, token: token) == 200)
        #expect(try await run.containers().map(\.id) == [id])
        try await run.engine.stopContainer(id, grace: 1)
        #expect(try await run.engine.logs(id, tail: nil).stderr.contains("Uvicorn running"))
    }
}

@Suite(
    "sdk engine over TCP with TLS",
    .serialized,
    .enabled(
        if: SDKTest.tlsEndpoint() != nil,
        "test environment lacks SWEREX_TEST_TLS_ENDPOINT or SWEREX_TEST_TLS_CERT_DIR: run scripts/testenv/up")
)
struct SDKTLSTests {
    @Test("the sandbox runs through the TLS daemon and answers on the port it publishes")
    func runsSandboxOverTLS() async throws {
        let run = SDKTestRun(try #require(SDKTest.tlsEndpoint()))
        #expect(try await run.engine.version().apiVersion == "1.41")
        try await runSandboxAndCheckAlive(run, host: "127.0.0.1")
    }

    @Test("a CA that did not sign the daemon's certificate is tlsFailure with a hint about docker_cert_path")
    func rejectsWrongCA() async throws {
        let endpoint = try #require(SDKTest.tlsEndpoint(certificateFolder: SDKTest.environment.tlsWrongCACertDir))
        let engine = DockerAPIEngine(endpoint: endpoint)
        let error = await #expect(throws: EngineError.self) { _ = try await engine.version() }
        #expect(error?.code == .tlsFailure)
        #expect(error?.hint?.contains("docker_cert_path") == true)
    }

    @Test("plain HTTP to the TLS port is a protocol error that suggests docker_tls")
    func rejectsPlainHTTPOnTLSPort() async throws {
        guard case .tcp(let host, let port, _) = try #require(SDKTest.tlsEndpoint()) else { return }
        let engine = DockerAPIEngine(endpoint: .tcp(host: host, port: port, tls: nil))
        let error = await #expect(throws: EngineError.self) { _ = try await engine.version() }
        #expect(error?.code == .protocolError)
        #expect(error?.hint?.contains("docker_tls: true") == true)
    }
}

/// Set in the environment of the child test run that keeps an engine until it exits.
private let keptEngineMarker = "SWEREX_SDK_KEPT_ENGINE_CHILD"

/// An engine that lives as long as the process, as one kept in a global by a program would.
private let keptEngine = DockerAPIEngine(
    endpoint: SDKTest.sshEndpoint() ?? .unix(path: "/nonexistent"), sshConfigFile: SDKTest.environment.sshConfig)

@Suite(
    "sdk engine over SSH",
    .serialized,
    .enabled(
        if: SDKTest.sshEndpoint() != nil && SDKTest.environment.sshConfig != nil,
        "test environment lacks SWEREX_TEST_SSH_ENDPOINT or SWEREX_TEST_SSH_CONFIG: run scripts/testenv/up")
)
struct SDKSSHTests {
    @Test("the sandbox runs through the ssh forward and answers on the remote host's port")
    func runsSandboxOverSSH() async throws {
        let endpoint = try #require(SDKTest.sshEndpoint())
        let run = SDKTestRun(endpoint)
        #expect(try await run.engine.version().apiVersion == "1.41")
        try await runSandboxAndCheckAlive(run, host: endpoint.remoteHost ?? "127.0.0.1")
    }

    @Test("one tunnel serves concurrent calls and closes when the engine goes away")
    func sharesAndClosesTunnel() async throws {
        let socket = try await openTunnelAndLetGo()
        #expect(!socket.isEmpty)
        // A guard against a tunnel that never closes, not a speed target: generous for a busy machine.
        let deadline = ContinuousClock.now + .seconds(60)
        while FileManager.default.fileExists(atPath: socket), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(sshProcesses(forwarding: socket) == 0)
    }

    @Test("a tunnel whose ssh died is opened again by the next call")
    func reopensDeadTunnel() async throws {
        let engine = DockerAPIEngine(
            endpoint: try #require(SDKTest.sshEndpoint()), sshConfigFile: SDKTest.environment.sshConfig)
        _ = try await engine.version()
        let first = try #require(await engine.tunnelSocketPath)
        let pids = sshProcessIDs(forwarding: first)
        #expect(pids.count == 1)
        for pid in pids { kill(pid, SIGKILL) }
        // Until the killed ssh has exited its socket still answers, and the next call would rightly use it.
        let deadline = ContinuousClock.now + .seconds(60)
        while sshProcesses(forwarding: first) > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(sshProcesses(forwarding: first) == 0)
        _ = try await engine.listContainers(labels: SDKTest.label)
        let second = try #require(await engine.tunnelSocketPath)
        #expect(second != first)
        #expect(sshProcesses(forwarding: second) == 1)
    }

    @Test("a tunnel of an engine that is never released is closed when the program exits")
    func closesTunnelAtExit() async throws {
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let child = try await ChildRun.run(
            testBinary, ["--testing-library", "swift-testing", "--filter", "SDKSSHTests/childKeepsTunnelOpen"],
            environment: ProcessInfo.processInfo.environment.merging([keptEngineMarker: "1"]) { _, new in new })
        let text = child.stdout + child.stderr
        #expect(child.status == 0, "the child run said:\n\(text)")
        let line = text.split(separator: "\n").first { $0.hasPrefix("tunnel socket: ") }
        let socket = try #require(line.map { String($0.dropFirst("tunnel socket: ".count)) }, "\(text)")
        #expect(sshProcesses(forwarding: socket) == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    /// Runs only inside the child started above: opens a tunnel through an engine held in a global.
    @Test(
        "(child side) an engine kept until exit opens its tunnel",
        .enabled(if: ProcessInfo.processInfo.environment[keptEngineMarker] == "1", "runs only in a child process")
    )
    func childKeepsTunnelOpen() async throws {
        _ = try await keptEngine.version()
        let socket = try #require(await keptEngine.tunnelSocketPath)
        #expect(sshProcesses(forwarding: socket) == 1)
        print("tunnel socket: \(socket)")
    }

    @Test("an ssh that cannot log in is sshFailure with ssh's message and a hint about keys")
    func reportsSSHFailure() async throws {
        let endpoint = try #require(SDKTest.sshEndpoint(port: try SDKTest.closedPort()))
        let engine = DockerAPIEngine(endpoint: endpoint, sshConfigFile: SDKTest.environment.sshConfig)
        let error = await #expect(throws: EngineError.self) { _ = try await engine.version() }
        #expect(error?.code == .sshFailure)
        #expect(error?.message.contains("Connection refused") == true)
        #expect(error?.hint?.contains("BatchMode") == true)
        #expect(error?.hint?.contains("agent") == true)
    }

    @Test("a remote socket with no daemon behind it names the remote socket")
    func reportsMissingRemoteSocket() async throws {
        let endpoint = try #require(SDKTest.sshEndpoint(socketPath: "/run/swerex-sdk-no-daemon.sock"))
        let engine = DockerAPIEngine(endpoint: endpoint, sshConfigFile: SDKTest.environment.sshConfig)
        let error = await #expect(throws: EngineError.self) { _ = try await engine.version() }
        #expect(error?.code == .protocolError || error?.code == .cannotConnect)
        #expect(error?.message.contains("/run/swerex-sdk-no-daemon.sock") == true)
        #expect(error?.hint?.contains("dockerd running on the remote host") == true)
    }

    /// Makes an engine, runs concurrent calls through it, checks that they shared one tunnel, and lets
    /// the engine go; returns the tunnel's local socket.
    private func openTunnelAndLetGo() async throws -> String {
        let engine = DockerAPIEngine(
            endpoint: try #require(SDKTest.sshEndpoint()), sshConfigFile: SDKTest.environment.sshConfig)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask { _ = try await engine.listContainers(labels: SDKTest.label) }
            }
            try await group.waitForAll()
        }
        let socket = try #require(await engine.tunnelSocketPath)
        #expect(FileManager.default.fileExists(atPath: socket))
        #expect(sshProcesses(forwarding: socket) == 1)
        return socket
    }

    private func sshProcesses(forwarding socket: String) -> Int {
        sshProcessIDs(forwarding: socket).count
    }

    /// The ssh processes that forward `socket`, read from /proc: only tunnels these tests opened.
    private func sshProcessIDs(forwarding socket: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = pid_t(entry),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.first == "ssh" && arguments.contains { $0.hasPrefix(socket + ":") } ? pid : nil
        }
    }
}

@Suite("sdk engine connection errors")
struct SDKConnectionErrorTests {
    @Test("a unix socket that does not exist is cannotConnect with a hint to start dockerd or mount the socket")
    func reportsMissingSocket() async throws {
        let engine = DockerAPIEngine(endpoint: .unix(path: "/tmp/swerex-sdk-no-such-daemon.sock"))
        let error = await #expect(throws: EngineError.self) { _ = try await engine.version() }
        #expect(error?.code == .cannotConnect)
        #expect(error?.message.contains("/tmp/swerex-sdk-no-such-daemon.sock") == true)
        #expect(error?.hint?.contains("is dockerd running?") == true)
        #expect(error?.hint?.contains("mount the daemon's socket") == true)
    }

    @Test("a TCP port with nothing listening is cannotConnect at the refusal, not after a timeout")
    func reportsClosedPort() async throws {
        let port = try SDKTest.closedPort()
        let engine = DockerAPIEngine(endpoint: .tcp(host: "127.0.0.1", port: port, tls: nil))
        let started = ContinuousClock.now
        let error = await #expect(throws: EngineError.self) { _ = try await engine.listContainers(labels: [:]) }
        // The refusal itself is the error (a connect timeout would be .timeout and say so); the clock only
        // guards against a hang, it is no speed target.
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(error?.code == .cannotConnect)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(error?.message.contains("Connection refused") == true, "\(String(describing: error))")
        #expect(error?.hint?.contains("docker_endpoint") == true)
    }

    @Test("the engine says which endpoint it talks to")
    func showsIdentity() {
        let engine = DockerAPIEngine(endpoint: .ssh(user: "root", host: "127.0.0.1", port: 2222, socketPath: nil))
        #expect(engine.identity == EngineIdentity(kind: .sdk, runtime: "docker", endpoint: "ssh://root@127.0.0.1:2222"))
    }
}
