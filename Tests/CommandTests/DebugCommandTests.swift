import Foundation
import Testing

/// `swerex-run debug load-yaml`, the hidden command the loader benchmark times.
@Suite("The hidden debug load-yaml command, run as a program")
struct DebugCommandTests {
    @Test("load-yaml counts documents and values, aliases expanded, and exits 0")
    func countsDocumentsAndNodes() async throws {
        let workspace = try Workspace("debug")
        defer { workspace.remove() }
        let file = try workspace.write(
            "two.yaml",
            "a: &x [1, 2]\nb: {c: d}\nc: *x\n---\n- plain\n- 'quoted'\n---\n"
        )
        let result = try await Binary.run(["debug", "load-yaml", file], in: workspace)
        #expect(result.status == 0, "\(result.stderr)")
        // The mapping, [1, 2] twice (3 each), {c: d} (2); the sequence and its two items; the empty document.
        #expect(result.stdout == "documents: 3, nodes: 13\n")
        #expect(result.stderr == "")
    }

    @Test("load-yaml reports malformed YAML compiler-style with the line and a caret, exit 1")
    func rejectsMalformedYAML() async throws {
        let workspace = try Workspace("debug")
        defer { workspace.remove() }
        let file = try workspace.write("broken.yaml", "a: [1, 2\nb: {c: d\n")
        let result = try await Binary.run(["debug", "load-yaml", file], in: workspace)
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("\(file):"), "\(result.stderr)")
        #expect(result.stderr.contains(": error: "), "\(result.stderr)")
        #expect(result.stderr.contains("^\n"), "\(result.stderr)")
    }

    @Test("load-yaml names a file it cannot read, exit 1")
    func missingFile() async throws {
        let result = try await Binary.run(["debug", "load-yaml", "/nonexistent/swerex-debug.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: cannot read /nonexistent/swerex-debug.yaml: "), "\(result.stderr)")
    }

    @Test("debug without a known subcommand or FILE is a usage error, exit 64")
    func usageErrors() async throws {
        for arguments in [["debug"], ["debug", "nope"], ["debug", "load-yaml"]] {
            let result = try await Binary.run(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.stderr.hasPrefix("Error: "), "\(arguments)")
            #expect(result.stderr.contains("Usage: swerex-run debug load-yaml FILE"), "\(arguments)")
        }
    }

    @Test("help does not list the debug command")
    func hiddenFromHelp() async throws {
        let result = try await Binary.run(["--help"])
        #expect(!result.stdout.contains("debug"))
    }
}
