public import ContainerEngine
internal import Foundation

/// The cli engine: drives the `docker` or `podman` program found on PATH.
///
/// Every call runs the program once (a few run two or three) without a terminal and with stdin from
/// /dev/null, except builds, which get the Dockerfile on stdin. Failures become `EngineError`s by the
/// phrases the CLIs print (see `CLIFailure`).
public final class DockerCLIEngine: ContainerEngine {
    public let identity: EngineIdentity
    private let launcher: CommandLauncher
    private let timeouts: Timeouts

    /// How long each kind of call may take, in seconds.
    struct Timeouts: Sendable {
        var query: Double = 60
        var run: Double = 300
        var stopSlack: Double = 60
        var pull: Double = 3600
        var build: Double = 3600
    }

    /// Finds the program on PATH.
    /// - Parameters:
    ///   - runtime: `docker` or `podman`.
    ///   - environment: added to the process environment for every call (endpoint, TLS, docker_env).
    /// - Throws: `EngineError.Code.programNotFound` when the program is not on PATH.
    public convenience init(runtime: String, environment: [String: String] = [:]) throws(EngineError) {
        try self.init(runtime: runtime, environment: environment, timeouts: Timeouts())
    }

    init(runtime: String, environment: [String: String], timeouts: Timeouts) throws(EngineError) {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
        guard let executable = ProgramLookup.find(runtime, path: merged["PATH"]) else {
            throw EngineError(
                .programNotFound,
                "`\(runtime)` was not found on PATH (\(merged["PATH"] ?? "unset"))",
                hint: "install the \(runtime) CLI, or use `engine: sdk` to talk to the Docker daemon without a CLI"
            )
        }
        let name = URL(fileURLWithPath: runtime).lastPathComponent
        self.identity = EngineIdentity(
            kind: .cli,
            runtime: name,
            endpoint: merged[name == "podman" ? "CONTAINER_HOST" : "DOCKER_HOST"] ?? "default"
        )
        self.launcher = CommandLauncher(executable: executable, environment: merged)
        self.timeouts = timeouts
    }

    private var isPodman: Bool { identity.runtime == "podman" }

    public func version() async throws(EngineError) -> EngineVersion {
        let output = try await launcher.run(["version", "--format", "{{json .}}"], timeout: timeouts.query)
        guard output.succeeded else {
            throw failure("version").error(status: output.status, stderr: output.stderr)
        }
        let objects = try InspectOutput.objects(in: output.stdout, runtime: identity.runtime)
        guard let version = objects.first.flatMap(InspectOutput.version(from:)) else {
            throw EngineError(
                .protocolError,
                "`\(identity.runtime) version` printed no engine version: \(output.stdout.prefix(200))"
            )
        }
        return version
    }

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
            progress(Self.pullEvent(line))
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
            progress(Self.buildEvent(line))
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

    public func runContainer(_ spec: ContainerSpec) async throws(EngineError) -> String {
        let image = try await resolvedImage(spec.image)
        let output = try await launcher.run(CLIArguments.run(spec, image: image), timeout: timeouts.run)
        if output.succeeded, let id = output.stdout.split(whereSeparator: \.isNewline).last {
            return String(id).trimmingCharacters(in: .whitespaces)
        }
        let subject = CLIFailure.Subject(container: spec.name, image: spec.image, hostPort: spec.publish?.hostPort)
        let error =
            output.succeeded
            ? EngineError(.protocolError, "`\(identity.runtime) run` printed no container id")
            : CLIFailure(runtime: identity.runtime, action: "run", subject: subject)
                .error(status: output.status, stderr: output.stderr)
        // A name in use belongs to a container we did not create: never touch it.
        if error.code != .nameInUse {
            await removeLeftover(named: spec.name, labels: spec.labels)
        }
        throw error
    }

    public func inspectContainer(_ idOrName: String) async throws(EngineError) -> ContainerInfo? {
        try await inspectContainers([idOrName]).first
    }

    public func listContainers(labels: [String: String?]) async throws(EngineError) -> [ContainerInfo] {
        let output = try await launcher.run(CLIArguments.list(labels: labels), timeout: timeouts.query)
        guard output.succeeded else {
            throw failure("ps").error(status: output.status, stderr: output.stderr)
        }
        let ids = output.stdout.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        return try await inspectContainers(ids)
    }

    public func logs(_ idOrName: String, tail: Int?) async throws(EngineError) -> ContainerLogs {
        var arguments = ["logs"]
        if let tail { arguments += ["--tail", String(tail)] }
        arguments.append(idOrName)
        let output = try await launcher.run(arguments, timeout: timeouts.query)
        guard output.succeeded else {
            throw failure("logs", container: idOrName).error(status: output.status, stderr: output.stderr)
        }
        return ContainerLogs(stdout: output.stdout, stderr: output.stderr)
    }

    public func stopContainer(_ idOrName: String, grace: Int) async throws(EngineError) {
        let arguments = ["stop", "-t", String(max(grace, 0)), idOrName]
        let output = try await launcher.run(arguments, timeout: Double(max(grace, 0)) + timeouts.stopSlack)
        guard output.succeeded else {
            throw failure("stop", container: idOrName).error(status: output.status, stderr: output.stderr)
        }
    }

