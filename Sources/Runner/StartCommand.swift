import ContainerEngine

/// The command a sandbox container runs: SWE-ReX's own, with its pipx fallback spelled so that it works.
public enum StartCommand {
    /// What stands for the token in the hashed form of the command, so the hash never sees a token.
    static let tokenPlaceholder = "{token}"

    /// The container's full argv: the exec shell, then the start script.
    /// - Parameters:
    ///   - execShell: the manifest's `exec_shell`, such as `["/bin/sh", "-c"]`.
    ///   - token: the sandbox's auth token.
    ///   - standaloneDir: `python_standalone_dir`, when the image was built with a standalone Python.
    public static func argv(execShell: [String], token: String, standaloneDir: String?) -> [String] {
        execShell + [script(token: token, standaloneDir: standaloneDir)]
    }

    /// The shell text: `swerex-remote` from PATH, else pipx running the package's own console script.
    /// SWE-ReX writes `pipx run swe-rex`, which fails because the package's script is `swerex-remote`.
    public static func script(token: String, standaloneDir: String?) -> String {
        if let standaloneDir {
            return "\(StandaloneImage.remoteExecutable(in: standaloneDir)) --auth-token \(token)"
        }
        return "swerex-remote --auth-token \(token) || (python3 -m pip install pipx && python3 -m pipx ensurepath"
            + " && python3 -m pipx run --spec swe-rex swerex-remote --auth-token \(token))"
    }
}
