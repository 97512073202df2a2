import ContainerEngine

/// How often and how long liveness probes run. A sandbox's server needs from a third of a second to a
/// few seconds to listen, and a refused connection costs little: probes come every 10 ms in the first
/// second (when one sandbox is usually found), every 25 ms until the third, then back off to one a
/// second for servers slow to start. The engine is asked about the container less often: a container
/// that died is seen within a quarter of a second, and sixteen waiting sandboxes do not swamp the
/// engine with inspections.
struct ProbeSchedule: Sendable {
    var firstDelay: Duration = .milliseconds(10)
    var firstFor: Duration = .seconds(1)
    var quickDelay: Duration = .milliseconds(25)
    var quickFor: Duration = .seconds(3)
    var maxDelay: Duration = .seconds(1)
    var watchEvery: Duration = .milliseconds(250)
    /// The pause every waiting sandbox adds to each one's: sixteen waiting ones probe every 40 ms
    /// each, some 400 probes a second in all, which leaves two cores to the servers starting up.
    var sharePerWaiter: Duration = .microseconds(2500)
    var firstTimeout: Duration = .seconds(2)
    var maxTimeout: Duration = .seconds(5)
    /// Lines of the container's output quoted in a failure.
    var logTail = 20

    /// The pause before the next probe, once the wait has lasted `waited`, while `waiters` sandboxes
    /// (this one included) wait.
    func delay(afterWaiting waited: Duration, waiters: Int = 1) -> Duration {
        let shared = sharePerWaiter * max(waiters, 1)
        guard waited >= firstFor else { return max(firstDelay, shared) }
        guard waited >= quickFor else { return max(quickDelay, shared) }
        return min(max(waited / 10, quickDelay * 4, shared), maxDelay)
    }

    func timeout(forTry attempt: Int) -> Duration {
        min(firstTimeout + .seconds(attempt / 3), maxTimeout)
    }
}

extension Runner {
    /// Probes until the server answers, the container stops, or `startup_timeout` passes, watching
    /// the container every `watchEvery` between tries.
    func waitUntilAlive(_ container: String, _ attempt: inout SandboxAttempt) async -> SandboxLifecycle.Event {
        let spec = attempt.spec
        let engine = attempt.handle.engine
        let schedule = ProbeSchedule()
        let timeout = spec.resolved.config.startupTimeout
        let started = ContinuousClock.now
        let deadline = started + .milliseconds(Int64(timeout * 1000))
        // A URL known already came from inspecting the container a moment ago: the first watch can wait.
        var wait = WaitState(lastWatch: attempt.url == nil ? nil : started)
        waiting.withLock { $0 += 1 }
        defer { waiting.withLock { $0 -= 1 } }
        while true {
            if Task.isCancelled { return .exited(detail: "\(spec.name): interrupted while waiting for it") }
            let watching = wait.lastWatch.map { ContinuousClock.now - $0 >= schedule.watchEvery } ?? true
            if watching || attempt.url == nil {
                wait.lastWatch = .now
                if let event = await watchOnce(container, &attempt, &wait, schedule) { return event }
            }
            if let url = attempt.url, let token = attempt.token {
                let remaining = deadline - .now
                let limit = max(min(schedule.timeout(forTry: wait.tries), remaining), .milliseconds(200))
                let answer = await SandboxClient(url: url, token: token).probe(timeout: limit)
                if let event = probed(answer, spec, attempt, url, &wait.lastError) { return event }
            } else if attempt.token == nil {
                return .rejected(detail: "\(spec.name): its token is unknown, so it cannot be probed")
            } else {
                wait.lastError = "the engine reports no published port for container port 8000"
            }
            if ContinuousClock.now >= deadline {
                return .timedOut(
                    detail: await timeoutDetail(spec, attempt, wait.lastError, wait.state, engine, schedule))
            }
            if watching { log.detail("\(spec.name): not alive yet (\(wait.lastError))") }
            let waiters = waiting.withLock { $0 }
            let pause = min(schedule.delay(afterWaiting: .now - started, waiters: waiters), max(deadline - .now, .zero))
            try? await Task.sleep(for: pause)
            wait.tries += 1
        }
    }

    /// What one wait has seen so far.
    private struct WaitState {
        var lastError = "no answer yet"
        var state = "unknown"
        var tries = 0
        var engineFailingSince: ContinuousClock.Instant?
        var lastWatch: ContinuousClock.Instant?
    }

