import ContainerEngine
import Diagnostics
import Foundation
import Manifest
import Testing

@Suite("Loading: shapes, names, merging, variables")
struct LoadingTests {
    let files = ManifestFiles()

    @Test("A single-deployment file is named after the file, its project after the folder")
    func singleDeploymentNames() throws {
        files.write("My Sandboxes!/local.sandbox.yaml", "image: swerex-sandbox:test\n")
        let loaded = try files.load(["My Sandboxes!/local.sandbox.yaml"])
        #expect(loaded.project.name == "mysandboxes")
        #expect(loaded.project.deployments.map(\.name) == ["local.sandbox"])
    }

    @Test("--project-name wins over project: in the file")
    func projectNameOption() throws {
        files.write("p.yaml", "project: from-file\ndeployments:\n  a: {}\n")
        #expect(try files.load(["p.yaml"]).project.name == "from-file")
        #expect(try files.load(["p.yaml"], projectName: "from-option").project.name == "from-option")
    }

    @Test("An invalid --project-name is an error")
    func invalidProjectNameOption() {
        files.write("p.yaml", "image: x\n")
        #expect(throws: ManifestError.self) { try files.load(["p.yaml"], projectName: "Bad Name") }
    }

    @Test("A project's defaults are merged under each deployment, docker_env key by key")
    func defaultsMergeUnderDeployments() throws {
        let loaded = try files.load(
            """
            defaults:
              image: base:1
              port: 9000
              docker_env: {A: "1", B: "2"}
              engine: cli
            deployments:
              first:
                replicas: 2
                port: null
              second:
                image: other:2
                docker_env: {B: "3", C: "4"}

            """
        )
        let deployments = loaded.project.deployments
        #expect(deployments.map(\.name) == ["first", "second"])
        #expect(deployments.map(\.replicas) == [1 + 1, 1])
        #expect(deployments.map(\.config.image) == ["base:1", "other:2"])
        #expect(deployments.map(\.config.port) == [nil, 9000])
        #expect(deployments[1].config.dockerEnv == ["A": "1", "B": "3", "C": "4"])
    }

    @Test("Later files merge mappings and replace scalars and sequences")
    func filesMergeInOrder() throws {
        files.write(
            "base.yaml",
            "defaults: {engine: cli}\ndeployments:\n  a:\n    image: one\n    docker_args: [--rm]\n    docker_env: {X: x}\n"
        )
        files.write("over.yaml", "deployments:\n  a:\n    docker_args: [--init]\n    docker_env: {Y: y}\n  b: {}\n")
        let deployments = try files.load(["base.yaml", "over.yaml"]).project.deployments
        #expect(deployments.map(\.name) == ["a", "b"])
        #expect(deployments[0].config.image == "one")
        #expect(deployments[0].config.dockerArgs == ["--init"])
        #expect(deployments[0].config.dockerEnv == ["X": "x", "Y": "y"])
        #expect(deployments[0].engine == .cli)
    }

