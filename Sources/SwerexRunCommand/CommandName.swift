/// The subcommands, with what help says about each.
public enum CommandName: String, Sendable, Hashable, CaseIterable {
    case up, down, plan, status, exec, logs, validate, config

    /// Other spellings that run the same command.
    var aliases: [String] {
        self == .status ? ["ps"] : []
    }

    init?(spelling: String) {
        if let command = CommandName(rawValue: spelling) {
            self = command
        } else if let command = CommandName.allCases.first(where: { $0.aliases.contains(spelling) }) {
            self = command
        } else {
            return nil
        }
    }

    /// One sentence for the command list.
    var abstract: String {
        switch self {
        case .up: "Create what the manifest asks for, wait until alive, and hold (the default)."
        case .down: "Remove every sandbox of a project, found by its labels."
        case .plan: "Show what up would change, and why, without changing anything."
        case .status: "Show each sandbox with its URL and whether it answers."
        case .exec: "Run a command in a sandbox through its /execute endpoint."
        case .logs: "Print a sandbox container's output."
        case .validate: "Check manifests and report every problem with its line and column."
        case .config: "Print the manifest as resolved: defaults, overlays, engines and endpoints."
        }
    }

    /// What follows `swerex-run COMMAND` in the usage line.
    var usageArguments: String {
        switch self {
        case .up, .plan, .status, .config: "[OPTIONS] [FILE...]"
        case .down: "[OPTIONS] [FILE... | --project NAME]"
        case .exec: "[OPTIONS] DEPLOYMENT[/N] -- COMMAND..."
        case .logs: "[OPTIONS] DEPLOYMENT[/N]"
        case .validate: "[OPTIONS] [-f FILE...] [FILE...]"
        }
    }

    /// Paragraphs shown under OVERVIEW in the command's own help.
    var discussion: String {
        switch self {
        case .up:
            """
            Creates missing sandboxes, replaces changed or broken ones, keeps the rest, waits until every \
            sandbox answers /is_alive, and prints where each one is. Without --detach it then holds: \
            Ctrl-C, SIGTERM or SIGHUP removes what it holds; a second signal stops waiting and exits. A \
            closed stdout does not end the run. Each up takes over the sandboxes it keeps, as docker \
            compose does: a foreground up holds those an earlier up -d started, and a later up (with or \
            without -d) takes them from a run that is holding, which then leaves them at its end. \
            Teardown waits for the project lock, so it never overlaps another run's changes.
            """
        case .down:
            """
            Lists containers by the project's labels, running or not, and removes them. A container that \
            is already gone counts as removed. Works after the runner was killed, and without the \
            manifest when --project is given.
            """
        case .plan:
            """
            Prints one line per sandbox: + create, -/+ replace, - remove, = keep, ? orphan, ! conflict, \
            each with its reason, then a summary. With --detailed-exitcode the status is 0 when nothing \
            would change, 2 when something would, and 1 on an error.
            """
        case .status:
            """
            Lists the project's containers by label and probes each one's /is_alive with its stored token. \
            Tokens are never shown.
            """
        case .exec:
            """
            Sends COMMAND to the sandbox's /execute endpoint with shell: true and passes on its stdout, \
            stderr and exit status. Several words are quoted for the shell and joined. N is the replica \
            number, 1 by default.
            """
        case .logs:
            """
            Prints the container's stdout and stderr as the engine kept them. Without /N, every replica \
            of the deployment is printed, one after the other.
            """
        case .validate:
            """
            Loads and checks manifests without touching any engine. The files given with -f are merged in \
            order and checked as one manifest, as up -f would load them; each FILE argument is checked on \
            its own. Every problem is reported at its line and column; the status is 1 when there is any.
            """
        case .config:
            """
            Prints the merged, interpolated and validated manifest. --explain adds, for each deployment, \
            which engine and endpoint were chosen and why. Secret-looking docker_env values are redacted.
            """
        }
    }
}