    /// Asks the engine about the container: an event when it is gone, stopped or the engine is lost.
    private func watchOnce(
        _ container: String, _ attempt: inout SandboxAttempt, _ wait: inout WaitState, _ schedule: ProbeSchedule
    ) async -> SandboxLifecycle.Event? {
        let spec = attempt.spec
        let watched = await watch(container, attempt.handle.engine)
        if case .unreadable(let error) = watched, Self.meansEngineUnreachable(error) {
            let since = wait.engineFailingSince ?? .now
            wait.engineFailingSince = since
            if error.code == .timeout || ContinuousClock.now - since >= Self.engineGoneAfter {
                return .exited(detail: engineGoneDetail(spec, attempt.handle, error))
            }
        } else {
            wait.engineFailingSince = nil
        }
        switch watched {
        case .gone:
            return .exited(detail: "\(spec.name): container \(Planner.short(container)) disappeared before answering")
        case .stopped(let info):
            return .exited(detail: await exitedDetail(spec, info, attempt.handle.engine, schedule))
        case .running(let info):
            wait.state = info.status.rawValue
            if attempt.url == nil, let port = info.ports[8000]?.port {
                attempt.url = LivenessURL(internalHost: spec.resolved.config.dockerInternalHost, port: port)
            }
        case .unreadable(let error):
            wait.lastError = "inspecting the container failed: \(error.message)"
        }
        return nil
    }

    /// What a probe's answer ends the wait with, if anything; one not up yet leaves its reason.
    private func probed(
        _ answer: SandboxClient.Probe, _ spec: SandboxSpec, _ attempt: SandboxAttempt, _ url: LivenessURL,
        _ lastError: inout String
    ) -> SandboxLifecycle.Event? {
        switch answer {
        case .alive:
            if attempt.kept {
                log.detail("\(spec.name) (kept) answers at \(url)")
            } else {
                log.info("\(spec.name) is alive at \(url) after \(Seconds.text(since: attempt.started))")
            }
            return .answered
        case .rejected(let status):
            return .rejected(detail: "\(spec.name): the server at \(url) refused its token (HTTP \(status))")
        case .notYet(let reason):
            lastError = reason
            return nil
        }
    }

    private enum Watch {
        case running(ContainerInfo)
        case stopped(ContainerInfo)
        case gone
        case unreadable(EngineError)
    }

    /// How long an engine may fail every call before the wait for its sandbox stops.
    static let engineGoneAfter: Duration = .seconds(3)

    /// Whether `error` says the engine itself cannot be reached (as opposed to one failed request).
    static func meansEngineUnreachable(_ error: EngineError) -> Bool {
        [.cannotConnect, .timeout, .sshFailure, .tlsFailure, .permissionDenied, .programNotFound].contains(error.code)
    }

    private func engineGoneDetail(_ spec: SandboxSpec, _ handle: EngineHandle, _ error: EngineError) -> String {
        "\(spec.name): stopped waiting for it: \(handle.summary) does not answer (\(error.message))\n"
            + "hint: is the engine still running? Once it answers again, `swerex-run down` removes what is left"
    }

    private func watch(_ container: String, _ engine: any ContainerEngine) async -> Watch {
        do {
            guard let info = try await engine.inspectContainer(container) else { return .gone }
            switch info.status {
            case .exited, .dead: return .stopped(info)
            default: return .running(info)
            }
        } catch {
            return .unreadable(error)
        }
    }

    private func exitedDetail(
        _ spec: SandboxSpec,
        _ info: ContainerInfo,
        _ engine: any ContainerEngine,
        _ schedule: ProbeSchedule
    ) async -> String {
        let code = info.exitCode.map { " with exit code \($0)" } ?? ""
        let engineError = info.error.flatMap { $0.isEmpty ? nil : "\nThe engine says: \($0)" } ?? ""
        return "\(spec.name): the container exited\(code) before answering.\(engineError)"
            + (await logTail(info.id, engine, schedule))
    }

    private func timeoutDetail(
        _ spec: SandboxSpec,
        _ attempt: SandboxAttempt,
        _ lastError: String,
        _ state: String,
        _ engine: any ContainerEngine,
        _ schedule: ProbeSchedule
    ) async -> String {
        let url = attempt.url.map { "\($0)/is_alive" } ?? "(no published port)"
        let seconds = Seconds.text(spec.resolved.config.startupTimeout)
        var text = "\(spec.name): no answer at \(url) within startup_timeout (\(seconds)).\n"
        text += "Last error: \(lastError)\nContainer state: \(state)"
        if let id = attempt.containerID { text += await logTail(id, engine, schedule) }
        return text
    }

    /// The last lines of the container's output, indented, or a note that there is none.
    private func logTail(_ container: String, _ engine: any ContainerEngine, _ schedule: ProbeSchedule) async -> String
    {
        guard let logs = try? await engine.logs(container, tail: schedule.logTail) else {
            return "\n(its output could not be read)"
        }
        let lines = (logs.stdout + logs.stderr).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
            .filter { !$0.isEmpty }
            .suffix(schedule.logTail)
        guard !lines.isEmpty else { return "\n(it wrote no output)" }
        return "\nLast lines of its output:\n" + lines.map { "  | " + $0 }.joined(separator: "\n")
    }
}
