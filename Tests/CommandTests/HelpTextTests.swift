import Testing

@Suite("Help, version and usage errors from the binary")
struct HelpTextTests {
    @Test("--help prints the overview with sections in capitals, exit 0")
    func overview() async throws {
        let result = try await Binary.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == Self.overview)
    }

    @Test("a command's help lists its own options first")
    func upHelp() async throws {
        let result = try await Binary.run(["up", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout == Self.upHelp)
    }

    @Test("every command has help whose sentences end in a period")
    func allCommandsHaveHelp() async throws {
        for command in ["up", "down", "plan", "status", "ps", "exec", "logs", "validate", "config"] {
            let result = try await Binary.run(["help", command])
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.hasPrefix("OVERVIEW: "), "\(command)")
            for line in result.stdout.split(separator: "\n") where line.hasPrefix("  -") {
                #expect(line.hasSuffix("."), "\(command): \(line)")
            }
        }
    }

    @Test("--version prints the name and version")
    func version() async throws {
        let result = try await Binary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "swerex-run 0.1.0\n")
    }

    @Test(
        "a usage error prints Error:, the usage line and where help is, exit 64",
        arguments: [
            (
                ["up", "--detatch"],
                """
                Error: Unknown option '--detatch'. Did you mean '--detach'?
                Usage: swerex-run up [OPTIONS] [FILE...]
                  See 'swerex-run up --help' for more information.

                """
            ),
            (
                ["stauts"],
                """
                Error: Unknown command 'stauts'. Did you mean 'status'?
                Usage: swerex-run [OPTIONS] [FILE...]
                  See 'swerex-run --help' for more information.

                """
            ),
            (
                ["exec", "web"],
                """
                Error: Missing the command to run after '--'.
                Usage: swerex-run exec [OPTIONS] DEPLOYMENT[/N] -- COMMAND...
                  See 'swerex-run exec --help' for more information.

                """
            ),
            (
                ["plan"],
                """
                Error: No manifest given: pass FILE or -f FILE, or put swerex-run.yaml in this folder.
                Usage: swerex-run plan [OPTIONS] [FILE...]
                  See 'swerex-run plan --help' for more information.

                """
            ),
        ])
    func usageError(arguments: [String], expected: String) async throws {
        let workspace = try Workspace("usage")
        defer { workspace.remove() }
        let result = try await Binary.run(arguments, in: workspace)
        #expect(result.status == 64)
        #expect(result.stdout == "")
        #expect(result.stderr == expected)
    }

    static let overview = """
        OVERVIEW: Run SWE-ReX sandboxes from YAML manifests: converge, wait until alive, hold, tear down.

        USAGE: swerex-run [OPTIONS] [FILE...]
               swerex-run [OPTIONS] COMMAND [ARGS...]

        COMMANDS:
          up                        Create what the manifest asks for, wait until alive, and hold (the
                                    default).
          down                      Remove every sandbox of a project, found by its labels.
          plan                      Show what up would change, and why, without changing anything.
          status, ps                Show each sandbox with its URL and whether it answers.
          exec                      Run a command in a sandbox through its /execute endpoint.
          logs                      Print a sandbox container's output.
          validate                  Check manifests and report every problem with its line and column.
          config                    Print the manifest as resolved: defaults, overlays, engines and
                                    endpoints.

        OPTIONS:
          -f, --file FILE           A manifest; repeat to merge overlays in order.
          --env-file FILE           Read variables for ${VAR} from FILE; repeatable.
          -p, --project-name NAME   Use NAME as the project instead of the manifest's.
          --output FORMAT           Write results as text or json.
          -v, --verbose             Log each probe and engine call as well.
          -q, --quiet               Log errors only.
          -h, --help                Show help information.
          --version                 Show the version.

        EXIT STATUS:
          0    Success.
          1    A failure: a bad manifest, an engine error, a sandbox that did not come up.
          2    plan --detailed-exitcode found changes.
          64   A usage error.
          129  Ended by SIGHUP (a closed terminal); 130: by SIGINT; 143: by SIGTERM; each after
               tearing down.

        FILES:
          Tokens live in $XDG_STATE_HOME/swerex-run/PROJECT.json (else ~/.local/state/swerex-run), mode 0600
          in a 0700 folder: only this user can read that file. Each token is also on its sandbox's command
          line (swerex-remote takes it no other way), where users of the engine's host can see it with ps.
          Per-project locks live in $XDG_RUNTIME_DIR/swerex-run (else /tmp/swerex-run-UID).

        See 'swerex-run help COMMAND' for a command's own options.

        """

    static let upHelp = """
        OVERVIEW: Create what the manifest asks for, wait until alive, and hold (the default).

        Creates missing sandboxes, replaces changed or broken ones, keeps the rest, waits until every
        sandbox answers /is_alive, and prints where each one is. Without --detach it then holds: Ctrl-C,
        SIGTERM or SIGHUP removes what it holds; a second signal stops waiting and exits. A closed stdout
        does not end the run. Each up takes over the sandboxes it keeps, as docker compose does: a
        foreground up holds those an earlier up -d started, and a later up (with or without -d) takes them
        from a run that is holding, which then leaves them at its end. Teardown waits for the project lock,
        so it never overlaps another run's changes.

        USAGE: swerex-run up [OPTIONS] [FILE...]

        ARGUMENTS:
          FILE                      A manifest, as with -f; several merge in order.

        OPTIONS:
          -d, --detach              Return once every sandbox is alive instead of holding.
          --prune                   Also remove sandboxes of deployments no longer in the manifest.
          -f, --file FILE           A manifest; repeat to merge overlays in order.
          --env-file FILE           Read variables for ${VAR} from FILE; repeatable.
          -p, --project-name NAME   Use NAME as the project instead of the manifest's.
          --output FORMAT           Write the sandboxes as a text table or as json (with each token).
          -v, --verbose             Log each probe and engine call as well.
          -q, --quiet               Log errors only.
          -h, --help                Show help information.

        """
}
