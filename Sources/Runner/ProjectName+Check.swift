import Manifest

extension ProjectName {
    /// - Throws: `RunnerError` naming the rule when `name` breaks it, so that such a name never
    ///   reaches a path in the state and lock folders.
    static func check(_ name: String) throws(RunnerError) {
        if let problem = problem(with: name) { throw RunnerError(problem) }
    }
}
