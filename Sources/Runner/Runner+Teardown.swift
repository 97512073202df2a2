import ContainerEngine

/// What a teardown or `down` removed, and what it could not.
public struct TeardownOutcome: Sendable {
    public var removed: [String] = []
    /// Stopped but kept because `remove_container` is false.
    public var keptStopped: [String] = []
    public var failures: [String] = []
}

extension Runner {
    /// Removes what this run holds: everything (`createdOnly` false, after a foreground `up`) or only
    /// what it created (an interrupted `up -d`). Containers whose run request was cut off are found
    /// by name among the project's labelled containers. Takes the project lock first, then leaves
    /// every sandbox a later `up` has claimed since. Call it from a task that is not cancelled.
    public func teardown(createdOnly: Bool) async -> TeardownOutcome {
        let lock: ProjectLock?
        do {
            lock = try await self.lock()
        } catch {
            log.warning("tearing down without the project lock: \(error)")
            lock = nil
        }
        defer { withExtendedLifetime(lock) {} }
        var targets = owned.containers(createdOnly: createdOnly)
        var lookFailures: [String] = []
        let known = Set(targets.map(\.id))
        let attempted = Dictionary(grouping: owned.attemptedNames, by: \.value.key)
        for names in attempted.values {
            let handle = names[0].value
            let filter = SandboxLabels.projectFilter(project.name)
            let found: [ContainerInfo]
            do {
                found = try await handle.engine.listContainers(labels: filter)
            } catch {
                lookFailures.append(
                    "cannot look on \(handle.summary) for containers whose creation was cut off: \(error.message)")
                continue
            }
            let wanted = Set(names.map(\.key))
            for container in found where wanted.contains(container.name) && !known.contains(container.id) {
                let spec = desired.first { $0.name == container.name }
                targets.append(
                    OwnedContainer(
                        id: container.id, name: container.name, engine: handle,
                        removeContainer: spec?.removeContainer ?? true, removeImage: nil, createdByThisRun: true))
            }
        }
        let stalled = Dictionary(targets.map { ($0.engine.key, $0.engine) }) { first, _ in first }.values
            .filter { ($0.engine as? BoundedEngine)?.isStalled == true }
        for handle in stalled {
            log.info("\(handle.summary) has stopped answering: waiting for it a few seconds per container at most")
        }
        var outcome = await remove(stillClaimed(targets))
        outcome.failures = lookFailures + outcome.failures
        return outcome
    }

    /// The held containers no later `up` has claimed: those whose state record still names this run,
    /// and those without a record.
    private func stillClaimed(_ held: [OwnedContainer]) -> [OwnedContainer] {
        guard let state = try? settings.state.load(project: project.name) else { return held }
        return held.filter { container in
            guard let record = state.sandboxes.values.first(where: { $0.containerID == container.id }),
                let other = record.claim, other != claim
            else { return true }
            owned.remove(id: container.id)
            let who = other.pid == claim.pid ? "another run" : "a later swerex-run up (pid \(other.pid))"
            log.info("left \(container.name) (\(Planner.short(container.id))): \(who) took it over")
            return false
        }
    }

    /// `down`: every container with the project's labels, running or not, on the project's engines
    /// and on every engine the state file says one of its sandboxes was started on. A sandbox's
    /// record (its token) is dropped only once its container is removed or its engine was listed
    /// without it; an engine that cannot be reached keeps its records and makes `down` fail.
    public func down() async throws -> TeardownOutcome {
        let lock = try await lock()
        defer { withExtendedLifetime(lock) {} }
        let state = try settings.state.load(project: project.name)
        var listing = DownListing()
        await list(engines.distinct, into: &listing)
        let unseen = state.sandboxes.values.filter { !listing.seen.contains($0.containerID) }
        await list(recordedEngines(of: unseen, &listing.failures), into: &listing)
        if listing.targets.isEmpty && listing.failures.isEmpty {
            log.info("project \(project.name): nothing to remove")
        }
        var outcome = await remove(listing.targets)
        outcome.failures = listing.failures + outcome.failures
        forgetGone(state, listed: listing.listed, seen: listing.seen, &outcome)
        return outcome
    }

    /// What `down` found on the engines it listed.
    private struct DownListing {
        var targets: [OwnedContainer] = []
        var seen = Set<String>()
        var listed: [EngineHandle] = []
        var failures: [String] = []
    }

    private func list(_ handles: [EngineHandle], into listing: inout DownListing) async {
        let filter = SandboxLabels.projectFilter(project.name)
        for handle in handles {
            let containers: [ContainerInfo]
            do {
                containers = try await handle.engine.listContainers(labels: filter)
            } catch {
                listing.failures.append(
                    "cannot list project \(project.name)'s containers on \(handle.summary): \(error)")
                continue
            }
            listing.listed.append(handle)
            for container in containers where listing.seen.insert(container.id).inserted {
                listing.targets.append(
                    OwnedContainer(
                        id: container.id, name: container.name, engine: handle, removeContainer: true,
                        removeImage: container.labels[SandboxLabels.removeImage], createdByThisRun: false))
            }
        }
    }

