import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The command-line entry point; the executable only calls `main()`.
public enum SwerexRun {
    public static func main() async -> Never {
        // A closed stdout (`swerex-run up | head -1`) must not kill a run that holds sandboxes:
        // writes then fail with EPIPE, which `Console` treats as "nobody reads this any more".
        signal(SIGPIPE, SIG_IGN)
        let status = await run(
            Array(CommandLine.arguments.dropFirst()),
            environment: ProcessInfo.processInfo.environment
        )
        exit(status)
    }

    /// Parses `arguments` and runs the command; returns the exit status.
    public static func run(_ arguments: [String], environment: [String: String]) async -> Int32 {
        if arguments.first == "debug" {
            return DebugCommand.run(Array(arguments.dropFirst()), environment: environment)
        }
        let parsed: ParsedCommandLine
        do {
            parsed = try ArgumentParser.parse(arguments) { FileManager.default.fileExists(atPath: $0) }
        } catch {
            Console.standardError.write(HelpText.usageError(error))
            return ExitStatus.usage
        }
        switch parsed {
        case .version:
            Console.standardOutput.write(HelpText.version)
            return ExitStatus.success
        case .help(let command):
            Console.standardOutput.write(command.map(HelpText.help) ?? HelpText.overview())
            return ExitStatus.success
        case .run(let invocation):
            return await CommandRunner(invocation: invocation, environment: environment).run()
        }
    }
}

/// The exit statuses this tool uses.
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let changesPending: Int32 = 2
    public static let usage: Int32 = 64
    public static let hungUp: Int32 = 129
    public static let interrupted: Int32 = 130
    public static let terminated: Int32 = 143
}
