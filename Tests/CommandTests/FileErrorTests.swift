import Foundation
import TestSupport
import Testing

/// A-F11: what is wrong with a manifest or env file itself is said plainly, and before anything that
/// follows from it.
@Suite("Errors about the files themselves")
struct FileErrorTests {
    /// A workspace with a folder, a symbolic link loop, a dangling link and a manifest using ${IMG}.
    func files() throws -> Workspace {
        let workspace = try Workspace("files")
        let folder = workspace.folder
        try FileManager.default.createDirectory(atPath: folder + "/adir", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop1.yaml", withDestinationPath: "loop2.yaml")
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop2.yaml", withDestinationPath: "loop1.yaml")
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling.yaml", withDestinationPath: "gone.yaml")
        try workspace.write("envm.yaml", "image: ${IMG}\n")
        return workspace
    }

    @Test(
        "each kind of unreadable file gets its own reason, exit 1",
        arguments: [
            (["validate", "adir"], "cannot read manifest adir: it is a directory"),
            (["validate", "loop1.yaml"], "cannot read manifest loop1.yaml: too many levels of symbolic links"),
            (["validate", "dangling.yaml"], "it is a symbolic link to gone.yaml, which does not exist"),
            (["validate", "-"], "reading from standard input ('-') is not supported"),
            (["config", "envm.yaml", "--env-file", "adir"], "cannot read env file adir: it is a directory"),
            (["config", "envm.yaml", "--env-file", "/dev/null"], "it is a pipe or a device, not a regular file"),
        ])
    func reasons(arguments: [String], expected: String) async throws {
        let workspace = try files()
        defer { workspace.remove() }
        let result = try await Binary.run(arguments, in: workspace)
        #expect(result.status == 1)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test("a missing env file is reported alone, not after the variables it would have set")
    func causeBeforeConsequence() async throws {
        let workspace = try files()
        defer { workspace.remove() }
        let result = try await Binary.run(["config", "envm.yaml", "--env-file", "nope.env"], in: workspace)
        #expect(result.status == 1)
        #expect(result.stderr == "error: cannot read env file nope.env: it does not exist\n", "\(result.stderr)")
    }

    @Test("a file the user may not read says permission denied")
    func permissionDenied() async throws {
        let user = try #require(TestEnvironment.shared.unprivilegedUser, "test environment lacks an unprivileged user")
        let binary = try #require(Binary.path)
        let workspace = try files()
        defer { workspace.remove() }
        let locked = try workspace.write("locked.yaml", "image: swerex-sandbox:test\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: workspace.folder)
        let result = try await Subprocess.run(
            "/usr/sbin/runuser", ["-u", user, "--", binary, "validate", locked],
            environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1"], directory: "/tmp")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read manifest \(locked): permission denied"), "\(result.stderr)")
    }
}
