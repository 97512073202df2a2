import Diagnostics
import Foundation
import Manifest
import Testing

/// Diagnostics quote the source line they point at; a secret value on that line must not be printed,
/// as `config` does not print it either (red-team A-F3).
@Suite("Secrets in diagnostics")
struct SecretDiagnosticsTests {
    let files = ManifestFiles()

    static let secrets = [
        "supersecret123", "hunter2", "ghp_abc123", "tok-secret-1", "aws-secret-2", "authcfg-secret-3",
        "cred-secret-5", "pw-secret-6", "sk-from-env-file-7", "unclosed-secret-8",
    ]

    @Test("The golden secrets fixture renders errors at secret lines without any secret value")
    func goldenFixtureHidesSecrets() {
        let rendered = GoldenFixtures.render("secrets-not-quoted")
        #expect(rendered.contains("error: "))
        #expect(rendered.contains("<redacted>"))
        for secret in Self.secrets {
            #expect(!rendered.contains(secret), "the diagnostics show \(secret)")
        }
    }

    @Test("Warnings of a loaded manifest render without secrets through its renderer")
    func warningsHideSecrets() throws {
        let loaded = try files.load(
            """
            image: swerex-sandbox:test
            docker_env:
              MY_TOKEN: tok-secret-1
              GITHUB_PAT: ghp_secret4
              LANG: C.UTF-8

            """
        )
        let text = loaded.renderer().render(DiagnosticList(loaded.project.warnings))
        #expect(text.contains("docker_env.MY_TOKEN has no effect"))
        #expect(text.contains("  MY_TOKEN: <redacted>"))
        #expect(!text.contains("tok-secret-1"))
        #expect(!text.contains("ghp_secret4"))
        #expect(text.contains("LANG: C.UTF-8"))
    }

    @Test("A YAML syntax error on a secret line does not quote the value")
    func syntaxErrorHidesSecret() {
        files.write("broken.yaml", "image: x\ndocker_env:\n  MY_TOKEN: tok-secret-1: more\n")
        do {
            _ = try files.load(["broken.yaml"])
            Issue.record("a syntax error loaded")
        } catch {
            #expect(error.description.contains("<redacted>"))
            #expect(!error.description.contains("tok-secret-1"))
        }
    }

    @Test("Values of names with PASSWD, CREDENTIAL, AUTH or PAT are secret; PATH and AUTHOR are not")
    func secretNames() {
        for name in ["DB_PASSWD", "GCP_CREDENTIALS", "DOCKER_AUTH_CONFIG", "AUTH", "GITHUB_PAT", "my_api_key"] {
            #expect(ManifestRenderer.looksSecret(name), "\(name)")
        }
        for name in ["PATH", "PYTHONPATH", "AUTHOR", "LANG", "PATCH_LEVEL"] {
            #expect(!ManifestRenderer.looksSecret(name), "\(name)")
        }
    }

    @Test("config redacts every form of -e NAME=VALUE, the attached short forms included")
    func configRedactsAttachedForms() throws {
        let loaded = try files.load(
            """
            image: swerex-sandbox:test
            engine: cli
            docker_args: [-eGITHUB_PAT=ghp_abc, -e=X_TOKEN=tok-1, --env=AUTH=bearer-2, -e, DB_PASSWD=pw-3, -eLANG=C]
            docker_env: {CREDENTIALS: cred-4, PATH: /usr/bin}

            """
        )
        let text = ManifestRenderer.render(loaded, format: .yaml, explain: false)
        for secret in ["ghp_abc", "tok-1", "bearer-2", "pw-3", "cred-4"] {
            #expect(!text.contains(secret), "config shows \(secret)")
        }
        #expect(text.contains("-eGITHUB_PAT=<redacted>"))
        #expect(text.contains("-e=X_TOKEN=<redacted>"))
        #expect(text.contains("-eLANG=C"))
        #expect(text.contains("PATH: /usr/bin"))
    }
}
