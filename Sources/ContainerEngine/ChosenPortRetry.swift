/// When an engine may try again to publish a port it chose itself.
///
/// Docker's port allocator hands out host ports of the ephemeral range in turn, knowing only its own
/// containers. It skips a port another program holds, but gives up after ten in a row; a second
/// daemon on the same host (rootless beside rootful, or a TLS daemon beside the local one) starts at
/// the same end of the range and soon holds longer runs than that. Each start tries the next ten.
/// A port the manifest names is the user's choice: its failure is reported at once.
public enum ChosenPortRetry {
    /// Starts in all, the first included.
    public static let attempts = 8

    /// Told of each new start, for the log: the runner sets it around its creates.
    @TaskLocal public static var report: (@Sendable (String) -> Void)?

    /// Tells `report` that `spec` starts again, as start `next` of `attempts`.
    public static func reportRestart(_ spec: ContainerSpec, next: Int) {
        report?(
            "\(spec.name): the host port the engine chose is held by another program; "
                + "starting again (\(next)/\(attempts))")
    }

    public static func applies(to error: EngineError, _ spec: ContainerSpec, attempt: Int) -> Bool {
        guard error.code == .portAllocated, attempt < attempts, let publish = spec.publish else { return false }
        return publish.hostPort == nil && !publishesPorts(spec.runArguments)
    }

    /// The words, the same from every engine, for a port conflict when the spec names no host port:
    /// whose port it was (docker_args' own, or the engine's choice) and what to do.
    public static func conflictWords(argumentsPublish: Bool) -> (what: String, hint: String) {
        argumentsPublish
            ? (
                "a host port is already in use",
                "docker_args publish ports of their own (-p, --publish): free that port or change docker_args"
            )
            : (
                "every host port the engine chose was already in use",
                "check what holds ports in the engine host's ephemeral range, or set `port`"
            )
    }

    /// Whether `docker_args` publish ports of their own (`-p`, `--publish`, `-P`), so that a port
    /// conflict may be theirs rather than the engine's choice.
    public static func publishesPorts(_ runArguments: [String]) -> Bool {
        runArguments.contains { argument in
            argument == "-P" || argument.hasPrefix("-p") || argument.hasPrefix("--publish")
        }
    }
}
