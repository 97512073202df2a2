import Foundation
import Manifest

#if canImport(Glibc)
    import Glibc
#endif

/// What the runner remembers about one sandbox between processes: above all its token, which the
/// engine does not give back. Kept per user in `STATE/PROJECT.json`, mode 0600 in a 0700 folder.
public struct SandboxRecord: Sendable, Hashable, Codable {
    public var name: String
    public var containerID: String
    public var deployment: String
    public var replica: Int
    /// The base URL, such as `http://127.0.0.1:32768`.
    public var url: String
    public var token: String
    public var engine: EngineIdentityRecord
    /// How to reach that engine again; nil in files written before it was kept.
    public var access: EngineAccess?
    /// The `up` that last created or kept it; nil in files written before claims were kept.
    public var claim: RunClaim?

    public init(
        name: String, containerID: String, deployment: String, replica: Int, url: String, token: String,
        engine: EngineIdentityRecord, access: EngineAccess? = nil, claim: RunClaim? = nil
    ) {
        self.name = name
        self.containerID = containerID
        self.deployment = deployment
        self.replica = replica
        self.url = url
        self.token = token
        self.engine = engine
        self.access = access
        self.claim = claim
    }
}

/// The engine a sandbox runs on, as shown to users.
public struct EngineIdentityRecord: Sendable, Hashable, Codable {
    public var kind: String
    public var runtime: String
    public var endpoint: String

    public init(kind: String, runtime: String, endpoint: String) {
        self.kind = kind
        self.runtime = runtime
        self.endpoint = endpoint
    }
}

/// Every remembered sandbox of one project, by container name.
public struct ProjectState: Sendable, Hashable, Codable {
    public var project: String
    public var sandboxes: [String: SandboxRecord]

    public init(project: String, sandboxes: [String: SandboxRecord] = [:]) {
        self.project = project
        self.sandboxes = sandboxes
    }

    /// The record for `DEPLOYMENT/N`.
    public func record(deployment: String, replica: Int) -> SandboxRecord? {
        sandboxes.values.first { $0.deployment == deployment && $0.replica == replica }
    }
}

/// The per-user state folder and its files. Writers hold the project lock; a file is replaced by
/// rename, so a reader sees the old or the new whole file, never half of one.
public final class StateStore: Sendable {
    public let folder: String
    private let lock = NSLock()

    public init(folder: String) {
        self.folder = folder
    }

    /// `$XDG_STATE_HOME/swerex-run`, else `$HOME/.local/state/swerex-run`.
    public static func defaultFolder(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/swerex-run"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/swerex-run"
    }

    /// The state file of `project`. Only names `ProjectName` accepts reach the file system, so the
    /// path never leaves the folder.
    public func path(project: String) -> String { folder + "/" + project + ".json" }

    /// The project's state; empty when there is no file yet.
    /// - Throws: `RunnerError` when the file exists but cannot be read or is not ours, or when
    ///   `project` is not a project name.
    public func load(project: String) throws(RunnerError) -> ProjectState {
        try ProjectName.check(project)
        let path = path(project: project)
        guard let data = FileManager.default.contents(atPath: path) else {
            return ProjectState(project: project)
        }
        do {
            return try JSONDecoder().decode(ProjectState.self, from: data)
        } catch {
            throw RunnerError(
                "state file \(path) is unreadable", hint: "remove it; `swerex-run down` still works by labels")
        }
    }

    /// Applies `change` to the project's state and writes it back (in this process, one at a time).
    public func update(project: String, _ change: (inout ProjectState) -> Void) throws(RunnerError) {
        lock.lock()
        defer { lock.unlock() }
        var state = try load(project: project)
        change(&state)
        // The file names its project too; the name asked for decides where it is written.
        state.project = project
        try save(state)
    }

    private func save(_ state: ProjectState) throws(RunnerError) {
        try ProjectName.check(state.project)
        try PrivateFolder.ensure(folder)
        let path = path(project: state.project)
        if state.sandboxes.isEmpty {
            unlink(path)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(state) else { throw RunnerError("cannot encode state for \(path)") }
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw RunnerError("cannot write \(temporary): \(errnoText())") }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced, rename(temporary, path) == 0 else {
            let text = errnoText()
            unlink(temporary)
            throw RunnerError("cannot write \(path): \(text)")
        }
    }
}
