import Manifest
import Runner

/// Every option, once: its spellings, what it takes, which commands accept it, and its help line.
struct OptionSpec: Sendable {
    var long: String
    var short: Character?
    /// The value's placeholder in help, or nil for a flag.
    var valueName: String?
    /// nil: every command (a global option).
    var commands: Set<CommandName>?
    var help: String
    /// What a command's own help says instead of `help`, for the commands where it differs.
    var helpFor: [CommandName: String] = [:]
    var apply: @Sendable (inout Invocation, String) throws(UsageError) -> Void

    var takesValue: Bool { valueName != nil }

    /// `-f, --file FILE` as help shows it.
    var synopsis: String {
        let names = (short.map { "-\($0), " } ?? "") + "--" + long
        return valueName.map { "\(names) \($0)" } ?? names
    }

    func applies(to command: CommandName) -> Bool {
        commands?.contains(command) ?? true
    }

    func help(for command: CommandName) -> String {
        helpFor[command] ?? help
    }
}

enum OptionTable {
    static let all: [OptionSpec] = global + commandOwn + [help, version]

    static let global: [OptionSpec] = [
        OptionSpec(
            long: "file", short: "f", valueName: "FILE",
            help: "A manifest; repeat to merge overlays in order."
        ) { invocation, value in
            invocation.files.append(value)
            invocation.fileOptions.append(value)
        },
        OptionSpec(
            long: "env-file", valueName: "FILE",
            help: "Read variables for ${VAR} from FILE; repeatable."
        ) { invocation, value in invocation.envFiles.append(value) },
        OptionSpec(
            long: "project-name", short: "p", valueName: "NAME",
            help: "Use NAME as the project instead of the manifest's.",
            helpFor: Dictionary(
                uniqueKeysWithValues: [CommandName.down, .status, .logs, .exec].map {
                    ($0, "Use NAME as the project; with no manifest, find its sandboxes by label.")
                })
        ) { invocation, value throws(UsageError) in
            invocation.projectName = try projectName(value, option: "--project-name")
        },
        OptionSpec(
            long: "output", valueName: "FORMAT",
            help: "Write results as text or json.",
            helpFor: [
                .config: "Write the manifest as yaml (the default) or json.",
                .up: "Write the sandboxes as a text table or as json (with each token).",
            ]
        ) { invocation, value in invocation.output = value },
        OptionSpec(
            long: "verbose", short: "v",
            help: "Log each probe and engine call as well."
        ) { invocation, _ in invocation.verbosity = .verbose },
        OptionSpec(
            long: "quiet", short: "q",
            help: "Log errors only."
        ) { invocation, _ in invocation.verbosity = .quiet },
    ]

    static let commandOwn: [OptionSpec] = [
        OptionSpec(
            long: "detach", short: "d", commands: [.up],
            help: "Return once every sandbox is alive instead of holding."
        ) { invocation, _ in invocation.detach = true },
        OptionSpec(
            long: "prune", commands: [.up, .plan],
            help: "Also remove sandboxes of deployments no longer in the manifest."
        ) { invocation, _ in invocation.prune = true },
        OptionSpec(
            long: "detailed-exitcode", commands: [.plan],
            help: "Exit 0 with no changes, 2 with changes, 1 on an error."
        ) { invocation, _ in invocation.detailedExitCode = true },
        OptionSpec(
            long: "project", valueName: "NAME", commands: [.down],
            help: "Remove project NAME's sandboxes without reading a manifest."
        ) { invocation, value throws(UsageError) in
            invocation.downProject = try projectName(value, option: "--project")
        },
        OptionSpec(
            long: "explain", commands: [.config],
            help: "Say which engine and endpoint each deployment uses, and why."
        ) { invocation, _ in invocation.explain = true },
        OptionSpec(
            long: "tail", valueName: "N", commands: [.logs],
            help: "Print only the last N lines of each stream, or all (the default)."
        ) { invocation, value throws(UsageError) in
            if value == "all" { return invocation.tail = nil }
            guard let count = Int(value), count >= 0 else {
                throw UsageError(
                    "Option '--tail' takes a number of lines, 0 or more, or 'all'; not '\(value)'.", command: .logs)
            }
            invocation.tail = count
        },
    ]

    /// Recognised by the parser itself; listed so help and suggestions know them.
    static let help = OptionSpec(long: "help", short: "h", help: "Show help information.") { _, _ in }
    static let version = OptionSpec(long: "version", help: "Show the version.") { _, _ in }

    /// A project name as the manifest reference defines it; anything else never reaches a path.
    private static func projectName(_ value: String, option: String) throws(UsageError) -> String {
        guard let problem = ProjectName.problem(with: value) else { return value }
        throw UsageError("Option '\(option)': \(problem).", command: nil)
    }

    static func find(long: String) -> OptionSpec? { all.first { $0.long == long } }
    static func find(short: Character) -> OptionSpec? { all.first { $0.short == short } }
}
