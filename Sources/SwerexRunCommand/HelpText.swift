import Runner

/// The text of `--help`, `--version` and usage errors. Sections are in capitals, sentences end in a
/// period, and golden tests pin all of it.
enum HelpText {
    static let program = "swerex-run"
    static let width = 100
    static let column = 28

    static var version: String { "\(program) \(SwerexRunVersion.current)\n" }

    static func usageLine(_ command: CommandName?) -> String {
        guard let command else { return "\(program) [OPTIONS] [FILE...]" }
        return "\(program) \(command.rawValue) \(command.usageArguments)"
    }

    /// `Error:`, the usage line, and where to find help.
    static func usageError(_ error: UsageError) -> String {
        let helpCommand = error.command.map { "\(program) \($0.rawValue) --help" } ?? "\(program) --help"
        return """
            Error: \(error.message)
            Usage: \(usageLine(error.command))
              See '\(helpCommand)' for more information.

            """
    }

    static func overview() -> String {
        var out = """
            OVERVIEW: Run SWE-ReX sandboxes from YAML manifests: converge, wait until alive, hold, tear down.

            USAGE: \(usageLine(nil))
                   \(program) [OPTIONS] COMMAND [ARGS...]

            COMMANDS:

            """
        for command in CommandName.allCases {
            let names = ([command.rawValue] + command.aliases).joined(separator: ", ")
            out += row(names, command.abstract)
        }
        out += "\nOPTIONS:\n"
        for option in OptionTable.global + [OptionTable.help, OptionTable.version] {
            out += row(option.synopsis, option.help)
        }
        out += """

            EXIT STATUS:
              0    Success.
              1    A failure: a bad manifest, an engine error, a sandbox that did not come up.
              2    plan --detailed-exitcode found changes.
              64   A usage error.
              129  Ended by SIGHUP (a closed terminal); 130: by SIGINT; 143: by SIGTERM; each after
                   tearing down.

            FILES:

            """
        out += wrapped(
            """
            Tokens live in $XDG_STATE_HOME/swerex-run/PROJECT.json (else ~/.local/state/swerex-run), \
            mode 0600 in a 0700 folder: only this user can read that file. Each token is also on its \
            sandbox's command line (swerex-remote takes it no other way), where users of the engine's \
            host can see it with ps. Per-project locks live in $XDG_RUNTIME_DIR/swerex-run (else \
            /tmp/swerex-run-UID).
            """, indent: 2)
        out += "\nSee '\(program) help COMMAND' for a command's own options.\n"
        return out
    }

    static func help(_ command: CommandName) -> String {
        var out = "OVERVIEW: \(command.abstract)\n\n"
        out += wrapped(command.discussion, indent: 0)
        out += "\nUSAGE: \(usageLine(command))\n"
        if let arguments = arguments(command) {
            out += "\nARGUMENTS:\n" + arguments.map { row($0.0, $0.1) }.joined()
        }
        out += "\nOPTIONS:\n"
        let own = OptionTable.commandOwn.filter { $0.applies(to: command) }
        for option in own + OptionTable.global + [OptionTable.help] {
            out += row(option.synopsis, option.help(for: command))
        }
        return out
    }

    private static func arguments(_ command: CommandName) -> [(String, String)]? {
        switch command {
        case .up, .plan, .status, .config, .down:
            [("FILE", "A manifest, as with -f; several merge in order.")]
        case .validate:
            [("FILE", "A manifest to check on its own; files given with -f are merged and checked as one.")]
        case .exec:
            [
                ("DEPLOYMENT[/N]", "The deployment and replica (1 by default)."),
                ("COMMAND", "What to run, after '--'."),
            ]
        case .logs:
            [("DEPLOYMENT[/N]", "The deployment and replica; all replicas without /N.")]
        }
    }

    /// `  name    text`, with text in a column and wrapped under it.
    static func row(_ name: String, _ text: String) -> String {
        let lead = "  " + name
        let lines = wrap(text, width: width - column)
        let first = lead.count + 2 <= column ? lead.padded(to: column) + lines[0] : lead + "\n" + indent + lines[0]
        return ([first] + lines.dropFirst().map { indent + $0 }).joined(separator: "\n") + "\n"
    }

    private static var indent: String { String(repeating: " ", count: column) }

    static func wrapped(_ text: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return wrap(text, width: width - indent).map { pad + $0 }.joined(separator: "\n") + "\n"
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + [line]
    }
}
