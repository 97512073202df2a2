import ContainerEngine
import DockerAPI
import Foundation
import TestSupport
import Testing

/// Set in the environment of the copy of this test binary that runs as the unprivileged user.
private let childMarker = "SWEREX_SDK_PERMISSION_CHILD"

@Suite("sdk engine on a socket the user may not open")
struct SDKPermissionTests {
    @Test(
        "run as an unprivileged user, the daemon's socket is permissionDenied with a hint about the docker group",
        .enabled(
            if: getuid() == 0 && SDKTest.environment.unprivilegedUser != nil && SDKTest.localSocket != nil,
            "needs root, SWEREX_TEST_UNPRIVILEGED_USER and SWEREX_TEST_DOCKER_SOCKET: run scripts/testenv/up as root")
    )
    func reportsPermissionDenied() async throws {
        let user = try #require(SDKTest.environment.unprivilegedUser)
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let child = try await ChildRun.run(
            "/usr/sbin/runuser",
            [
                "-u", user, "--", "env", "\(childMarker)=1", testBinary, "--testing-library", "swift-testing",
                "--filter", "SDKPermissionTests/childSeesPermissionDenied",
            ],
            directory: "/tmp")
        let text = child.stdout + child.stderr
        #expect(child.status == 0, "the unprivileged run said:\n\(text)")
        let passed = text.contains("the socket is permissionDenied\" passed")
        #expect(passed, "the unprivileged run did not pass its test:\n\(text)")
    }

    /// Runs only inside the unprivileged copy started above.
    @Test(
        "(unprivileged side) the socket is permissionDenied",
        .enabled(if: ProcessInfo.processInfo.environment[childMarker] == "1", "runs only as the unprivileged user")
    )
    func childSeesPermissionDenied() async throws {
        let engine = DockerAPIEngine(endpoint: try #require(SDKTest.localSocket))
        let error = await #expect(throws: EngineError.self) { _ = try await engine.version() }
        #expect(error?.code == .permissionDenied)
        #expect(error?.message.contains(SDKTest.environment.dockerSocket ?? "?") == true)
        #expect(error?.hint?.contains("docker") == true && error?.hint?.contains("TCP endpoint") == true)
    }
}
