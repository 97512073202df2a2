import Foundation
import Manifest

#if canImport(Glibc)
    import Glibc
#endif

/// A per-project advisory lock (`flock`) held from observing the engine to the last change, so two
/// applies on one project never plan from the same snapshot. Released when the value is released.
public final class ProjectLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// The folder for lock files: `$XDG_RUNTIME_DIR/swerex-run` when that exists, else
    /// `/tmp/swerex-run-UID`, created with mode 0700 and refused when someone else owns it.
    public static func folder(environment: [String: String]) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty,
            FileManager.default.fileExists(atPath: runtime)
        {
            return runtime + "/swerex-run"
        }
        return "/tmp/swerex-run-\(getuid())"
    }

    /// Takes the lock for `project`, waiting while another process holds it.
    /// - Parameters:
    ///   - onWait: called once, with the holder's pid when known, if the lock is busy.
    /// - Throws: `RunnerError` when the lock file cannot be made or `project` is not a project name;
    ///   `CancellationError` when cancelled.
    public static func acquire(
        project: String,
        folder: String,
        onWait: (Int?) -> Void = { _ in }
    ) async throws -> ProjectLock {
        try ProjectName.check(project)
        try PrivateFolder.ensure(folder)
        let path = folder + "/" + project + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw RunnerError("cannot open lock file \(path): \(errnoText())") }
        var waited = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let text = errnoText()
                close(fd)
                throw RunnerError("cannot lock \(path): \(text)")
            }
            if !waited {
                waited = true
                onWait(holder(of: path))
            }
            do {
                try await Task.sleep(nanoseconds: 100_000_000)
            } catch {
                close(fd)
                throw error
            }
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.utf8.count, 0)
        return ProjectLock(path: path, descriptor: fd)
    }

    private static func holder(of path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A folder only this user may enter: made with mode 0700, refused if another user owns it.
enum PrivateFolder {
    static func ensure(_ path: String) throws(RunnerError) {
        var parent = ""
        for component in path.split(separator: "/") {
            parent += "/" + component
            if mkdir(parent, 0o700) != 0 && errno != EEXIST {
                throw RunnerError("cannot create folder \(parent): \(errnoText())")
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw RunnerError("cannot read folder \(path): \(errnoText())") }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw RunnerError("\(path) is not a folder", hint: "remove it and run again")
        }
        guard info.st_uid == getuid() else {
            throw RunnerError(
                "folder \(path) belongs to another user (uid \(info.st_uid))",
                hint: "remove it, or set XDG_RUNTIME_DIR / XDG_STATE_HOME to a folder of your own")
        }
    }
}
