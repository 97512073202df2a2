import SwerexRunCommand
import Testing

@Suite("Argument parsing")
struct ArgumentParserTests {
    func parse(_ arguments: [String], files: Set<String> = []) throws(UsageError) -> ParsedCommandLine {
        try ArgumentParser.parse(arguments) { files.contains($0) }
    }

    func invocation(_ arguments: [String], files: Set<String> = []) throws -> Invocation {
        guard case .run(let invocation) = try parse(arguments, files: files) else {
            throw UsageError("not a run", command: nil)
        }
        return invocation
    }

    func usageError(_ arguments: [String], files: Set<String> = []) -> UsageError? {
        do {
            _ = try parse(arguments, files: files)
            return nil
        } catch {
            return error
        }
    }

    @Test("bare files mean up")
    func filesMeanUp() throws {
        let run = try invocation(["a.yaml", "b.yaml"])
        #expect(run.command == .up)
        #expect(run.files == ["a.yaml", "b.yaml"])
        #expect(!run.detach)
    }

    @Test("options go before or after the command, -f and positional files keep their order")
    func optionsAnywhere() throws {
        let run = try invocation(["-f", "base.yaml", "up", "-d", "--prune", "ci.yaml", "--env-file=.env", "-q"])
        #expect(run.command == .up)
        #expect(run.files == ["base.yaml", "ci.yaml"])
        #expect(run.detach && run.prune)
        #expect(run.envFiles == [".env"])
        #expect(run.verbosity == .quiet)
    }

    @Test("short flags bundle, and a short option takes its value attached or next")
    func shortOptions() throws {
        let run = try invocation(["up", "-dv", "-fm.yaml", "-p", "demo"])
        #expect(run.detach && run.verbosity == .verbose)
        #expect(run.files == ["m.yaml"])
        #expect(run.projectName == "demo")
    }

    @Test("exec takes the sandbox, then everything after -- verbatim")
    func exec() throws {
        let run = try invocation(["exec", "-f", "m.yaml", "web/2", "--", "ls", "-la", "--help"])
        #expect(run.target == Invocation.Target(deployment: "web", replica: 2))
        #expect(run.execCommand == ["ls", "-la", "--help"])
        let plain = try invocation(["exec", "web", "echo", "hi"])
        #expect(plain.target == Invocation.Target(deployment: "web", replica: nil))
        #expect(plain.execCommand == ["echo", "hi"])
        // Options between the sandbox and `--` are read, as kubectl exec does.
        let late = try invocation(["exec", "web/16", "-f", "m.yaml", "-p", "demo", "--", "hostname", "-f"])
        #expect(late.target == Invocation.Target(deployment: "web", replica: 16))
        #expect(late.files == ["m.yaml"])
        #expect(late.projectName == "demo")
        #expect(late.execCommand == ["hostname", "-f"])
        // Without `--`, the command starts right after the sandbox, options and all (as docker exec).
        let verbatim = try invocation(["exec", "web", "ls", "-f", "m.yaml"])
        #expect(verbatim.execCommand == ["ls", "-f", "m.yaml"])
        #expect(verbatim.files.isEmpty)
    }

    @Test("status has the alias ps; help and version win over everything")
    func aliasesAndHelp() throws {
        #expect(try invocation(["ps"]).command == .status)
        #expect(try parse(["up", "--help"]) == .help(.up))
        #expect(try parse(["-h"]) == .help(nil))
        #expect(try parse(["help", "exec"]) == .help(.exec))
        #expect(try parse(["help"]) == .help(nil))
        #expect(try parse(["--version"]) == .version)
    }

    @Test("down by project name, plan with detailed exit codes, config with yaml or json")
    func commandOptions() throws {
        #expect(try invocation(["down", "--project", "demo"]).downProject == "demo")
        #expect(try invocation(["plan", "--detailed-exitcode", "m.yaml"]).detailedExitCode)
        let config = try invocation(["config", "--explain", "--output", "json"])
        #expect(config.explain && config.output == "json")
        #expect(try invocation(["logs", "web/1", "--tail", "5"]).tail == 5)
    }

    @Test(
        "usage errors name the problem and the command",
        arguments: [
            (["--detatch"], "Unknown option '--detatch'. Did you mean '--detach'?", nil),
            (
                ["plan", "--detailed-exit"], "Unknown option '--detailed-exit'. Did you mean '--detailed-exitcode'?",
                "plan"
            ),
            (["stauts"], "Unknown command 'stauts'. Did you mean 'status'?", nil),
            (["down", "-d"], "Option '-d' does not apply to 'down'.", "down"),
            (["up", "-f"], "Missing value for '-f FILE'.", "up"),
            (["up", "--detach=yes"], "Option '--detach' takes no value.", "up"),
            (["-v", "-q", "up"], "Options '--verbose' and '--quiet' cannot be used together.", "up"),
            (["up", "--output", "yaml"], "Option '--output' takes text or json, not 'yaml'.", "up"),
            (["config", "--output", "text"], "Option '--output' takes yaml or json, not 'text'.", "config"),
            (["exec", "web"], "Missing the command to run after '--'.", "exec"),
            (
                ["exec", "web", "ls", "--", "x"],
                "Unexpected 'ls' between DEPLOYMENT[/N] and '--': the command goes after '--'.",
                "exec"
            ),
            (["exec"], "Missing the sandbox to run in: DEPLOYMENT[/N].", "exec"),
            (["exec", "web/0", "--", "ls"], "'web/0': the replica number N counts from 1.", "exec"),
            (["logs"], "Missing DEPLOYMENT[/N].", "logs"),
            (["validate"], "Missing FILE to validate.", "validate"),
            (["down", "--project", "p", "m.yaml"], "Give manifest files or '--project NAME', not both.", "down"),
            (["help", "nope"], "Unknown command 'nope'.", nil),
            (["up", "-x"], "Unknown option '-x'.", "up"),
        ] as [([String], String, String?)])
    func usageErrors(arguments: [String], message: String, command: String?) {
        let error = usageError(arguments)
        #expect(error?.message == message)
        #expect(error?.command?.rawValue == command)
    }

    @Test("a first word that is an existing file is never taken for a mistyped command")
    func fileNamedLikeCommand() throws {
        let run = try invocation(["stauts"], files: ["stauts"])
        #expect(run.command == .up && run.files == ["stauts"])
    }
}
