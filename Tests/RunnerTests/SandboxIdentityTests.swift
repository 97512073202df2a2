import Manifest
import Runner
import Testing

@Suite("Spec hash")
struct SandboxIdentityTests {
    static let base = SandboxIdentity(image: "swerex-sandbox:test")

    @Test("the canonical encoding has sorted keys, explicit nulls and the token as a placeholder")
    func canonicalEncoding() {
        let expected =
            #"{"hash_version":1,"sandbox":{"command":"swerex-remote --auth-token {token} || (python3 -m pip install pipx"#
            + #" && python3 -m pipx ensurepath && python3 -m pipx run --spec swe-rex swerex-remote --auth-token {token})","#
            + #""docker_args":[],"exec_shell":["/bin/sh","-c"],"image":"swerex-sandbox:test","platform":null,"#
            + #""port":null,"python_standalone_dir":null}}"#
        #expect(Self.base.canonicalEncoding == expected)
    }

    @Test("the hash of a fixed spec never changes within a hash version")
    func pinnedHash() {
        #expect(Self.base.hash == Self.pinned)
    }

    /// `sha256sum` of the encoding above; a change here means every running sandbox would be replaced.
    static let pinned = "4705f37f01cc3530154ffd1e6a03a79902f058654759bbf9ac8f6a825877f128"

    @Test(
        "each identity field changes the hash",
        arguments: [
            SandboxIdentity(image: "swerex-sandbox:other"),
            SandboxIdentity(image: "swerex-sandbox:test", platform: "linux/amd64"),
            SandboxIdentity(image: "swerex-sandbox:test", port: 8080),
            SandboxIdentity(image: "swerex-sandbox:test", dockerArgs: ["-e", "A=1"]),
            SandboxIdentity(image: "swerex-sandbox:test", execShell: ["/bin/bash", "-c"]),
            SandboxIdentity(image: "swerex-sandbox:test", pythonStandaloneDir: "/root"),
        ])
    func fieldsChangeHash(changed: SandboxIdentity) {
        #expect(changed.hash != Self.base.hash)
    }

    @Test("timeouts, pull policy, removal settings and the engine leave the hash alone")
    func nonIdentityFields() {
        let plain = SandboxSpec(project: "demo", deployment: Fixtures.deployment(), replica: 1)
        let tweaked = SandboxSpec(
            project: "demo",
            deployment: Fixtures.deployment {
                $0.startupTimeout = 5
                $0.pull = .always
                $0.removeContainer = false
                $0.removeImages = true
                $0.engine = .cli
                $0.dockerInternalHost = "http://localhost"
            }, replica: 1)
        #expect(plain.identity.hash == tweaked.identity.hash)
    }

    @Test("the argument order of docker_args matters, as it does to docker")
    func argumentOrder() {
        let first = SandboxIdentity(image: "x", dockerArgs: ["-e", "A=1", "-e", "B=2"])
        let second = SandboxIdentity(image: "x", dockerArgs: ["-e", "B=2", "-e", "A=1"])
        #expect(first.hash != second.hash)
    }

    @Test("field digests name exactly the fields that changed")
    func changedFields() {
        let changed = SandboxIdentity(image: "other", port: 9000)
        #expect(changed.changedFields(comparedTo: Self.base.fieldDigests) == ["image", "port"])
        #expect(Self.base.changedFields(comparedTo: Self.base.fieldDigests) == [])
        #expect(Self.base.changedFields(comparedTo: nil) == nil)
        #expect(Self.base.changedFields(comparedTo: "garbage") == nil)
    }

    @Test("every replica of a deployment shares one hash; the token never reaches the labels")
    func replicasShareHash() throws {
        let deployment = Fixtures.deployment(replicas: 3)
        let specs = SandboxSpec.all(in: Fixtures.project(deployment))
        #expect(specs.map(\.name) == ["demo-web-1", "demo-web-2", "demo-web-3"])
        #expect(Set(specs.map(\.identity.hash)).count == 1)
        let request = specs[0].containerSpec(token: "secret-token-value", image: "img", manifestFiles: ["/m.yaml"])
        #expect(request.labels.values.allSatisfy { !$0.contains("secret-token-value") })
        #expect(request.command.last?.contains("--auth-token secret-token-value") == true)
    }
}
