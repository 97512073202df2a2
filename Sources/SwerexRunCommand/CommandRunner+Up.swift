import Foundation
import Runner

#if canImport(Glibc)
    import Glibc
#endif

extension CommandRunner {
    /// `up` and `up -d`: converge, wait, print, and (without -d) hold until a signal.
    func up() async throws -> Int32 {
        let trap = SignalTrap.install { first in
            Console.standardError.write(
                "\nsecond signal: exiting without waiting; `swerex-run down` removes whatever is left\n")
            exit(128 + first)
        }
        let loaded = try loadManifest()
        let runner = try makeRunner(loaded)
        let detach = invocation.detach
        let prune = invocation.prune
        let work = Task { try await runner.up(prune: prune) }
        trap.onFirstSignal { [log] number in
            log.info("\(Self.signalName(number)) received: removing what this run holds (again to stop waiting)")
            work.cancel()
        }
        let result = await work.result
        if let status = trap.exitStatus {
            await tearDown(runner, createdOnly: detach)
            return status
        }
        let outcome: UpOutcome
        do {
            outcome = try result.get()
        } catch {
            report(error)
            return ExitStatus.failure
        }
        printResults(runner.project.name, outcome.reports)
        guard outcome.failures.isEmpty else {
            for failure in outcome.failures { report(RunnerError(failure)) }
            if !detach {
                log.info("a sandbox failed: removing what this run holds")
                await tearDown(runner, createdOnly: false)
            }
            return trap.exitStatus ?? ExitStatus.failure
        }
        guard !detach else { return ExitStatus.success }
        log.info("holding \(outcome.reports.count) sandbox(es); Ctrl-C, SIGTERM or SIGHUP removes them")
        let watcher = Task { await runner.watchHeld() }
        let number = await trap.waitForSignal()
        watcher.cancel()
        await tearDown(runner, createdOnly: false)
        return 128 + number
    }

    /// Tears down from a fresh task: the work task may be cancelled, this one must not be.
    private func tearDown(_ runner: Runner, createdOnly: Bool) async {
        let outcome = await Task { await runner.teardown(createdOnly: createdOnly) }.value
        for failure in outcome.failures { report(RunnerError(failure)) }
        if !outcome.failures.isEmpty {
            log.info("`swerex-run down` removes what is left: every container carries the project's labels")
        }
    }

    private func printResults(_ project: String, _ reports: [SandboxReport]) {
        if wantsJSON {
            Console.standardOutput.write(ReportRenderer.json(project: project, reports, withTokens: true))
        } else if !reports.isEmpty {
            Console.standardOutput.write(ReportRenderer.table(reports))
        }
    }

    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}
