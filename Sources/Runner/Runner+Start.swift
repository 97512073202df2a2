import ContainerEngine

/// One sandbox being brought up: what has been learnt about it so far.
struct SandboxAttempt {
    var spec: SandboxSpec
    var handle: EngineHandle
    var token: String?
    var url: LivenessURL?
    var containerID: String?
    var started = ContinuousClock.now
    var kept: Bool
}

extension Runner {
    /// Drives one sandbox's lifecycle to alive or failed, doing the engine calls it asks for.
    func bringUp(_ action: PlannedAction, _ observation: Observation) async -> SandboxReport {
        let spec = action.spec!
        guard let handle = engines.engine(for: spec.deployment) else {
            return failedReport(spec, nil, "no engine for deployment \(spec.deployment)")
        }
        var attempt = SandboxAttempt(spec: spec, handle: handle, kept: action.kind == .keep)
        var lifecycle: SandboxLifecycle
        if action.kind == .keep, let container = action.container {
            lifecycle = SandboxLifecycle(adopting: container.id, removeOnFailure: spec.removeContainer)
            adopt(container, into: &attempt)
        } else {
            lifecycle = SandboxLifecycle(removeOnFailure: spec.removeContainer)
        }
        var next = lifecycle.start()
        while true {
            let event: SandboxLifecycle.Event
            switch next {
            case .run:
                event = await run(&attempt)
            case .waitUntilAlive(let container):
                event = await waitUntilAlive(container, &attempt)
            case .remove(let container):
                event = await removeFailed(container, attempt)
            case .succeed(let container):
                return report(attempt, state: .alive, action: action.kind, container: container)
            case .fail(var detail):
                guard case .failed(_, let left) = lifecycle.state else { preconditionFailure("fail without failing") }
                if let left, !spec.removeContainer, !Task.isCancelled { detail += await stopKept(left, attempt) }
                let state: SandboxReport.State = Task.isCancelled ? .interrupted : .failed
                return report(attempt, state: state, action: action.kind, container: left, detail: detail)
            }
            do {
                next = try lifecycle.handle(event)
            } catch {
                return report(attempt, state: .failed, action: action.kind, container: nil, detail: error.description)
            }
        }
    }

    private func adopt(_ container: ContainerInfo, into attempt: inout SandboxAttempt) {
        attempt.containerID = container.id
        let record = try? settings.state.load(project: project.name).sandboxes.values
            .first { $0.containerID == container.id }
        attempt.token = record?.token
        if let record { takeOver(record) }
        if let port = container.ports[8000]?.port {
            attempt.url = LivenessURL(internalHost: attempt.spec.resolved.config.dockerInternalHost, port: port)
        }
        owned.add(
            OwnedContainer(
                id: container.id, name: container.name, engine: attempt.handle,
                removeContainer: attempt.spec.removeContainer,
                removeImage: attempt.spec.removeImages ? container.image : nil, createdByThisRun: false))
    }

    /// Creates and starts the container with a fresh token, reads back its port, records it.
    private func run(_ attempt: inout SandboxAttempt) async -> SandboxLifecycle.Event {
        let spec = attempt.spec
        guard !Task.isCancelled else { return .startFailed("interrupted before \(spec.name) was created") }
        let image: String
        let token: String
        do {
            token = try AuthToken.generate()
            image = try await images.runImage(for: spec, on: attempt.handle)
        } catch {
            return .startFailed("\(spec.name): \(error)")
        }
        attempt.token = token
        attempt.started = .now
        owned.attempt(spec.name, on: attempt.handle)
        let request = spec.containerSpec(token: token, image: image, manifestFiles: settings.manifestFiles)
        let id: String
        do {
            let engine = attempt.handle.engine
            id = try await ChosenPortRetry.$report.withValue({ [log] in log.info($0) }) {
                try await engine.runContainer(request)
            }
        } catch {
            return .startFailed(startFailure(spec, attempt.handle, error))
        }
        attempt.containerID = id
        owned.add(
            OwnedContainer(
                id: id, name: spec.name, engine: attempt.handle, removeContainer: spec.removeContainer,
                removeImage: spec.removeImages ? image : nil, createdByThisRun: true))
        let port = try? await attempt.handle.engine.inspectContainer(id)?.ports[8000]?.port
        if let port {
            attempt.url = LivenessURL(internalHost: spec.resolved.config.dockerInternalHost, port: port)
        }
        remember(attempt)
        let location = attempt.url.map { " at \($0)" } ?? ""
        log.info("created \(spec.name) (\(Planner.short(id))) from \(image) on \(attempt.handle.summary)\(location)")
        return .started(container: id)
    }

