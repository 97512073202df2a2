import Diagnostics
import Digest
import Testing

@testable import Manifest

@Test(
    "SHA-256 matches known digests, including one longer than a block",
    arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("default", "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"),
        ("desktop-linux", "fe9c6bd7a66301f49ca9b6a70b217107cd1284598bfc254700c989b916da791e"),
        (String(repeating: "a", count: 100), "2816597888e4a0d3a36b82b83316ab32680eb8f00f8cd3b904d681246d285a0e"),
    ])
func sha256MatchesKnownDigests(_ input: String, _ digest: String) {
    #expect(SHA256.hex(input) == digest)
}

@Test("Edit distance counts insertions, deletions and substitutions")
func editDistanceCounts() {
    #expect(EditDistance.between("kitten", "sitting") == 3)
    #expect(EditDistance.between("", "abc") == 3)
    #expect(EditDistance.between("image", "image") == 0)
    #expect(EditDistance.between("imgae", "image") == 1)
}

@Test("A misspelt key gets the closest field, and a far-off word gets none")
func suggestionsAreCloseOnly() {
    #expect(EditDistance.suggestion(for: "imgae", among: DeploymentField.names) == "image")
    #expect(EditDistance.suggestion(for: "startup_timout", among: DeploymentField.names) == "startup_timeout")
    #expect(EditDistance.suggestion(for: "IMAGE", among: DeploymentField.names) == "image")
    #expect(EditDistance.suggestion(for: "dockerargs", among: DeploymentField.names) == "docker_args")
    #expect(EditDistance.suggestion(for: "volumes", among: DeploymentField.names) == nil)
}

struct InterpolationCase: Sendable, CustomTestStringConvertible {
    var text: String
    var expected: String
    var testDescription: String { text }
}

private let variables = ["NAME": "sandbox", "EMPTY": "", "PORT": "8000"]

@Test(
    "Interpolation substitutes every supported form",
    arguments: [
        ("plain text", "plain text"),
        ("${NAME}", "sandbox"),
        ("img-${NAME}:${PORT}", "img-sandbox:8000"),
        ("${MISSING:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${EMPTY-fallback}", ""),
        ("${MISSING-fallback}", "fallback"),
        ("${NAME:-fallback}", "sandbox"),
        ("${MISSING:-${NAME}-x}", "sandbox-x"),
        ("${MISSING:-}", ""),
        ("$${NAME}", "${NAME}"),
        ("cost: $$5", "cost: $5"),
        ("echo $HOME", "echo $HOME"),
        ("trailing $", "trailing $"),
        ("${NAME:?must be set}", "sandbox"),
        ("${EMPTY?must be set}", ""),
    ])
func interpolationSubstitutes(_ text: String, _ expected: String) throws {
    #expect(try Interpolator(variables: variables).apply(text) == expected)
}

@Test(
    "Interpolation failures say what is wrong and where the $ is",
    arguments: [
        (
            "image: ${MISSING}", 7,
            "variable 'MISSING' is not set and has no default: set it, give it in an --env-file, or write ${MISSING:-default}"
        ),
        ("${EMPTY:?give the token}", 0, "variable 'EMPTY' is unset or empty: give the token"),
        ("${MISSING?}", 0, "variable 'MISSING' is not set"),
        (
            "${MISSING:-${ALSO_MISSING}}", 11,
            "variable 'ALSO_MISSING' is not set and has no default: set it, give it in an --env-file, or write ${ALSO_MISSING:-default}"
        ),
        ("x ${NAME", 2, "'${' is not closed with '}'"),
        ("${}", 0, "'${...}' needs a variable name"),
        ("${1X}", 0, "'1X' is not a variable name: it starts with a digit"),
        ("${A.B}", 0, "'.' cannot appear in a variable name"),
        ("${NAME:+alt}", 0, "':+' after '${NAME' is not supported; use ':-', '-', ':?' or '?'"),
    ])
