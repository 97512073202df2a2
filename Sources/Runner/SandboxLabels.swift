/// The labels that mark a container as ours and say what it is. Ownership lives on the engine's
/// objects, so `down`, `status` and orphan detection start from a label-filtered list, not a file.
public enum SandboxLabels {
    public static let prefix = "dev.swerex-run."
    /// Always `swerex-run`.
    public static let managedBy = prefix + "managed-by"
    /// The tool version that created the container.
    public static let version = prefix + "version"
    public static let project = prefix + "project"
    public static let deployment = prefix + "deployment"
    /// 1-based replica number.
    public static let replica = prefix + "replica"
    /// SHA-256 of the canonical identity; see `SandboxIdentity`.
    public static let specHash = prefix + "spec-hash"
    public static let hashVersion = prefix + "hash-version"
    /// Short per-field digests, so a plan can say which fields changed.
    public static let specFields = prefix + "spec-fields"
    /// The manifest files, as absolute paths joined by newlines. Not hashed.
    public static let manifest = prefix + "manifest"
    /// Whether the manifest wants the container removed at teardown (`remove_container`).
    public static let removeContainer = prefix + "remove-container"
    /// The image to remove at teardown when `remove_images` is true.
    public static let removeImage = prefix + "remove-image"

    public static let managedByValue = "swerex-run"

    /// The filter for every container of one project.
    public static func projectFilter(_ project: String) -> [String: String?] {
        [managedBy: managedByValue, Self.project: project]
    }

    /// Every label a new container of `spec` carries.
    public static func labels(for spec: SandboxSpec, manifestFiles: [String]) -> [String: String] {
        var labels = [
            managedBy: managedByValue,
            version: SwerexRunVersion.current,
            project: spec.project,
            deployment: spec.deployment,
            replica: String(spec.replica),
            specHash: spec.identity.hash,
            hashVersion: String(SandboxIdentity.hashVersion),
            specFields: spec.identity.fieldDigests,
            manifest: manifestFiles.joined(separator: "\n"),
            removeContainer: spec.removeContainer ? "true" : "false",
        ]
        if spec.removeImages { labels[removeImage] = spec.identity.image }
        return labels
    }
}
