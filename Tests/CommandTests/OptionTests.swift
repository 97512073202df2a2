import Foundation
import TestSupport
import Testing

/// A-F10: each command takes only its own options, and small things about values and output.
@Suite("Per-command options and output details")
struct OptionTests {
    @Test(
        "an option a command does not take is a usage error, exit 64",
        arguments: [
            ["validate", "--prune", "m.yaml"], ["status", "--prune", "m.yaml"],
            ["exec", "--prune", "web", "--", "true"], ["down", "--prune", "m.yaml"], ["config", "-d", "m.yaml"],
        ])
    func foreignOption(arguments: [String]) async throws {
        let workspace = try Workspace("options")
        defer { workspace.remove() }
        try workspace.write("m.yaml", "image: swerex-sandbox:test\n")
        let result = try await Binary.run(arguments, in: workspace)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("does not apply to '\(arguments[0])'"), "\(result.stderr)")
    }

    @Test("help lists only the options a command takes")
    func helpListsOwnOptions() async throws {
        let validate = try await Binary.run(["validate", "--help"])
        #expect(!validate.stdout.contains("--prune"))
        #expect(!validate.stdout.contains("config: yaml"))
        let plan = try await Binary.run(["plan", "--help"])
        #expect(plan.stdout.contains("--prune"))
        let config = try await Binary.run(["config", "--help"])
        #expect(config.stdout.contains("--output FORMAT           Write the manifest as yaml (the default) or json."))
    }

    @Test("--tail -1 is refused with what --tail takes, exit 64; --tail all is every line")
    func negativeTail() async throws {
        let result = try await Binary.run(["logs", "--tail", "-1", "web"])
        #expect(result.status == 64)
        #expect(
            result.stderr.hasPrefix("Error: Option '--tail' takes a number of lines, 0 or more, or 'all'; not '-1'."),
            "\(result.stderr)")
        guard case .run(let invocation) = try ArgumentParserTests().parse(["logs", "--tail", "all", "web"]) else {
            Issue.record("not a run")
            return
        }
        #expect(invocation.tail == nil)
    }

    @Test("validate prints its result on stdout, problems on stderr")
    func validateOnStdout() async throws {
        let workspace = try Workspace("options")
        defer { workspace.remove() }
        let good = try workspace.write("good.yaml", "image: swerex-sandbox:test\n")
        let result = try await Binary.run(["validate", good], in: workspace)
        #expect(result.status == 0)
        #expect(result.stdout.contains("good.yaml: valid (project "), "\(result.stdout)")
        #expect(result.stderr == "")
    }

    @Test("with -p NAME and no manifest, status and down work from the project's labels, as compose does")
    func projectNameWithoutManifest() async throws {
        let setup = EngineSetup.sdkDocker
        try #require(setup.unavailable == nil, "\(setup.unavailable ?? "")")
        let workspace = try Workspace("bylabel")
        let manifest = try workspace.write(
            "m.yaml", setup.manifest(project: workspace.project, deployments: "  web: {}\n"))
        defer { Task { await setup.cleanUp(workspace, manifest: manifest) } }
        #expect(try await Binary.run(["up", "-d", "-q", manifest], in: workspace).status == 0)
        let status = try await Binary.run(["status", "-p", workspace.project], in: workspace)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("web         1"), "\(status.stdout)")
        #expect(status.stdout.contains(" alive "), "\(status.stdout)")
        let logs = try await Binary.run(["logs", "-p", workspace.project, "web"], in: workspace)
        #expect(logs.status == 0, "\(logs.stderr)")
        let down = try await Binary.run(["down", "-p", workspace.project], in: workspace)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(try await setup.containers(project: workspace.project) == [])
    }

    @Test("TERM=dumb gets no colour on a terminal, another TERM does")
    func dumbTerminal() async throws {
        let workspace = try Workspace("options")
        defer { workspace.remove() }
        let bad = try workspace.write("bad.yaml", "image: x\nimgae: y\n")
        let binary = try #require(Binary.path)
        func underTerminal(_ term: String) async throws -> String {
            let result = try await Subprocess.run(
                "/usr/bin/script", ["-qec", "\(binary) validate \(bad)", "/dev/null"],
                environment: ["PATH": "/usr/bin:/bin", "TERM": term], directory: workspace.folder)
            return result.stdout
        }
        #expect(try await underTerminal("xterm").contains("\u{1B}["))
        #expect(!(try await underTerminal("dumb")).contains("\u{1B}["))
    }
}
