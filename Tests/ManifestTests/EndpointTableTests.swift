import ContainerEngine
import Digest
import Foundation
import Testing

@testable import Manifest

/// Certificate folders and a docker config with contexts, made once in a temporary folder.
/// Hosts in the table are only parsed, never dialled; remote ones use the reserved `.example` domain.
private let scratch: String = {
    let root = ProcessScratch.folder("manifest-endpoints-")
    let files: [String: [String]] = [
        "full": ["ca.pem", "cert.pem", "key.pem"],
        "ca-only": ["ca.pem"],
        "no-key": ["ca.pem", "cert.pem"],
        "no-cert": ["ca.pem", "key.pem"],
        "empty": [],
        "home/.docker": ["ca.pem", "cert.pem", "key.pem"],
    ]
    for (folder, names) in files {
        try? FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        for name in names { _ = FileManager.default.createFile(atPath: "\(root)/\(folder)/\(name)", contents: Data()) }
    }
    let contexts: [(name: String, host: String, skipVerify: Bool, tls: Bool)] = [
        ("remote", "tcp://build-host.example:2376", false, true),
        ("plain", "tcp://127.0.0.1:23750", false, false),
        ("empty-host", "", false, false),
        ("bad", "build-host.example:2375", false, false),
    ]
    for context in contexts {
        let hash = SHA256.hex(context.name)
        let meta = "\(root)/config/contexts/meta/\(hash)"
        try? FileManager.default.createDirectory(atPath: meta, withIntermediateDirectories: true)
        let json =
            #"{"Name":"\#(context.name)","Metadata":{},"Endpoints":{"docker":{"Host":"\#(context.host)","SkipTLSVerify":\#(context.skipVerify)}}}"#
        _ = FileManager.default.createFile(atPath: "\(meta)/meta.json", contents: Data(json.utf8))
        if context.tls {
            let tls = "\(root)/config/contexts/tls/\(hash)/docker"
            try? FileManager.default.createDirectory(atPath: tls, withIntermediateDirectories: true)
            for name in ["ca.pem", "cert.pem", "key.pem"] {
                _ = FileManager.default.createFile(atPath: "\(tls)/\(name)", contents: Data())
            }
        }
    }
    try? FileManager.default.createDirectory(atPath: "\(root)/current", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(
        atPath: "\(root)/current/config.json", contents: Data(#"{"currentContext":"plain"}"#.utf8))
    try? FileManager.default.createDirectory(atPath: "\(root)/bad-config", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: "\(root)/bad-config/config.json", contents: Data("[1,".utf8))
    return root
}()

struct EndpointRow: CustomTestStringConvertible, Sendable {
    var endpoint: String?
    var tls = false
    var certPath: String?
    var environment: [String: String] = [:]
    var dockerEnv: [String: String] = [:]
    var engine: EngineIdentity.Kind = .sdk
    var runtime: DeploymentConfig.Runtime = .docker
    var useSSH = false
    /// `ENDPOINT (SOURCE)` plus ` tls verify=… files` for TLS, or `error: MESSAGE`; `$S` is the scratch folder.
    var expected: String

    var testDescription: String { "\(endpoint ?? "no docker_endpoint") tls=\(tls) env=\(environment.keys.sorted())" }
}

private func row(
    _ endpoint: String?,
    tls: Bool = false,
    certs: String? = nil,
    env: [String: String] = [:],
    dockerEnv: [String: String] = [:],
    engine: EngineIdentity.Kind = .sdk,
    runtime: DeploymentConfig.Runtime = .docker,
    ssh: Bool = false,
    _ expected: String
) -> EndpointRow {
    EndpointRow(
        endpoint: endpoint, tls: tls, certPath: certs, environment: env, dockerEnv: dockerEnv, engine: engine,
        runtime: runtime, useSSH: ssh, expected: expected
    )
}

/// HOME points at a folder without `.docker`, so no context is read unless a row says so.
private let noHome = ["HOME": "/nonexistent-home"]

let endpointRows: [EndpointRow] = [
    // Unix sockets.
    row(nil, env: noHome, "unix:///var/run/docker.sock (default)"),
    row("unix://", "unix:///var/run/docker.sock (docker_endpoint)"),
    row("unix:///run/user/1000/docker.sock", "unix:///run/user/1000/docker.sock (docker_endpoint)"),
    row("/var/run/other.sock", "unix:///var/run/other.sock (docker_endpoint)"),
    row("UNIX:///var/run/docker.sock", "unix:///var/run/docker.sock (docker_endpoint)"),
    row(
        "unix://var/run/docker.sock",
        "error: invalid docker_endpoint 'unix://var/run/docker.sock': the socket path 'var/run/docker.sock' is not absolute: write unix:///var/run/docker.sock"
    ),
    row(
        "unix:/var/run/docker.sock",
        "error: invalid docker_endpoint 'unix:/var/run/docker.sock': it has no '//' after 'unix:': write unix:///path/to/socket"
    ),
    row(
        "unix:///" + String(repeating: "s", count: 120),
        "error: invalid docker_endpoint 'unix:///\(String(repeating: "s", count: 120))': the socket path is 121 bytes long; Linux allows at most 107"
    ),
    row(
        "unix:///var/run/docker.sock", tls: true, certs: "$S/full",
        "error: TLS is on (docker_tls is true), but unix:///var/run/docker.sock is a unix socket: TLS applies only to tcp:// endpoints"
    ),
    // TCP, default ports, TLS.
    row("tcp://127.0.0.1", "tcp://127.0.0.1:2375 (docker_endpoint)"),
    row("tcp://127.0.0.1:23750", "tcp://127.0.0.1:23750 (docker_endpoint)"),
    row(
        "tcp://127.0.0.1", tls: true, certs: "$S/full",
        "tcp://127.0.0.1:2376 (docker_endpoint) tls verify=true ca,cert,key in $S/full"),
    row(
        "tcp://127.0.0.1:23760", tls: true, certs: "$S/ca-only",
        "tcp://127.0.0.1:23760 (docker_endpoint) tls verify=true ca in $S/ca-only"),
    row("tcp://[::1]:2375", "tcp://[::1]:2375 (docker_endpoint)"),
    row("tcp://[::1]", "tcp://[::1]:2375 (docker_endpoint)"),
    row(
        "tcp://[fd00::1]:2376", tls: true, certs: "$S/full",
        "tcp://[fd00::1]:2376 (docker_endpoint) tls verify=true ca,cert,key in $S/full"),
    row(
        "tcp://::1:2375",
        "error: invalid docker_endpoint 'tcp://::1:2375': an IPv6 address must be in brackets, as in tcp://[::1]:2375"),
    row(
        "tcp://[::1",
        "error: invalid docker_endpoint 'tcp://[::1': the '[' before the IPv6 address is not closed"),
    row(
        "tcp://[build-host]:2375",
        "error: invalid docker_endpoint 'tcp://[build-host]:2375': '[build-host]' is not an IPv6 address"),
    row("tcp://127.0.0.1:0", "error: invalid docker_endpoint 'tcp://127.0.0.1:0': the port 0 is outside 1-65535"),
    row(
        "tcp://127.0.0.1:65536",
        "error: invalid docker_endpoint 'tcp://127.0.0.1:65536': the port 65536 is outside 1-65535"),
    row(
        "tcp://127.0.0.1:1234567890",
        "error: invalid docker_endpoint 'tcp://127.0.0.1:1234567890': the port 1234567890 is outside 1-65535"),
    row("tcp://127.0.0.1:abc", "error: invalid docker_endpoint 'tcp://127.0.0.1:abc': the port 'abc' is not a number"),
    row("tcp://127.0.0.1:", "error: invalid docker_endpoint 'tcp://127.0.0.1:': the port after ':' is empty"),
    row("tcp://", "error: invalid docker_endpoint 'tcp://': it has no host"),
    row("tcp://:2375", "error: invalid docker_endpoint 'tcp://:2375': it has no host before the port"),
    row(
        "tcp://admin:hunter2@127.0.0.1:2375",
        "error: invalid docker_endpoint 'tcp://admin:hunter2@127.0.0.1:2375': a password in the endpoint is not allowed: use an ssh key or agent"
    ),
    row(
        "tcp://admin@127.0.0.1:2375",
        "error: invalid docker_endpoint 'tcp://admin@127.0.0.1:2375': a user name ('admin@') is only meaningful in ssh:// endpoints"
    ),
    row(
        "tcp://127.0.0.1:2375?timeout=5",
        "error: invalid docker_endpoint 'tcp://127.0.0.1:2375?timeout=5': a query ('?...') is not allowed"),
    row(
        "tcp://127.0.0.1:2375#x",
        "error: invalid docker_endpoint 'tcp://127.0.0.1:2375#x': a fragment ('#...') is not allowed"),
    row("tcp://127.0.0.1:2375/", "tcp://127.0.0.1:2375 (docker_endpoint)"),
    row(
        "tcp://127.0.0.1:2375/v1.41",
        "error: invalid docker_endpoint 'tcp://127.0.0.1:2375/v1.41': a path ('/v1.41') is not supported: the Engine API is served at /"
    ),
    row(
        "127.0.0.1:2375",
        "error: invalid docker_endpoint '127.0.0.1:2375': it has no scheme: write tcp://127.0.0.1:2375 for TCP, or unix:///path for a socket"
    ),
    row(
        "localhost",
        "error: invalid docker_endpoint 'localhost': it has no scheme: write tcp://localhost for TCP, or unix:///path for a socket"
    ),
    row(" tcp://127.0.0.1:2375", "error: invalid docker_endpoint ' tcp://127.0.0.1:2375': it has spaces around it"),
    row("", "error: invalid docker_endpoint '': it is empty"),
    // http:// and https://.
    row("http://127.0.0.1:2375", "tcp://127.0.0.1:2375 (docker_endpoint)"),
    row(
        "https://127.0.0.1", certs: "$S/full",
        "tcp://127.0.0.1:2376 (docker_endpoint) tls verify=true ca,cert,key in $S/full"),
    row(
        "http://127.0.0.1:2375", tls: true, certs: "$S/full",
        "error: docker_endpoint 'http://127.0.0.1:2375' says plain HTTP, but docker_tls is true: write tcp:// or https://"
    ),
    // Certificate files.
    row(
        "tcp://127.0.0.1:2376", tls: true, certs: "$S/empty",
        "error: the CA certificate $S/empty/ca.pem does not exist (TLS certificates come from docker_cert_path)"),
    row(
        "tcp://127.0.0.1:2376", tls: true, certs: "$S/no-key",
        "error: the client certificate $S/no-key/cert.pem has no key: $S/no-key/key.pem does not exist (TLS certificates come from docker_cert_path)"
    ),
    row(
        "tcp://127.0.0.1:2376", tls: true, certs: "$S/no-cert",
        "error: the client key $S/no-cert/key.pem has no certificate: $S/no-cert/cert.pem does not exist (TLS certificates come from docker_cert_path)"
    ),
    row(
        "tcp://127.0.0.1:2376", tls: true, env: ["DOCKER_CERT_PATH": "$S/full"],
        "tcp://127.0.0.1:2376 (docker_endpoint) tls verify=true ca,cert,key in $S/full"),
    row(
        "tcp://127.0.0.1:2376", tls: true, env: ["HOME": "$S/home"],
        "tcp://127.0.0.1:2376 (docker_endpoint) tls verify=true ca,cert,key in $S/home/.docker"),
    row(
        "tcp://127.0.0.1:2376", tls: true, env: ["HOME": "$S/empty"],
        "error: the CA certificate $S/empty/.docker/ca.pem does not exist (TLS certificates come from ~/.docker)"),
    row(
        "tcp://127.0.0.1:2376", tls: true,
        "error: TLS is on (docker_tls is true), but no certificate folder is known: set docker_cert_path"),
    // ssh.
    row("ssh://root@127.0.0.1:2222", ssh: true, "ssh://root@127.0.0.1:2222 (docker_endpoint)"),
    row("ssh://build-host.example", engine: .cli, "ssh://build-host.example (docker_endpoint)"),
    row("ssh://root@127.0.0.1/run/docker.sock", engine: .cli, "ssh://root@127.0.0.1/run/docker.sock (docker_endpoint)"),
    row("ssh://root@[::1]:22", ssh: true, "ssh://root@[::1]:22 (docker_endpoint)"),
    row(
        "ssh://root@127.0.0.1:2222",
        "error: the sdk engine reaches ssh://root@127.0.0.1:2222 through the ssh command only with docker_use_ssh: true; set it, or use engine: cli"
    ),
    row(
        "ssh://root:pw@127.0.0.1", ssh: true,
        "error: invalid docker_endpoint 'ssh://root:pw@127.0.0.1': a password in the endpoint is not allowed: use an ssh key or agent"
    ),
    row(
        "ssh://@127.0.0.1", ssh: true,
        "error: invalid docker_endpoint 'ssh://@127.0.0.1': the user name before '@' is empty"),
    row(
        "ssh://root@127.0.0.1", tls: true, certs: "$S/full", ssh: true,
        "error: TLS is on (docker_tls is true), but ssh://root@127.0.0.1 is an ssh endpoint: TLS applies only to tcp:// endpoints"
    ),
    // Schemes nobody can use here.
    row(
        "npipe:////./pipe/docker_engine",
        "error: invalid docker_endpoint 'npipe:////./pipe/docker_engine': npipe:// is a Windows named pipe, which Linux does not have"
    ),
    row(
        "fd://",
        "error: invalid docker_endpoint 'fd://': fd:// is the daemon's socket activation; a client cannot connect to it"
    ),
    row(
        "udp://127.0.0.1:2375",
        "error: invalid docker_endpoint 'udp://127.0.0.1:2375': the scheme 'udp://' is not one of unix://, tcp://, http://, https://, ssh://"
    ),
    // Precedence: docker_endpoint, docker_env.DOCKER_HOST, DOCKER_HOST, context, default.
    row(
        "unix:///a.sock", env: ["DOCKER_HOST": "unix:///c.sock"], dockerEnv: ["DOCKER_HOST": "unix:///b.sock"],
        "unix:///a.sock (docker_endpoint) warning: docker_env.DOCKER_HOST is ignored: docker_endpoint in the manifest decide instead"
    ),
    row(
        nil, env: ["DOCKER_HOST": "unix:///c.sock"], dockerEnv: ["DOCKER_HOST": "unix:///b.sock"],
        "unix:///b.sock (docker_env.DOCKER_HOST)"),
    row(
        nil, env: ["DOCKER_HOST": "unix:///c.sock", "DOCKER_CONTEXT": "plain", "DOCKER_CONFIG": "$S/config"],
        "unix:///c.sock (DOCKER_HOST)"),
    row(nil, env: ["DOCKER_HOST": ""] + noHome, "unix:///var/run/docker.sock (default)"),
    row(
        nil, env: ["DOCKER_HOST": "build-host.example:2375"],
        "error: invalid DOCKER_HOST in the environment 'build-host.example:2375': it has no scheme: write tcp://build-host.example:2375 for TCP, or unix:///path for a socket"
    ),
    row(
        nil,
        dockerEnv: ["DOCKER_HOST": "tcp://127.0.0.1:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "$S/full"],
        "tcp://127.0.0.1:2376 (docker_env.DOCKER_HOST) tls verify=true ca,cert,key in $S/full"),
    row(
        nil, env: ["DOCKER_HOST": "tcp://127.0.0.1", "DOCKER_TLS_VERIFY": "0", "DOCKER_CERT_PATH": "$S/full"],
        "tcp://127.0.0.1:2376 (DOCKER_HOST) tls verify=true ca,cert,key in $S/full"),
    row(
        nil, env: ["DOCKER_HOST": "tcp://127.0.0.1", "DOCKER_TLS": "1", "DOCKER_CERT_PATH": "$S/full"],
        "tcp://127.0.0.1:2376 (DOCKER_HOST) tls verify=false ca,cert,key in $S/full"),
    row(
        "tcp://127.0.0.1:2375", env: ["DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "$S/full"],
        "tcp://127.0.0.1:2375 (docker_endpoint)"),
    row(nil, env: ["DOCKER_CONTEXT": "plain", "DOCKER_CONFIG": "$S/config"], "tcp://127.0.0.1:23750 (context plain)"),
    row(
        nil, env: ["DOCKER_CONTEXT": "remote", "DOCKER_CONFIG": "$S/config"],
        "tcp://build-host.example:2376 (context remote) tls verify=true ca,cert,key in $S/config/contexts/tls/\(SHA256.hex("remote"))/docker"
    ),
    row(
        nil, env: ["DOCKER_CONTEXT": "empty-host", "DOCKER_CONFIG": "$S/config"],
        "unix:///var/run/docker.sock (context empty-host)"),
    row(
        nil, env: ["DOCKER_CONTEXT": "default", "DOCKER_CONFIG": "$S/config"], "unix:///var/run/docker.sock (default)"),
    row(
        nil, env: ["DOCKER_CONTEXT": "missing", "DOCKER_CONFIG": "$S/config"],
        "error: docker context 'missing' does not exist: $S/config/contexts/meta/\(SHA256.hex("missing"))/meta.json is missing (chosen by DOCKER_CONTEXT)"
    ),
    row(
        nil, env: ["DOCKER_CONTEXT": "bad", "DOCKER_CONFIG": "$S/config"],
        "error: invalid docker context 'bad' host 'build-host.example:2375': it has no scheme: write tcp://build-host.example:2375 for TCP, or unix:///path for a socket"
    ),
    row(
        nil, env: ["DOCKER_CONFIG": "$S/current"],
        "error: docker context 'plain' does not exist: $S/current/contexts/meta/\(SHA256.hex("plain"))/meta.json is missing (chosen by currentContext in $S/current/config.json)"
    ),
    row(
        nil, env: ["DOCKER_CONFIG": "$S/bad-config"],
        "error: the docker config $S/bad-config/config.json is not a JSON object"),
    // Engines and runtimes.
    row(nil, dockerEnv: ["DOCKER_HOST": "unix:///b.sock"], engine: .cli, "unix:///b.sock (docker_env.DOCKER_HOST)"),
    row(
        nil, dockerEnv: ["DOCKER_CONTEXT": "plain", "DOCKER_CONFIG": "$S/config"], engine: .cli,
        "tcp://127.0.0.1:23750 (context plain)"),
    row(
        nil, env: noHome, dockerEnv: ["DOCKER_CONTEXT": "plain", "DOCKER_CONFIG": "$S/config"],
        "unix:///var/run/docker.sock (default)"),
    row(nil, engine: .cli, runtime: .podman, "unix:///run/podman/podman.sock (default)"),
    row(
        nil, env: ["CONTAINER_HOST": "ssh://core@127.0.0.1:2222/run/podman/podman.sock"], engine: .cli,
        runtime: .podman,
        "ssh://core@127.0.0.1:2222/run/podman/podman.sock (CONTAINER_HOST)"),
    row(
        "unix:///run/user/1000/podman/podman.sock", engine: .cli, runtime: .podman,
        "unix:///run/user/1000/podman/podman.sock (docker_endpoint)"),
    row(
        "tcp://127.0.0.1:2376", tls: true, certs: "$S/full", engine: .cli, runtime: .podman,
        "error: docker_tls cannot be used with container_runtime podman, which has no TLS client settings"),
    row(
        "https://127.0.0.1:2376", engine: .cli, runtime: .podman,
        "error: docker_endpoint 'https://127.0.0.1:2376' asks for TLS, which podman cannot do; use tcp:// or ssh://"),
    row(
        "tcp://127.0.0.1:2375", ssh: true,
        "tcp://127.0.0.1:2375 (docker_endpoint) warning: docker_use_ssh has no effect: tcp://127.0.0.1:2375 is not an ssh:// endpoint"
    ),
]

extension Dictionary where Key == String, Value == String {
    fileprivate static func + (lhs: Self, rhs: Self) -> Self { lhs.merging(rhs) { first, _ in first } }
}

/// The row's outcome in the table's notation.
func describe(_ row: EndpointRow, scratch: String) -> String {
    let expand = { (text: String) in text.replacingOccurrences(of: "$S", with: scratch) }
    let request = EndpointResolver.Request(
        runtime: row.runtime,
        engine: row.engine,
        endpoint: row.endpoint,
        tls: row.tls,
        certPath: row.certPath.map(expand),
        useSSH: row.useSSH,
        dockerEnv: row.dockerEnv.mapValues(expand),
        environment: row.environment.mapValues(expand),
        homeDirectory: nil
    )
    let outcome: String
    do {
        let resolution = try EndpointResolver.resolve(request)
        var text = "\(resolution.endpoint.displayString) (\(resolution.source))"
        if case .tcp(_, _, let tls?) = resolution.endpoint {
            let files = [("ca", tls.caFile), ("cert", tls.certFile), ("key", tls.keyFile)].filter { $0.1 != nil }
            let folder = (files.first?.1).map { ($0 as NSString).deletingLastPathComponent } ?? "-"
            text += " tls verify=\(tls.verify) \(files.map(\.0).joined(separator: ",")) in \(folder)"
        }
        for warning in resolution.warnings { text += " warning: \(warning.message)" }
        outcome = text
    } catch {
        outcome = "error: \(error.message)"
    }
    return outcome.replacingOccurrences(of: scratch, with: "$S")
}

@Test("The endpoint table has at least 40 rows")
func endpointTableIsLargeEnough() {
    #expect(endpointRows.count >= 40)
}

@Test("Each endpoint row resolves to its endpoint or its exact error", arguments: endpointRows)
func endpointRowResolves(_ row: EndpointRow) {
    #expect(describe(row, scratch: scratch) == row.expected)
}
