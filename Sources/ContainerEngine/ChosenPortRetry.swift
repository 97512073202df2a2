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

    public static func applies(to error: EngineError, _ spec: ContainerSpec, attempt: Int) -> Bool {
        guard error.code == .portAllocated, attempt < attempts, let publish = spec.publish else { return false }
        return publish.hostPort == nil && !spec.runArguments.contains(where: publishesPorts)
    }

    /// `-p`, `--publish` or `-P` in `docker_args` may name ports of their own, so a conflict may be theirs.
    private static func publishesPorts(_ argument: String) -> Bool {
        argument == "-p" || argument == "-P" || argument.hasPrefix("--publish") || argument.hasPrefix("-p")
    }
}
