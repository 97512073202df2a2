import Foundation
import TestSupport
import Testing

/// B-F7 (the part a signal or a closed stdout caused): commands that end early still close their ssh
/// tunnel. A runner killed with SIGKILL still leaves one (docs/limitations.md).
@Suite("ssh tunnels end with the command", .serialized)
struct TunnelTests {
    let setup = EngineSetup.sdkDocker

    static var available: String? {
        TestEnvironment.shared.missing(
            "SWEREX_TEST_SSH_ENDPOINT", "SWEREX_TEST_SSH_CONFIG", "SWEREX_TEST_SANDBOX_IMAGE")
    }

    /// A project on the ssh endpoint; its tunnels go under the workspace's own TMPDIR.
    func sshProject(_ workspace: Workspace) throws -> (manifest: String, environment: [String: String]) {
        let endpoint = try #require(TestEnvironment.shared.sshEndpoint)
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project, defaults: ["docker_endpoint: \(endpoint)", "docker_use_ssh: true"],
                deployments: "  web: {}\n"))
        let temporary = workspace.folder + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        return (manifest, ["TMPDIR": temporary])
    }

    func tunnels(_ workspace: Workspace) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: workspace.folder + "/tmp")) ?? []
        return names.filter { $0.hasPrefix("swerex-ssh-") }
    }

    /// Runs the docker program and returns what it printed, trimmed.
    @discardableResult
    func docker(_ arguments: [String]) async throws -> String {
        try await ChildRun.program("docker", arguments).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("status with stdout closed finishes (exit 0) and leaves no ssh tunnel behind")
    func closedStdout() async throws {
        try #require(Self.available == nil, "\(Self.available ?? "")")
        let workspace = try Workspace("tunnel")
        let project = try sshProject(workspace)
        defer { Task { await setup.cleanUp(workspace, manifest: project.manifest) } }
        let up = try await Binary.run(
            ["up", "-d", "-q", project.manifest], in: workspace, environment: project.environment)
        #expect(up.status == 0, "\(up.stderr)")
        let status = try Binary.start(
            ["status", project.manifest], in: workspace, environment: project.environment, closedStdout: true)
        let result = await status.wait(timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        try await Task.sleep(for: .seconds(1))
        #expect(tunnels(workspace) == [])
    }

    @Test("SIGHUP during a slow status ends it with 129 and closes its ssh tunnel")
    func hangUpDuringStatus() async throws {
        try #require(Self.available == nil, "\(Self.available ?? "")")
        let workspace = try Workspace("tunnel")
        let project = try sshProject(workspace)
        let up = try await Binary.run(
            ["up", "-d", "--output", "json", project.manifest], in: workspace, environment: project.environment)
        #expect(up.status == 0, "\(up.stderr)")
        let id = try #require(try EndToEndTests.UpResult(up.stdout).ids.values.first)
        let shell = try #require(Int32(try await docker(["inspect", "-f", "{{.State.Pid}}", id])))
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        let server = try #require(children.split(separator: " ").compactMap { Int32($0) }.first)
        defer {
            kill(server, SIGCONT)
            Task { await setup.cleanUp(workspace, manifest: project.manifest) }
        }
        // A stopped server still takes the probe's connection but never answers: status waits seconds on it.
        kill(server, SIGSTOP)
        let status = try Binary.start(["status", project.manifest], in: workspace, environment: project.environment)
        for _ in 0..<100 where tunnels(workspace).isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!tunnels(workspace).isEmpty)
        try await Task.sleep(for: .milliseconds(500))
        status.signal(SIGHUP)
        let result = await status.wait(timeout: 30)
        #expect(result.status == 129, "\(result.stderr)")
        try await Task.sleep(for: .seconds(1))
        #expect(tunnels(workspace) == [])
    }
}
