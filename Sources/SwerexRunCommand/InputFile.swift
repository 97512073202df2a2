import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Checks a manifest or env file before it is loaded, so that what is wrong with the file itself
/// (a folder, no permission, a symbolic link loop, a pipe) is said plainly and before anything
/// that follows from it.
enum InputFile {
    /// Why `path` cannot be read as a file, or nil when it can.
    static func problem(_ path: String) -> String? {
        if path == "-" {
            return "reading from standard input ('-') is not supported: save it to a file and pass that"
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return openProblem(path, errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return String(cString: strerror(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "it is a directory"
        default: return "it is a pipe or a device, not a regular file: save its content to a file and pass that"
        }
    }

    private static func openProblem(_ path: String, _ code: Int32) -> String {
        switch code {
        case ENOENT:
            var info = stat()
            if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                return "it is a symbolic link to \(target), which does not exist"
            }
            return "it does not exist"
        case EACCES: return "permission denied"
        case ELOOP: return "too many levels of symbolic links (a symbolic link loop?)"
        case ENOTDIR: return "a part of its path is not a directory"
        default: return String(cString: strerror(code))
        }
    }
}
