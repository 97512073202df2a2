import Foundation
import TestSupport
import Testing

@Suite("ssh tunnels end with the runner")
struct SSHLifelineTests {
    @Test("after a runner holding an ssh endpoint is killed with SIGKILL, its ssh process ends too")
    func sshEndsWithKilledRunner() async throws {
        let environment = TestEnvironment.shared
        let missing = environment.missing(
            "SWEREX_TEST_SSH_ENDPOINT", "SWEREX_TEST_SSH_CONFIG", "SWEREX_TEST_SANDBOX_IMAGE")
        try #require(missing == nil, "\(missing ?? "")")
        let workspace = try Workspace("sshkill")
        let manifest = try workspace.write(
            "m.yaml",
            """
            project: \(workspace.project)
            defaults:
              image: \(environment.sandboxImage!)
              pull: never
              engine: sdk
              docker_endpoint: \(environment.sshEndpoint!)
              docker_use_ssh: true
              docker_internal_host: http://127.0.0.1
            deployments:
              web: {}

            """)
        // The tunnel's folder goes under TMPDIR, so the ssh processes of this test can be told apart.
        let temporary = workspace.folder + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        defer { Task { await EngineSetup.sdkDocker.cleanUp(workspace, manifest: manifest) } }
        let process = try Binary.start(["up", manifest], in: workspace, environment: ["TMPDIR": temporary])
        #expect(await process.waitForStderr(containing: "holding 1 sandbox(es)", timeout: 120))
        #expect(Self.sshProcesses(mentioning: temporary).count == 1)
        process.signal(SIGKILL)
        _ = await process.wait(timeout: 10)
        var remaining = Self.sshProcesses(mentioning: temporary)
        for _ in 0..<300 where !remaining.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            remaining = Self.sshProcesses(mentioning: temporary)
        }
        #expect(remaining.isEmpty, "ssh still running: \(remaining)")
        for pid in remaining { kill(pid, SIGKILL) }
        let down = try await Binary.run(["down", manifest], in: workspace)
        #expect(down.status == 0, "\(down.stderr)")
    }

    /// Process ids of ssh clients whose command line names `text`.
    static func sshProcesses(mentioning text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard words.first == "ssh", words.contains(where: { $0.contains(text) }) else { return nil }
            return pid
        }
    }
}
