import ContainerEngine
import Testing

@testable import DockerCLI

/// Reading `inspect` and `version` JSON: docker and podman print the same facts in different shapes.
/// The samples are cut down from what both printed on this machine.
@Suite struct CLIInspectOutputTests {
    static let dockerContainer = """
        [{"Id":"c13ace6d71cc","Name":"/box","Image":"sha256:6ea9a00861c97f280a36828d60455a2c754ff3e6a95d85138721dbbf8b8f8592",
          "State":{"Status":"exited","Running":false,"ExitCode":7,"Error":""},
          "Config":{"Image":"swerex-busybox:test","Labels":{"swerex-run.test":"conformance"}},
          "NetworkSettings":{"Ports":{"8000/tcp":[{"HostIp":"::","HostPort":"49153"},{"HostIp":"0.0.0.0","HostPort":"49153"}],
                                      "9000/udp":[{"HostIp":"0.0.0.0","HostPort":"1"}],"22/tcp":null}}}]
        """

    static let podmanContainer = """
        [{"Id":"478a434d0425","Name":"box","Image":"281485220b7cbc1af9183405710eda7d421112e511ae58a26b2d950830a42086",
          "ImageName":"localhost/swerex-busybox:test",
          "State":{"Status":"running","Running":true,"ExitCode":0,"Error":""},
          "Config":{"Image":"localhost/swerex-busybox:test","Labels":{"swerex-run.test":"conformance"}},
          "NetworkSettings":{"Ports":{"8000/tcp":[{"HostIp":"","HostPort":"38121"}]}}}]
        """

    @Test func dockerContainerInspectionReadsStateExitCodeAndIPv4Port() throws {
        let object = try #require(try InspectOutput.objects(in: Self.dockerContainer, runtime: "docker").first)
        let info = try #require(InspectOutput.container(from: object))
        #expect(info.name == "box")
        #expect(info.image == "swerex-busybox:test")
        #expect(info.imageID == "sha256:6ea9a00861c97f280a36828d60455a2c754ff3e6a95d85138721dbbf8b8f8592")
        #expect(info.status == .exited)
        #expect(info.exitCode == 7)
        #expect(info.error == nil)
        #expect(info.labels == ["swerex-run.test": "conformance"])
        #expect(info.ports == [8000: HostAddress(ip: "0.0.0.0", port: 49153)])
    }

    @Test func podmanContainerInspectionReadsImageNameAndAnAllInterfacesPort() throws {
        let object = try #require(try InspectOutput.objects(in: Self.podmanContainer, runtime: "podman").first)
        let info = try #require(InspectOutput.container(from: object))
        #expect(info.name == "box")
        #expect(info.image == "localhost/swerex-busybox:test")
        #expect(info.imageID == "sha256:281485220b7cbc1af9183405710eda7d421112e511ae58a26b2d950830a42086")
        #expect(info.status == .running)
        #expect(info.exitCode == nil)
        #expect(info.ports == [8000: HostAddress(ip: "0.0.0.0", port: 38121)])
    }

    @Test(arguments: [
        ("configured", ContainerInfo.Status.created), ("stopped", .exited), ("dead", .dead), ("odd", .unknown),
    ])
    func podmanStateNamesMapToContainerStatus(name: String, status: ContainerInfo.Status) throws {
        let text = #"{"Id":"x","State":{"Status":"\#(name)","ExitCode":1}}"#
        let object = try #require(try InspectOutput.objects(in: text, runtime: "podman").first)
        #expect(InspectOutput.container(from: object)?.status == status)
    }

    @Test func imageIdsGetTheirAlgorithm() throws {
        let text =
            #"[{"Id":"281485220b7cbc1af9183405710eda7d421112e511ae58a26b2d950830a42086","RepoTags":["localhost/swerex-busybox:test"],"Os":"linux","Architecture":"amd64"}]"#
        let object = try #require(try InspectOutput.objects(in: text, runtime: "podman").first)
        let image = try #require(InspectOutput.image(from: object))
        #expect(image.id == "sha256:281485220b7cbc1af9183405710eda7d421112e511ae58a26b2d950830a42086")
        #expect(image.tags == ["localhost/swerex-busybox:test"])
        #expect(image.os == "linux")
        #expect(image.architecture == "amd64")
    }

    @Test func dockerVersionComesFromTheServer() throws {
        let text =
            #"{"Client":{"Version":"28.2.2","ApiVersion":"1.41","Os":"linux","Arch":"amd64"},"Server":{"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}}"#
        let object = try #require(try InspectOutput.objects(in: text, runtime: "docker").first)
        #expect(
            InspectOutput.version(from: object)
                == EngineVersion(version: "20.10.24+dfsg1", apiVersion: "1.41", os: "linux", architecture: "amd64")
        )
    }

    @Test func localPodmanVersionComesFromTheClient() throws {
        let text =
            #"{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","OsArch":"linux/amd64","Os":"linux"}}"#
        let object = try #require(try InspectOutput.objects(in: text, runtime: "podman").first)
        #expect(
            InspectOutput.version(from: object)
                == EngineVersion(version: "4.3.1", apiVersion: "4.3.1", os: "linux", architecture: "amd64")
        )
    }

    @Test func textThatIsNotJSONIsAProtocolError() {
        #expect(throws: EngineError.self) {
            try InspectOutput.objects(in: "Emulate Docker CLI using podman", runtime: "podman")
        }
        #expect((try? InspectOutput.objects(in: "  \n", runtime: "docker"))?.isEmpty == true)
    }
}
