import ContainerEngine
import Foundation
import Testing

/// The Dockerfile for `python_standalone_dir`.
@Suite struct StandaloneImageTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/standalone.Dockerfile")

    @Test func theGeneratedDockerfileMatchesTheGoldenFile() throws {
        let expected = try String(contentsOf: Self.fixture, encoding: .utf8)
        let generated = StandaloneImage.dockerfile(directory: "/root", builderImage: "python:3.11-slim-bookworm")
        #expect(generated == expected)
    }

    @Test func theFinalStageUsesTheStandaloneFolderThroughout() {
        let text = StandaloneImage.dockerfile(directory: "/opt/tools/", builderImage: "builder:1")
        #expect(text.hasPrefix("ARG BASE_IMAGE\n"))
        #expect(text.contains("FROM builder:1 AS builder\n"))
        #expect(text.contains("FROM $BASE_IMAGE\n"))
        #expect(text.contains("COPY --from=builder /root/python3.11 /opt/tools/python3.11\n"))
        #expect(text.contains("/opt/tools/python3.11/bin/python3 -m pip install --no-cache-dir swe-rex"))
        #expect(text.contains("ln -sf /opt/tools/python3.11/bin/swerex-remote /usr/local/bin/swerex-remote"))
        #expect(!text.contains("tools//"))
        #expect(StandaloneImage.remoteExecutable(in: "/opt/tools") == "/opt/tools/python3.11/bin/swerex-remote")
    }

    @Test func theBuilderImageIsPinnedAndOverridable() {
        #expect(StandaloneImage.builderImage(environment: [:]) == "python:3.11-slim-bookworm")
        let environment = ["SWEREX_STANDALONE_BUILDER_IMAGE": "localhost/builder:test"]
        #expect(StandaloneImage.builderImage(environment: environment) == "localhost/builder:test")
        #expect(StandaloneImage.builderImage(override: "mine:1", environment: environment) == "mine:1")
        #expect(
            StandaloneImage.builderImage(environment: ["SWEREX_STANDALONE_BUILDER_IMAGE": ""])
                == "python:3.11-slim-bookworm")
    }

    @Test func theBuildRequestPassesTheBaseImageAsABuildArgument() {
        let request = StandaloneImage.buildRequest(
            baseImage: "python:3.12",
            directory: "/root",
            builderImage: "b:1",
            platform: "linux/amd64",
            labels: ["k": "v"]
        )
        #expect(request.buildArgs == ["BASE_IMAGE": "python:3.12"])
        #expect(request.platform == "linux/amd64")
        #expect(request.labels == ["k": "v"])
        #expect(request.tag == nil)
        #expect(request.dockerfile == StandaloneImage.dockerfile(directory: "/root", builderImage: "b:1"))
    }
}
