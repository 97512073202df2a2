import ContainerEngine
import HTTPTransport

/// What `up` did.
public struct UpOutcome: Sendable {
    public var plan: Plan
    /// One per wanted replica, in manifest order.
    public var reports: [SandboxReport]
    /// The sandboxes that did not come up, each with its explanation.
    public var failures: [String] { reports.filter { $0.state == .failed }.compactMap(\.detail) }
}

extension Runner {
    /// Converges: takes the lock, prepares images, observes, plans, removes what must go, starts
    /// what is missing (in parallel within the bound), and waits until every sandbox answers.
    /// - Throws: before any change, when an engine cannot be reached, an image is missing, or a
    ///   name conflict blocks the plan; `CancellationError` when interrupted.
    public func up(prune: Bool) async throws -> UpOutcome {
        // Every sandbox is probed over HTTP: without libcurl, fail before creating anything.
        if let problem = HTTPClient.unavailable { throw RunnerError(problem) }
        try await connect()
        let lock = try await lock()
        defer { withExtendedLifetime(lock) {} }
        let prepared = try await images.prepare(desired, engines: engines)
        try Task.checkCancellation()
        let observation = try await observe()
        let plan = try planner(observation, imageIDs: try await currentImageIDs(known: prepared), prune: prune)
            .plan(project: project.name, desired: desired)
        guard plan.conflicts.isEmpty else {
            throw RunnerError(
                plan.conflicts.map(\.reason).joined(separator: "\n"),
                hint: "nothing was changed; `swerex-run plan` shows the whole plan")
        }
        for orphan in plan.actions(.orphan) {
            log.warning("orphan \(orphan.name): \(orphan.reason)")
        }
        log.info(PlanRenderer().summary(plan))
        try Task.checkCancellation()
        await removeUnwanted(plan, observation)
        let reports = await concurrentMap(plan.actions(.create, .replace, .keep), limit: settings.parallelism) {
            action in
            await self.bringUp(action, observation)
        }
        return UpOutcome(plan: plan, reports: reports)
    }

    /// Removes replaced, surplus and pruned containers, in parallel.
    private func removeUnwanted(_ plan: Plan, _ observation: Observation) async {
        let doomed = plan.actions(.replace, .remove).compactMap { action in
            action.container.map { (action, $0) }
        }
        _ = await concurrentMap(doomed, limit: settings.parallelism) { action, container in
            guard let handle = observation.engineOf[container.id] else { return }
            do {
                try await handle.engine.removeContainer(container.id)
                self.forget(containerID: container.id)
                self.log.info("removed \(container.name) (\(Planner.short(container.id))): \(action.reason)")
            } catch {
                self.log.error("cannot remove \(container.name): \(error)")
            }
        }
    }

    func forget(containerID: String) {
        do {
            try settings.state.update(project: project.name) { state in
                state.sandboxes = state.sandboxes.filter { $0.value.containerID != containerID }
            }
        } catch {
            log.warning(error.description)
        }
    }
}