    private func startFailure(_ spec: SandboxSpec, _ handle: EngineHandle, _ error: any Error) -> String {
        if let error = error as? EngineError, error.code == .portAllocated, let port = spec.identity.port {
            return "\(spec.name): host port \(port) is already taken on \(handle.identity.endpoint)\n"
                + "hint: free it, or leave `port` unset so the engine picks a free one"
        }
        return "\(spec.name): cannot start on \(handle.summary): \(error)"
    }

    /// Writes the sandbox's token and URL to the state file, before waiting on it.
    private func remember(_ attempt: SandboxAttempt) {
        guard let id = attempt.containerID, let token = attempt.token else { return }
        let spec = attempt.spec
        let record = SandboxRecord(
            name: spec.name, containerID: id, deployment: spec.deployment, replica: spec.replica,
            url: attempt.url?.description ?? "", token: token, engine: attempt.handle.record,
            access: attempt.handle.access, claim: claim)
        do {
            try settings.state.update(project: project.name) { $0.sandboxes[spec.name] = record }
        } catch {
            log.warning(error.description)
        }
    }

    /// Writes this run's claim on a kept sandbox: from now on an earlier run's teardown leaves it.
    private func takeOver(_ record: SandboxRecord) {
        guard record.claim != claim else { return }
        do {
            try settings.state.update(project: project.name) { state in
                guard state.sandboxes[record.name]?.containerID == record.containerID else { return }
                state.sandboxes[record.name]?.claim = claim
            }
        } catch {
            log.warning(error.description)
        }
    }

    private func removeFailed(_ container: String, _ attempt: SandboxAttempt) async -> SandboxLifecycle.Event {
        do {
            try await attempt.handle.engine.removeContainer(container)
            owned.remove(id: container)
            forget(containerID: container)
            let why = Task.isCancelled ? "the run was interrupted" : "it failed"
            log.info("removed \(attempt.spec.name) (\(Planner.short(container))): \(why)")
            return .removed
        } catch {
            return .removeFailed("\(error.message); `swerex-run down` removes it once the engine answers")
        }
    }

    /// Stops a failed sandbox's container that `remove_container: false` keeps, as teardown does,
    /// so that it stays for inspection without running on; returns what to add to the failure.
    private func stopKept(_ container: String, _ attempt: SandboxAttempt) async -> String {
        let engine = attempt.handle.engine
        do {
            guard let info = try await engine.inspectContainer(container), info.status == .running else { return "" }
            try await engine.killContainer(container, signal: nil)
            log.info(
                "stopped \(attempt.spec.name) (\(Planner.short(container))); kept because remove_container is false")
            return ""
        } catch {
            return "\nStopping it failed: \(error.message)"
        }
    }

    /// The report of one sandbox; `container` is the one still there (none once a failed one is removed).
    private func report(
        _ attempt: SandboxAttempt,
        state: SandboxReport.State,
        action: PlannedAction.Kind,
        container: String?,
        detail: String? = nil
    ) -> SandboxReport {
        let spec = attempt.spec
        let alive = state == .alive && !attempt.kept ? Seconds.since(attempt.started) : nil
        return SandboxReport(
            deployment: spec.deployment, replica: spec.replica, name: spec.name, containerID: container,
            engine: attempt.handle.record, url: container == nil ? nil : attempt.url?.description,
            token: state == .alive ? attempt.token : nil, state: state, secondsToAlive: alive,
            action: action.rawValue, detail: detail)
    }

    private func failedReport(_ spec: SandboxSpec, _ handle: EngineHandle?, _ detail: String) -> SandboxReport {
        SandboxReport(
            deployment: spec.deployment, replica: spec.replica, name: spec.name, containerID: nil,
            engine: handle?.record ?? EngineIdentityRecord(kind: "?", runtime: "?", endpoint: "?"),
            url: nil, state: .failed, detail: detail)
    }
}
