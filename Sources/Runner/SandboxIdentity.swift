import Digest
/// What defines a sandbox, and nothing else: a change here replaces the container, a change anywhere
/// else (token, engine-chosen port, timeouts, pull policy, manifest path) never does.
public struct SandboxIdentity: Sendable, Hashable {
    /// Bumped whenever the encoding or the set of fields changes, so old containers are recognised as such.
    public static let hashVersion = 1

    public var image: String
    public var platform: String?
    /// The explicit host port; nil when the engine picks one.
    public var port: Int?
    /// `docker_args` without `--platform`: flags, mounts, environment (`-e`) and limits.
    public var dockerArgs: [String]
    public var execShell: [String]
    public var pythonStandaloneDir: String?

    public init(
        image: String,
        platform: String? = nil,
        port: Int? = nil,
        dockerArgs: [String] = [],
        execShell: [String] = ["/bin/sh", "-c"],
        pythonStandaloneDir: String? = nil
    ) {
        self.image = image
        self.platform = platform
        self.port = port
        self.dockerArgs = dockerArgs
        self.execShell = execShell
        self.pythonStandaloneDir = pythonStandaloneDir
    }

    /// Each hashed field by its manifest key. The start script is hashed with a placeholder for its
    /// token, so a new fallback spelling replaces old containers while a new token does not.
    var fields: [String: CanonicalValue] {
        [
            "image": .string(image),
            "platform": .optional(platform),
            "port": .optional(port),
            "docker_args": .strings(dockerArgs),
            "exec_shell": .strings(execShell),
            "python_standalone_dir": .optional(pythonStandaloneDir),
            "command": .string(
                StartCommand.script(token: StartCommand.tokenPlaceholder, standaloneDir: pythonStandaloneDir)
            ),
        ]
    }

    /// The canonical text the hash is taken over.
    public var canonicalEncoding: String {
        CanonicalValue.object(
            ["hash_version": .int(Self.hashVersion), "sandbox": .object(fields)]
        ).encoded
    }

    /// SHA-256 of `canonicalEncoding`, 64 hex characters.
    public var hash: String { SHA256.hex(canonicalEncoding.utf8) }

    /// `field=digest` pairs, comma-separated and sorted, each digest the first 12 hex characters of the
    /// field's own hash: enough to name what changed without putting values in a label.
    public var fieldDigests: String {
        fields.keys.sorted().map { key in
            "\(key)=\(SHA256.hex(fields[key]!.encoded.utf8).prefix(12))"
        }.joined(separator: ",")
    }

    /// The fields whose digests differ from a container's `spec-fields` label, sorted; nil when the
    /// label is missing or unreadable.
    public func changedFields(comparedTo label: String?) -> [String]? {
        guard let label, !label.isEmpty else { return nil }
        guard let theirs = Self.parseDigests(label) else { return nil }
        let ours = Self.parseDigests(fieldDigests) ?? [:]
        return Set(ours.keys).union(theirs.keys).filter { ours[$0] != theirs[$0] }.sorted()
    }

    private static func parseDigests(_ text: String) -> [String: String]? {
        var digests: [String: String] = [:]
        for pair in text.split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            digests[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return digests
    }
}
