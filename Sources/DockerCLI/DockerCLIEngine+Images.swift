public import ContainerEngine
internal import Foundation

/// Images: inspect, pull, build, remove. podman gets fully qualified names throughout.
extension DockerCLIEngine {
    public func inspectImage(_ reference: String) async throws(EngineError) -> ImageInfo? {
        let name = try await resolvedImage(reference)
        return try await inspectImageExactly(name)
    }

    public func pullImage(
        _ reference: String,
        platform: String?,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) {
        let name = try await resolvedImage(reference)
        var arguments = ["pull"]
        if let platform { arguments += ["--platform", platform] }
        arguments.append(name)
        let output = try await launcher.run(arguments, timeout: timeouts.pull) { _, line in
            guard !line.isEmpty else { return }
            progress(ProgressLine.pull(line))
        }
        guard output.succeeded else {
            throw failure("pull", image: name).error(status: output.status, stderr: output.stderr)
        }
    }

    public func buildImage(
        _ request: BuildRequest,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swerex-build-\(UUID().uuidString)")
        let idFile = folder.appendingPathComponent("image-id").path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw EngineError(.engineError, "could not create a folder for the build's id file: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try await launcher.run(
            CLIArguments.build(request, idFile: idFile),
            input: Data(request.dockerfile.utf8),
            timeout: timeouts.build
        ) { _, line in
            guard !line.isEmpty else { return }
            progress(ProgressLine.build(line))
        }
        guard output.succeeded else {
            throw failure("build").error(status: output.status, stderr: output.stderr)
        }
        let written = (try? String(contentsOfFile: idFile, encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard
            let printed = written.flatMap({ $0.isEmpty ? nil : $0 })
                ?? BuildOutput.imageID(in: output.stdout + "\n" + output.stderr)
        else {
            throw EngineError(
                .protocolError,
                "`\(identity.runtime) build` succeeded but printed no image id: \(CLIFailure.lastLines(of: output.stdout))"
            )
        }
        return try await fullImageID(BuildOutput.canonical(printed))
    }

    public func removeImage(_ reference: String, force: Bool) async throws(EngineError) {
        let name = try await resolvedImage(reference)
        let output = try await launcher.run(["rmi"] + (force ? ["-f"] : []) + [name], timeout: timeouts.run)
        guard output.succeeded || CLIFailure.code(for: output.stderr) == .noSuchImage else {
            throw failure("rmi", image: name).error(status: output.status, stderr: output.stderr)
        }
    }

    /// The name to hand the runtime: podman gets a fully qualified one (see `PodmanImageName`).
    func resolvedImage(_ reference: String) async throws(EngineError) -> String {
        guard isPodman, !PodmanImageName.isQualified(reference) else { return reference }
        let local = try await inspectImageExactly("localhost/\(reference)")
        return PodmanImageName.qualified(reference, existsLocally: local != nil)
    }

    func inspectImageExactly(_ name: String) async throws(EngineError) -> ImageInfo? {
        let output = try await launcher.run(["image", "inspect", name], timeout: timeouts.query)
        if !output.succeeded {
            if CLIFailure.code(for: output.stderr) == .noSuchImage { return nil }
            throw failure("image inspect", image: name).error(status: output.status, stderr: output.stderr)
        }
        return try InspectOutput.objects(in: output.stdout, runtime: identity.runtime)
            .compactMap(InspectOutput.image(from:)).first
    }

    /// Expands a short or unprefixed image id to `sha256:<64 hex>` by asking the engine.
    private func fullImageID(_ id: String) async throws(EngineError) -> String {
        if id.hasPrefix("sha256:"), BuildOutput.isFullID(id) { return id }
        guard let image = try await inspectImageExactly(id) else {
            throw EngineError(.protocolError, "the build printed image id \(id), which the engine does not know")
        }
        return image.id
    }
}