    @Test("A problem in a later file points into that file")
    func overlayPositions() {
        files.write("base.yaml", "image: one\n")
        files.write("over.yaml", "# overlay\nport: 0\n")
        #expect {
            try files.load(["base.yaml", "over.yaml"])
        } throws: { error in
            let location = (error as? ManifestError)?.diagnostics.diagnostics.first?.location
            return location == SourceLocation(file: "\(files.folder)/over.yaml", line: 2, column: 7)
        }
    }

    @Test("The process environment wins over env files, and later env files over earlier ones")
    func variablePrecedence() throws {
        files.write("one.env", "IMAGE=from-first\nTAG=first\nPULL=never\n")
        files.write("two.env", "IMAGE=from-second\nTAG=second\n")
        files.write("m.yaml", "image: ${IMAGE}:${TAG}\npull: ${PULL}\n")
        let loaded = try files.load(
            ["m.yaml"],
            envFiles: ["one.env", "two.env"],
            environment: ["TAG": "process", "HOME": "/nonexistent-home"]
        )
        let config = try #require(loaded.project.deployments.first).config
        #expect(config.image == "from-second:process")
        #expect(config.pull == .never)
    }

    @Test("Interpolated plain scalars are typed after substitution")
    func interpolatedValuesAreTyped() throws {
        files.write("m.yaml", "port: ${PORT:-18000}\nremove_container: ${KEEP:-false}\nstartup_timeout: ${T:-2.5}\n")
        let config = try #require(try files.load(["m.yaml"]).project.deployments.first).config
        #expect(config.port == 18000)
        #expect(config.removeContainer == false)
        #expect(config.startupTimeout == 2.5)
    }

    @Test("docker_env values keep what was written, and $$ keeps a dollar")
    func environmentValuesAsWritten() throws {
        let config = try #require(
            try files.load("engine: cli\ndocker_env:\n  MODE: 0755\n  FLAG: NO\n  VERSION: 1.10\n  PRICE: $$5\n")
                .project.deployments.first
        ).config
        #expect(config.dockerEnv == ["MODE": "0755", "FLAG": "NO", "VERSION": "1.10", "PRICE": "$5"])
    }

    @Test("An agent run config is read through env.deployment or a top-level deployment")
    func agentRunConfigShapes() throws {
        let nested = try files.load("agent: {model: x}\nenv:\n  deployment:\n    image: nested:1\n")
        #expect(nested.project.deployments.map(\.config.image) == ["nested:1"])
        #expect(nested.project.warnings.count == 1)
        let top = try files.load("deployment:\n  image: top:1\n")
        #expect(top.project.deployments.map(\.config.image) == ["top:1"])
        #expect(top.project.warnings.isEmpty)
    }

    @Test("Every problem in every file is reported, in file order")
    func allProblemsTogether() {
        files.write("a.yaml", "port: 0\nimgae: x\n")
        files.write("b.yaml", "pull: sometimes\nexec_shell: []\n")
        #expect {
            try files.load(["a.yaml", "b.yaml"])
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            let places = error.diagnostics.diagnostics.compactMap(\.location).map {
                "\(($0.file as NSString).lastPathComponent):\($0.line)"
            }
            return places == ["a.yaml:1", "a.yaml:2", "b.yaml:1", "b.yaml:2"]
        }
    }

    @Test("A missing file is an error that names it")
    func missingFile() {
        #expect {
            try files.load(["nope.yaml"])
        } throws: { error in
            (error as? ManifestError)?.description
                == "error: cannot read manifest \(files.folder)/nope.yaml: it does not exist\n"
        }
    }
}

@Suite("Resolving engines, endpoints and liveness hosts")
struct ResolutionTests {
    let files = ManifestFiles()

    private func deployment(_ text: String, environment: [String: String] = ["HOME": "/nonexistent-home"]) throws
        -> ResolvedDeployment
    {
        try #require(try files.load(text, environment: environment).project.deployments.first)
    }

