import Foundation
import TestSupport
import Testing

/// `swerex-run` run as a program against the real engines, each test with its own project.
@Suite("End to end on real engines", .serialized)
struct EndToEndTests {
    /// `up --output json` parsed: container id and token per sandbox name.
    struct UpResult {
        var ids: [String: String] = [:]
        var tokens: [String: String] = [:]
        var urls: [String: String] = [:]
        var states: [String: String] = [:]

        init(_ json: String) throws {
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            for sandbox in object?["sandboxes"] as? [[String: Any]] ?? [] {
                let name = sandbox["name"] as? String ?? "?"
                ids[name] = sandbox["container_id"] as? String
                tokens[name] = sandbox["token"] as? String
                urls[name] = sandbox["url"] as? String
                states[name] = sandbox["state"] as? String
            }
        }
    }

    @Test(
        "up -d, exec, a second up that keeps everything, a change that replaces only its deployment, down",
        arguments: EngineSetup.all)
    func lifecycle(setup: EngineSetup) async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("life")
        let first = try workspace.write(
            "first.yaml", setup.manifest(project: workspace.project, deployments: "  a:\n    replicas: 2\n  b: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: first) } }

        let up = try await Binary.run(["up", "-d", "--output", "json", first], in: workspace)
        #expect(up.status == 0, "\(up.stderr)")
        let started = try UpResult(up.stdout)
        let names = ["a-1", "a-2", "b-1"].map { "\(workspace.project)-\($0)" }
        #expect(started.states.keys.sorted() == names.sorted())
        #expect(started.states.values.allSatisfy { $0 == "alive" })
        #expect(started.tokens.values.allSatisfy { $0.count == 64 })
        #expect(started.urls.values.allSatisfy { $0.hasPrefix("http://127.0.0.1:") })
        #expect(try await setup.containers(project: workspace.project) == started.ids.values.sorted())
        #expect(!up.stderr.contains(started.tokens.values.first ?? "-"), "a token reached the log")

        let echo = try await Binary.run(["exec", "-f", first, "a/2", "--", "echo", "hello sandbox"], in: workspace)
        #expect(echo.status == 0)
        #expect(echo.stdout == "hello sandbox\n")
        let failing = try await Binary.run(["exec", "-f", first, "b", "--", "echo oops >&2; exit 7"], in: workspace)
        #expect(failing.status == 7)
        #expect(failing.stderr == "oops\n")

        let again = try await Binary.run(["up", "-d", "--output", "json", first], in: workspace)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try UpResult(again.stdout).ids == started.ids)
        let unchanged = try await Binary.run(["plan", "--detailed-exitcode", first], in: workspace)
        #expect(unchanged.status == 0, "\(unchanged.stdout)\(unchanged.stderr)")

        let second = try workspace.write(
            "second.yaml",
            setup.manifest(
                project: workspace.project,
                deployments: "  a:\n    replicas: 2\n  b:\n    docker_args: [\"-e\", \"CHANGED=yes\"]\n"))
        let pending = try await Binary.run(["plan", "--detailed-exitcode", second], in: workspace)
        #expect(pending.status == 2)
        #expect(pending.stdout.contains("-/+ \(workspace.project)-b-1  replace  spec changed: docker_args"))
        #expect(pending.stdout.contains("Plan: 0 to create, 1 to replace, 0 to remove, 2 unchanged."))
        let changed = try await Binary.run(["up", "-d", "--output", "json", second], in: workspace)
        #expect(changed.status == 0, "\(changed.stderr)")
        let after = try UpResult(changed.stdout)
        #expect(after.ids["\(workspace.project)-a-1"] == started.ids["\(workspace.project)-a-1"])
        #expect(after.ids["\(workspace.project)-a-2"] == started.ids["\(workspace.project)-a-2"])
        #expect(after.ids["\(workspace.project)-b-1"] != started.ids["\(workspace.project)-b-1"])
        let variable = try await Binary.run(["exec", "-f", second, "b/1", "--", "echo $CHANGED"], in: workspace)
        #expect(variable.stdout == "yes\n")

        let status = try await Binary.run(["status", second], in: workspace)
        #expect(status.status == 0)
        #expect(status.stdout.components(separatedBy: " alive ").count == 4, "\(status.stdout)")
        for token in after.tokens.values {
            #expect(!status.stdout.contains(token) && !pending.stdout.contains(token))
        }
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.stateFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let down = try await Binary.run(["down", second], in: workspace)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])
        #expect(!FileManager.default.fileExists(atPath: workspace.stateFile))
        let nothing = try await Binary.run(["down", second], in: workspace)
        #expect(nothing.status == 0)
    }

    @Test("a foreground up holds until SIGTERM, then leaves nothing and exits 143", arguments: EngineSetup.all)
    func foregroundSignal(setup: EngineSetup) async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("fg")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web:\n    replicas: 2\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let process = try Binary.start(["up", manifest], in: workspace)
        let holding = await process.waitForStderr(containing: "holding 2 sandbox(es)", timeout: 120)
        #expect(holding, "\(process.stderr)")
        #expect(try await setup.containers(project: workspace.project).count == 2)
        process.signal(SIGTERM)
        let result = await process.wait(timeout: 60)
        #expect(result.status == 143, "\(result.stderr)")
        #expect(result.stdout.contains("DEPLOYMENT  REPLICA"))
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("after the runner is killed with SIGKILL, up keeps its sandboxes and down removes them")
    func killedRunner() async throws {
        let setup = EngineSetup.sdkDocker
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("kill")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let process = try Binary.start(["up", manifest], in: workspace)
        #expect(await process.waitForStderr(containing: "holding 1 sandbox(es)", timeout: 120))
        process.signal(SIGKILL)
        _ = await process.wait(timeout: 10)
        let left = try await setup.containers(project: workspace.project)
        #expect(left.count == 1)
        let again = try await Binary.run(["up", "-d", "--output", "json", manifest], in: workspace)
        #expect(again.status == 0)
        #expect(try UpResult(again.stdout).ids.values.sorted() == left)
        let down = try await Binary.run(["down", manifest], in: workspace)
        #expect(down.status == 0)
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test(
        "a container that exits at once fails within seconds with its exit code and output", arguments: EngineSetup.all)
    func exitsAtOnce(setup: EngineSetup) async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("crash")
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project, image: TestEnvironment.shared.busyboxImage, deployments: "  crash: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let result = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(result.status == 1)
        #expect(result.seconds < 30)
        #expect(result.stderr.contains("the container exited with exit code 127 before answering"), "\(result.stderr)")
        #expect(result.stderr.contains("python3: not found"))
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("a sandbox that never listens fails at startup_timeout with the URL and state", arguments: EngineSetup.all)
    func neverListens(setup: EngineSetup) async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("silent")
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project, image: TestEnvironment.shared.busyboxImage,
                defaults: [
                    "startup_timeout: 3", "exec_shell: [\"/bin/sh\", \"-c\", \"echo quiet; sleep 600\", \"sh\"]",
                ],
                deployments: "  silent: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let result = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(result.status == 1)
        #expect(result.seconds >= 3 && result.seconds < 40)
        #expect(result.stderr.contains("/is_alive within startup_timeout (3.0 s)"), "\(result.stderr)")
        #expect(result.stderr.contains("Container state: running"))
        #expect(result.stderr.contains("| quiet"))
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("an explicit port that is taken fails at once, naming it", arguments: EngineSetup.all)
    func portTaken(setup: EngineSetup) async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("port")
        let holder = try PortHolder()
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(project: workspace.project, defaults: ["port: \(holder.port)"], deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let result = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(result.status == 1)
        #expect(result.seconds < 30)
        #expect(result.stderr.contains("host port \(holder.port) is already taken"), "\(result.stderr)")
        #expect(result.stderr.contains("hint: free it, or leave `port` unset"), "\(result.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])
        withExtendedLifetime(holder) {}
    }

    @Test("sixteen replicas start in parallel and all answer", arguments: EngineSetup.all)
    func sixteenReplicas(setup: EngineSetup) async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("many")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  many:\n    replicas: 16\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let result = try await Binary.run(["up", "-d", "--output", "json", manifest], in: workspace, timeout: 400)
        #expect(result.status == 0, "\(result.stderr)")
        let up = try UpResult(result.stdout)
        #expect(up.states.count == 16)
        #expect(up.states.values.allSatisfy { $0 == "alive" })
        #expect(Set(up.urls.values).count == 16)
        let down = try await Binary.run(["down", manifest], in: workspace, timeout: 300)
        #expect(down.status == 0)
        #expect(try await setup.containers(project: workspace.project) == [])
    }
}
