/// The `docker run` flags of a manifest's `docker_args`, parsed into fields the sdk engine can send in a
/// create request. Both `--flag value` and `--flag=value` are accepted, and for one-letter flags also
/// `-e value`, `-evalue` and `-e=value`, as docker accepts them. A flag outside the supported set, a flag
/// without its value and a stray positional word are errors that list the supported flags: nothing is
/// silently dropped.
public struct DockerRunOptions: Sendable, Hashable {
    /// `-e/--env`: `NAME=value`, or a bare `NAME` whose value comes from the caller's environment when
    /// the request is made (and which is left out when the caller has no such variable), as `docker run`.
    public var environment: [String] = []
    /// `-v/--volume SOURCE:TARGET[:MODE]`: a host path or named volume, sent as `HostConfig.Binds`.
    public var binds: [String] = []
    /// `-v/--volume TARGET`: an anonymous volume at a container path, sent as `Config.Volumes`.
    public var anonymousVolumes: [String] = []
    /// `--mount type=...,source=...,target=...`, sent as `HostConfig.Mounts`.
    public var mounts: [Mount] = []
    /// `--network/--net`: the network mode or network name (one; the API attaches one at create time).
    public var network: String?
    /// `-m/--memory`, in bytes.
    public var memoryBytes: Int64?
    /// `--cpus`, in billionths of a CPU (`HostConfig.NanoCpus`).
    public var nanoCPUs: Int64?
    /// `--shm-size`, in bytes.
    public var shmSizeBytes: Int64?
    /// `--privileged`.
    public var privileged = false
    /// `--cap-add`.
    public var capAdd: [String] = []
    /// `--cap-drop`.
    public var capDrop: [String] = []
    /// `--add-host`, each as `host:ip` (the API's form, whichever separator was written).
    public var extraHosts: [String] = []
    /// `-w/--workdir`.
    public var workingDirectory: String?
    /// `-u/--user`.
    public var user: String?
    /// `-l/--label`; `-l key` gives an empty value, as docker does.
    public var labels: [String: String] = [:]
    /// `--ulimit name=soft[:hard]`.
    public var ulimits: [Ulimit] = []
    /// `--security-opt`, each as `key=value` (the legacy `key:value` is rewritten) or `no-new-privileges`.
    public var securityOptions: [String] = []
    /// `--tmpfs PATH[:OPTIONS]`: container path → mount options (empty for the defaults).
    public var tmpfs: [String: String] = [:]
    /// `--init`: nil when not given, so the daemon's default applies.
    public var initProcess: Bool?
    /// `-h/--hostname`.
    public var hostname: String?
    /// `--dns`.
    public var dns: [String] = []
    /// `--gpus`, as device requests.
    public var deviceRequests: [DeviceRequest] = []

    public init() {}

    /// Parses `arguments`; the error names the offending argument and its index.
    /// - Parameter arguments: the `docker_args` list, without `--platform`.
    /// - Returns: the parsed options; later occurrences of single-valued flags win, as with docker.
    /// - Throws: `DockerArgumentError` for an unsupported flag, a missing or malformed value, or a
    ///   positional word.
    public static func parse(_ arguments: [String]) throws(DockerArgumentError) -> DockerRunOptions {
        var parser = RunArgumentParser(arguments: arguments)
        parser.parse()
        if let first = parser.problems.first { throw first }
        return parser.options
    }

    /// Every problem `parse` would find in `arguments`, in order, not only the first: after an unsupported
    /// flag its value (a following word that is not a flag) is skipped, and after a bad value parsing goes
    /// on with the next flag.
    /// - Parameter arguments: the `docker_args` list, without `--platform`.
    /// - Returns: the problems; empty when `parse` succeeds.
    public static func problems(in arguments: [String]) -> [DockerArgumentError] {
        var parser = RunArgumentParser(arguments: arguments)
        parser.parse()
        return parser.problems
    }

    /// The supported flags as shown in error messages, such as `-e/--env`.
    public static let supportedFlags: [String] = RunFlag.all.map(\.displayName)
}

