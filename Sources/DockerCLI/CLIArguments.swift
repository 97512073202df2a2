internal import ContainerEngine

/// The argv for the CLI subcommands whose flags depend on a request.
enum CLIArguments {
    /// `run -d` for `spec`, with `image` already resolved for the runtime.
    ///
    /// Order: name, labels, port, platform, `--rm`, `--pull never`, the manifest's `docker_args`
    /// verbatim (after ours, so a flag given there wins), environment, image, command. The runner pulls
    /// according to the manifest before it runs, so `run` itself must never pull.
    static func run(_ spec: ContainerSpec, image: String) -> [String] {
        var arguments = ["run", "-d", "--name", spec.name]
        for (key, value) in spec.labels.sorted(by: { $0.key < $1.key }) {
            arguments += ["--label", "\(key)=\(value)"]
        }
        if let publish = spec.publish {
            arguments += ["-p", portMapping(publish)]
        }
        if let platform = spec.platform {
            arguments += ["--platform", platform]
        }
        if spec.autoRemove {
            arguments.append("--rm")
        }
        arguments += ["--pull", "never"]
        arguments += spec.runArguments
        for (key, value) in spec.environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["--env", "\(key)=\(value)"]
        }
        return arguments + [image] + spec.command
    }

    /// `-p`'s value: `[IP:]HOSTPORT:PORT`, or `IP::PORT` / `PORT` for a host port the engine picks.
    static func portMapping(_ publish: PortPublication) -> String {
        let container = String(publish.containerPort)
        let host = publish.hostPort.map(String.init) ?? ""
        guard let ip = publish.hostIP, !ip.isEmpty else {
            return publish.hostPort == nil ? container : "\(host):\(container)"
        }
        let bracketed = ip.contains(":") ? "[\(ip)]" : ip
        return "\(bracketed):\(host):\(container)"
    }

    /// `build` reading the Dockerfile from stdin, writing the image id to `idFile`.
    static func build(_ request: BuildRequest, idFile: String) -> [String] {
        var arguments = ["build"]
        for (key, value) in request.buildArgs.sorted(by: { $0.key < $1.key }) {
            arguments += ["--build-arg", "\(key)=\(value)"]
        }
        if let platform = request.platform {
            arguments += ["--platform", platform]
        }
        if let tag = request.tag {
            arguments += ["-t", tag]
        }
        for (key, value) in request.labels.sorted(by: { $0.key < $1.key }) {
            arguments += ["--label", "\(key)=\(value)"]
        }
        return arguments + ["--iidfile", idFile, "-"]
    }

    /// `ps` listing the full ids of every container carrying `labels` (a nil value: any value).
    static func list(labels: [String: String?]) -> [String] {
        var arguments = ["ps", "-a", "--no-trunc", "--format", "{{.ID}}"]
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            arguments += ["--filter", value.map { "label=\(key)=\($0)" } ?? "label=\(key)"]
        }
        return arguments
    }
}
