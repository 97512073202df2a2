import Foundation
import Manifest
import Testing

@Suite("config output")
struct RendererTests {
    let files = ManifestFiles()

    private let manifest = """
        project: demo
        defaults:
          image: swerex-sandbox:test
          engine: cli
        deployments:
          web:
            replicas: 2
            docker_args: [-e, API_TOKEN=abc, --env=PLAIN=ok, -eDB_PASSWORD=pw, --rm]
            docker_env:
              GITHUB_TOKEN: ghp_secret
              my_api_key: key-value-1
              Secret_Sauce: sauce-value-2
              Password: pass-value-3
              LANG: C.UTF-8

        """

    @Test("Secret-looking docker_env values and -e values are redacted in YAML and JSON")
    func secretsAreRedacted() throws {
        let loaded = try files.load(manifest)
        for format in [ManifestRenderer.Format.yaml, .json] {
            let text = ManifestRenderer.render(loaded, format: format, explain: true)
            for secret in ["ghp_secret", "=abc", "=pw", "key-value-1", "sauce-value-2", "pass-value-3"] {
                #expect(!text.contains(secret), "\(format) output shows \(secret)")
            }
            #expect(text.contains("C.UTF-8"))
            #expect(text.contains("PLAIN=ok"))
        }
    }

    @Test("The YAML output loads again as the same project")
    func yamlOutputRoundTrips() throws {
        let loaded = try files.load(
            "project: demo\ndefaults: {image: 'a:1', port: 8001}\ndeployments:\n  one: {replicas: 3, port: null}\n"
                + "  two: {engine: cli, docker_args: ['-c', 'x y']}\n"
        )
        let text = ManifestRenderer.render(loaded, format: .yaml, explain: true)
        files.write("again.yaml", text)
        let again = try files.load(["again.yaml"])
        #expect(again.project.name == loaded.project.name)
        // The output writes the engine and endpoint it resolved in place of auto and null, so only
        // where they came from differs.
        let strip = { (project: Project) in
            project.deployments.map { deployment in
                var copy = deployment
                (copy.endpointSource, copy.engineReason) = ("", "")
                (copy.config.engine, copy.config.dockerEndpoint) = (.auto, nil)
                return copy
            }
        }
        #expect(strip(again.project) == strip(loaded.project))
    }

    @Test("The JSON output is JSON with each deployment's reasons under explain")
    func jsonOutput() throws {
        let loaded = try files.load("image: swerex-sandbox:test\n")
        let text = ManifestRenderer.render(loaded, format: .json, explain: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let deployments = try #require(object["deployments"] as? [String: [String: Any]])
        let manifest = try #require(deployments["manifest"])
        #expect(manifest["engine"] as? String == "sdk")
        #expect(manifest["docker_endpoint"] as? String == "unix:///var/run/docker.sock")
        let explain = try #require(manifest["explain"] as? [String: String])
        #expect(
            explain == ["engine": "auto: container_runtime docker uses the Docker Engine API", "endpoint": "default"])
        let plain = ManifestRenderer.render(loaded, format: .json, explain: false)
        #expect(!plain.contains("explain"))
    }

    @Test("The YAML output explains engine and endpoint in comments")
    func yamlExplains() throws {
        let loaded = try files.load("image: swerex-sandbox:test\n")
        let text = ManifestRenderer.render(loaded, format: .yaml, explain: true)
        #expect(text.contains("    engine: sdk  # auto: container_runtime docker uses the Docker Engine API\n"))
        #expect(text.contains("    docker_endpoint: unix:///var/run/docker.sock  # from default\n"))
        #expect(!ManifestRenderer.render(loaded, format: .yaml, explain: false).contains("#  "))
    }
}