extension DockerRunOptions {
    /// One `--mount` entry, in the fields of the API's `Mount` object.
    public struct Mount: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            case bind, volume, tmpfs
        }

        public var type: Kind
        public var source: String?
        public var target: String
        public var readOnly = false
        public var consistency: String?
        public var bindPropagation: String?
        public var bindNonRecursive: Bool?
        public var volumeNoCopy: Bool?
        public var volumeDriver: String?
        public var volumeLabels: [String: String] = [:]
        public var volumeDriverOptions: [String: String] = [:]
        public var tmpfsSizeBytes: Int64?
        /// The tmpfs file mode, such as 0o1777.
        public var tmpfsMode: Int?

        public init(type: Kind, source: String?, target: String) {
            self.type = type
            self.source = source
            self.target = target
        }
    }

    /// One `--ulimit`: a resource name such as `nofile` with its soft and hard limits.
    public struct Ulimit: Sendable, Hashable {
        public var name: String
        public var soft: Int64
        public var hard: Int64

        public init(name: String, soft: Int64, hard: Int64) {
            self.name = name
            self.soft = soft
            self.hard = hard
        }
    }

    /// One `--gpus` request, in the fields of the API's `DeviceRequest` object.
    public struct DeviceRequest: Sendable, Hashable {
        public var driver: String?
        /// -1 for all devices.
        public var count: Int?
        public var deviceIDs: [String]
        public var capabilities: [[String]]
        public var options: [String: String]

        public init(
            driver: String? = nil,
            count: Int? = nil,
            deviceIDs: [String] = [],
            capabilities: [[String]] = [["gpu"]],
            options: [String: String] = [:]
        ) {
            self.driver = driver
            self.count = count
            self.deviceIDs = deviceIDs
            self.capabilities = capabilities
            self.options = options
        }
    }
}

/// A `docker_args` entry the sdk engine cannot turn into a create-request field.
public struct DockerArgumentError: Error, Sendable, Hashable {
    /// The position of the offending element in `docker_args`.
    public var index: Int
    public var argument: String
    /// The problem, followed for flags outside the supported set by the list of supported flags.
    public var message: String
    /// The problem alone, without the list of supported flags (for reports that show the list once).
    public var problem: String

    public init(index: Int, argument: String, message: String, problem: String? = nil) {
        self.index = index
        self.argument = argument
        self.message = message
        self.problem = problem ?? message
    }
}

// MARK: - Parsing

/// A value that does not fit its flag, described as what the flag expects.
private struct RunValueError: Error {
    var expectation: String
}

/// One supported flag: its spellings and how its value lands in the options.
private struct RunFlag: Sendable {
    typealias Apply = @Sendable (inout DockerRunOptions, String) throws(RunValueError) -> Void

    /// The one-letter spelling without its dash, such as `e`.
    var short: Character?
    /// The long spellings without their dashes, the preferred one first.
    var long: [String]
    /// False for flags that are on when given bare (`--privileged`, or `--privileged=false`).
    var takesValue = true
    var apply: Apply

    var displayName: String {
        let names = (short.map { ["-\($0)"] } ?? []) + long.map { "--\($0)" }
        return names.joined(separator: "/")
    }
}

private struct RunArgumentParser {
    let arguments: [String]
    var options = DockerRunOptions()
    /// What `parse` found wrong, in order.
    var problems: [DockerArgumentError] = []

    init(arguments: [String]) {
        self.arguments = arguments
    }

