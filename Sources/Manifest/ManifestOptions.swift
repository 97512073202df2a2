public import Diagnostics

/// What to load: the manifest files in merge order and where variables come from.
public struct ManifestOptions: Sendable {
    /// Manifest files, merged in order (`-f base.yaml -f ci.yaml`).
    public var files: [String]
    /// `--env-file` files; later files win, and the process environment wins over all of them.
    public var envFiles: [String]
    /// The process environment: for interpolation, DOCKER_HOST, DOCKER_CONTEXT and the like.
    public var environment: [String: String]
    /// `--project-name`; nil takes `project:` from the manifest, else the first file's folder name.
    public var projectName: String?
    /// Where `~/.docker` is; nil takes HOME from `environment`.
    public var homeDirectory: String?

    public init(
        files: [String],
        envFiles: [String] = [],
        environment: [String: String] = [:],
        projectName: String? = nil,
        homeDirectory: String? = nil
    ) {
        self.files = files
        self.envFiles = envFiles
        self.environment = environment
        self.projectName = projectName
        self.homeDirectory = homeDirectory
    }
}

/// A manifest that loaded without errors, with the files' text for rendering its warnings.
public struct LoadedManifest: Sendable {
    public var project: Project
    /// The manifest files and env files as read, for `DiagnosticRenderer`.
    public var sources: [SourceFile]
    /// The secret values the files hold (values of secret-looking variables), never to be printed.
    public var secrets: Set<String>

    public init(project: Project, sources: [SourceFile], secrets: Set<String> = []) {
        self.project = project
        self.sources = sources
        self.secrets = secrets
    }

    /// A renderer for the warnings that quotes the files and hides the secrets.
    public func renderer(colour: Bool = false) -> DiagnosticRenderer {
        DiagnosticRenderer(sources: sources, colour: colour, secrets: secrets)
    }
}

/// Every problem found in the files (warnings included), in file order, when at least one is an error.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: DiagnosticList
    public var sources: [SourceFile]
    /// The secret values the files hold (values of secret-looking variables), never to be printed.
    public var secrets: Set<String>

    public init(diagnostics: DiagnosticList, sources: [SourceFile], secrets: Set<String> = []) {
        self.diagnostics = diagnostics
        self.sources = sources
        self.secrets = secrets
    }

    /// A renderer for the diagnostics that quotes the files and hides the secrets.
    public func renderer(colour: Bool = false) -> DiagnosticRenderer {
        DiagnosticRenderer(sources: sources, colour: colour, secrets: secrets)
    }

    /// The diagnostics rendered compiler-style, without colour, secrets hidden.
    public var description: String {
        renderer().render(diagnostics)
    }
}
