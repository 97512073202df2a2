import Testing

@testable import Diagnostics

@Suite("Rendering diagnostics")
struct RendererTests {
    @Test("Lines are quoted across LF, CRLF and lone CR breaks")
    func linesAcrossBreaks() {
        let file = SourceFile(name: "m.yaml", text: "a: 1\r\nb: 2\rc: 3\nd: 4")
        #expect(file.line(1) == "a: 1")
        #expect(file.line(2) == "b: 2")
        #expect(file.line(3) == "c: 3")
        #expect(file.line(4) == "d: 4")
        #expect(file.line(5) == nil)
        #expect(file.line(0) == nil)
    }

    @Test("An error renders as file:line:col, the source line and a caret under the column")
    func compilerStyle() {
        let file = SourceFile(name: "m.yaml", text: "image: x\nport: nope\n")
        let renderer = DiagnosticRenderer(sources: [file])
        let location = SourceLocation(file: "m.yaml", line: 2, column: 7)
        let text = renderer.render(.error("expected an integer", at: location))
        #expect(text == "m.yaml:2:7: error: expected an integer\nport: nope\n      ^\n")
    }

    @Test("A very long line is quoted around the column, with the caret still under it")
    func longLineWindow() {
        let line = String(repeating: "a", count: 5000) + "X" + String(repeating: "b", count: 5000)
        let file = SourceFile(name: "long.yaml", text: line)
        let renderer = DiagnosticRenderer(sources: [file])
        let text = renderer.render(.error("here", at: SourceLocation(file: "long.yaml", line: 1, column: 5001)))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1].count <= DiagnosticRenderer.widestQuote + 6)
        #expect(lines[1].hasPrefix("...") && lines[1].hasSuffix("..."))
        let caretColumn = lines[2].count
        #expect(Array(lines[1])[caretColumn - 1] == "X")
    }

    @Test("Quoting thousands of lines of one file takes no rescan per line")
    func manyDiagnosticsStayLinear() {
        let text = (1...20_000).map { "key\($0): value" }.joined(separator: "\n")
        let file = SourceFile(name: "big.yaml", text: text)
        // A rescan per quote would walk 20,000 lines 20,000 times; this checks the answer, and a
        // regression shows up as a hang of the suite rather than as a timing assertion.
        for number in 1...20_000 {
            #expect(file.line(number) == "key\(number): value")
        }
    }
}
