/// A command line after parsing: the command and everything it was given.
public struct Invocation: Sendable, Hashable {
    public enum Verbosity: Sendable, Hashable {
        case quiet, normal, verbose
    }

    public var command: CommandName = .up
    /// Manifest files, from `-f` and from positional arguments, in the order given.
    public var files: [String] = []
    /// The files given with `-f`: `validate` merges these and checks them as one manifest.
    public var fileOptions: [String] = []
    /// The files given as arguments: `validate` checks each of these on its own.
    public var fileArguments: [String] = []
    public var envFiles: [String] = []
    public var projectName: String?
    /// `--output` as written; each command checks the formats it takes.
    public var output: String?
    public var verbosity: Verbosity = .normal
    public var prune = false
    /// `up -d`.
    public var detach = false
    /// `plan --detailed-exitcode`.
    public var detailedExitCode = false
    /// `down --project NAME`: no manifest needed.
    public var downProject: String?
    /// `config --explain`.
    public var explain = false
    /// `exec` and `logs`: the deployment and, when given, the replica.
    public var target: Target?
    /// `exec`: the command to run.
    public var execCommand: [String] = []
    /// `logs --tail N`.
    public var tail: Int?

    public init() {}

    /// `DEPLOYMENT[/N]`.
    public struct Target: Sendable, Hashable, CustomStringConvertible {
        public var deployment: String
        public var replica: Int?

        public init(deployment: String, replica: Int?) {
            self.deployment = deployment
            self.replica = replica
        }

        public var description: String { replica.map { "\(deployment)/\($0)" } ?? deployment }
    }
}

/// What the command line asks for.
public enum ParsedCommandLine: Sendable, Hashable {
    case run(Invocation)
    /// Help for one command, or the overview when nil.
    case help(CommandName?)
    case version
}

/// A command line that cannot be run as written; exit status 64.
public struct UsageError: Error, Sendable, Hashable {
    public var message: String
    /// The command whose usage line to show, or nil for the overview's.
    public var command: CommandName?

    public init(_ message: String, command: CommandName?) {
        self.message = message
        self.command = command
    }
}