    mutating func parse() {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let flag: RunFlag
            var value: String?
            do throws(DockerArgumentError) {
                (flag, value) = try match(argument, at: index)
            } catch {
                problems.append(error)
                index += skippedValue(after: index) ? 2 : 1
                continue
            }
            var valueIndex = index
            if value == nil, flag.takesValue {
                guard index + 1 < arguments.count else {
                    problems.append(failure(index, "docker_args flag '\(argument)' needs a value"))
                    return
                }
                index += 1
                valueIndex = index
                value = arguments[index]
            }
            do {
                try flag.apply(&options, value ?? "true")
            } catch {
                let shown = value ?? ""
                let message = "docker_args flag '\(flag.displayName)' expects \(error.expectation), got '\(shown)'"
                problems.append(
                    DockerArgumentError(index: valueIndex, argument: arguments[valueIndex], message: message))
            }
            index += 1
        }
    }

    /// Whether the word after an unsupported flag is taken as that flag's value: the flag has no value
    /// written inside it and the word is not itself a flag.
    private func skippedValue(after index: Int) -> Bool {
        let argument = arguments[index]
        guard argument.hasPrefix("-"), !argument.contains("="), index + 1 < arguments.count else { return false }
        return !arguments[index + 1].hasPrefix("-")
    }

    /// The flag an argument names and the value written inside it (`--env=X`, `-eX`, `-e=X`).
    private func match(_ argument: String, at index: Int) throws(DockerArgumentError) -> (RunFlag, String?) {
        if argument.hasPrefix("--"), argument.count > 2 {
            let body = argument.dropFirst(2)
            let name = body.prefix { $0 != "=" }
            let value = body.count > name.count ? String(body.dropFirst(name.count + 1)) : nil
            if let flag = RunFlag.all.first(where: { $0.long.contains(String(name)) }) {
                return (flag, value)
            }
        } else if argument.hasPrefix("-"), argument.count > 1, !argument.hasPrefix("--") {
            let letter = argument[argument.index(after: argument.startIndex)]
            var rest = argument.dropFirst(2)
            if rest.hasPrefix("=") { rest = rest.dropFirst() }
            if let flag = RunFlag.all.first(where: { $0.short == letter }), flag.takesValue {
                return (flag, argument.count > 2 ? String(rest) : nil)
            }
        } else {
            throw failure(index, "unexpected docker_args value '\(argument)': only flags may appear here")
        }
        throw failure(index, "unsupported docker_args flag '\(argument)'")
    }

    private func failure(_ index: Int, _ problem: String) -> DockerArgumentError {
        let supported = DockerRunOptions.supportedFlags.joined(separator: ", ")
        let message = "\(problem); the sdk engine supports \(supported) (engine: cli passes any flag to docker run)"
        return DockerArgumentError(index: index, argument: arguments[index], message: message, problem: problem)
    }
}

extension RunFlag {
    /// Every supported flag, in the order error messages list them.
    static let all: [RunFlag] = [
        RunFlag(short: "e", long: ["env"]) { options, value throws(RunValueError) in
            options.environment.append(try RunValues.environment(value))
        },
        RunFlag(short: "v", long: ["volume"]) { options, value throws(RunValueError) in
            try RunValues.volume(value, into: &options)
        },
        RunFlag(short: nil, long: ["mount"]) { options, value throws(RunValueError) in
            options.mounts.append(try RunValues.mount(value))
        },
        RunFlag(short: nil, long: ["network", "net"]) { options, value throws(RunValueError) in
            guard !value.isEmpty else { throw RunValueError(expectation: "a network name or mode") }
            guard options.network == nil || options.network == value else {
                throw RunValueError(expectation: "one network (the sdk engine attaches one at create time)")
            }
            options.network = value
        },
        RunFlag(short: "m", long: ["memory"]) { options, value throws(RunValueError) in
            options.memoryBytes = try RunValues.bytes(value)
        },
        RunFlag(short: nil, long: ["cpus"]) { options, value throws(RunValueError) in
            options.nanoCPUs = try RunValues.nanoCPUs(value)
        },
        RunFlag(short: nil, long: ["shm-size"]) { options, value throws(RunValueError) in
            options.shmSizeBytes = try RunValues.bytes(value)
        },
        RunFlag(short: nil, long: ["privileged"], takesValue: false) { options, value throws(RunValueError) in
            options.privileged = try RunValues.bool(value)
        },
        RunFlag(short: nil, long: ["cap-add"]) { options, value throws(RunValueError) in
            options.capAdd.append(try RunValues.nonEmpty(value, "a capability such as NET_ADMIN"))
        },
        RunFlag(short: nil, long: ["cap-drop"]) { options, value throws(RunValueError) in
            options.capDrop.append(try RunValues.nonEmpty(value, "a capability such as NET_RAW"))
        },
        RunFlag(short: nil, long: ["add-host"]) { options, value throws(RunValueError) in
            options.extraHosts.append(try RunValues.extraHost(value))
        },
        RunFlag(short: "w", long: ["workdir"]) { options, value throws(RunValueError) in
            options.workingDirectory = try RunValues.absolutePath(value)
        },
        RunFlag(short: "u", long: ["user"]) { options, value throws(RunValueError) in
            options.user = try RunValues.nonEmpty(value, "a user such as 1000 or name:group")
        },
        RunFlag(short: "l", long: ["label"]) { options, value throws(RunValueError) in
            let (key, labelValue) = try RunValues.keyValue(value, "a label key=value")
            options.labels[key] = labelValue ?? ""
        },
        RunFlag(short: nil, long: ["ulimit"]) { options, value throws(RunValueError) in
            options.ulimits.append(try RunValues.ulimit(value))
        },
        RunFlag(short: nil, long: ["security-opt"]) { options, value throws(RunValueError) in
            options.securityOptions.append(try RunValues.securityOption(value))
        },
        RunFlag(short: nil, long: ["tmpfs"]) { options, value throws(RunValueError) in
            let path = String(value.prefix { $0 != ":" })
            let mountOptions = value.count > path.count ? String(value.dropFirst(path.count + 1)) : ""
            options.tmpfs[try RunValues.absolutePath(path)] = mountOptions
        },
        RunFlag(short: nil, long: ["init"], takesValue: false) { options, value throws(RunValueError) in
            options.initProcess = try RunValues.bool(value)
        },
        RunFlag(short: "h", long: ["hostname"]) { options, value throws(RunValueError) in
            options.hostname = try RunValues.nonEmpty(value, "a host name")
        },
        RunFlag(short: nil, long: ["dns"]) { options, value throws(RunValueError) in
            options.dns.append(try RunValues.nonEmpty(value, "a DNS server address"))
        },
        RunFlag(short: nil, long: ["gpus"]) { options, value throws(RunValueError) in
            options.deviceRequests.append(try RunValues.gpus(value))
        },
    ]
}

