internal import Foundation

/// Finds a program the way a shell does.
enum ProgramLookup {
    /// The absolute path of `program`: itself when it contains a slash, else the first executable
    /// file of that name in `path`'s folders.
    static func find(_ program: String, path: String?) -> String? {
        if program.contains("/") {
            return isExecutableFile(program) ? program : nil
        }
        let folders = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.lazy.filter { !$0.isEmpty }.map { "\($0)/\(program)" }.first(where: isExecutableFile)
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
