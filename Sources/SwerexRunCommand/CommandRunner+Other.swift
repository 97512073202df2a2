import Diagnostics
import Foundation
import Manifest
import Runner

#if canImport(Glibc)
    import Glibc
#endif

extension CommandRunner {
    /// `plan`: what `up` would do, and why; 0/2/1 with --detailed-exitcode.
    func plan() async throws -> Int32 {
        let loaded = try loadManifest()
        let runner = try makeRunner(loaded)
        let plan = try await runner.plan(prune: invocation.prune)
        if wantsJSON {
            Console.standardOutput.write(PlanJSON.encode(plan))
        } else {
            let colour = Console.standardOutput.wantsColour(environment: environment)
            Console.standardOutput.write(PlanRenderer(colour: colour).render(plan))
        }
        if !plan.conflicts.isEmpty { return ExitStatus.failure }
        return invocation.detailedExitCode && plan.hasChanges ? ExitStatus.changesPending : ExitStatus.success
    }

    /// `down`: remove every container with the project's labels.
    func down() async throws -> Int32 {
        let trap = SignalTrap.install { first in
            Console.standardError.write("\nsecond signal: exiting; run `swerex-run down` again to finish\n")
            exit(128 + first)
        }
        trap.onFirstSignal { [log] _ in log.info("already tearing down; a second signal stops waiting") }
        let runner: Runner
        if let project = invocation.downProject ?? projectWithoutManifest {
            runner = try projectOnlyRunner(project)
        } else {
            runner = try makeRunner(try loadManifest())
        }
        let outcome = try await runner.down()
        for failure in outcome.failures { report(RunnerError(failure)) }
        if wantsJSON {
            Console.standardOutput.write(
                JSONText.encode(["project": runner.project.name, "removed": outcome.removed.sorted()]))
        }
        return outcome.failures.isEmpty ? (trap.exitStatus ?? ExitStatus.success) : ExitStatus.failure
    }

    /// `-p NAME` when no manifest is given nor in this folder: `down`, `status` and `logs` then work
    /// from the project's labels, as `docker compose -p NAME` does.
    private var projectWithoutManifest: String? {
        guard invocation.files.isEmpty, let name = invocation.projectName else { return nil }
        return Self.defaultFiles.contains { FileManager.default.fileExists(atPath: $0) } ? nil : name
    }

    /// A runner for a project named on the command line, on the engine the environment points at
    /// (DOCKER_HOST or the docker context, else the local socket), resolved as a manifest would be,
    /// and on the engines its state file names.
    private func projectOnlyRunner(_ project: String) throws -> Runner {
        let folder = NSTemporaryDirectory() + "swerex-run-down-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/endpoint.yaml"
        try "image: unused\n".write(toFile: file, atomically: true, encoding: .utf8)
        let loaded = try loadManifest(files: [file])
        let probe = try Runner(project: loaded.project, settings: settings(files: []))
        return Runner(projectName: project, engines: probe.engines.distinct, settings: settings(files: []))
    }

    /// `status` / `ps`: each container with its URL and whether it answers; no tokens.
    func status() async throws -> Int32 {
        let runner = try projectWithoutManifest.map(projectOnlyRunner) ?? makeRunner(try loadManifest())
        let reports = try await runner.status()
        if wantsJSON {
            Console.standardOutput.write(ReportRenderer.json(project: runner.project.name, reports, withTokens: false))
        } else if reports.isEmpty {
            log.info("project \(runner.project.name): no sandboxes")
        } else {
            Console.standardOutput.write(ReportRenderer.table(reports))
        }
        return ExitStatus.success
    }