/// Value parsers for the flags, each following what `docker run` accepts for that flag.
private enum RunValues {
    static func nonEmpty(_ value: String, _ expectation: String) throws(RunValueError) -> String {
        guard !value.isEmpty else { throw RunValueError(expectation: expectation) }
        return value
    }

    static func absolutePath(_ value: String) throws(RunValueError) -> String {
        guard value.hasPrefix("/") else { throw RunValueError(expectation: "an absolute container path") }
        return value
    }

    /// Go's `strconv.ParseBool`, which docker uses for `--flag=value` on boolean flags.
    static func bool(_ value: String) throws(RunValueError) -> Bool {
        switch value {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: throw RunValueError(expectation: "true or false")
        }
    }

    /// `key=value` or a bare `key` (value nil).
    static func keyValue(_ value: String, _ expectation: String) throws(RunValueError) -> (String, String?) {
        let key = String(value.prefix { $0 != "=" })
        guard !key.isEmpty else { throw RunValueError(expectation: expectation) }
        return (key, value.count > key.count ? String(value.dropFirst(key.count + 1)) : nil)
    }

    static func environment(_ value: String) throws(RunValueError) -> String {
        _ = try keyValue(value, "NAME=value or NAME")
        return value
    }

    /// A size as docker reads `--memory` and `--shm-size`: a number, then an optional binary unit
    /// (`k`, `m`, `g`, `t`, `p`, any case, optionally followed by `i` and `b`); `512m`, `2g`, `1.5GiB`, `100`.
    static func bytes(_ value: String) throws(RunValueError) -> Int64 {
        let invalid = RunValueError(expectation: "a size such as 512m or 2g")
        let number = value.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        var rest = value.dropFirst(number.count)
        guard number.first?.isNumber == true, number.last?.isNumber == true,
            number.filter({ $0 == "." }).count <= 1, let amount = Double(number)
        else { throw invalid }
        if rest.first == " " { rest = rest.dropFirst() }
        var multiplier = 1.0
        if let unit = rest.first, let power = "kmgtp".firstIndex(of: Character(unit.lowercased())) {
            multiplier = pow1024("kmgtp".distance(from: "kmgtp".startIndex, to: power) + 1)
            rest = rest.dropFirst()
        }
        if rest.first == "i" || rest.first == "I" { rest = rest.dropFirst() }
        if rest.first == "b" || rest.first == "B" { rest = rest.dropFirst() }
        let bytes = amount * multiplier
        guard rest.isEmpty, bytes < 9.2e18 else { throw invalid }
        return Int64(bytes)
    }

    private static func pow1024(_ exponent: Int) -> Double {
        (0..<exponent).reduce(1.0) { product, _ in product * 1024 }
    }

