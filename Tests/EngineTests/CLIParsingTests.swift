import ContainerEngine
import Testing

@testable import DockerCLI

/// The pure pieces of the cli engine: names, ids, argv, and reading what the CLIs print.
/// Samples are what docker 28 (against dockerd 20.10) and podman 4.3 printed on this machine.
@Suite struct CLIParsingTests {
    @Test(arguments: [
        ("python:3.11", false, "docker.io/library/python:3.11"),
        ("swerex-sandbox:test", true, "localhost/swerex-sandbox:test"),
        ("swerex-sandbox:test", false, "docker.io/library/swerex-sandbox:test"),
        ("sweagent/swe-agent:latest", false, "docker.io/sweagent/swe-agent:latest"),
        ("sweagent/swe-agent:latest", true, "localhost/sweagent/swe-agent:latest"),
        ("docker.io/library/python:3.11", true, "docker.io/library/python:3.11"),
        ("localhost/swerex-sandbox:test", false, "localhost/swerex-sandbox:test"),
        ("127.0.0.1:5000/x:y", false, "127.0.0.1:5000/x:y"),
        ("registry:5000/x", false, "registry:5000/x"),
        ("quay.io/podman/hello", false, "quay.io/podman/hello"),
        (
            "busybox@sha256:" + String(repeating: "a", count: 64), false,
            "docker.io/library/busybox@sha256:" + String(repeating: "a", count: 64)
        ),
        ("sha256:" + String(repeating: "b", count: 64), false, "sha256:" + String(repeating: "b", count: 64)),
        (String(repeating: "c", count: 64), false, String(repeating: "c", count: 64)),
    ])
    func podmanGetsFullyQualifiedImageNames(reference: String, existsLocally: Bool, expected: String) {
        #expect(PodmanImageName.qualified(reference, existsLocally: existsLocally) == expected)
    }

    static let fullHex = "598f9d778501a6df40dece8eebd6e565e3c2a29f76464d84abcd7318d8e9ed93"

    @Test(
        arguments: [
            // docker build -q
            ("sha256:\(fullHex)\n", "sha256:\(fullHex)"),
            // podman build -q: a bare id
            ("\(fullHex)\n", "sha256:\(fullHex)"),
            // podman build: STEP lines, `--> short` after each, `COMMIT`, then the full id
            (
                "STEP 1/2: FROM localhost/swerex-busybox:test\nSTEP 2/2: RUN true\n--> 2f3a4b5c6d7e\nCOMMIT\n--> 9a8b7c6d5e4f\n\(fullHex)\n",
                "sha256:\(fullHex)"
            ),
            // podman without the final line: the last `-->` id
            ("STEP 1/2: FROM x\n--> 2f3a4b5c6d7e\nSTEP 2/2: RUN true\n--> 9a8b7c6d5e4f\n", "9a8b7c6d5e4f"),
            // docker's legacy builder: a short id; a full id in the FROM line must not win
            (
                "Step 1/2 : FROM sha256:\(fullHex)\n ---> 6ea9a00861c9\nStep 2/2 : RUN true\n ---> 068f22f7e181\nSuccessfully built 068f22f7e181\nSuccessfully tagged x:y\n",
                "068f22f7e181"
            ),
            // BuildKit
            (
                "#5 exporting to image\n#5 writing image sha256:\(fullHex) done\n#5 naming to docker.io/library/x done\n",
                "sha256:\(fullHex)"
            ),
            ("DEPRECATED: The legacy builder is deprecated\n", nil),
            ("", nil),
        ] as [(String, String?)])
    func buildOutputGivesTheImageIdInEveryFormTheCLIsPrint(output: String, expected: String?) {
        #expect(BuildOutput.imageID(in: output) == expected)
    }

