import Foundation
import Testing

/// `swerex-run debug load-yaml` and `debug time-validate`, the hidden commands the loader benchmark uses.
@Suite("The hidden debug commands, run as a program")
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

    @Test("time-validate does validate's work and prints its time and the deployments; a bad manifest is exit 1")
    func timesValidation() async throws {
        let workspace = try Workspace("debug")
        defer { workspace.remove() }
        let good = try workspace.write(
            "good.yaml", "project: timed\ndefaults:\n  image: swerex-sandbox:test\ndeployments:\n  a: {}\n  b: {}\n")
        let result = try await Binary.run(["debug", "time-validate", good], in: workspace)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["deployments"] as? Int == 2, "\(result.stdout)")
        #expect((report?["work"] as? Double).map { $0 > 0 } == true, "\(result.stdout)")
        let bad = try workspace.write("bad.yaml", "image: swerex-sandbox:test\nstartup_timeout: soon\n")
        let rejected = try await Binary.run(["debug", "time-validate", bad], in: workspace)
        #expect(rejected.status == 1)
        #expect(rejected.stdout == "")
        #expect(rejected.stderr.contains("\(bad):2:"), "\(rejected.stderr)")
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
