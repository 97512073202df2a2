import Diagnostics
import Testing

/// Diagnostics quote source lines; a secret on such a line must not reach stderr (red-team A-F3).
@Suite("Secrets in rendered diagnostics")
struct SecretRedactionTests {
    @Test("A secret in the quoted line and in the message is redacted, and the caret stays on its token")
    func quotedLineAndMessage() {
        let file = SourceFile(name: "m.yaml", text: "docker_env:\n  MY_TOKEN: tok-secret-1  # x\n")
        let renderer = DiagnosticRenderer(sources: [file], secrets: ["tok-secret-1"])
        let text = renderer.render(
            .warning("MY_TOKEN is 'tok-secret-1'", at: SourceLocation(file: "m.yaml", line: 2, column: 3)))
        #expect(
            text == "m.yaml:2:3: warning: MY_TOKEN is '<redacted>'\n  MY_TOKEN: <redacted>  # x\n  ^\n")
    }

    @Test("A caret after or inside a secret moves with the shorter or longer text")
    func caretMoves() {
        let redaction = SecretRedaction(["a-very-long-secret-value", "xy1"])
        let line = "[-e, A_KEY=a-very-long-secret-value, --bad, B_KEY=xy1]"
        let after = redaction.apply(to: line, column: 38)
        #expect(after.text == "[-e, A_KEY=<redacted>, --bad, B_KEY=<redacted>]")
        #expect(after.text.dropFirst(after.column - 1).hasPrefix("--bad"))
        let inside = redaction.apply(to: line, column: 20)
        #expect(inside.column == 12)
        let past = redaction.apply(to: "K=xy1", column: 7)
        #expect(past.column == 14)
    }

    @Test("A secret is not replaced inside a longer word, and notes are redacted too")
    func wholeWordsOnly() {
        let redaction = SecretRedaction(["pw1"])
        #expect(redaction.apply(to: "pw1 pw12 xpw1 'pw1' =pw1") == "<redacted> pw12 xpw1 '<redacted>' =<redacted>")
        let file = SourceFile(name: "m.yaml", text: "a: pw1\n")
        var diagnostic = Diagnostic.error("first", at: SourceLocation(file: "m.yaml", line: 1, column: 4))
        diagnostic.notes = [.note("set here", at: SourceLocation(file: "m.yaml", line: 1, column: 4))]
        let text = DiagnosticRenderer(sources: [file], secrets: ["pw1"]).render(diagnostic)
        #expect(!text.contains("pw1"))
    }

    @Test("Without secrets the line is quoted as it is")
    func noSecrets() {
        let redaction = SecretRedaction([])
        #expect(redaction.isEmpty)
        #expect(redaction.apply(to: "a: b", column: 4) == ("a: b", 4))
    }
}

extension SecretRedactionTests {
    @Test("Thousands of secrets and quoted lines are redacted without comparing every pair")
    func manySecrets() {
        // Comparing every pair would be 400 million comparisons: many minutes, far past the bound below.
        // Done right it takes seconds; the bound is generous enough for a machine under heavy load, so it
        // trips on the quadratic algorithm only (a speed target would belong in benchmarks).
        let count = 20_000
        let text = (0..<count).map { "  K\($0)_TOKEN: tok-secret-\($0)\n" }.joined()
        let file = SourceFile(name: "n.yaml", text: text)
        let secrets = Set((0..<count).map { "tok-secret-\($0)" })
        let renderer = DiagnosticRenderer(sources: [file], secrets: secrets)
        let list = DiagnosticList(
            (0..<count).map { .warning("no effect", at: SourceLocation(file: "n.yaml", line: $0 + 1, column: 3)) })
        let start = ContinuousClock.now
        let rendered = renderer.render(list)
        #expect(ContinuousClock.now - start < .seconds(120))
        #expect(!rendered.contains("tok-secret-"))
    }
}