    public func killContainer(_ idOrName: String, signal: String?) async throws(EngineError) {
        let output = try await launcher.run(["kill", "-s", signal ?? "KILL", idOrName], timeout: timeouts.query)
        guard output.succeeded else {
            throw failure("kill", container: idOrName).error(status: output.status, stderr: output.stderr)
        }
    }

    public func removeContainer(_ idOrName: String) async throws(EngineError) {
        let output = try await launcher.run(["rm", "-f", idOrName], timeout: timeouts.run)
        guard output.succeeded || CLIFailure.code(for: output.stderr) == .noSuchContainer else {
            throw failure("rm", container: idOrName).error(status: output.status, stderr: output.stderr)
        }
    }

    public func removeImage(_ reference: String, force: Bool) async throws(EngineError) {
        let name = try await resolvedImage(reference)
        let output = try await launcher.run(["rmi"] + (force ? ["-f"] : []) + [name], timeout: timeouts.run)
        guard output.succeeded || CLIFailure.code(for: output.stderr) == .noSuchImage else {
            throw failure("rmi", image: name).error(status: output.status, stderr: output.stderr)
        }
    }

    // MARK: - Helpers

    private func failure(_ action: String, container: String? = nil, image: String? = nil) -> CLIFailure {
        CLIFailure(runtime: identity.runtime, action: action, subject: .init(container: container, image: image))
    }

    /// The name to hand the runtime: podman gets a fully qualified one (see `PodmanImageName`).
    private func resolvedImage(_ reference: String) async throws(EngineError) -> String {
        guard isPodman, !PodmanImageName.isQualified(reference) else { return reference }
        let local = try await inspectImageExactly("localhost/\(reference)")
        return PodmanImageName.qualified(reference, existsLocally: local != nil)
    }

    private func inspectImageExactly(_ name: String) async throws(EngineError) -> ImageInfo? {
        let output = try await launcher.run(["image", "inspect", name], timeout: timeouts.query)
        if !output.succeeded {
            if CLIFailure.code(for: output.stderr) == .noSuchImage { return nil }
            throw failure("image inspect", image: name).error(status: output.status, stderr: output.stderr)
        }
        return try InspectOutput.objects(in: output.stdout, runtime: identity.runtime)
            .compactMap(InspectOutput.image(from:)).first
    }

    /// Inspects containers in one call; missing ones are left out.
    private func inspectContainers(_ ids: [String]) async throws(EngineError) -> [ContainerInfo] {
        guard !ids.isEmpty else { return [] }
        let output = try await launcher.run(["container", "inspect"] + ids, timeout: timeouts.query)
        if !output.succeeded {
            let onlyMissing = output.stderr.split(whereSeparator: \.isNewline).allSatisfy {
                CLIFailure.code(for: String($0)) == .noSuchContainer
            }
            guard onlyMissing else {
                throw failure("container inspect", container: ids.joined(separator: " "))
                    .error(status: output.status, stderr: output.stderr)
            }
        }
        return try InspectOutput.objects(in: output.stdout, runtime: identity.runtime)
            .compactMap(InspectOutput.container(from:))
    }

    /// Expands a short or unprefixed image id to `sha256:<64 hex>` by asking the engine.
    private func fullImageID(_ id: String) async throws(EngineError) -> String {
        if id.hasPrefix("sha256:"), BuildOutput.isFullID(id) { return id }
        guard let image = try await inspectImageExactly(id) else {
            throw EngineError(.protocolError, "the build printed image id \(id), which the engine does not know")
        }
        return image.id
    }

    /// Removes the container a failed `run` left behind (created, but its start failed), when it carries
    /// the labels we gave it, so a foreign container that took the name is never removed.
    private func removeLeftover(named name: String, labels: [String: String]) async {
        guard let container = try? await inspectContainer(name) else { return }
        guard labels.allSatisfy({ container.labels[$0.key] == $0.value }) else { return }
        try? await removeContainer(container.id)
    }

    /// A pull line: `<layer>: <status>` carries a layer id.
    static func pullEvent(_ line: String) -> ProgressEvent {
        let parts = line.split(separator: ":", maxSplits: 1)
        if parts.count == 2, parts[0].count == 12, parts[0].allSatisfy(\.isHexDigit) {
            return ProgressEvent(
                kind: .pull, id: String(parts[0]), message: parts[1].trimmingCharacters(in: .whitespaces))
        }
        return ProgressEvent(kind: .pull, message: line)
    }

    /// A build line: docker's `Step 2/5 : …` and podman's `STEP 2/5: …` carry the step.
    static func buildEvent(_ line: String) -> ProgressEvent {
        let words = line.split(separator: " ", maxSplits: 2)
        if words.count >= 2, words[0] == "Step" || words[0] == "STEP" {
            let step = words[1].trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            if step.contains("/") { return ProgressEvent(kind: .build, id: step, message: line) }
        }
        return ProgressEvent(kind: .build, message: line)
    }
}

/// Finds a program the way a shell does.
enum ProgramLookup {
    /// The absolute path of `program`: itself when it contains a slash, else the first executable
    /// file of that name in `path`'s folders.
    static func find(_ program: String, path: String?) -> String? {
        if program.contains("/") {
            return isExecutableFile(program) ? program : nil
        }
        let folders = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.lazy.filter { !$0.isEmpty }.map { "\($0)/\(program)" }.first(where: isExecutableFile)
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