    /// `--cpus`: a decimal number of CPUs, exact to a billionth, as `HostConfig.NanoCpus`.
    static func nanoCPUs(_ value: String) throws(RunValueError) -> Int64 {
        let invalid = RunValueError(expectation: "a number of CPUs such as 1.5")
        let parts = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        var fraction = parts.count > 1 ? Substring(parts[1]) : ""
        while fraction.last == "0" { fraction = fraction.dropLast() }
        guard !whole.isEmpty || !fraction.isEmpty, whole.allSatisfy(\.isASCIIDigit),
            fraction.allSatisfy(\.isASCIIDigit), fraction.count <= 9,
            let units = Int64(whole.isEmpty ? "0" : whole), units < 9_000_000_000
        else { throw invalid }
        let padded = fraction + String(repeating: "0", count: 9 - fraction.count)
        return units * 1_000_000_000 + (Int64(padded) ?? 0)
    }

    static func volume(_ value: String, into options: inout DockerRunOptions) throws(RunValueError) {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let expectation = "SOURCE:TARGET[:MODE] or an absolute container path"
        switch parts.count {
        case 1:
            options.anonymousVolumes.append(try absolutePath(value))
        case 2, 3:
            let source = parts[0]
            guard !source.isEmpty, source.hasPrefix("/") || !source.contains("/"),
                parts[1].hasPrefix("/"), parts.count == 2 || !parts[2].isEmpty
            else {
                throw RunValueError(expectation: "\(expectation), with an absolute host path or a volume name")
            }
            options.binds.append(value)
        default:
            throw RunValueError(expectation: expectation)
        }
    }

    static func extraHost(_ value: String) throws(RunValueError) -> String {
        let separator: Character = value.contains("=") ? "=" : ":"
        let host = value.prefix { $0 != separator }
        let address = value.dropFirst(host.count + 1)
        guard !host.isEmpty, !address.isEmpty else { throw RunValueError(expectation: "host:ip") }
        return "\(host):\(address)"
    }

    private static let ulimitNames: Set<String> = [
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
        "rtprio", "rttime", "sigpending", "stack",
    ]

    static func ulimit(_ value: String) throws(RunValueError) -> DockerRunOptions.Ulimit {
        let invalid = RunValueError(
            expectation: "name=soft[:hard] with a name among \(ulimitNames.sorted().joined(separator: ", "))"
        )
        guard case (let name, let limits?) = try keyValue(value, ""), ulimitNames.contains(name) else { throw invalid }
        let numbers = limits.split(separator: ":", omittingEmptySubsequences: false).map { Int64($0) }
        guard (1...2).contains(numbers.count), let soft = numbers[0], let hard = numbers.last ?? nil else {
            throw invalid
        }
        guard soft <= hard || hard == -1 else {
            throw RunValueError(expectation: "a soft limit no larger than the hard limit")
        }
        return DockerRunOptions.Ulimit(name: name, soft: soft, hard: hard)
    }

    /// `key=value`, the legacy `key:value` (rewritten with `=`), or `no-new-privileges`.
    static func securityOption(_ value: String) throws(RunValueError) -> String {
        if value == "no-new-privileges" || value.contains("=") {
            _ = try keyValue(value, "")
            return value
        }
        guard let colon = value.firstIndex(of: ":"), colon != value.startIndex else {
            throw RunValueError(expectation: "an option such as seccomp=unconfined, label=... or no-new-privileges")
        }
        return value.replacingCharacters(in: colon...colon, with: "=")
    }

