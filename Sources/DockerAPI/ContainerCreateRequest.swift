import ContainerEngine
import Foundation

/// The body of `POST /containers/create` for a `ContainerSpec` and the `docker_args` it carries.
///
/// Environment variables and labels from `docker_args` come first and the spec's own win over them, so
/// the runner's labels that mark its containers cannot be overridden by a manifest.
struct ContainerCreateRequest {
    var spec: ContainerSpec
    var options: DockerRunOptions
    /// The caller's environment, for `-e NAME` without a value.
    var processEnvironment: [String: String]

    /// - Throws: `EngineError.Code.invalidArgument` for `docker_args` the engine cannot honour.
    init(_ spec: ContainerSpec, processEnvironment: [String: String]) throws(EngineError) {
        self.spec = spec
        self.processEnvironment = processEnvironment
        do {
            self.options = try DockerRunOptions.parse(spec.runArguments)
        } catch {
            throw EngineError(
                .invalidArgument, error.message,
                hint: "docker_args[\(error.index)] is '\(error.argument)'")
        }
    }

    /// The query of the create call: the name, and the platform when one is asked for.
    var query: [(String, String?)] {
        [("name", spec.name), ("platform", spec.platform)]
    }

    func body() throws(EngineError) -> JSONValue {
        var config: [String: JSONValue] = ["Image": .string(spec.image)]
        config.set("Cmd", spec.command)
        config.set("Env", environment)
        config["Labels"] = .strings(options.labels.merging(spec.labels) { _, own in own })
        config.set("Hostname", options.hostname.map(JSONValue.string))
        config.set("WorkingDir", options.workingDirectory.map(JSONValue.string))
        config.set("User", options.user.map(JSONValue.string))
        if !options.anonymousVolumes.isEmpty { config["Volumes"] = .set(options.anonymousVolumes) }
        if let publish = spec.publish { config["ExposedPorts"] = .set(["\(publish.containerPort)/tcp"]) }
        config["HostConfig"] = .object(try hostConfig())
        return .object(config)
    }

    /// `NAME=value` entries: `docker_args` first, then the spec's; a bare `NAME` takes the caller's value
    /// or is left out, as `docker run -e NAME` does.
    var environment: [String] {
        let fromArguments = options.environment.compactMap { entry -> String? in
            guard !entry.contains("=") else { return entry }
            return processEnvironment[entry].map { "\(entry)=\($0)" }
        }
        return fromArguments + spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    private func hostConfig() throws(EngineError) -> [String: JSONValue] {
        var host: [String: JSONValue] = [:]
        if let publish = spec.publish {
            let binding: JSONValue = .object([
                "HostIp": .string(publish.hostIP ?? ""),
                "HostPort": .string(publish.hostPort.map(String.init) ?? ""),
            ])
            host["PortBindings"] = .object(["\(publish.containerPort)/tcp": .array([binding])])
        }
        if spec.autoRemove { host["AutoRemove"] = .bool(true) }
        host.set("Binds", options.binds)
        if !options.mounts.isEmpty { host["Mounts"] = .array(options.mounts.map(Self.mount)) }
        host.set("NetworkMode", options.network.map(JSONValue.string))
        host.set("Memory", options.memoryBytes.map(JSONValue.number))
        host.set("NanoCpus", options.nanoCPUs.map(JSONValue.number))
        host.set("ShmSize", options.shmSizeBytes.map(JSONValue.number))
        if options.privileged { host["Privileged"] = .bool(true) }
        host.set("CapAdd", options.capAdd)
        host.set("CapDrop", options.capDrop)
        host.set("ExtraHosts", options.extraHosts)
        host.set("SecurityOpt", try options.securityOptions.map(Self.loadingSeccompProfile))
        host.set("Tmpfs", options.tmpfs)
        host.set("Init", options.initProcess.map(JSONValue.bool))
        host.set("Dns", options.dns)
        if !options.ulimits.isEmpty {
            host["Ulimits"] = .array(
                options.ulimits.map {
                    .object(["Name": .string($0.name), "Soft": .number($0.soft), "Hard": .number($0.hard)])
                })
        }
        if !options.deviceRequests.isEmpty { host["DeviceRequests"] = .array(options.deviceRequests.map(Self.device)) }
        return host
    }

    private static func mount(_ mount: DockerRunOptions.Mount) -> JSONValue {
        var fields: [String: JSONValue] = ["Type": .string(mount.type.rawValue), "Target": .string(mount.target)]
        fields.set("Source", mount.source.map(JSONValue.string))
        if mount.readOnly { fields["ReadOnly"] = .bool(true) }
        fields.set("Consistency", mount.consistency.map(JSONValue.string))
        var bind: [String: JSONValue] = [:]
        bind.set("Propagation", mount.bindPropagation.map(JSONValue.string))
        bind.set("NonRecursive", mount.bindNonRecursive.map(JSONValue.bool))
        var volume: [String: JSONValue] = [:]
        volume.set("NoCopy", mount.volumeNoCopy.map(JSONValue.bool))
        volume.set("Labels", mount.volumeLabels)
        if mount.volumeDriver != nil || !mount.volumeDriverOptions.isEmpty {
            var driver: [String: JSONValue] = [:]
            driver.set("Name", mount.volumeDriver.map(JSONValue.string))
            driver.set("Options", mount.volumeDriverOptions)
            volume["DriverConfig"] = .object(driver)
        }
        var tmpfs: [String: JSONValue] = [:]
        tmpfs.set("SizeBytes", mount.tmpfsSizeBytes.map(JSONValue.number))
        tmpfs.set("Mode", mount.tmpfsMode.map { JSONValue.number(Int64($0)) })
        if !bind.isEmpty { fields["BindOptions"] = .object(bind) }
        if !volume.isEmpty { fields["VolumeOptions"] = .object(volume) }
        if !tmpfs.isEmpty { fields["TmpfsOptions"] = .object(tmpfs) }
        return .object(fields)
    }

    private static func device(_ request: DockerRunOptions.DeviceRequest) -> JSONValue {
        var fields: [String: JSONValue] = [
            "Capabilities": .array(request.capabilities.map(JSONValue.strings))
        ]
        fields.set("Driver", request.driver.map(JSONValue.string))
        fields.set("Count", request.count.map { JSONValue.number(Int64($0)) })
        fields.set("DeviceIDs", request.deviceIDs)
        fields.set("Options", request.options)
        return .object(fields)
    }

    /// `seccomp=PATH` names a profile file on this machine; the API takes the profile's JSON itself, which
    /// the docker CLI reads on the client side too.
    private static func loadingSeccompProfile(_ option: String) throws(EngineError) -> String {
        let prefix = "seccomp="
        guard option.hasPrefix(prefix) else { return option }
        let value = String(option.dropFirst(prefix.count))
        guard value != "unconfined", !value.hasPrefix("{") else { return option }
        guard let data = FileManager.default.contents(atPath: value),
            let profile = try? JSONSerialization.jsonObject(with: data),
            let compact = try? JSONSerialization.data(withJSONObject: profile)
        else {
            throw EngineError(
                .invalidArgument, "cannot read the seccomp profile '\(value)' named in docker_args",
                hint: "give the path of a JSON seccomp profile, or seccomp=unconfined")
        }
        return prefix + String(decoding: compact, as: UTF8.self)
    }
}
