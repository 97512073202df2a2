public import Foundation

/// Where the test engines, images and certificates are, as `scripts/testenv/up` wrote them to
/// `$SWEREX_TESTENV_DIR/env` (default `/tmp/swerex-testenv/env`; KEY=VALUE lines). The test
/// environment belongs to the machine, not to a checkout, so every worktree shares it.
/// A `SWEREX_TEST_*` variable set in the process environment wins over the file.
public struct TestEnvironment: Sendable {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static let shared = TestEnvironment()
    public static let defaultFolder = "/tmp/swerex-testenv"

    public let values: [String: String]

    public init() {
        var values: [String: String] = [:]
        let folder = ProcessInfo.processInfo.environment["SWEREX_TESTENV_DIR"] ?? Self.defaultFolder
        let file = URL(fileURLWithPath: folder).appendingPathComponent("env")
        if let text = try? String(contentsOf: file, encoding: .utf8) {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let equals = line.firstIndex(of: "=") else { continue }
                values[String(line[..<equals])] = String(line[line.index(after: equals)...])
            }
        }
        for (key, value) in ProcessInfo.processInfo.environment where key.hasPrefix("SWEREX_TEST_") {
            values[key] = value
        }
        self.values = values
    }

    public subscript(_ key: String) -> String? { values[key] }

    /// The local dockerd socket (`/var/run/docker.sock`).
    public var dockerSocket: String? { self["SWEREX_TEST_DOCKER_SOCKET"] }
    /// The second dockerd over TCP with TLS, such as `tcp://127.0.0.1:23760`.
    public var tlsEndpoint: String? { self["SWEREX_TEST_TLS_ENDPOINT"] }
    /// Folder with ca.pem, cert.pem, key.pem for the TLS daemon.
    public var tlsCertDir: String? { self["SWEREX_TEST_TLS_CERT_DIR"] }
    /// Folder with a CA (and client cert) the TLS daemon does not trust.
    public var tlsWrongCACertDir: String? { self["SWEREX_TEST_TLS_WRONG_CA_DIR"] }
    /// `ssh://root@127.0.0.1:PORT`, reaching the local dockerd through a private sshd.
    public var sshEndpoint: String? { self["SWEREX_TEST_SSH_ENDPOINT"] }
    /// An ssh_config file (key, known_hosts) for the private sshd; passed to ssh as `-F` via `SWEREX_SSH_CONFIG`.
    public var sshConfig: String? { self["SWEREX_TEST_SSH_CONFIG"] }
    /// A containers.conf that makes podman work here; exported as `CONTAINERS_CONF` for podman.
    public var podmanContainersConf: String? { self["SWEREX_TEST_CONTAINERS_CONF"] }
    /// The sandbox image with swerex-remote, in every test engine's store.
    public var sandboxImage: String? { self["SWEREX_TEST_SANDBOX_IMAGE"] }
    /// A busybox image without python, for containers that must fail.
    public var busyboxImage: String? { self["SWEREX_TEST_BUSYBOX_IMAGE"] }
    /// An unprivileged user name for permission tests.
    public var unprivilegedUser: String? { self["SWEREX_TEST_UNPRIVILEGED_USER"] }

    /// Why a test that needs `keys` cannot run here, or nil when all are set.
    public func missing(_ keys: String...) -> String? {
        let absent = keys.filter { self[$0] == nil }
        guard !absent.isEmpty else { return nil }
        return "test environment lacks \(absent.joined(separator: ", ")): run scripts/testenv/up"
    }
}
