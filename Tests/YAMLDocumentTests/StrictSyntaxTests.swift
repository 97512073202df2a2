import Diagnostics
import Testing
import YAMLDocument

@Suite("YAML 1.2 rules libyaml lets through")
struct StrictSyntaxTests {
    static let valid: [String] = [
        "key: [a,\n  b]\n",
        "key: [a,\n b]\n",
        "- [a,\n b]\n",
        "- \"a\n  b\"\n",
        "? a\n: [x,\n y]\n",
        "key: [a, # comment\n# comment at column 1\n  b]\n",
        "key: \"a\n\n  b\"\n",
        "[a,\nb]\n",
        "\"top\nlevel\"\n",
        "outer:\n  inner: {a: 1,\n    b: 2}\n",
        "- - [a,\n    b]\n",
        "key: |+ # keep\n  text\n",
        "key: \"v\" # comment\n",
        "[a, b] # comment\n",
        "[a, -b, '-']\n",
        "a\n...\n%YAML 1.2\n--- b\n",
        "%YAML 1.2 # version\n--- a\n",
        "key: &anchor\n  sub: [a,\n   b]\n",
    ]

    @Test("Valid YAML passes the extra checks", arguments: valid)
    func validPasses(_ text: String) throws {
        _ = try YAMLLoader.load(text, file: "test.yaml")
    }

    static let invalid: [(String, Int, Int)] = [
        ("key: \"v\"# comment\n", 1, 9),
        ("[a, b]# comment\n", 1, 7),
        ("[a, b,# comment\n]\n", 1, 7),
        ("key: |# comment\n  text\n", 1, 7),
        ("%YAML 1.2#x\n--- a\n", 1, 10),
        ("key: [a,\nb]\n", 2, 1),
        ("key: \"a\nb\"\n", 2, 1),
        ("- [a,\n\tb]\n", 2, 1),
        ("outer:\n  inner: [a,\n  b]\n", 3, 3),
        ("[-]\n", 1, 2),
        ("k: a\n%YAML 1.2\n--- b\n", 2, 1),
    ]

    @Test("Invalid YAML that libyaml accepts is rejected where the rule breaks", arguments: invalid)
    func invalidFails(_ text: String, _ line: Int, _ column: Int) throws {
        let error = try #require(throws: Diagnostic.self) { try YAMLLoader.load(text, file: "test.yaml") }
        #expect(error.location == SourceLocation(file: "test.yaml", line: line, column: column), "\(error.message)")
    }
}
