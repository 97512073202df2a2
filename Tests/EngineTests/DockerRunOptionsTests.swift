import ContainerEngine
import Testing

/// One row of the parse table: arguments and the options they must give.
struct RunOptionsCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var expected: DockerRunOptions

    init(_ arguments: [String], _ build: (inout DockerRunOptions) -> Void) {
        self.arguments = arguments
        var options = DockerRunOptions()
        build(&options)
        self.expected = options
    }

    var testDescription: String { arguments.joined(separator: " ") }
}

/// One row of the error table: arguments, the index and element blamed, and the start of the message.
struct RunOptionsFailure: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var index: Int
    var message: String

    var testDescription: String { arguments.joined(separator: " ") }
}

private let supported =
    "the sdk engine supports -e/--env, -v/--volume, --mount, --network/--net, -m/--memory, --cpus, --shm-size, "
    + "--privileged, --cap-add, --cap-drop, --add-host, -w/--workdir, -u/--user, -l/--label, --ulimit, "
    + "--security-opt, --tmpfs, --init, -h/--hostname, --dns, --gpus (engine: cli passes any flag to docker run)"

private let mib: Int64 = 1024 * 1024

private let parsedCases: [RunOptionsCase] = [
    RunOptionsCase([]) { _ in },
    RunOptionsCase(["-e", "A=1", "--env", "B=2", "--env=C=3", "-eD=4", "-e=E=5", "-e", "HOME"]) {
        $0.environment = ["A=1", "B=2", "C=3", "D=4", "E=5", "HOME"]
    },
    RunOptionsCase(["-v", "/src:/dst:ro", "--volume=named:/data", "-v", "/anonymous"]) {
        $0.binds = ["/src:/dst:ro", "named:/data"]
        $0.anonymousVolumes = ["/anonymous"]
    },
    RunOptionsCase(["--network", "host"]) { $0.network = "host" },
    RunOptionsCase(["--net=none"]) { $0.network = "none" },
    RunOptionsCase(["-m", "512m", "--shm-size=2g"]) {
        $0.memoryBytes = 512 * mib
        $0.shmSizeBytes = 2 * 1024 * mib
    },
    RunOptionsCase(["--memory=1.5GiB"]) { $0.memoryBytes = 1536 * mib },
    RunOptionsCase(["-m100"]) { $0.memoryBytes = 100 },
    RunOptionsCase(["--memory", "64 MB"]) { $0.memoryBytes = 64 * mib },
    RunOptionsCase(["--cpus", "1.5"]) { $0.nanoCPUs = 1_500_000_000 },
    RunOptionsCase(["--cpus=.25"]) { $0.nanoCPUs = 250_000_000 },
    RunOptionsCase(["--cpus", "2"]) { $0.nanoCPUs = 2_000_000_000 },
    RunOptionsCase(["--privileged"]) { $0.privileged = true },
    RunOptionsCase(["--privileged=false"]) { $0.privileged = false },
    RunOptionsCase(["--cap-add", "NET_ADMIN", "--cap-add=SYS_PTRACE", "--cap-drop", "ALL"]) {
        $0.capAdd = ["NET_ADMIN", "SYS_PTRACE"]
        $0.capDrop = ["ALL"]
    },
    RunOptionsCase(["--add-host", "db:10.0.0.2", "--add-host=gw=host-gateway", "--add-host", "v6:::1"]) {
        $0.extraHosts = ["db:10.0.0.2", "gw:host-gateway", "v6:::1"]
    },
    RunOptionsCase(["-w", "/work", "-u", "1000:1000"]) {
        $0.workingDirectory = "/work"
        $0.user = "1000:1000"
    },
    RunOptionsCase(["--workdir=/a", "--workdir", "/b"]) { $0.workingDirectory = "/b" },
    RunOptionsCase(["-l", "team=infra", "--label=flag", "-lx=y=z"]) {
        $0.labels = ["team": "infra", "flag": "", "x": "y=z"]
    },
    RunOptionsCase(["--ulimit", "nofile=1024:2048", "--ulimit=nproc=512"]) {
        $0.ulimits = [
            DockerRunOptions.Ulimit(name: "nofile", soft: 1024, hard: 2048),
            DockerRunOptions.Ulimit(name: "nproc", soft: 512, hard: 512),
        ]
    },
    RunOptionsCase(["--security-opt", "seccomp=unconfined", "--security-opt", "label:disable"]) {
        $0.securityOptions = ["seccomp=unconfined", "label=disable"]
    },
    RunOptionsCase(["--security-opt=no-new-privileges"]) { $0.securityOptions = ["no-new-privileges"] },
    RunOptionsCase(["--tmpfs", "/run", "--tmpfs=/tmp:rw,size=64m"]) {
        $0.tmpfs = ["/run": "", "/tmp": "rw,size=64m"]
    },
    RunOptionsCase(["--init"]) { $0.initProcess = true },
    RunOptionsCase(["--init=false"]) { $0.initProcess = false },
    RunOptionsCase(["-h", "box", "--dns", "1.1.1.1", "--dns=9.9.9.9"]) {
        $0.hostname = "box"
        $0.dns = ["1.1.1.1", "9.9.9.9"]
    },
    RunOptionsCase(["--gpus", "all"]) { $0.deviceRequests = [DockerRunOptions.DeviceRequest(count: -1)] },
    RunOptionsCase(["--gpus=2"]) { $0.deviceRequests = [DockerRunOptions.DeviceRequest(count: 2)] },
    RunOptionsCase(["--gpus", "\"device=0,1\",capabilities=compute"]) {
        $0.deviceRequests = [
            DockerRunOptions.DeviceRequest(deviceIDs: ["0", "1"], capabilities: [["compute", "gpu"]])
        ]
    },
    RunOptionsCase(["--mount", "type=bind,source=/host,target=/in,readonly,bind-propagation=rslave"]) {
        var mount = DockerRunOptions.Mount(type: .bind, source: "/host", target: "/in")
        mount.readOnly = true
        mount.bindPropagation = "rslave"
        $0.mounts = [mount]
    },
    RunOptionsCase(["--mount=src=cache,dst=/cache,volume-nocopy,volume-label=a=b,volume-opt=o=p"]) {
        var mount = DockerRunOptions.Mount(type: .volume, source: "cache", target: "/cache")
        mount.volumeNoCopy = true
        mount.volumeLabels = ["a": "b"]
        mount.volumeDriverOptions = ["o": "p"]
        $0.mounts = [mount]
    },
    RunOptionsCase(["--mount", "type=tmpfs,destination=/scratch,tmpfs-size=64m,tmpfs-mode=1770"]) {
        var mount = DockerRunOptions.Mount(type: .tmpfs, source: nil, target: "/scratch")
        mount.tmpfsSizeBytes = 64 * mib
        mount.tmpfsMode = 0o1770
        $0.mounts = [mount]
    },
]

