import ContainerEngine
import DockerAPI
import Foundation
import HTTPTransport
import TestSupport
import Testing

@Suite(
    "sdk engine on the local dockerd",
    .serialized,
    .enabled(if: SDKTest.localSocket != nil, "test environment lacks SWEREX_TEST_DOCKER_SOCKET: run scripts/testenv/up")
)
struct SDKEngineTests {
    let run = SDKTestRun(SDKTest.localSocket ?? .unix(path: "/nonexistent"))

    @Test("version agrees on the daemon's API version, capped at ours")
    func negotiatesVersion() async throws {
        let version = try await run.engine.version()
        #expect(version.apiVersion == "1.41")
        #expect(version.version.hasPrefix("20.10"))
        #expect(version.os == "linux")
        #expect(
            run.engine.identity
                == EngineIdentity(kind: .sdk, runtime: "docker", endpoint: "unix:///var/run/docker.sock"))
    }

    @Test("the sandbox runs on an engine-chosen port and answers is_alive with its token")
    func runsSandbox() async throws {
        try await run.withCleanup {
            let token = UUID().uuidString
            let spec = run.spec(
                "sandbox", image: SDKTest.sandboxImage,
                command: ["/bin/sh", "-c", "swerex-remote --auth-token \(token)"],
                publish: PortPublication())
            let id = try await run.engine.runContainer(spec)
            let info = try #require(try await run.engine.inspectContainer(id))
            #expect(info.status == .running)
            #expect(info.name == spec.name)
            #expect(info.image == SDKTest.sandboxImage)
            #expect(info.labels["swerex-run.test-run"] == run.runID)
            let port = try #require(info.ports[8000]).port
            #expect(port > 0)
            #expect(await SDKTest.waitUntilAlive(host: "127.0.0.1", port: port, token: token) == 200)
            #expect(await SDKTest.waitUntilAlive(host: "127.0.0.1", port: port, token: "wrong", limit: .zero) == 401)

            let listed = try await run.engine.listContainers(labels: [
                "swerex-run.test-run": run.runID, "swerex-run.test": nil,
            ])
            #expect(listed.map(\.id) == [id])
            #expect(listed.first?.ports[8000]?.port == port)
            #expect(listed.first?.status == .running)
            #expect(try await run.engine.listContainers(labels: ["swerex-run.test-run": "someone-else"]).isEmpty)

            try await run.engine.removeContainer(id)
            #expect(try await run.engine.inspectContainer(id) == nil)
            try await run.engine.removeContainer(id)
        }
    }

    @Test("a host port chosen by the caller is published on the address asked for")
    func publishesChosenPort() async throws {
        try await run.withCleanup {
            let port = try SDKTest.closedPort()
            let spec = run.spec(
                "fixed-port", command: ["sleep", "60"], publish: PortPublication(hostPort: port, hostIP: "127.0.0.1"))
            let id = try await run.engine.runContainer(spec)
            let info = try await run.engine.inspectContainer(id)
            #expect(info?.ports[8000] == HostAddress(ip: "127.0.0.1", port: port))
        }
    }

    @Test("logs come back with stdout and stderr apart, and tail keeps the last lines")
    func readsLogsApart() async throws {
        try await run.withCleanup {
            let id = try await run.engine.runContainer(
                run.spec("logs", command: ["sh", "-c", "echo out1; echo err1 >&2; sleep 0.2; echo out2"]))
            let exited = try await SDKTest.waitUntilExited(run.engine, id)
            #expect(exited?.status == .exited)
            #expect(exited?.exitCode == 0)
            let logs = try await run.engine.logs(id, tail: nil)
            #expect(logs == ContainerLogs(stdout: "out1\nout2\n", stderr: "err1\n"))
            let last = try await run.engine.logs(id, tail: 1)
            #expect(last == ContainerLogs(stdout: "out2\n", stderr: ""))
        }
    }

    @Test("a container that exits reports its exit code in inspect and in the list")
    func reportsExitCode() async throws {
        try await run.withCleanup {
            let id = try await run.engine.runContainer(run.spec("exit", command: ["sh", "-c", "exit 3"]))
            #expect(try await SDKTest.waitUntilExited(run.engine, id)?.exitCode == 3)
            let listed = try await run.containers()
            #expect(listed.first?.status == .exited)
            #expect(listed.first?.exitCode == 3)
        }
    }

    @Test("stop waits out the grace period, then kills a process that ignores SIGTERM")
    func stopsAfterGrace() async throws {
        try await run.withCleanup {
            // sleep as PID 1 has no handler for SIGTERM, so only the SIGKILL after the grace ends it. Until
            // runc's init has started the command, SIGTERM ends init (a Go program) with status 2, so
            // the stop waits until the command says it runs.
            let id = try await run.engine.runContainer(
                run.spec("stop", command: ["sh", "-c", "echo ready; exec sleep 300"]))
            try await SDKTest.waitForOutput("ready", run.engine, id)
            let started = ContinuousClock.now
            try await run.engine.stopContainer(id, grace: 1)
            let took = ContinuousClock.now - started
            // At least the grace period; the upper bound only guards against a hang.
            #expect(took >= .seconds(1) && took < .seconds(60))
            let info = try await run.engine.inspectContainer(id)
            #expect(info?.status == .exited)
            #expect(info?.exitCode == 137)
            try await run.engine.stopContainer(id, grace: 1)
        }
    }

    @Test("kill sends SIGKILL by default, or the signal asked for")
    func killsWithSignal() async throws {
        try await run.withCleanup {
            let id = try await run.engine.runContainer(run.spec("kill", command: ["sleep", "300"]))
            try await run.engine.killContainer(id, signal: nil)
            #expect(try await SDKTest.waitUntilExited(run.engine, id)?.exitCode == 137)

            let trapping = try await run.engine.runContainer(
                run.spec(
                    "kill-usr1",
                    command: ["sh", "-c", "trap 'exit 42' USR1; echo ready; while true; do sleep 0.1; done"]))
            // PID 1 ignores a signal it has no handler for: send it only once the trap is set, which the
            // shell says (a fixed pause would lose the race on a busy machine).
            try await SDKTest.waitForOutput("ready", run.engine, trapping)
            try await run.engine.killContainer(trapping, signal: "SIGUSR1")
            #expect(try await SDKTest.waitUntilExited(run.engine, trapping)?.exitCode == 42)
        }
    }

    @Test("calls on a container that does not exist say so, except remove, for which gone is success")
    func handlesMissingContainer() async throws {
        let name = SDKTest.uniqueName("missing")
        #expect(try await run.engine.inspectContainer(name) == nil)
        try await run.engine.removeContainer(name)
        let stopError = await #expect(throws: EngineError.self) { try await run.engine.stopContainer(name, grace: 1) }
        let killError = await #expect(throws: EngineError.self) {
            try await run.engine.killContainer(name, signal: nil)
        }
        let logsError = await #expect(throws: EngineError.self) { _ = try await run.engine.logs(name, tail: 5) }
        for error in [stopError, killError, logsError] {
            #expect(error?.code == .noSuchContainer)
            #expect(error?.message.contains(name) == true)
        }
    }

    @Test("a name already in use is nameInUse and leaves the other container alone")
    func reportsNameInUse() async throws {
        try await run.withCleanup {
            let first = run.spec("name", command: ["sleep", "60"])
            let id = try await run.engine.runContainer(first)
            var second = run.spec("name", command: ["sleep", "60"])
            second.name = first.name
            let error = await #expect(throws: EngineError.self) { try await run.engine.runContainer(second) }
            #expect(error?.code == .nameInUse)
            #expect(error?.message.contains(first.name) == true)
            #expect(error?.hint != nil)
            #expect(try await run.containers().map(\.id) == [id])
            #expect(try await run.engine.inspectContainer(id)?.status == .running)
        }
    }

    @Test("a host port held by another container is portAllocated naming the port, and nothing is left")
    func reportsPortHeldByContainer() async throws {
        try await run.withCleanup {
            let holder = try await run.engine.runContainer(
                run.spec("port-holder", command: ["sleep", "60"], publish: PortPublication()))
            let port = try #require(try await run.engine.inspectContainer(holder)?.ports[8000]?.port)
            let error = await #expect(throws: EngineError.self) {
                try await run.engine.runContainer(
                    run.spec("port-taker", command: ["sleep", "60"], publish: PortPublication(hostPort: port)))
            }
            #expect(error?.code == .portAllocated)
            #expect(error?.message.contains("host port \(port) is already allocated") == true)
            #expect(try await run.containers().map(\.id) == [holder])
        }
    }

    @Test("a host port held by a plain listener is portAllocated too, also for an auto-remove container")
    func reportsPortHeldByListener() async throws {
        try await run.withCleanup {
            let listener = try LoopbackListener()
            defer { withExtendedLifetime(listener) {} }
            let spec = run.spec(
                "port-listener", command: ["sleep", "60"], publish: PortPublication(hostPort: listener.port),
                autoRemove: true)
            let error = await #expect(throws: EngineError.self) { try await run.engine.runContainer(spec) }
            #expect(error?.code == .portAllocated)
            #expect(error?.message.contains("host port \(listener.port)") == true)
            #expect(try await run.engine.inspectContainer(spec.name) == nil)
        }
    }

    @Test("creating from an image the daemon does not have is noSuchImage, with nothing created")
    func reportsMissingImage() async throws {
        try await run.withCleanup { () async throws in
            let spec = run.spec("no-image", image: "swerex-sdk-never-present:test", command: ["true"])
            let error = await #expect(throws: EngineError.self) { try await run.engine.runContainer(spec) }
            #expect(error?.code == .noSuchImage)
            #expect(error?.message.contains("swerex-sdk-never-present:test") == true)
            #expect(try await run.engine.inspectImage("swerex-sdk-never-present:test") == nil)
        }
    }

    @Test("docker_args become fields of the create request")
    func mapsDockerArguments() async throws {
        try await run.withCleanup {
            let spec = run.spec(
                "args", command: ["sh", "-c", "echo $GREETING; pwd; hostname; id -u; ls -d /scratch"],
                runArguments: [
                    "-e", "GREETING=hello", "-w", "/tmp", "--hostname=boxy", "-u", "1234", "--memory", "64m",
                    "--tmpfs", "/scratch", "-l", "extra=yes", "--cap-drop", "NET_RAW", "--init", "--network", "none",
                    "--add-host", "db:10.9.8.7", "--ulimit", "nofile=512:1024", "--shm-size=32m", "--cpus", "0.5",
                ])
            let id = try await run.engine.runContainer(spec)
            #expect(try await SDKTest.waitUntilExited(run.engine, id)?.exitCode == 0)
            let logs = try await run.engine.logs(id, tail: nil)
            #expect(logs.stdout == "hello\n/tmp\nboxy\n1234\n/scratch\n")
            let info = try #require(try await run.engine.inspectContainer(id))
            #expect(info.labels["extra"] == "yes")
            #expect(info.labels["swerex-run.test"] == "sdk")

            let raw = try await rawInspect(id)
            let host = try #require(raw["HostConfig"] as? [String: Any])
            #expect(host["Memory"] as? Int == 64 * 1024 * 1024)
            #expect(host["ShmSize"] as? Int == 32 * 1024 * 1024)
            #expect(host["NanoCpus"] as? Int == 500_000_000)
            #expect(host["NetworkMode"] as? String == "none")
            #expect(host["Init"] as? Bool == true)
            #expect(host["CapDrop"] as? [String] == ["NET_RAW"])
            #expect(host["ExtraHosts"] as? [String] == ["db:10.9.8.7"])
            #expect(host["Tmpfs"] as? [String: String] == ["/scratch": ""])
            let ulimits = host["Ulimits"] as? [[String: Any]]
            #expect(ulimits?.first?["Name"] as? String == "nofile")
            #expect(ulimits?.first?["Hard"] as? Int == 1024)
        }
    }

    @Test("docker_args outside the supported set are invalidArgument, before anything is created")
    func rejectsUnsupportedArguments() async throws {
        let spec = run.spec("bad-args", command: ["true"], runArguments: ["-e", "A=1", "--rm"])
        let error = await #expect(throws: EngineError.self) { try await run.engine.runContainer(spec) }
        #expect(error?.code == .invalidArgument)
        #expect(
            error?.message.hasPrefix("unsupported docker_args flag '--rm'; the sdk engine supports -e/--env") == true)
        #expect(error?.hint == "docker_args[2] is '--rm'")
        #expect(try await run.engine.inspectContainer(spec.name) == nil)
    }

    /// The daemon's own inspect JSON, read around the engine, to see what the create request set.
    private func rawInspect(_ id: String) async throws -> [String: Any] {
        let client = HTTPClient(target: .unixSocket(path: SDKTest.environment.dockerSocket ?? ""))
        let response = try await client.send(HTTPRequest(path: "/v1.41/containers/\(id)/json", timeout: .seconds(120)))
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }
}
