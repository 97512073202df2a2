import Diagnostics
import Manifest
import Testing

/// Env files written on Windows or by CI secret stores end their lines in CRLF (red-team A-F7).
@Suite("env file line ends")
struct EnvFileLineEndTests {
    let files = ManifestFiles()

    @Test("CRLF and lone CR end lines like LF", arguments: ["\r\n", "\r", "\n"])
    func lineEnds(_ end: String) {
        let parsed = EnvFile.parse("IMG=swerex-sandbox:test\(end)T=7\(end)", file: "vars.env")
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.values == ["IMG": "swerex-sandbox:test", "T": "7"])
    }

    @Test("A CRLF env file feeds every variable to the manifest")
    func crlfFileLoads() throws {
        files.write("vars.env", "IMG=swerex-sandbox:test\r\nT=7\r\n")
        files.write("manifest.yaml", "image: ${IMG}\nstartup_timeout: ${T:-60}\n")
        let loaded = try files.load(["manifest.yaml"], envFiles: ["vars.env"])
        let config = try #require(loaded.project.deployments.first).config
        #expect(config.image == "swerex-sandbox:test")
        #expect(config.startupTimeout == 7)
    }

    @Test("A control character in a line is an error at its column, and the line gives no value")
    func controlCharacterIsAnError() {
        let parsed = EnvFile.parse("A=1\r\nBELL=a\u{7}b\r\n  ESC=\"\u{1B}[31m\"\n", file: "vars.env")
        #expect(parsed.values == ["A": "1"])
        #expect(
            parsed.diagnostics.map(\.location) == [
                SourceLocation(file: "vars.env", line: 2, column: 7),
                SourceLocation(file: "vars.env", line: 3, column: 8),
            ]
        )
        #expect(parsed.diagnostics.first?.message.hasPrefix("control character U+0007 in the env file") == true)
    }

    @Test("Line numbers after CRLF lines match the quoted source line")
    func lineNumbersAfterCRLF() {
        let text = "A=1\r\n\r\nno equals\r\n"
        let parsed = EnvFile.parse(text, file: "vars.env")
        let location = SourceLocation(file: "vars.env", line: 3, column: 1)
        #expect(parsed.diagnostics == [.error("expected KEY=VALUE in the env file", at: location)])
        #expect(SourceFile(name: "vars.env", text: text).line(3) == "no equals")
    }
}
