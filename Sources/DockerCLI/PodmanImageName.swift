/// Fully qualified image names for podman.
///
/// Given a short name such as `python:3.11`, podman consults its registries configuration and, where
/// several registries could hold the image, asks on the terminal (or fails without one). Handing it a
/// full name avoids both: `localhost/NAME` for an image built or imported here, else Docker Hub, as
/// docker itself would read the name.
enum PodmanImageName {
    /// Whether `reference` already names a registry or an image id, so podman can use it as it is.
    static func isQualified(_ reference: String) -> Bool {
        if BuildOutput.isFullID(reference) || reference.hasPrefix("sha256:") { return true }
        guard let slash = reference.firstIndex(of: "/") else { return false }
        let first = reference[..<slash]
        return first == "localhost" || first.contains(".") || first.contains(":")
    }

    /// The name podman should get for `reference`.
    /// - Parameters:
    ///   - reference: an image name as the user wrote it.
    ///   - existsLocally: whether `localhost/<reference>` is in podman's store.
    /// - Returns: `reference` itself when qualified, else `localhost/…`, `docker.io/library/…` for an
    ///   official image (no slash), or `docker.io/…`.
    static func qualified(_ reference: String, existsLocally: Bool) -> String {
        if isQualified(reference) { return reference }
        if existsLocally { return "localhost/\(reference)" }
        return reference.contains("/") ? "docker.io/\(reference)" : "docker.io/library/\(reference)"
    }
}