func interpolationFailures(_ text: String, _ offset: Int, _ message: String) {
    #expect(throws: Interpolator.Failure(message: message, offset: offset)) {
        try Interpolator(variables: variables).apply(text)
    }
}

@Test("An env file gives KEY=VALUE lines, with comments, export and quotes")
func envFileParses() {
    let text = """
        # comment
        PLAIN=value
        export EXPORTED=yes
          SPACED = padded value  # trailing comment
        SINGLE='it is $literal # kept'
        DOUBLE="line\\nbreak \\"quoted\\""
        HASH=a#b
        EMPTY=

        """
    let parsed = EnvFile.parse(text, file: "vars.env")
    #expect(parsed.diagnostics.isEmpty)
    #expect(parsed.values["PLAIN"] == "value")
    #expect(parsed.values["EXPORTED"] == "yes")
    #expect(parsed.values["SPACED"] == "padded value")
    #expect(parsed.values["SINGLE"] == "it is $literal # kept")
    #expect(parsed.values["DOUBLE"] == "line\nbreak \"quoted\"")
    #expect(parsed.values["HASH"] == "a#b")
    #expect(parsed.values["EMPTY"] == "")
}

@Test("An env file's bad lines are errors at their line and column")
func envFileErrors() {
    let text = "GOOD=1\nno equals sign\n  1BAD=x\nQUOTE=\"open\nTAIL='a' b\n"
    let parsed = EnvFile.parse(text, file: "vars.env")
    #expect(
        parsed.diagnostics == [
            .error("expected KEY=VALUE in the env file", at: SourceLocation(file: "vars.env", line: 2, column: 1)),
            .error(
                "'1BAD' is not a variable name (letters, digits and '_', not starting with a digit)",
                at: SourceLocation(file: "vars.env", line: 3, column: 3)
            ),
            .error(
                "the value's quote \" is not closed on this line",
                at: SourceLocation(file: "vars.env", line: 4, column: 1)),
            .error("unexpected text after the closing quote", at: SourceLocation(file: "vars.env", line: 5, column: 1)),
        ]
    )
    #expect(parsed.values == ["GOOD": "1"])
}

@Test("docker_internal_host gains a scheme and loses trailing slashes")
func internalHostNormalises() throws {
    let here = SourceLocation(file: "m.yaml", line: 1, column: 1)
    #expect(try InternalHost.normalise("127.0.0.1", at: here) == "http://127.0.0.1")
    #expect(try InternalHost.normalise("http://sandbox-host.example/", at: here) == "http://sandbox-host.example")
    #expect(try InternalHost.normalise("https://[fd00::5]//", at: here) == "https://[fd00::5]")
    #expect(throws: Diagnostic.self) { try InternalHost.normalise("http://h/path", at: here) }
    #expect(throws: Diagnostic.self) { try InternalHost.normalise("http://h:8000", at: here) }
    #expect(throws: Diagnostic.self) { try InternalHost.normalise("ftp://h", at: here) }
}

@Test(
    "Well-formed image references load",
    arguments: [
        "python:3.11", "swerex-sandbox:test", "ubuntu", "library/ubuntu:22.04", "docker.io/library/python:3.12-slim",
        "ghcr.io/swe-agent/swe-rex:latest", "localhost/sandbox", "localhost:5000/a/b/c:v1.2_3",
        "registry.example.com:443/team/x__y.z-w---v:tag", "[::1]:5000/sandbox",
        "sandbox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "sandbox:1@sha256:0123456789abcdef0123456789abcdef", "sha256:0123456789abcdef0123456789abcdef", "a1b2c3",
        "My-Registry.example/sandbox",
    ]
)
func imageReferencesLoad(_ image: String) throws {
    let files = ManifestFiles()
    let messages = files.messages("image: '\(image)'\nengine: cli\n")
    #expect(messages == [])
}
