import Foundation
import Testing

@Suite("Secrets in command output")
struct SecretOutputTests {
    @Test("validate, config and plan never print a secret-looking docker_env value, on stdout or stderr")
    func secretsStayHidden() async throws {
        let workspace = try Workspace("secret")
        defer { workspace.remove() }
        let manifest = try workspace.write(
            "m.yaml",
            """
            project: \(workspace.project)
            image: swerex-sandbox:test
            engine: sdk
            docker_env:
              MY_TOKEN: tok-secret-1
              DB_PASSWORD: pw-secret-2
            docker_args: ["-eAPI_KEY=key-secret-3", "--no-such-flag"]

            """)
        for arguments in [["validate", manifest], ["config", "-f", manifest], ["plan", manifest]] {
            let result = try await Binary.run(arguments, in: workspace)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("<redacted>"), "\(arguments): \(result.stderr)")
            for secret in ["tok-secret-1", "pw-secret-2", "key-secret-3"] {
                #expect(!result.stdout.contains(secret), "\(arguments) printed \(secret) on stdout")
                #expect(!result.stderr.contains(secret), "\(arguments) printed \(secret) on stderr")
            }
        }
    }
}