    @Test(arguments: [
        (
            #"docker: Error response from daemon: Conflict. The container name "/cliprobe1" is already in use by container "d97e46a4f25e". You have to remove (or rename) that container to be able to reuse that name."#,
            EngineError.Code.nameInUse
        ),
        (
            #"Error: creating container storage: the container name "cliprobe1" is already in use by 478a434d0425. You have to remove that container to be able to reuse that name: that name is already in use"#,
            .nameInUse
        ),
        (
            "docker: Error response from daemon: driver failed programming external connectivity on endpoint cliprobe2 (144c): Bind for 127.0.0.1:38111 failed: port is already allocated",
            .portAllocated
        ),
        (
            "docker: Error response from daemon: driver failed programming external connectivity on endpoint cliprobe3 (a766): Error starting userland proxy: listen tcp4 0.0.0.0:38112: bind: address already in use",
            .portAllocated
        ),
        (
            "Error: cannot listen on the TCP port: listen tcp4 127.0.0.1:38121: bind: address already in use",
            .portAllocated
        ),
        ("docker: Error response from daemon: No such image: nosuchimage:x", .noSuchImage),
        ("Error response from daemon: no such image: nosuch: No such image: nosuch:latest", .noSuchImage),
        ("Error: docker.io/library/nosuchimage:x: image not known", .noSuchImage),
        (
            "Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login'",
            .noSuchImage
        ),
        ("Error response from daemon: No such container: nosuch", .noSuchContainer),
        (#"Error: no container with name or ID "nosuch" found: no such container"#, .noSuchContainer),
        (
            "Cannot connect to the Docker daemon at unix:///tmp/nonexist.sock. Is the docker daemon running?",
            .cannotConnect
        ),
        (
            #"error during connect: Get "https://127.0.0.1:1/v1.24/version": dial tcp 127.0.0.1:1: connect: connection refused"#,
            .cannotConnect
        ),
        (
            "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.50/version\": dial unix /var/run/docker.sock: connect: permission denied",
            .permissionDenied
        ),
        (
            #"error during connect: Get "https://127.0.0.1:23760/v1.50/version": tls: failed to verify certificate: x509: certificate signed by unknown authority"#,
            .tlsFailure
        ),
        ("Error response from daemon: Client sent an HTTP request to an HTTPS server.", .tlsFailure),
        (
            #"error during connect: Get "http://docker.example.com/v1.50/version": command [ssh -o ConnectTimeout=30 -T -l root -p 1 -- 127.0.0.1 docker system dial-stdio] has exited with exit status 255, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=ssh: connect to host 127.0.0.1 port 1: Connection refused"#,
            .sshFailure
        ),
        (
            #"Error: initializing source docker://127.0.0.1:1/swerex-absent:test: pinging container registry 127.0.0.1:1: Get "https://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused"#,
            .engineError
        ),
    ])
    func stderrPhrasesMapToTypedErrors(stderr: String, expected: EngineError.Code) {
        #expect(CLIFailure.code(for: stderr) == expected)
    }

    @Test func aTypedErrorNamesItsSubjectAndDropsDockersHelpLine() {
        let failure = CLIFailure(runtime: "docker", action: "run", subject: .init(container: "box", hostPort: 38111))
        let stderr =
            "docker: Error response from daemon: Bind for 0.0.0.0:38111 failed: port is already allocated\n\n"
            + "Run 'docker run --help' for more information\n"
        let error = failure.error(status: 125, stderr: stderr)
        #expect(error.code == .portAllocated)
        #expect(error.message.hasPrefix("host port 38111 is already in use"))
        #expect(!error.message.contains("--help"))
        #expect(error.status == 125)
        #expect(error.hint != nil)
    }

    @Test func aPortConflictSaysWhoChoseThePort() {
        let stderr = "docker: Error response from daemon: Bind for 127.0.0.1:45001 failed: port is already allocated\n"
        let chosen = CLIFailure(runtime: "docker", action: "run", subject: .init(container: "box"))
            .error(status: 125, stderr: stderr)
        #expect(chosen.message.hasPrefix("every host port the engine chose was already in use"))
        let published = CLIFailure(
            runtime: "docker", action: "run", subject: .init(container: "box", argumentsPublish: true)
        )
        .error(status: 125, stderr: stderr)
        #expect(published.message.hasPrefix("a host port is already in use"))
        #expect(published.hint?.contains("change docker_args") == true)
    }

    @Test func publishingDockerArgumentsAreRecognised() {
        #expect(ChosenPortRetry.publishesPorts(["-p", "127.0.0.1:45001:9000"]))
        #expect(ChosenPortRetry.publishesPorts(["-p127.0.0.1:45001:9000"]))
        #expect(ChosenPortRetry.publishesPorts(["--publish=45001:9000"]))
        #expect(ChosenPortRetry.publishesPorts(["--publish-all"]))
        #expect(ChosenPortRetry.publishesPorts(["-P"]))
        #expect(!ChosenPortRetry.publishesPorts(["--privileged", "--pid=host", "--label", "p=1"]))
    }

    @Test func runArgumentsComeInTheDocumentedOrder() {
        let spec = ContainerSpec(
            name: "box",
            image: "ignored",
            command: ["/bin/sh", "-c", "swerex-remote --auth-token T"],
            environment: ["B": "2", "A": "1"],
            labels: ["z": "last", "a": "first"],
            publish: PortPublication(hostPort: 8080, hostIP: "127.0.0.1"),
            platform: "linux/amd64",
            autoRemove: true,
            runArguments: ["--memory", "1g", "-e", "C=3"]
        )
        #expect(
            CLIArguments.run(spec, image: "localhost/sandbox:1") == [
                "run", "-d", "--name", "box", "--label", "a=first", "--label", "z=last", "-p", "127.0.0.1:8080:8000",
                "--platform", "linux/amd64", "--rm", "--pull", "never", "--memory", "1g", "-e", "C=3",
                "--env", "A=1", "--env", "B=2", "localhost/sandbox:1", "/bin/sh", "-c", "swerex-remote --auth-token T",
            ]
        )
    }

