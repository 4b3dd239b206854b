public import ArgumentParser
import Foundation
import PressCore

/// `qpress`: the command-line front of QualityPress. Each verb is a few lines over the library.
/// Every subcommand gives its `commandName`: ArgumentParser would otherwise derive it from the type's name
/// (`String(describing:)`) on every run, a search of the binary's conformance records (4% of a tiny site's build).
public struct QPress: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "qpress",
        abstract: "Builds the quality association's website and anthologies from Markdown.",
        version: "0.1.0",
        subcommands: [Build.self, Check.self, Anthology.self, Serve.self, New.self, Init.self, Deploy.self, Cite.self],
        defaultSubcommand: Build.self
    )

    public init() {}

    /// Exit codes: 0 success, 1 content or template errors, 2 bad usage.
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            if code == .success { return 0 }
            if code == .validationFailure { return ExitStatus.usage }
            return code.rawValue
        }
    }
}

public enum ExitStatus {
    public static let success: Int32 = 0
    public static let contentErrors: Int32 = 1
    public static let usage: Int32 = 2
}

/// Prints diagnostics as `file:line:column: error: message`, one per line, on standard error.
enum Console {
    /// A build stopped by a signal exits as the signal would (128 + its number). It leaves the output folder as
    /// it was, unless the signal came once the new output was being moved in.
    static func stopped(by signal: Int32, output: URL, replaced: Bool) -> Never {
        let outcome = replaced ? "the build had finished and \(output.path) is new" : "\(output.path) is as it was"
        let message = "qpress: stopped by \(StopSignal.name(signal)); \(outcome)\n"
        FileHandle.standardError.write(Data(message.utf8))
        Foundation.exit(128 + signal)
    }

    static func printDiagnostics(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let text = diagnostics.map(\.description).joined(separator: "\n") + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static let isTerminal = isatty(STDERR_FILENO) == 1

    static func progress(_ message: String) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(message)".utf8))
    }

    static func clearProgress() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