    /// One engine for each engine the records name that the project's engines do not cover.
    private func recordedEngines(of records: [SandboxRecord], _ failures: inout [String]) -> [EngineHandle] {
        var handles: [EngineHandle] = []
        var unusable = Set<String>()
        for record in records.sorted(by: { $0.name < $1.name }) {
            guard let access = record.access, !(engines.distinct + handles).contains(where: { $0.holds(record) }),
                !unusable.contains(access.key)
            else { continue }
            do {
                let engine = BoundedEngine(try access.makeEngine(environment: settings.environment))
                handles.append(EngineHandle(key: access.key, engine: engine, access: access))
                log.detail("\(record.name) was started on \(handles.last!.summary): looking there too")
            } catch {
                unusable.insert(access.key)
                failures.append("cannot reach the engine \(record.name) was started on: \(error)")
            }
        }
        return handles
    }

    /// Drops the records of sandboxes whose engine was listed without them; keeps, and reports, the
    /// ones on engines that could not be listed.
    private func forgetGone(
        _ state: ProjectState, listed: [EngineHandle], seen: Set<String>, _ outcome: inout TeardownOutcome
    ) {
        var kept: [String] = []
        var gone: [String] = []
        for record in state.sandboxes.values.sorted(by: { $0.name < $1.name }) where !seen.contains(record.containerID)
        {
            if listed.contains(where: { $0.holds(record) }) {
                gone.append(record.containerID)
            } else {
                kept.append(record.name)
            }
        }
        if !gone.isEmpty {
            do {
                try settings.state.update(project: project.name) { state in
                    state.sandboxes = state.sandboxes.filter { !gone.contains($0.value.containerID) }
                }
            } catch {
                log.warning(error.description)
            }
        }
        if !kept.isEmpty {
            let one = kept.count == 1
            outcome.failures.append(
                "kept the token\(one ? "" : "s") of \(kept.joined(separator: ", ")) in "
                    + "\(settings.state.path(project: project.name)): \(one ? "its" : "their") engine was not listed, "
                    + "so \(one ? "it" : "they") may still run; run `swerex-run down` again once the engine answers")
        }
        let remaining = (try? settings.state.load(project: project.name).sandboxes.count) ?? 0
        if remaining == 0 && !state.sandboxes.isEmpty {
            log.detail("removed state file \(settings.state.path(project: project.name))")
        }
    }

    private func remove(_ targets: [OwnedContainer]) async -> TeardownOutcome {
        let results = await concurrentMap(targets, limit: settings.parallelism) { target in
            await self.remove(target)
        }
        var outcome = TeardownOutcome()
        for (target, result) in zip(targets, results) {
            switch result {
            case .removed: outcome.removed.append(target.name)
            case .stopped: outcome.keptStopped.append(target.name)
            case .failed(let reason): outcome.failures.append(reason)
            }
        }
        await removeImages(targets, removed: Set(outcome.removed))
        return outcome
    }

    private enum Removal: Sendable {
        case removed, stopped
        case failed(String)
    }

    private func remove(_ target: OwnedContainer) async -> Removal {
        let engine = target.engine.engine
        do {
            if target.removeContainer {
                try await engine.removeContainer(target.id)
                owned.remove(id: target.id)
                forget(containerID: target.id)
                log.info("removed \(target.name) (\(Planner.short(target.id)))")
                return .removed
            }
            try await engine.killContainer(target.id, signal: nil)
            log.info("stopped \(target.name) (\(Planner.short(target.id))); kept because remove_container is false")
            return .stopped
        } catch  where error.code == .noSuchContainer {
            owned.remove(id: target.id)
            forget(containerID: target.id)
            log.info("\(target.name) was already gone")
            return .removed
        } catch {
            return .failed("cannot remove \(target.name): \(error)")
        }
    }

    /// `remove_images`: each image once per engine, after the containers that used it are gone.
    private func removeImages(_ targets: [OwnedContainer], removed: Set<String>) async {
        var done = Set<String>()
        for target in targets where removed.contains(target.name) {
            guard let image = target.removeImage, done.insert(target.engine.key + "|" + image).inserted else {
                continue
            }
            do {
                try await target.engine.engine.removeImage(image, force: false)
                log.info("removed image \(image) (remove_images is true)")
            } catch {
                log.warning("cannot remove image \(image): \(error)")
            }
        }
    }
}

extension Runner {
    /// While a foreground `up` holds, checks every `interval` that the held containers still run and
    /// says so once when one stops or disappears, and once when its engine stops answering (and again
    /// when it answers). Returns when cancelled.
    public func watchHeld(interval: Duration = .seconds(5)) async {
        var reported = Set<String>()
        var unreachable = Set<String>()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            for held in owned.containers(createdOnly: false) where !reported.contains(held.id) {
                let info: ContainerInfo?
                do {
                    info = try await held.engine.engine.inspectContainer(held.id)
                } catch {
                    if Task.isCancelled { return }
                    if unreachable.insert(held.engine.key).inserted {
                        log.warning(
                            "cannot check \(held.name): \(held.engine.summary) does not answer (\(error.message))")
                    }
                    continue
                }
                if unreachable.remove(held.engine.key) != nil {
                    log.info("\(held.engine.summary) answers again")
                }
                guard let info else {
                    reported.insert(held.id)
                    log.warning("\(held.name) is gone; `swerex-run up` creates it again")
                    continue
                }
                guard info.status == .exited || info.status == .dead else { continue }
                reported.insert(held.id)
                let code = info.exitCode.map { " with exit code \($0)" } ?? ""
                log.warning("\(held.name) stopped\(code); `swerex-run logs` shows why, `swerex-run up` replaces it")
            }
        }
    }
}
