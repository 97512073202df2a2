import Runner
import Testing

@Suite("Start command")
struct StartCommandTests {
    @Test("runs swerex-remote, else pipx with the package's own console script")
    func pipxFallback() {
        let argv = StartCommand.argv(execShell: ["/bin/sh", "-c"], token: "T", standaloneDir: nil)
        #expect(
            argv == [
                "/bin/sh", "-c",
                "swerex-remote --auth-token T || (python3 -m pip install pipx && python3 -m pipx ensurepath"
                    + " && python3 -m pipx run --spec swe-rex swerex-remote --auth-token T)",
            ])
    }

    @Test("a standalone Python runs its own swerex-remote", arguments: ["/root", "/root/"])
    func standalone(directory: String) {
        let argv = StartCommand.argv(execShell: ["/bin/bash", "-lc"], token: "T", standaloneDir: directory)
        #expect(argv == ["/bin/bash", "-lc", "/root/python3.11/bin/swerex-remote --auth-token T"])
    }

    @Test("tokens are 64 hex characters and never repeat")
    func tokens() throws {
        let tokens = try (0..<50).map { _ in try AuthToken.generate() }
        #expect(Set(tokens).count == 50)
        #expect(tokens.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }
}
