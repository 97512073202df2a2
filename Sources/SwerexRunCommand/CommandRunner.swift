/// Runs one parsed command and turns its outcome into an exit status.
struct CommandRunner {
    var invocation: Invocation
    var environment: [String: String]

    func run() async -> Int32 {
        Console.standardError.write("error: \(invocation.command.rawValue) is not built yet\n")
        return ExitStatus.failure
    }
}