    @Test("A remote tcp endpoint's host becomes the liveness host when docker_internal_host is not set")
    func remoteHostForLiveness() throws {
        #expect(
            try deployment("docker_endpoint: tcp://build-host.example:2375\n").config.dockerInternalHost
                == "http://build-host.example")
        #expect(
            try deployment("engine: cli\ndocker_endpoint: ssh://me@[fd00::7]\n").config.dockerInternalHost
                == "http://[fd00::7]")
        #expect(
            try deployment("docker_endpoint: tcp://127.0.0.1:2375\n").config.dockerInternalHost == "http://127.0.0.1")
        let explicit = "docker_endpoint: tcp://build-host.example:2375\ndocker_internal_host: 127.0.0.1\n"
        #expect(try deployment(explicit).config.dockerInternalHost == "http://127.0.0.1")
    }

    @Test("The cli environment carries the endpoint and TLS settings")
    func cliEnvironmentForTLS() throws {
        let certificates = files.folder + "/certs"
        for name in ["ca.pem", "cert.pem", "key.pem"] { files.write("certs/\(name)", "") }
        let resolved = try deployment(
            "engine: cli\ndocker_endpoint: tcp://127.0.0.1:23760\ndocker_tls: true\ndocker_cert_path: certs\ndocker_env: {EXTRA: x}\n"
        )
        #expect(
            resolved.cliEnvironment == [
                "DOCKER_HOST": "tcp://127.0.0.1:23760", "DOCKER_TLS_VERIFY": "1", "DOCKER_TLS": "",
                "DOCKER_CERT_PATH": certificates, "EXTRA": "x",
            ]
        )
        guard case .tcp(_, 23760, let tls?) = resolved.endpoint else {
            Issue.record("expected a TLS endpoint, got \(resolved.endpoint)")
            return
        }
        #expect(
            tls
                == TLSSettings(
                    verify: true, caFile: "\(certificates)/ca.pem", certFile: "\(certificates)/cert.pem",
                    keyFile: "\(certificates)/key.pem"))
    }

    @Test("A plain tcp endpoint turns inherited TLS variables off for the docker command")
    func cliEnvironmentForPlainTCP() throws {
        let resolved = try deployment("engine: cli\ndocker_endpoint: tcp://127.0.0.1:23750\n")
        #expect(
            resolved.cliEnvironment == [
                "DOCKER_HOST": "tcp://127.0.0.1:23750", "DOCKER_TLS_VERIFY": "", "DOCKER_TLS": "",
            ])
    }

    @Test("Podman gets CONTAINER_HOST for a docker_endpoint, and nothing added otherwise")
    func podmanEnvironment() throws {
        let remote = try deployment(
            "container_runtime: podman\ndocker_endpoint: unix:///run/user/0/podman/podman.sock\n")
        #expect(remote.cliEnvironment == ["CONTAINER_HOST": "unix:///run/user/0/podman/podman.sock"])
        let local = try deployment("container_runtime: podman\ndocker_env: {CONTAINERS_CONF: /c.conf}\n")
        #expect(local.cliEnvironment == ["CONTAINERS_CONF": "/c.conf"])
        #expect(local.endpointSource == "default")
    }

    @Test("docker_env.DOCKER_HOST feeds the sdk endpoint when docker_endpoint is not set")
    func dockerEnvFeedsSDK() throws {
        let resolved = try deployment("docker_env: {DOCKER_HOST: 'unix:///tmp/other.sock'}\n")
        #expect(resolved.engine == .sdk)
        #expect(resolved.endpoint == .unix(path: "/tmp/other.sock"))
        #expect(resolved.endpointSource == "docker_env.DOCKER_HOST")
    }

    @Test("The process's DOCKER_HOST is used when the manifest names no endpoint")
    func processDockerHost() throws {
        let resolved = try deployment("{}", environment: ["DOCKER_HOST": "tcp://127.0.0.1:23750"])
        #expect(resolved.endpoint == .tcp(host: "127.0.0.1", port: 23750, tls: nil))
        #expect(resolved.endpointSource == "DOCKER_HOST")
    }

    @Test("An unknown docker_env key is a warning under auto and an error under explicit sdk")
    func dockerEnvKeysUnderSDK() throws {
        let loaded = try files.load("docker_env: {HTTP_PROXY: 'http://127.0.0.1:3128'}\n")
        #expect(loaded.project.warnings.map(\.severity) == [.warning])
        #expect(files.messages("engine: sdk\ndocker_env: {HTTP_PROXY: 'http://127.0.0.1:3128'}\n").count == 1)
        #expect(files.messages("engine: cli\ndocker_env: {HTTP_PROXY: 'http://127.0.0.1:3128'}\n").isEmpty)
    }

    @Test("Under sdk, a docker_args flag the engine rejects is an error at that element")
    func sdkChecksDockerArgs() {
        files.write("m.yaml", "engine: sdk\ndocker_args:\n  - --no-such-flag\n")
        #expect {
            try files.load(["m.yaml"])
        } throws: { error in
            (error as? ManifestError)?.diagnostics.diagnostics.first?.location
                == SourceLocation(file: "\(files.folder)/m.yaml", line: 3, column: 5)
        }
    }
}

/// `up` can never publish one host port twice (red-team B-F4).
@Suite("Explicit ports")
struct ExplicitPortTests {
    let files = ManifestFiles()

    @Test("An explicit port with several replicas is an error at the port")
    func portWithReplicas() {
        let messages = files.messages(
            "deployments:\n  d:\n    image: swerex-sandbox:test\n    port: 33999\n    replicas: 2\n")
        #expect(
            messages == [
                "deployment 'd' has 2 replicas but one port, 33999: one host port takes one sandbox "
                    + "(remove port to pick free ports, or set replicas: 1)"
            ])
    }

    @Test("One port in two deployments on one host is an error; on two hosts it is not")
    func portInTwoDeployments() throws {
        let clash = files.messages(
            "defaults: {image: swerex-sandbox:test, port: 8001}\ndeployments:\n  a: {}\n  b: {engine: cli}\n")
        #expect(clash.count == 1)
        #expect(clash.first?.hasPrefix("deployment 'b' publishes port 8001, as deployment 'a' does") == true)
        let apart = try files.load(
            "defaults: {image: swerex-sandbox:test, port: 8001}\ndeployments:\n  a: {}\n"
                + "  b: {docker_endpoint: 'tcp://sandbox-host.invalid:2375'}\n")
        #expect(apart.project.deployments.map(\.config.port) == [8001, 8001])
    }
}
