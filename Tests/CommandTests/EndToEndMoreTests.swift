import Foundation
import TestSupport
import Testing

/// The rest of the commands' behaviour on the real dockerd.
@Suite("End to end: plans, orphans, conflicts, removal settings", .serialized)
struct EndToEndMoreTests {
    let setup = EngineSetup.sdkDocker

    /// Runs the docker program, for set-up the test owns (tags, a foreign container).
    @discardableResult
    func docker(_ arguments: [String]) async throws -> Int32 {
        try await ChildRun.program("docker", arguments).status
    }

    @Test("plan --detailed-exitcode is 0 with no changes, 2 with changes, 1 on an error")
    func planExitCodes() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("plan")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let changes = try await Binary.run(["plan", "--detailed-exitcode", manifest], in: workspace)
        #expect(changes.status == 2)
        #expect(changes.stdout.contains("  + \(workspace.project)-web-1  create   no container yet"))
        #expect(try await Binary.run(["plan", manifest], in: workspace).status == 0)
        #expect(try await Binary.run(["up", "-d", "-q", manifest], in: workspace).status == 0)
        #expect(try await Binary.run(["plan", "--detailed-exitcode", manifest], in: workspace).status == 0)
        let broken = try workspace.write("broken.yaml", "project: x\ndeployments:\n  web:\n    imgae: nope\n")
        let error = try await Binary.run(["plan", "--detailed-exitcode", broken], in: workspace)
        #expect(error.status == 1)
        #expect(error.stderr.contains("broken.yaml:4:5: error:"), "\(error.stderr)")
        let json = try await Binary.run(["plan", "--output", "json", manifest], in: workspace)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["changes"] as? Bool == false)
    }

    @Test("a container holding our name without our labels stops plan and up, and is left alone")
    func foreignName() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("foreign")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n"))
        let name = "\(workspace.project)-web-1"
        let image = try #require(TestEnvironment.shared.busyboxImage)
        try #require(
            try await docker(["create", "--name", name, "--label", "swerex-run.test=command", image, "true"]) == 0)
        defer {
            Task {
                _ = try? await docker(["rm", "-f", name])
                await setup.cleanUp(workspace, manifest: manifest)
            }
        }
        let plan = try await Binary.run(["plan", "--detailed-exitcode", manifest], in: workspace)
        #expect(plan.status == 1)
        #expect(plan.stdout.contains("  ! \(name)  conflict container \(name)"))
        #expect(plan.stdout.contains("is not managed by swerex-run"))
        let up = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(up.status == 1)
        #expect(up.stderr.contains("nothing was changed"))
        #expect(try await docker(["inspect", name]) == 0)
    }

    @Test(
        "fake broken libcurl: up fails before creating anything, naming libcurl",
        arguments: [EngineSetup.sdkDocker, EngineSetup.cliDocker])
    func withoutLibcurl(setup: EngineSetup) async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("nocurl")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        // A file that is not a library, found first by the dynamic loader: dlopen fails as it would
        // on a machine without libcurl.
        let libraries = workspace.folder + "/fake-libs"
        try FileManager.default.createDirectory(atPath: libraries, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: libraries + "/libcurl.so.4", contents: Data("not a library".utf8))
        let up = try await Binary.run(
            ["up", "-d", manifest], in: workspace, environment: ["LD_LIBRARY_PATH": libraries])
        #expect(up.status == 1, "\(up.stderr)")
        #expect(up.stderr.contains("cannot load libcurl"), "\(up.stderr)")
        #expect(up.stderr.contains("apt-get install libcurl4"))
        #expect(try await setup.containers(project: workspace.project) == [])
        let validate = try await Binary.run(
            ["validate", manifest], in: workspace, environment: ["LD_LIBRARY_PATH": libraries])
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    @Test("a deployment dropped from the manifest is an orphan until --prune removes it")
    func orphans() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("orphan")
        let both = try workspace.write(
            "both.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n  old: {}\n"))
        let one = try workspace.write(
            "one.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: both) } }
        #expect(try await Binary.run(["up", "-d", "-q", both], in: workspace).status == 0)
        let plan = try await Binary.run(["plan", "--detailed-exitcode", one], in: workspace)
        #expect(plan.status == 0)
        #expect(
            plan.stdout.contains("? \(workspace.project)-old-1  orphan   deployment old is no longer in the manifest"))
        let up = try await Binary.run(["up", "-d", one], in: workspace)
        #expect(up.stderr.contains("warning: orphan \(workspace.project)-old-1"))
        #expect(try await setup.containers(project: workspace.project).count == 2)
        let pruning = try await Binary.run(["plan", "--prune", "--detailed-exitcode", one], in: workspace)
        #expect(pruning.status == 2)
        let pruned = try await Binary.run(["up", "-d", "--prune", one], in: workspace)
        #expect(pruned.status == 0)
        #expect(pruned.stderr.contains("removed \(workspace.project)-old-1"))
        #expect(try await setup.containers(project: workspace.project).count == 1)
    }

    @Test("with remove_container false a failed sandbox stays, the error says so, and down removes it")
    func keepFailed() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("keep")
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project, image: TestEnvironment.shared.busyboxImage,
                defaults: ["remove_container: false"], deployments: "  crash: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let up = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(up.status == 1)
        #expect(up.stderr.contains("is kept, stopped, because remove_container is false"), "\(up.stderr)")
        #expect(try await setup.containers(project: workspace.project).count == 1)
        let logs = try await Binary.run(["logs", "-f", manifest, "crash/1"], in: workspace)
        #expect(logs.status == 0)
        #expect(logs.stderr.contains("python3: not found"))
        let status = try await Binary.run(["status", manifest], in: workspace)
        #expect(status.stdout.contains("stopped"), "\(status.stdout)")
        #expect(try await Binary.run(["down", manifest], in: workspace).status == 0)
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("remove_images removes the image when the sandboxes go")
    func removeImages() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("rmi")
        let source = try #require(TestEnvironment.shared.sandboxImage)
        let tag = "swerex-sandbox:\(workspace.project)"
        try #require(try await docker(["tag", source, tag]) == 0)
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project, image: tag, defaults: ["remove_images: true"], deployments: "  web: {}\n"))
        defer {
            Task {
                _ = try? await docker(["rmi", tag])
                await setup.cleanUp(workspace, manifest: manifest)
            }
        }
        #expect(try await Binary.run(["up", "-d", "-q", manifest], in: workspace).status == 0)
        let down = try await Binary.run(["down", manifest], in: workspace)
        #expect(down.status == 0)
        #expect(down.stderr.contains("removed image \(tag)"), "\(down.stderr)")
        #expect(try await docker(["image", "inspect", tag]) != 0)
    }

    @Test("down --project needs no manifest; an interrupted start leaves nothing and exits 130")
    func downByNameAndInterruptedStart() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("byname")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web:\n    replicas: 3\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        #expect(try await Binary.run(["up", "-d", "-q", manifest], in: workspace).status == 0)
        let down = try await Binary.run(["down", "--project", workspace.project], in: workspace)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])

        let process = try Binary.start(["up", "-d", manifest], in: workspace)
        #expect(await process.waitForStderr(containing: "created \(workspace.project)-web", timeout: 60))
        process.signal(SIGINT)
        let result = await process.wait(timeout: 60)
        #expect(result.status == 130, "\(result.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("pull never with an absent image fails before anything is created, naming the image")
    func pullNever() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("pull")
        let image = "swerex-absent:\(workspace.project)"
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, image: image, deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let up = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(up.status == 1)
        #expect(up.stderr.contains("image \(image) is not on sdk docker"), "\(up.stderr)")
        #expect(up.stderr.contains("pull is never"))
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("one project over both engines of one daemon: each deployment on its own, down removes all")
    func mixedEngines() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("mixed")
        let manifest = try workspace.write(
            "m.yaml",
            setup.manifest(
                project: workspace.project,
                deployments: "  api:\n    engine: sdk\n  shell:\n    engine: cli\n    replicas: 2\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let up = try await Binary.run(["up", "-d", manifest], in: workspace)
        #expect(up.status == 0, "\(up.stderr)")
        #expect(up.stdout.contains("sdk/docker") && up.stdout.contains("cli/docker"))
        let again = try await Binary.run(["plan", "--detailed-exitcode", manifest], in: workspace)
        #expect(again.status == 0, "\(again.stdout)")
        #expect(try await setup.containers(project: workspace.project).count == 3)
        #expect(try await Binary.run(["down", manifest], in: workspace).status == 0)
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("a second signal stops waiting at once; down then finds whatever was left")
    func secondSignal() async throws {
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("twice")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web:\n    replicas: 4\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        let process = try Binary.start(["up", manifest], in: workspace)
        #expect(await process.waitForStderr(containing: "created \(workspace.project)-web", timeout: 60))
        process.signal(SIGTERM)
        try await Task.sleep(for: .milliseconds(20))
        process.signal(SIGTERM)
        let result = await process.wait(timeout: 30)
        #expect(result.status == 143, "\(result.stderr)")
        // A create request the runner abandoned may still be finishing inside the daemon.
        try await Task.sleep(for: .seconds(2))
        #expect(try await Binary.run(["down", manifest], in: workspace).status == 0)
        #expect(try await setup.containers(project: workspace.project) == [])
    }
}
