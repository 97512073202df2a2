/// Which project names the runner accepts: the rule docs/manifest.md gives (lowercase letters,
/// digits, `_` and `-`, starting with a letter or digit). A project name becomes a file name in the
/// state and lock folders, so a name that breaks the rule never reaches a path.
public enum ProjectNameRule {
    /// Why `name` is not a project name, or nil when it is one.
    public static func problem(with name: String) -> String? {
        guard let first = name.unicodeScalars.first, isLetterOrDigit(first),
            name.unicodeScalars.allSatisfy({ isLetterOrDigit($0) || $0 == "_" || $0 == "-" })
        else {
            return "project name '\(name)' must be lowercase letters, digits, '_' and '-', "
                + "starting with a letter or digit"
        }
        return nil
    }

    /// - Throws: `RunnerError` naming the rule when `name` breaks it.
    static func check(_ name: String) throws(RunnerError) {
        if let problem = problem(with: name) { throw RunnerError(problem) }
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
