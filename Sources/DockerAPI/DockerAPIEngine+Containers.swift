public import ContainerEngine
import Foundation
import HTTPTransport

extension DockerAPIEngine {
    public func runContainer(_ spec: ContainerSpec) async throws(EngineError) -> String {
        let request = try ContainerCreateRequest(spec, processEnvironment: ProcessInfo.processInfo.environment)
        let created = try await connection.send(
            "POST", "/containers/create", query: request.query, headers: [("Content-Type", "application/json")],
            body: try request.body().encoded, timeout: Timeout.change)
        guard created.status == 201 || created.status == 200 else { throw createFailure(created, spec) }
        let id = try decode(CreateResponse.self, created, "the created container's id").id
        do throws(EngineError) {
            try await start(id, spec)
        } catch {
            await removeAfterFailedStart(id)
            throw error
        }
        return id
    }

    /// Starts a created container. When the daemon chose the host port and found it held by
    /// another program (its allocator knows only its own containers: a second daemon, podman or a
    /// client socket may hold the port), starting again makes it choose the next one.
    private func start(_ id: String, _ spec: ContainerSpec) async throws(EngineError) {
        var attempt = 1
        while true {
            let started = try await connection.send("POST", "/containers/\(id)/start", timeout: Timeout.change)
            if started.status == 204 || started.status == 304 { return }
            let error = startFailure(started, spec)
            guard ChosenPortRetry.applies(to: error, spec, attempt: attempt) else { throw error }
            attempt += 1
            ChosenPortRetry.reportRestart(spec, next: attempt)
        }
    }

    public func inspectContainer(_ idOrName: String) async throws(EngineError) -> ContainerInfo? {
        let response = try await connection.send(
            "GET", "/containers/\(QueryString.segment(idOrName))/json", timeout: Timeout.quick)
        switch response.status {
        case 200: return ContainerInfo(try decode(ContainerInspectResponse.self, response, "container '\(idOrName)'"))
        case 404: return nil
        default: throw EngineError(response, "inspecting container '\(idOrName)'", endpoint: endpoint)
        }
    }

    public func listContainers(labels: [String: String?]) async throws(EngineError) -> [ContainerInfo] {
        let selectors = labels.map { key, value in value.map { "\(key)=\($0)" } ?? key }.sorted()
        let filters = JSONValue.object(["label": .strings(selectors)])
        let response = try await connection.send(
            "GET", "/containers/json", query: [("all", "1"), ("filters", filters.encodedString)],
            timeout: Timeout.quick)
        guard response.status == 200 else { throw EngineError(response, "listing containers", endpoint: endpoint) }
        return try decode([ContainerSummaryResponse].self, response, "the container list").map(ContainerInfo.init)
    }

    public func logs(_ idOrName: String, tail: Int?) async throws(EngineError) -> ContainerLogs {
        let response = try await connection.send(
            "GET", "/containers/\(QueryString.segment(idOrName))/logs",
            query: [("stdout", "1"), ("stderr", "1"), ("tail", tail.map(String.init) ?? "all")],
            timeout: Timeout.change)
        guard response.status == 200 else {
            throw containerFailure(response, "reading the logs of container '\(idOrName)'", idOrName)
        }
        let (stdout, stderr) = LogFrames.split(response.body)
        return ContainerLogs(
            stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    public func stopContainer(_ idOrName: String, grace: Int) async throws(EngineError) {
        let response = try await connection.send(
            "POST", "/containers/\(QueryString.segment(idOrName))/stop", query: [("t", String(max(0, grace)))],
            timeout: Timeout.change + .seconds(max(0, grace)))
        // 304: it was not running, which is what stopping asks for.
        guard response.status == 204 || response.status == 304 else {
            throw containerFailure(response, "stopping container '\(idOrName)'", idOrName)
        }
    }

    public func killContainer(_ idOrName: String, signal: String?) async throws(EngineError) {
        let response = try await connection.send(
            "POST", "/containers/\(QueryString.segment(idOrName))/kill", query: [("signal", signal ?? "SIGKILL")],
            timeout: Timeout.change)
        guard response.status == 204 else {
            throw containerFailure(response, "killing container '\(idOrName)'", idOrName)
        }
    }

    public func removeContainer(_ idOrName: String) async throws(EngineError) {
        let response = try await connection.send(
            "DELETE", "/containers/\(QueryString.segment(idOrName))", query: [("force", "1"), ("v", "1")],
            timeout: Timeout.change)
        switch response.status {
        case 204, 404:
            return
        case 409 where response.daemonMessage.contains("already in progress"):
            // An auto-remove container being removed by the daemon right now: gone in a moment.
            return
        default:
            throw EngineError(response, "removing container '\(idOrName)'", endpoint: endpoint)
        }
    }

    /// Removes a container whose start failed, even when the calling task was cancelled, so a failed
    /// run leaves nothing behind. A failure here is dropped: the start failure is the one to report.
    private func removeAfterFailedStart(_ id: String) async {
        let cleanup = Task { [self] in try? await removeContainer(id) }
        await cleanup.value
    }

    private func createFailure(_ response: HTTPResponse, _ spec: ContainerSpec) -> EngineError {
        let action = "creating container '\(spec.name)'"
        let message = response.daemonMessage
        switch response.status {
        case 404 where message.lowercased().contains("no such image"):
            return EngineError(
                .noSuchImage, "no such image '\(spec.image)' on \(endpoint.displayString)",
                hint: "pull it (pull: missing or always) or check the image name", status: 404)
        case 409:
            return EngineError(
                .nameInUse, "container name '\(spec.name)' is already in use on \(endpoint.displayString): \(message)",
                hint: "remove that container or choose another name", status: 409)
        case 400:
            return EngineError(response, action, endpoint: endpoint, code: .invalidArgument, hint: "check docker_args")
        default:
            return EngineError(response, action, endpoint: endpoint)
        }
    }

    private func startFailure(_ response: HTTPResponse, _ spec: ContainerSpec) -> EngineError {
        let message = response.daemonMessage
        let portTaken = ["port is already allocated", "address already in use"].contains { message.contains($0) }
        guard portTaken else {
            return containerFailure(response, "starting container '\(spec.name)'", spec.name)
        }
        guard let port = spec.publish?.hostPort else {
            let words = ChosenPortRetry.conflictWords(
                argumentsPublish: ChosenPortRetry.publishesPorts(spec.runArguments))
            return EngineError(
                .portAllocated, "\(words.what) on \(endpoint.displayString): \(message)", hint: words.hint,
                status: response.status)
        }
        return EngineError(
            .portAllocated, "host port \(port) is already allocated on \(endpoint.displayString): \(message)",
            hint: "choose another port, or leave port unset so the engine picks a free one",
            status: response.status)
    }

    /// A failed call on one container: 404 is `noSuchContainer`, anything else an engine error.
    private func containerFailure(_ response: HTTPResponse, _ action: String, _ idOrName: String) -> EngineError {
        guard response.status == 404 else { return EngineError(response, action, endpoint: endpoint) }
        return EngineError(
            .noSuchContainer, "no such container '\(idOrName)' on \(endpoint.displayString)", status: 404)
    }
}
