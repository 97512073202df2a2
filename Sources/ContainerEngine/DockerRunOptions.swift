/// The `docker run` flags of a manifest's `docker_args`, parsed into fields the sdk engine can send in a
/// create request. Both `--flag value` and `--flag=value` are accepted; a flag outside the supported set
/// is an error that lists the supported ones.
public struct DockerRunOptions: Sendable, Hashable {
    public init() {}

    /// Parses `arguments`; the error names the offending argument and its index.
    public static func parse(_ arguments: [String]) throws(DockerArgumentError) -> DockerRunOptions {
        // Filled in by the sdk engine work (issue 4).
        guard let first = arguments.first else { return DockerRunOptions() }
        throw DockerArgumentError(index: 0, argument: first, message: "unsupported docker_args flag '\(first)'")
    }
}

/// A `docker_args` entry the sdk engine cannot turn into a create-request field.
public struct DockerArgumentError: Error, Sendable, Hashable {
    /// The position of the offending element in `docker_args`.
    public var index: Int
    public var argument: String
    public var message: String

    public init(index: Int, argument: String, message: String) {
        self.index = index
        self.argument = argument
        self.message = message
    }
}