private let failures: [RunOptionsFailure] = [
    RunOptionsFailure(
        arguments: ["--rm"], index: 0,
        message: "unsupported docker_args flag '--rm'; \(supported)"
    ),
    RunOptionsFailure(
        arguments: ["-e", "A=1", "-it"], index: 2,
        message: "unsupported docker_args flag '-it'; \(supported)"
    ),
    RunOptionsFailure(
        arguments: ["--platform=linux/amd64"], index: 0,
        message: "unsupported docker_args flag '--platform=linux/amd64'; \(supported)"
    ),
    RunOptionsFailure(
        arguments: ["--env"], index: 0,
        message: "docker_args flag '--env' needs a value; \(supported)"
    ),
    RunOptionsFailure(
        arguments: ["--privileged", "-m"], index: 1,
        message: "docker_args flag '-m' needs a value; \(supported)"
    ),
    RunOptionsFailure(
        arguments: ["--privileged", "true"], index: 1,
        message: "unexpected docker_args value 'true': only flags may appear here; \(supported)"
    ),
    RunOptionsFailure(
        arguments: ["--", "x"], index: 0,
        message: "unexpected docker_args value '--': only flags may appear here; \(supported)"
    ),
    RunOptionsFailure(
        arguments: ["--memory", "12x"], index: 1,
        message: "docker_args flag '-m/--memory' expects a size such as 512m or 2g, got '12x'"
    ),
    RunOptionsFailure(
        arguments: ["--shm-size=1.2.3g"], index: 0,
        message: "docker_args flag '--shm-size' expects a size such as 512m or 2g, got '1.2.3g'"
    ),
    RunOptionsFailure(
        arguments: ["--cpus", "0.0000000001"], index: 1,
        message: "docker_args flag '--cpus' expects a number of CPUs such as 1.5, got '0.0000000001'"
    ),
    RunOptionsFailure(
        arguments: ["--cpus=-1"], index: 0,
        message: "docker_args flag '--cpus' expects a number of CPUs such as 1.5, got '-1'"
    ),
    RunOptionsFailure(
        arguments: ["--privileged=yes"], index: 0,
        message: "docker_args flag '--privileged' expects true or false, got 'yes'"
    ),
    RunOptionsFailure(
        arguments: ["-e", "=value"], index: 1,
        message: "docker_args flag '-e/--env' expects NAME=value or NAME, got '=value'"
    ),
    RunOptionsFailure(
        arguments: ["-v", "./relative:/data"], index: 1,
        message: "docker_args flag '-v/--volume' expects SOURCE:TARGET[:MODE] or an absolute container path, "
            + "with an absolute host path or a volume name, got './relative:/data'"
    ),
    RunOptionsFailure(
        arguments: ["-w", "relative"], index: 1,
        message: "docker_args flag '-w/--workdir' expects an absolute container path, got 'relative'"
    ),
    RunOptionsFailure(
        arguments: ["--network", "a", "--network", "b"], index: 3,
        message: "docker_args flag '--network/--net' expects one network (the sdk engine attaches one at create "
            + "time), got 'b'"
    ),
    RunOptionsFailure(
        arguments: ["--ulimit", "nofile=10:5"], index: 1,
        message: "docker_args flag '--ulimit' expects a soft limit no larger than the hard limit, got 'nofile=10:5'"
    ),
    RunOptionsFailure(
        arguments: ["--ulimit", "files=10"], index: 1,
        message: "docker_args flag '--ulimit' expects name=soft[:hard] with a name among core, cpu, data, fsize, "
            + "locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack, got 'files=10'"
    ),
    RunOptionsFailure(
        arguments: ["--add-host", "justahost"], index: 1,
        message: "docker_args flag '--add-host' expects host:ip, got 'justahost'"
    ),
    RunOptionsFailure(
        arguments: ["--security-opt", "bogus"], index: 1,
        message: "docker_args flag '--security-opt' expects an option such as seccomp=unconfined, label=... or "
            + "no-new-privileges, got 'bogus'"
    ),
    RunOptionsFailure(
        arguments: ["--mount", "type=bind,source=/a"], index: 1,
        message: "docker_args flag '--mount' expects a target=PATH field, got 'type=bind,source=/a'"
    ),
    RunOptionsFailure(
        arguments: ["--mount=type=bind,source=/a,target=/b,volume-nocopy"], index: 0,
        message: "docker_args flag '--mount' expects no volume-* options on a mount of type bind, "
            + "got 'type=bind,source=/a,target=/b,volume-nocopy'"
    ),
    RunOptionsFailure(
        arguments: ["--mount", "type=nfs,target=/b"], index: 1,
        message: "docker_args flag '--mount' expects a mount type among bind, volume, tmpfs, got 'type=nfs,target=/b'"
    ),
    RunOptionsFailure(
        arguments: ["--gpus", "some"], index: 1,
        message: "docker_args flag '--gpus' expects all, a count, or fields such as \"device=0,1\" or count=2, "
            + "got 'some'"
    ),
]

@Suite("docker_args under the sdk engine")
struct DockerRunOptionsTests {
    @Test("each supported flag lands in its typed field", arguments: parsedCases)
    func parsesSupportedFlags(_ row: RunOptionsCase) throws {
        let options = try DockerRunOptions.parse(row.arguments)
        #expect(options == row.expected)
    }

    @Test("anything outside the supported set is an error naming the element", arguments: failures)
    func rejectsWithExactMessage(_ row: RunOptionsFailure) {
        let error = #expect(throws: DockerArgumentError.self) { try DockerRunOptions.parse(row.arguments) }
        #expect(error?.index == row.index)
        #expect(error?.argument == row.arguments[row.index])
        #expect(error?.message == row.message)
    }

    @Test("the supported flag list names every flag of the issue")
    func listsSupportedFlags() {
        #expect(DockerRunOptions.supportedFlags.count == 21)
        #expect(DockerRunOptions.supportedFlags.first == "-e/--env")
    }
}
