import Diagnostics

/// Turns `argv` (without the program name) into what to run. Written by hand: the package takes no
/// outside dependencies. Options may come before or after the command; `--` ends them.
public struct ArgumentParser {
    /// Whether a path names an existing file: a first word that is neither a command nor a file is
    /// reported as a mistyped command.
    var fileExists: (String) -> Bool

    private var command: CommandName?
    private var positionals: [String] = []
    private var options: [(spec: OptionSpec, value: String, spelling: String)] = []
    private var execCommand: [String]?
    private var wantsHelp = false
    private var wantsVersion = false
    private var helpTopic: String?

    public init(fileExists: @escaping (String) -> Bool) {
        self.fileExists = fileExists
    }

    /// - Throws: `UsageError` for anything that cannot be run as written.
    public static func parse(
        _ arguments: [String],
        fileExists: @escaping (String) -> Bool
    ) throws(UsageError) -> ParsedCommandLine {
        var parser = ArgumentParser(fileExists: fileExists)
        return try parser.run(arguments)
    }

    private mutating func run(_ arguments: [String]) throws(UsageError) -> ParsedCommandLine {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            // After exec's DEPLOYMENT: with a `--` still to come, options before it are read wherever
            // they stand (as kubectl exec does); without one, the command starts here (as docker exec).
            if command == .exec && !positionals.isEmpty && (argument == "--" || !arguments[index...].contains("--")) {
                execCommand = argument == "--" ? Array(arguments[index...]) : Array(arguments[(index - 1)...])
                break
            }
            if argument == "--" {
                positionals += arguments[index...]
                break
            }
            if argument.hasPrefix("--") {
                try readLong(argument, arguments, &index)
            } else if argument.hasPrefix("-") && argument.count > 1 {
                try readShort(argument, arguments, &index)
            } else {
                try readPositional(argument)
            }
        }
        if wantsHelp { return .help(command) }
        if let helpTopic {
            guard !helpTopic.isEmpty else { return .help(nil) }
            guard let topic = CommandName(spelling: helpTopic) else {
                throw UsageError(
                    "Unknown command '\(helpTopic)'.\(Self.didYouMean(helpTopic, Self.commandSpellings))", command: nil)
            }
            return .help(topic)
        }
        if wantsVersion { return .version }
        return .run(try finish())
    }

    private mutating func readLong(_ argument: String, _ arguments: [String], _ index: inout Int) throws(UsageError) {
        let body = argument.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        guard let spec = OptionTable.find(long: name) else {
            let candidates = OptionTable.all.filter { command.map($0.applies(to:)) ?? true }.map { "--" + $0.long }
            throw UsageError(
                "Unknown option '--\(name)'.\(Self.didYouMean("--" + name, candidates))", command: command)
        }
        if spec.takesValue {
            if let inline {
                record(spec, inline, "--" + name)
            } else {
                record(spec, try nextValue(for: spec, spelling: "--" + name, arguments, &index), "--" + name)
            }
        } else {
            guard inline == nil else { throw UsageError("Option '--\(name)' takes no value.", command: command) }
            record(spec, "", "--" + name)
        }
    }

    private mutating func readShort(_ argument: String, _ arguments: [String], _ index: inout Int) throws(UsageError) {
        var rest = argument.dropFirst()
        while let letter = rest.first {
            rest = rest.dropFirst()
            guard let spec = OptionTable.find(short: letter) else {
                throw UsageError("Unknown option '-\(letter)'.", command: command)
            }
            guard spec.takesValue else {
                record(spec, "", "-\(letter)")
                continue
            }
            if rest.isEmpty {
                record(spec, try nextValue(for: spec, spelling: "-\(letter)", arguments, &index), "-\(letter)")
            } else {
                record(spec, String(rest), "-\(letter)")
            }
            return
        }
    }

    private mutating func record(_ spec: OptionSpec, _ value: String, _ spelling: String) {
        switch spec.long {
        case "help": wantsHelp = true
        case "version": wantsVersion = true
        default: options.append((spec, value, spelling))
        }
    }

    private func nextValue(
        for spec: OptionSpec,
        spelling: String,
        _ arguments: [String],
        _ index: inout Int
    ) throws(UsageError) -> String {
        // A negative number is a value (`--tail -1`), never an option: no option is spelled with a digit.
        guard index < arguments.count, !Self.looksLikeOption(arguments[index]) || Int(arguments[index]) != nil else {
            throw UsageError("Missing value for '\(spelling) \(spec.valueName ?? "")'.", command: command)
        }
        index += 1
        return arguments[index - 1]
    }

    private mutating func readPositional(_ argument: String) throws(UsageError) {
        if command == nil && positionals.isEmpty && helpTopic == nil {
            if argument == "help" {
                helpTopic = ""
                return
            }
            if let named = CommandName(spelling: argument) {
                command = named
                return
            }
            let pathLike = argument.contains("/") || argument.contains(".")
            if !pathLike && !fileExists(argument),
                let suggestion = EditDistance.suggestion(for: argument, among: Self.commandSpellings)
            {
                throw UsageError("Unknown command '\(argument)'. Did you mean '\(suggestion)'?", command: nil)
            }
            command = .up
        } else if helpTopic == "" {
            helpTopic = argument
            return
        }
        positionals.append(argument)
    }

    /// Checks that every option belongs to the command and every argument is where it should be.
    private mutating func finish() throws(UsageError) -> Invocation {
        let command = self.command ?? .up
        var invocation = Invocation()
        invocation.command = command
        for (spec, value, spelling) in options {
            guard spec.applies(to: command) else {
                throw UsageError("Option '\(spelling)' does not apply to '\(command.rawValue)'.", command: command)
            }
            do {
                try spec.apply(&invocation, value)
            } catch {
                throw UsageError(error.message, command: command)
            }
        }
        let spelled = Set(options.map(\.spec.long))
        if spelled.contains("verbose") && spelled.contains("quiet") {
            throw UsageError("Options '--verbose' and '--quiet' cannot be used together.", command: command)
        }
        try checkOutput(invocation.output, command)
        try placePositionals(into: &invocation)
        return invocation
    }

    private func placePositionals(into invocation: inout Invocation) throws(UsageError) {
        let command = invocation.command
        switch command {
        case .exec:
            guard let first = positionals.first else {
                throw UsageError("Missing the sandbox to run in: DEPLOYMENT[/N].", command: command)
            }
            invocation.target = try Self.target(first, command)
            if execCommand != nil, positionals.count > 1 {
                throw UsageError(
                    "Unexpected '\(positionals[1])' between DEPLOYMENT[/N] and '--': the command goes after '--'.",
                    command: command)
            }
            invocation.execCommand = execCommand ?? Array(positionals.dropFirst())
            guard !invocation.execCommand.isEmpty else {
                throw UsageError("Missing the command to run after '--'.", command: command)
            }
        case .logs:
            guard positionals.count == 1 else {
                let problem = positionals.isEmpty ? "Missing" : "Only one sandbox at a time:"
                throw UsageError("\(problem) DEPLOYMENT[/N].", command: command)
            }
            invocation.target = try Self.target(positionals[0], command)
        case .down where invocation.downProject != nil:
            guard positionals.isEmpty && invocation.files.isEmpty else {
                throw UsageError("Give manifest files or '--project NAME', not both.", command: command)
            }
        case .validate:
            invocation.files += positionals
            invocation.fileArguments = positionals
            guard !invocation.files.isEmpty else { throw UsageError("Missing FILE to validate.", command: command) }
        default:
            invocation.files += positionals
            invocation.fileArguments = positionals
        }
    }

    private func checkOutput(_ output: String?, _ command: CommandName) throws(UsageError) {
        guard let output else { return }
        let formats = command == .config ? ["yaml", "json"] : ["text", "json"]
        guard formats.contains(output) else {
            throw UsageError(
                "Option '--output' takes \(formats[0]) or \(formats[1]), not '\(output)'.", command: command)
        }
    }

    private static func target(_ text: String, _ command: CommandName) throws(UsageError) -> Invocation.Target {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else {
            throw UsageError("'\(text)' is not DEPLOYMENT or DEPLOYMENT/N.", command: command)
        }
        guard parts.count == 2 else { return Invocation.Target(deployment: text, replica: nil) }
        guard let replica = Int(parts[1]), replica >= 1 else {
            throw UsageError("'\(text)': the replica number N counts from 1.", command: command)
        }
        return Invocation.Target(deployment: String(parts[0]), replica: replica)
    }

    private static func looksLikeOption(_ text: String) -> Bool {
        text.hasPrefix("-") && text.count > 1
    }

    private static let commandSpellings = CommandName.allCases.flatMap { [$0.rawValue] + $0.aliases } + ["help"]

    private static func didYouMean(_ typed: String, _ candidates: [String]) -> String {
        EditDistance.suggestion(for: typed, among: candidates).map { " Did you mean '\($0)'?" } ?? ""
    }
}