    /// Comma-separated fields, where a double-quoted stretch may hold commas (docker reads these as CSV).
    static func fields(_ value: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            switch character {
            case "\"": quoted.toggle()
            case "," where !quoted:
                fields.append(current)
                current = ""
            default: current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

extension String {
    fileprivate func replacingCharacters(in range: ClosedRange<Index>, with replacement: String) -> String {
        String(self[..<range.lowerBound]) + replacement + String(self[index(after: range.upperBound)...])
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension RunValues {
    /// `--mount`: comma-separated `key=value` fields, as `docker run --mount` reads them.
    static func mount(_ value: String) throws(RunValueError) -> DockerRunOptions.Mount {
        let kinds = DockerRunOptions.Mount.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        var mount = DockerRunOptions.Mount(type: .volume, source: nil, target: "")
        var prefixes: Set<String> = []
        for field in fields(value) {
            let (key, fieldValue) = try keyValue(field, "type=...,source=...,target=... fields")
            let text = fieldValue ?? ""
            if let dash = key.firstIndex(of: "-") { prefixes.insert(String(key[..<dash])) }
            switch key {
            case "type":
                guard let kind = DockerRunOptions.Mount.Kind(rawValue: text) else {
                    throw RunValueError(expectation: "a mount type among \(kinds)")
                }
                mount.type = kind
            case "source", "src": mount.source = try nonEmpty(text, "a mount source")
            case "target", "destination", "dst": mount.target = try absolutePath(text)
            case "readonly", "ro": mount.readOnly = try fieldValue.map(bool) ?? true
            case "consistency": mount.consistency = try nonEmpty(text, "a consistency mode")
            case "bind-propagation": mount.bindPropagation = try nonEmpty(text, "a propagation such as rprivate")
            case "bind-nonrecursive": mount.bindNonRecursive = try fieldValue.map(bool) ?? true
            case "volume-nocopy": mount.volumeNoCopy = try fieldValue.map(bool) ?? true
            case "volume-driver": mount.volumeDriver = try nonEmpty(text, "a volume driver name")
            case "volume-label":
                let (labelKey, labelValue) = try keyValue(text, "volume-label=KEY=VALUE")
                mount.volumeLabels[labelKey] = labelValue ?? ""
            case "volume-opt":
                let (optionKey, optionValue) = try keyValue(text, "volume-opt=KEY=VALUE")
                mount.volumeDriverOptions[optionKey] = optionValue ?? ""
            case "tmpfs-size": mount.tmpfsSizeBytes = try bytes(text)
            case "tmpfs-mode":
                guard let mode = Int(text, radix: 8) else { throw RunValueError(expectation: "an octal tmpfs-mode") }
                mount.tmpfsMode = mode
            default:
                throw RunValueError(
                    expectation: "mount fields among type, source, target, readonly, consistency, bind-propagation, "
                        + "bind-nonrecursive, volume-nocopy, volume-driver, volume-label, volume-opt, tmpfs-size, "
                        + "tmpfs-mode (unknown '\(key)')"
                )
            }
        }
        try check(mount, optionPrefixes: prefixes)
        return mount
    }

    private static func check(_ mount: DockerRunOptions.Mount, optionPrefixes: Set<String>) throws(RunValueError) {
        guard !mount.target.isEmpty else { throw RunValueError(expectation: "a target=PATH field") }
        let foreign = optionPrefixes.subtracting([mount.type.rawValue])
        guard foreign.isEmpty else {
            let names = foreign.sorted().map { "\($0)-*" }.joined(separator: ", ")
            throw RunValueError(expectation: "no \(names) options on a mount of type \(mount.type.rawValue)")
        }
        switch mount.type {
        case .bind:
            guard mount.source?.hasPrefix("/") == true else {
                throw RunValueError(expectation: "an absolute source=PATH for a bind mount")
            }
        case .tmpfs:
            guard mount.source == nil else { throw RunValueError(expectation: "no source on a tmpfs mount") }
        case .volume:
            break
        }
    }

    /// `--gpus`: `all`, a count, or fields `driver=`, `count=`, `device=`, `capabilities=`, `options=`.
    static func gpus(_ value: String) throws(RunValueError) -> DockerRunOptions.DeviceRequest {
        let invalid = RunValueError(expectation: "all, a count, or fields such as \"device=0,1\" or count=2")
        var request = DockerRunOptions.DeviceRequest()
        let parts = fields(value)
        if parts.count == 1, !parts[0].contains("=") {
            guard let count = parts[0] == "all" ? -1 : Int(parts[0]), count >= -1 else { throw invalid }
            request.count = count
            return request
        }
        var capabilities: [String] = []
        for part in parts {
            guard case (let key, let text?) = try keyValue(part, ""), !text.isEmpty else { throw invalid }
            let list = text.split(separator: ",").map(String.init)
            switch key {
            case "driver": request.driver = text
            case "count":
                guard let count = text == "all" ? -1 : Int(text), count >= -1 else { throw invalid }
                request.count = count
            case "device": request.deviceIDs = list
            case "capabilities": capabilities += list
            case "options":
                for option in list {
                    let (optionKey, optionValue) = try keyValue(option, "options=KEY=VALUE")
                    request.options[optionKey] = optionValue ?? ""
                }
            default: throw invalid
            }
        }
        if !capabilities.contains("gpu") { capabilities.append("gpu") }
        request.capabilities = [capabilities]
        return request
    }
}
