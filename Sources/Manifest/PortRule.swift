import ContainerEngine
import Diagnostics

/// Explicit host ports that `up` could never publish: one port for several replicas of a deployment,
/// or one port for two deployments whose sandboxes run on the same host.
enum PortRule {
    /// - Parameters:
    ///   - entries: the deployments as the manifest lists them, in step with `deployments`.
    static func check(
        _ entries: [DeploymentEntry],
        _ deployments: [ResolvedDeployment],
        into diagnostics: inout [Diagnostic]
    ) {
        var taken: [PublishedPort: (name: String, location: SourceLocation?)] = [:]
        taken.reserveCapacity(deployments.count)
        for (entry, deployment) in zip(entries, deployments) {
            guard let port = deployment.config.port else { continue }
            let location = entry.decoded.nodes["port"]?.location ?? entry.anchor
            if deployment.replicas > 1 {
                let message =
                    "deployment '\(deployment.name)' has \(deployment.replicas) replicas but one port, \(port): "
                    + "one host port takes one sandbox (remove port to pick free ports, or set replicas: 1)"
                var diagnostic = Diagnostic.error(message, at: location)
                if let replicas = entry.decoded.nodes["replicas"] {
                    diagnostic.notes = [.note("replicas is set here", at: replicas.location)]
                }
                diagnostics.append(diagnostic)
            }
            let key = PublishedPort(host: host(of: deployment.endpoint), port: port)
            guard let first = taken[key] else {
                taken[key] = (deployment.name, location)
                continue
            }
            var clash = Diagnostic.error(
                "deployment '\(deployment.name)' publishes port \(port), as deployment '\(first.name)' does on the "
                    + "same host: one host port takes one sandbox (remove port from one of them)",
                at: location
            )
            if first.location != location {
                clash.notes = [.note("deployment '\(first.name)' takes port \(port) here", at: first.location)]
            }
            diagnostics.append(clash)
        }
    }

    private struct PublishedPort: Hashable {
        var host: String
        var port: Int
    }

    /// Where the endpoint's daemon publishes ports: this machine for a unix socket or a loopback
    /// address (two local daemons share its ports), else the remote host.
    private static func host(of endpoint: DockerEndpoint) -> String {
        guard let remote = endpoint.remoteHost?.lowercased(), !InternalHost.isLoopback(remote) else { return "" }
        return remote
    }
}