    @Test(arguments: [
        (PortPublication(), "8000"),
        (PortPublication(hostPort: 9000), "9000:8000"),
        (PortPublication(hostIP: "127.0.0.1"), "127.0.0.1::8000"),
        (PortPublication(hostPort: 9000, hostIP: "::1"), "[::1]:9000:8000"),
        (PortPublication(containerPort: 80, hostPort: 1, hostIP: ""), "1:80"),
    ])
    func portMappingsCoverFixedAndEngineChosenPorts(publish: PortPublication, expected: String) {
        #expect(CLIArguments.portMapping(publish) == expected)
    }

    @Test func buildArgumentsReadTheDockerfileFromStdin() {
        let request = BuildRequest(
            dockerfile: "FROM x",
            buildArgs: ["BASE_IMAGE": "python:3.11"],
            platform: "linux/amd64",
            tag: "t:1",
            labels: ["k": "v"]
        )
        #expect(
            CLIArguments.build(request, idFile: "/tmp/id") == [
                "build", "--build-arg", "BASE_IMAGE=python:3.11", "--platform", "linux/amd64", "-t", "t:1",
                "--label", "k=v", "--iidfile", "/tmp/id", "-",
            ]
        )
    }

    @Test func listingFiltersByEveryLabel() {
        #expect(
            CLIArguments.list(labels: ["run": "1", "any": nil]) == [
                "ps", "-a", "--no-trunc", "--format", "{{.ID}}", "--filter", "label=any", "--filter", "label=run=1",
            ]
        )
    }

    @Test func pullLinesWithALayerIdCarryIt() {
        #expect(
            ProgressLine.pull("a3ed95caeb02: Pull complete")
                == ProgressEvent(kind: .pull, id: "a3ed95caeb02", message: "Pull complete"))
        #expect(ProgressLine.pull("latest: Pulling from library/busybox").id == nil)
        #expect(ProgressLine.build("Step 2/5 : ARG X=1").id == "2/5")
        #expect(ProgressLine.build("STEP 1/2: FROM x").id == "1/2")
        #expect(ProgressLine.build(" ---> 6ea9a00861c9").id == nil)
    }
}
