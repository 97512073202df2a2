import Digest
import Foundation

/// The docker CLI's context store: `<config>/contexts/meta/<sha256(name)>/meta.json` holds the endpoint,
/// `<config>/contexts/tls/<sha256(name)>/docker/` the TLS files. `<config>` is `DOCKER_CONFIG`, else
/// `~/.docker`.
struct DockerContextStore: Sendable {
    /// One context's Docker endpoint as stored.
    struct Context: Sendable, Hashable {
        var name: String
        /// The `Host` as stored; empty means the default socket.
        var host: String
        var skipTLSVerify: Bool
        /// The folder with the context's `ca.pem`, `cert.pem`, `key.pem`, when it has any.
        var tlsDirectory: String?
    }

    struct Failure: Error, Sendable, Hashable {
        var message: String
    }

    var configDirectory: String

    /// The store for an environment, or nil when neither `DOCKER_CONFIG` nor a home folder is known.
    init?(environment: [String: String], homeDirectory: String?) {
        if let config = environment["DOCKER_CONFIG"], !config.isEmpty {
            configDirectory = config
        } else if let home = homeDirectory, !home.isEmpty {
            configDirectory = (home as NSString).appendingPathComponent(".docker")
        } else {
            return nil
        }
    }

    var configFile: String { (configDirectory as NSString).appendingPathComponent("config.json") }

    /// `currentContext` from config.json, or nil when the file or the key is absent or empty.
    func currentContext() throws(Failure) -> String? {
        guard let data = FileManager.default.contents(atPath: configFile) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: data), let root = object as? [String: Any] else {
            throw Failure(message: "the docker config \(configFile) is not a JSON object")
        }
        guard let name = root["currentContext"] as? String, !name.isEmpty else { return nil }
        return name
    }

    /// The stored context called `name`.
    func context(named name: String) throws(Failure) -> Context {
        let hash = SHA256.hex(name)
        let contexts = (configDirectory as NSString).appendingPathComponent("contexts")
        let metaFile = "\(contexts)/meta/\(hash)/meta.json"
        guard let data = FileManager.default.contents(atPath: metaFile) else {
            throw Failure(message: "docker context '\(name)' does not exist: \(metaFile) is missing")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let root = object as? [String: Any] else {
            throw Failure(message: "docker context '\(name)': \(metaFile) is not a JSON object")
        }
        let endpoints = root["Endpoints"] as? [String: Any]
        guard let docker = endpoints?["docker"] as? [String: Any] else {
            throw Failure(message: "docker context '\(name)' has no docker endpoint in \(metaFile)")
        }
        let tlsDirectory = "\(contexts)/tls/\(hash)/docker"
        let hasTLS = ["ca.pem", "cert.pem", "key.pem"].contains {
            FileManager.default.fileExists(atPath: "\(tlsDirectory)/\($0)")
        }
        return Context(
            name: name,
            host: docker["Host"] as? String ?? "",
            skipTLSVerify: docker["SkipTLSVerify"] as? Bool ?? false,
            tlsDirectory: hasTLS ? tlsDirectory : nil
        )
    }
}
