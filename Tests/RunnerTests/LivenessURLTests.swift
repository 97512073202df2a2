import Runner
import Testing

@Suite("Liveness URL")
struct LivenessURLTests {
    @Test(
        "joins docker_internal_host and the published port",
        arguments: [
            ("http://127.0.0.1", 32768, "http://127.0.0.1:32768"),
            ("https://docker.example.test", 443, "https://docker.example.test:443"),
            ("http://[::1]", 8000, "http://[::1]:8000"),
            ("http://10.0.0.5:2375", 9000, "http://10.0.0.5:9000"),
        ])
    func joins(host: String, port: Int, expected: String) {
        #expect(LivenessURL(internalHost: host, port: port).description == expected)
    }

    @Test("reads back what it wrote")
    func roundTrip() {
        let url = LivenessURL(internalHost: "http://[::1]", port: 8000)
        #expect(LivenessURL(parsing: url.description) == url)
    }

    @Test("engines on this machine publish on loopback, engines on other hosts on every interface")
    func publishAddress() {
        let local = SandboxSpec(project: "p", deployment: Fixtures.deployment(), replica: 1)
        #expect(local.publishAddress == "127.0.0.1")
        var loopback = Fixtures.deployment()
        loopback.endpoint = .tcp(host: "127.0.0.1", port: 2376, tls: nil)
        #expect(SandboxSpec(project: "p", deployment: loopback, replica: 1).publishAddress == "127.0.0.1")
        loopback.endpoint = .ssh(user: "root", host: "localhost", port: 22220, socketPath: nil)
        #expect(SandboxSpec(project: "p", deployment: loopback, replica: 1).publishAddress == "127.0.0.1")
        var remote = Fixtures.deployment()
        remote.endpoint = .tcp(host: "192.0.2.10", port: 2376, tls: nil)
        #expect(SandboxSpec(project: "p", deployment: remote, replica: 1).publishAddress == nil)
        let elsewhere = Fixtures.deployment { $0.dockerInternalHost = "http://host.docker.internal" }
        #expect(SandboxSpec(project: "p", deployment: elsewhere, replica: 1).publishAddress == nil)
    }
}
