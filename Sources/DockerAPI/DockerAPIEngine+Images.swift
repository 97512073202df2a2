public import ContainerEngine
import HTTPTransport

extension DockerAPIEngine {
    public func inspectImage(_ reference: String) async throws(EngineError) -> ImageInfo? {
        let path = "/images/\(QueryString.segment(reference))/json"
        let response = try await connection.send("GET", path, timeout: Timeout.quick)
        switch response.status {
        case 200:
            let image = try decode(ImageInspectResponse.self, response, "image '\(reference)'")
            return ImageInfo(id: image.id, tags: image.repoTags ?? [], os: image.os, architecture: image.architecture)
        case 404:
            return nil
        default:
            throw EngineError(response, "inspecting image '\(reference)'", endpoint: endpoint)
        }
    }

    public func pullImage(
        _ reference: String,
        platform: String?,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) {
        let (name, tag) = Self.split(reference)
        let stream = ProgressStream(kind: .pull, progress: progress)
        let response = try await connection.send(
            "POST", "/images/create", query: [("fromImage", name), ("tag", tag), ("platform", platform)],
            timeout: nil, onData: stream.receive)
        let action = "pulling image '\(reference)'"
        let hint = "check the image name and that the registry is reachable from the daemon, or build the image"
        guard (200..<300).contains(response.status) else {
            let code: EngineError.Code = response.status == 404 ? .noSuchImage : .engineError
            throw EngineError(response, action, endpoint: endpoint, code: code, hint: hint)
        }
        if let error = stream.finish().error {
            throw EngineError(.engineError, "\(action) failed on \(endpoint.displayString): \(error)", hint: hint)
        }
    }

    public func buildImage(
        _ request: BuildRequest,
        progress: @escaping @Sendable (ProgressEvent) -> Void
    ) async throws(EngineError) -> String {
        var context = TarArchive()
        context.appendFile(named: "Dockerfile", contents: Array(request.dockerfile.utf8))
        let stream = ProgressStream(kind: .build, progress: progress)
        let query: [(String, String?)] = [
            ("dockerfile", "Dockerfile"), ("t", request.tag), ("platform", request.platform),
            ("buildargs", JSONValue.strings(request.buildArgs).encodedString),
            ("labels", JSONValue.strings(request.labels).encodedString), ("rm", "1"), ("forcerm", "1"),
        ]
        let response = try await connection.send(
            "POST", "/build", query: query, headers: [("Content-Type", "application/x-tar")],
            body: context.finished, timeout: nil, onData: stream.receive)
        let action = "building image\(request.tag.map { " '\($0)'" } ?? "")"
        guard (200..<300).contains(response.status) else {
            throw EngineError(response, action, endpoint: endpoint, hint: "check the Dockerfile and its base image")
        }
        let outcome = stream.finish()
        if let error = outcome.error {
            throw EngineError(
                .engineError, "\(action) failed on \(endpoint.displayString): \(error)",
                hint: "check the Dockerfile and its base image")
        }
        if let imageID = outcome.imageID { return imageID }
        // Daemons older than API 1.30 name the image only in the builder's last output line.
        if let shortID = outcome.builtShortID, let image = try await inspectImage(shortID) { return image.id }
        throw EngineError(
            .protocolError, "\(action) on \(endpoint.displayString) ended without naming the image it built",
            hint: "check that docker_endpoint points at a Docker daemon")
    }

    public func removeImage(_ reference: String, force: Bool) async throws(EngineError) {
        let response = try await connection.send(
            "DELETE", "/images/\(QueryString.segment(reference))", query: [("force", force ? "1" : nil)],
            timeout: Timeout.change)
        switch response.status {
        case 200, 404:
            return
        case 409:
            throw EngineError(
                response, "removing image '\(reference)'", endpoint: endpoint,
                hint: "a container still uses it: remove that container first, or remove with force")
        default:
            throw EngineError(response, "removing image '\(reference)'", endpoint: endpoint)
        }
    }

    /// `registry:5000/name:tag` → (`registry:5000/name`, `tag`); a digest stays in the name; no tag → `latest`.
    static func split(_ reference: String) -> (name: String, tag: String?) {
        if reference.contains("@") { return (reference, nil) }
        let lastSlash = reference.lastIndex(of: "/")
        let tail = lastSlash.map { reference[reference.index(after: $0)...] } ?? reference[...]
        guard let colon = tail.lastIndex(of: ":") else { return (reference, "latest") }
        return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
    }
}
