public import ContainerEngine
internal import Foundation

/// Containers: run, inspect, list, logs, stop, kill, remove.
extension DockerCLIEngine {
    public func runContainer(_ spec: ContainerSpec) async throws(EngineError) -> String {
        let image = try await resolvedImage(spec.image)
        var attempt = 1
        while true {
            do {
                return try await run(spec, image: image)
            } catch {
                guard ChosenPortRetry.applies(to: error, spec, attempt: attempt) else { throw error }
                attempt += 1
                ChosenPortRetry.reportRestart(spec, next: attempt)
            }
        }
    }

    /// One `run`; a container it leaves after failing is removed, unless its name belongs to another.
    private func run(_ spec: ContainerSpec, image: String) async throws(EngineError) -> String {
        let output = try await launcher.run(CLIArguments.run(spec, image: image), timeout: timeouts.run)
        if output.succeeded, let id = output.stdout.split(whereSeparator: \.isNewline).last {
            return String(id).trimmingCharacters(in: .whitespaces)
        }
        let subject = CLIFailure.Subject(
            container: spec.name, image: spec.image, hostPort: spec.publish?.hostPort,
            argumentsPublish: ChosenPortRetry.publishesPorts(spec.runArguments))
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

    /// Removes the container a failed `run` left behind (created, but its start failed), when it carries
    /// the labels we gave it, so a foreign container that took the name is never removed.
    private func removeLeftover(named name: String, labels: [String: String]) async {
        guard let container = try? await inspectContainer(name) else { return }
        guard labels.allSatisfy({ container.labels[$0.key] == $0.value }) else { return }
        try? await removeContainer(container.id)
    }
}
