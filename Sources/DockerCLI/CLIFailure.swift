internal import ContainerEngine
internal import Foundation

/// Turns what a failed `docker` or `podman` command printed into a typed `EngineError`.
///
/// The CLIs only say what went wrong in their stderr text, so this matches the phrases both of them
/// print (docker 20.10–28, podman 4) and leaves anything else as `.engineError` with the text itself.
struct CLIFailure: Sendable {
    /// What the failed call was about, so the message can name it.
    struct Subject: Sendable, Hashable {
        var container: String?
        var image: String?
        var hostPort: Int?
        /// Whether `docker_args` publish ports of their own.
        var argumentsPublish = false

        init(container: String? = nil, image: String? = nil, hostPort: Int? = nil, argumentsPublish: Bool = false) {
            self.container = container
            self.image = image
            self.hostPort = hostPort
            self.argumentsPublish = argumentsPublish
        }
    }

    /// `docker` or `podman`.
    var runtime: String
    /// The subcommand, such as `run` or `image inspect`.
    var action: String
    var subject: Subject

    init(runtime: String, action: String, subject: Subject = Subject()) {
        self.runtime = runtime
        self.action = action
        self.subject = subject
    }

    /// Which kind of failure `stderr` describes.
    /// - Parameter stderr: everything the command wrote to stderr.
    /// - Returns: the matching code, `.engineError` when no phrase matched.
    static func code(for stderr: String) -> EngineError.Code {
        let text = stderr.lowercased()
        let rules: [(EngineError.Code, [String])] = [
            // ssh first: its failures quote "connection refused" from the ssh client.
            (.sshFailure, ["system dial-stdio", "command [ssh", "ssh: connect to host", "ssh: could not resolve"]),
            (.permissionDenied, ["permission denied while trying to connect"]),
            (
                .tlsFailure,
                [
                    "x509:", "tls: ", "remote error: tls", "tls handshake", "http response to https client",
                    "http request to an https server", "could not read ca certificate", "tlsverify",
                ]
            ),
            (
                .cannotConnect,
                ["cannot connect to the docker daemon", "cannot connect to podman", "error during connect"]
            ),
            (.nameInUse, ["is already in use by", "name is already in use"]),
            (.portAllocated, ["port is already allocated", "address already in use"]),
            (
                .noSuchImage,
                [
                    "no such image", "image not known", "pull access denied", "repository does not exist",
                    "manifest unknown", "unable to find image", "no image found in manifest list",
                ]
            ),
            (.noSuchContainer, ["no such container", "no container with name or id"]),
        ]
        for (code, phrases) in rules where phrases.contains(where: text.contains) {
            return code
        }
        return .engineError
    }

    /// The error a failed command stands for, with a message naming the subject and a hint.
    /// - Parameters:
    ///   - status: the command's exit status.
    ///   - stderr: everything it wrote to stderr.
    func error(status: Int32, stderr: String) -> EngineError {
        let detail = Self.lastLines(of: stderr)
        let code = Self.code(for: stderr)
        let (message, hint) = describe(code, detail: detail)
        return EngineError(code, message, hint: hint, status: Int(status))
    }

    private func describe(_ code: EngineError.Code, detail: String) -> (String, String?) {
        let failed = "`\(runtime) \(action)` failed: \(detail)"
        switch code {
        case .sshFailure:
            return (failed, "check that the ssh destination accepts key login and runs `docker system dial-stdio`")
        case .permissionDenied:
            return (
                failed,
                "this user may not open the engine's socket: add it to the socket's group (such as `docker`), "
                    + "or use a TCP endpoint"
            )
        case .tlsFailure:
            return (
                failed,
                "check the endpoint speaks TLS and that docker_cert_path holds the ca.pem, cert.pem and key.pem it expects"
            )
        case .cannotConnect:
            return (failed, "start the \(runtime) daemon, or check docker_endpoint / DOCKER_HOST in docker_env")
        case .nameInUse:
            let name = subject.container.map { "`\($0)`" } ?? "with that name"
            return (
                "a container \(name) already exists: \(detail)",
                "remove it (`\(runtime) rm -f \(subject.container ?? "NAME")`) or choose another name"
            )
        case .portAllocated:
            guard let port = subject.hostPort else {
                let words = ChosenPortRetry.conflictWords(argumentsPublish: subject.argumentsPublish)
                return ("\(words.what): \(detail)", words.hint)
            }
            return (
                "host port \(port) is already in use: \(detail)",
                "free the port, or leave `port` unset to get a free one"
            )
        case .noSuchImage:
            let image = subject.image.map { "image `\($0)`" } ?? "the image"
            return (
                "\(image) is not available: \(detail)",
                "build or pull it first, or set `pull: missing` so it is pulled when absent"
            )
        case .noSuchContainer:
            let name = subject.container.map { "`\($0)`" } ?? ""
            return ("no container \(name) found: \(detail)", nil)
        default:
            return (failed, nil)
        }
    }

    /// The last few non-empty lines of `text`, joined: the error, without a screen of progress before it.
    static func lastLines(of text: String, count: Int = 3) -> String {
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !isBoilerplate($0) }
        let kept = lines.suffix(count).joined(separator: " / ")
        return kept.isEmpty ? "no error text" : kept
    }

    /// Lines the docker CLI adds around every error that say nothing about it: `Run 'docker run --help'
    /// for more information`, and the legacy builder's deprecation notice.
    private static func isBoilerplate(_ line: String) -> Bool {
        (line.hasPrefix("Run '") && line.hasSuffix("for more information"))
            || line.hasPrefix("DEPRECATED: The legacy builder is deprecated")
            || line.hasPrefix("Install the buildx component")
            || line.hasPrefix("https://docs.docker.com/go/buildx")
    }
}
