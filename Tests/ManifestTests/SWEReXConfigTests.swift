import Manifest
import Testing

/// SWE-ReX's own `DockerDeploymentConfig` behaviour, checked through whole manifests.
@Suite("SWE-ReX config cases")
struct SWEReXConfigTests {
    let files = ManifestFiles()

    private func config(_ text: String) throws -> DeploymentConfig {
        let loaded = try files.load(text)
        return try #require(loaded.project.deployments.first).config
    }

    @Test("An empty mapping gives SWE-ReX's defaults")
    func emptyMappingGivesDefaults() throws {
        #expect(try config("{}") == DeploymentConfig())
    }

    @Test("--platform followed by its value moves into platform")
    func platformSeparateValueMoves() throws {
        let config = try config("engine: cli\ndocker_args: [--platform, linux/amd64, --rm]\n")
        #expect(config.platform == "linux/amd64")
        #expect(config.dockerArgs == ["--rm"])
    }

    @Test("--platform=VALUE moves into platform")
    func platformEqualsFormMoves() throws {
        let config = try config("engine: cli\ndocker_args: [--rm, --platform=linux/arm64]\n")
        #expect(config.platform == "linux/arm64")
        #expect(config.dockerArgs == ["--rm"])
    }

    @Test("--platform with platform: null is not a conflict")
    func platformNullIsNoConflict() throws {
        let config = try config("platform: null\ndocker_args: [--platform, linux/amd64]\n")
        #expect(config.platform == "linux/amd64")
        #expect(config.dockerArgs.isEmpty)
    }

    @Test("--platform together with platform is an error")
    func platformConflictIsAnError() {
        #expect(
            files.messages("platform: linux/amd64\ndocker_args: [--platform, linux/amd64]\n")
                == ["'--platform' in docker_args conflicts with platform: give the platform in one place"]
        )
    }

    @Test("A trailing --platform without a value is an error")
    func danglingPlatformIsAnError() {
        #expect(
            files.messages("docker_args: [--platform]\n") == ["'--platform' at the end of docker_args has no value"])
    }

    @Test(
        "Every value of pull, container_runtime and type that SWE-ReX accepts loads",
        arguments: [
            "pull: never", "pull: always", "pull: missing", "container_runtime: docker",
            "container_runtime: podman", "type: docker",
        ])
    func acceptedEnumValues(_ line: String) {
        #expect(files.messages(line + "\n") == [])
    }

    @Test("Runtime values keep what was written")
    func runtimeValues() throws {
        let config = try config(
            """
            image: python:3.12-slim
            port: 8080
            startup_timeout: 1.5
            pull: always
            remove_images: true
            python_standalone_dir: /root
            remove_container: false
            container_runtime: docker
            exec_shell: [/bin/bash, -lc]
            docker_internal_host: host.docker.internal/

            """
        )
        var expected = DeploymentConfig()
        expected.image = "python:3.12-slim"
        expected.port = 8080
        expected.startupTimeout = 1.5
        expected.pull = .always
        expected.removeImages = true
        expected.pythonStandaloneDir = "/root"
        expected.removeContainer = false
        expected.execShell = ["/bin/bash", "-lc"]
        expected.dockerInternalHost = "http://host.docker.internal"
        #expect(config == expected)
    }

    @Test("Quoted numbers and pydantic's boolean words load as SWE-ReX reads them")
    func laxValuesLoad() throws {
        let config = try config(
            "port: \"8000\"\nstartup_timeout: \"90\"\nremove_images: \"yes\"\nremove_container: off\n")
        #expect(config.port == 8000)
        #expect(config.startupTimeout == 90)
        #expect(config.removeImages == true)
        #expect(config.removeContainer == false)
    }

    @Test("Unknown keys are refused, as with extra=forbid")
    func unknownKeysAreRefused() {
        #expect(files.messages("imgae: x\n") == ["unknown key 'imgae' in the deployment; did you mean 'image'?"])
    }

    @Test("A podman deployment resolves to the cli engine under auto")
    func podmanPicksCLI() throws {
        let loaded = try files.load("container_runtime: podman\n")
        let deployment = try #require(loaded.project.deployments.first)
        #expect(deployment.engine == .cli)
        #expect(deployment.engineReason == "auto: container_runtime podman runs through the podman command")
    }
}