    /// `exec DEPLOYMENT[/N] -- COMMAND...` through `/execute`, passing on output and status.
    func exec() async throws -> Int32 {
        guard let target = invocation.target else { return ExitStatus.usage }
        let project = try invocation.projectName ?? loadManifest().project.name
        let state = StateStore(folder: StateStore.defaultFolder(environment: environment))
        let client = try Runner.client(
            project: project, deployment: target.deployment, replica: target.replica, state: state)
        let command =
            invocation.execCommand.count == 1
            ? invocation.execCommand[0] : invocation.execCommand.map(ShellQuote.quote).joined(separator: " ")
        log.detail("exec in \(target) at \(client.url)")
        let result = try await client.execute(command)
        if wantsJSON {
            Console.standardOutput.write(
                JSONText.encode(["stdout": result.stdout, "stderr": result.stderr, "exit_code": result.exitCode]))
        } else {
            Console.standardOutput.write(result.stdout)
            Console.standardError.write(result.stderr)
        }
        return Int32(clamping: result.exitCode < 0 || result.exitCode > 255 ? 1 : result.exitCode)
    }

    /// `logs DEPLOYMENT[/N]`: the container's output, stdout to stdout and stderr to stderr.
    func logs() async throws -> Int32 {
        guard let target = invocation.target else { return ExitStatus.usage }
        let runner = try projectWithoutManifest.map(projectOnlyRunner) ?? makeRunner(try loadManifest())
        let all = try await runner.logs(deployment: target.deployment, replica: target.replica, tail: invocation.tail)
        if wantsJSON {
            let containers = all.map { ["name": $0.name, "stdout": $0.logs.stdout, "stderr": $0.logs.stderr] }
            Console.standardOutput.write(JSONText.encode(["project": runner.project.name, "containers": containers]))
            return ExitStatus.success
        }
        for (name, logs) in all {
            if all.count > 1 { Console.standardOutput.write("==> \(name) <==\n") }
            Console.standardOutput.write(logs.stdout)
            Console.standardError.write(logs.stderr)
        }
        return ExitStatus.success
    }

    /// `validate`: the `-f` files merged, as `up -f A -f B` would load them, then each FILE
    /// argument on its own; every problem reported.
    func validate() -> Int32 {
        var sets = invocation.fileArguments.map { [$0] }
        if !invocation.fileOptions.isEmpty { sets.insert(invocation.fileOptions, at: 0) }
        var results: [[String: Any]] = []
        for files in sets {
            var result: [String: Any] = ["files": files]
            do {
                let loaded = try loadManifest(files: files)
                let count = loaded.project.deployments.reduce(0) { $0 + max($1.replicas, 1) }
                let deployments = loaded.project.deployments.count
                result.merge(
                    [
                        "valid": true, "project": loaded.project.name, "deployments": deployments, "sandboxes": count,
                        "problems": loaded.project.warnings.map { warning in
                            var copy = warning
                            copy.message = SecretRedaction(loaded.secrets).apply(to: warning.message)
                            return DiagnosticJSON.object(copy)
                        },
                    ]
                ) { _, new in new }
                if !wantsJSON {
                    Console.standardOutput.write(
                        "\(files.joined(separator: " + ")): valid (project \(loaded.project.name), "
                            + "\(deployments) deployment(s), \(count) sandbox(es))\n")
                }
            } catch {
                let problems = (error as? ManifestLoadFailed)?.diagnostics ?? []
                result.merge(["valid": false, "problems": problems.map(DiagnosticJSON.object)]) { _, new in new }
            }
            results.append(result)
        }
        let valid = results.allSatisfy { $0["valid"] as? Bool == true }
        if wantsJSON { Console.standardOutput.write(JSONText.encode(["valid": valid, "manifests": results])) }
        return valid ? ExitStatus.success : ExitStatus.failure
    }

    /// `config`: the resolved manifest.
    func config() throws -> Int32 {
        let loaded = try loadManifest()
        Console.standardOutput.write(
            ConfigOutput.render(loaded, json: invocation.output == "json", explain: invocation.explain))
        return ExitStatus.success
    }
}

/// POSIX shell quoting for `exec` words.
enum ShellQuote {
    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@,+%".contains($0) }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
