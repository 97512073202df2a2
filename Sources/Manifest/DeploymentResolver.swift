import ContainerEngine
import Diagnostics
import YAMLDocument

/// Decides each deployment's engine, endpoint and liveness host, and the checks that depend on them.
struct DeploymentResolver {
    var environment: [String: String]
    var homeDirectory: String?
    /// Endpoint resolutions by request (without the environment): deployments mostly share a few, and
    /// each resolution may read the docker config and context files.
    private var resolutions: [EndpointResolver.Request: Result<EndpointResolver.Resolution, EndpointResolver.Problem>] =
        [:]

    /// `docker_args` lists the sdk engine already accepted: many deployments share theirs.
    private var acceptedRunArguments: Set<[String]> = []

    init(environment: [String: String], homeDirectory: String?) {
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    mutating func resolve(_ entry: DeploymentEntry, into diagnostics: inout [Diagnostic]) -> ResolvedDeployment? {
        var config = entry.decoded.config
        let nodes = entry.decoded.nodes
        guard let (engine, reason) = engine(for: entry, into: &diagnostics) else { return nil }
        checkEnvironmentKeys(entry, engine: engine, into: &diagnostics)
        if engine == .sdk { checkRunArguments(entry, into: &diagnostics) }
        let request = EndpointResolver.Request(
            runtime: config.containerRuntime,
            engine: engine,
            endpoint: config.dockerEndpoint,
            tls: config.dockerTLS,
            certPath: config.dockerCertPath,
            useSSH: config.dockerUseSSH,
            dockerEnv: config.dockerEnv,
            environment: environment,
            homeDirectory: homeDirectory
        )
        let resolution: EndpointResolver.Resolution
        do {
            resolution = try endpoint(for: request)
        } catch {
            diagnostics.append(.error(error.message, at: location(of: error.origin, in: entry)))
            return nil
        }
        for warning in resolution.warnings {
            diagnostics.append(.warning(warning.message, at: location(of: warning.origin, in: entry)))
        }
        if nodes["docker_internal_host"] == nil, let host = resolution.endpoint.remoteHost,
            !InternalHost.isLoopback(host)
        {
            config.dockerInternalHost = InternalHost.forRemoteHost(host)
        }
        return ResolvedDeployment(
            name: entry.name,
            replicas: entry.replicas,
            config: config,
            engine: engine,
            engineReason: reason,
            endpoint: resolution.endpoint,
            endpointSource: resolution.source,
            cliEnvironment: resolution.cliEnvironment
        )
    }

    private mutating func endpoint(
        for request: EndpointResolver.Request
    ) throws(EndpointResolver.Problem) -> EndpointResolver.Resolution {
        // The environment and home folder are this resolver's own, the same for every request: left out
        // of the key, they need no hashing.
        var key = request
        key.environment = [:]
        key.homeDirectory = nil
        if let known = resolutions[key] { return try known.get() }
        let result = Result { () throws(EndpointResolver.Problem) in try EndpointResolver.resolve(request) }
        resolutions[key] = result
        return try result.get()
    }

    private func engine(
        for entry: DeploymentEntry,
        into diagnostics: inout [Diagnostic]
    ) -> (EngineIdentity.Kind, String)? {
        let config = entry.decoded.config
        let runtime = config.containerRuntime.rawValue
        switch (config.engine, config.containerRuntime) {
        case (.sdk, .podman):
            diagnostics.append(
                .error(
                    "engine sdk needs container_runtime docker: podman runs through its command (engine: cli or auto)",
                    at: entry.decoded.nodes["engine"]?.location ?? entry.anchor
                )
            )
            return nil
        case (.sdk, _):
            return (.sdk, "engine: sdk in the manifest")
        case (.cli, _):
            return (.cli, "engine: cli in the manifest")
        case (.auto, .docker):
            return (.sdk, "auto: container_runtime \(runtime) uses the Docker Engine API")
        case (.auto, .podman):
            return (.cli, "auto: container_runtime \(runtime) runs through the podman command")
        }
    }

    /// Under sdk, `docker_env` keys other than the endpoint's reach nothing: a warning under auto, an
    /// error when sdk was asked for.
    private func checkEnvironmentKeys(
        _ entry: DeploymentEntry,
        engine: EngineIdentity.Kind,
        into diagnostics: inout [Diagnostic]
    ) {
        guard engine == .sdk else { return }
        let explicit = entry.decoded.config.engine == .sdk
        for key in entry.decoded.config.dockerEnv.keys.sorted() where !EndpointResolver.sdkEnvironmentKeys.contains(key)
        {
            let message =
                "docker_env.\(key) has no effect under the sdk engine, which reads only DOCKER_HOST, "
                + "DOCKER_TLS_VERIFY and DOCKER_CERT_PATH; use engine: cli to pass it to the docker command"
            let location = entry.decoded.environmentKeys[key]?.location ?? entry.decoded.nodes["docker_env"]?.location
            diagnostics.append(explicit ? .error(message, at: location) : .warning(message, at: location))
        }
    }

    /// The sdk engine turns `docker_args` into create-request fields; each flag it cannot is an error at
    /// its element. The supported flags are listed with the first only.
    private mutating func checkRunArguments(_ entry: DeploymentEntry, into diagnostics: inout [Diagnostic]) {
        let arguments = entry.decoded.config.dockerArgs
        guard !arguments.isEmpty, !acceptedRunArguments.contains(arguments) else { return }
        let problems = DockerRunOptions.problems(in: arguments)
        if problems.isEmpty { acceptedRunArguments.insert(arguments) }
        let nodes = entry.decoded.argumentNodes
        var listed = false
        for problem in problems {
            let location =
                nodes.indices.contains(problem.index)
                ? nodes[problem.index].location : entry.decoded.nodes["docker_args"]?.location ?? entry.anchor
            // The parser's message lists the supported flags and mentions engine: cli.
            let message =
                listed && problem.problem != problem.message
                ? problem.problem + "; the first such error lists the flags the sdk engine supports"
                : problem.message
            listed = listed || problem.problem != problem.message
            var diagnostic = Diagnostic.error(message, at: location)
            if problem.argument == "--rm" || problem.argument.hasPrefix("--rm=") {
                diagnostic.notes = [.note("remove_container: true (the default) removes the container when it stops")]
            }
            diagnostics.append(diagnostic)
        }
    }

    private func location(of origin: EndpointResolver.Origin, in entry: DeploymentEntry) -> SourceLocation? {
        let decoded = entry.decoded
        switch origin {
        case .dockerEndpoint: return decoded.nodes["docker_endpoint"]?.location ?? entry.anchor
        case .dockerTLS: return decoded.nodes["docker_tls"]?.location ?? entry.anchor
        case .dockerCertPath: return decoded.nodes["docker_cert_path"]?.location ?? entry.anchor
        case .dockerUseSSH: return decoded.nodes["docker_use_ssh"]?.location ?? entry.anchor
        case .dockerEnv(let key): return decoded.environmentValues[key]?.location ?? entry.anchor
        case .outside: return entry.anchor
        }
    }
}
