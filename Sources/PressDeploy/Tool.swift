import Dispatch
public import Foundation

/// What an external program printed and how it ended.
public struct ToolResult: Sendable {
    public var status: Int32
    /// True when the program was killed by a signal (`status` is then the signal number).
    public var signalled: Bool
    public var stdout: Data
    public var stderr: Data

    public var succeeded: Bool { status == 0 && !signalled }
    public var output: String { String(decoding: stdout, as: UTF8.self) }
    public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
}

/// A program started with Foundation's `Process`. Its output is read on Dispatch threads and its end
/// is awaited through a continuation, so no cooperative thread ever blocks on it.
public final class RunningTool: @unchecked Sendable {
    private let process: Process
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Starts `executable` (a path, or a name looked up in `PATH`). Standard input is `input`,
    /// or empty when nil, so a tool never waits for a terminal.
    /// After Ctrl-C only a `cleanup` tool may start (see `Interruption`).
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                input: Data? = nil, currentDirectory: URL? = nil, cleanup: Bool = false) throws(ToolError) {
        try Interruption.shared.admit(executable, cleanup: cleanup)
        let path = try Self.locate(executable, environment: environment ?? ProcessInfo.processInfo.environment)
        process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = input.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice

        group.enter() // the process ends
        process.terminationHandler = { [group] process in
            Interruption.shared.ended(process.processIdentifier)
            group.leave()
        }
        do {
            try Self.withDefaultSignalMask { try process.run() }
        } catch {
            group.leave()
            throw ToolError(tool: executable, message: "cannot start \(executable): \(error.localizedDescription)")
        }
        Interruption.shared.started(process.processIdentifier, cleanup: cleanup)
        read(out.fileHandleForReading) { data in self.lock.withLock { self.stdoutData = data } }
        read(err.fileHandleForReading) { data in self.lock.withLock { self.stderrData = data } }
        if let inputPipe, let input {
            Self.write(input, to: inputPipe.fileHandleForWriting)
        }
    }

    /// Writes a tool's standard input on a thread of its own. A tool that exits before reading it all
    /// (ssh refusing a host key) closes the pipe: that is its answer, and must not kill us with SIGPIPE.
    /// The signal is blocked on this thread only, and a pending one is consumed before the thread ends.
    private static func write(_ data: Data, to handle: FileHandle) {
        let thread = Thread {
            var pipeSignal = sigset_t(), previous = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
            try? handle.write(contentsOf: data)
            try? handle.close()
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var none = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &none)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        thread.start()
    }

    private func read(_ handle: FileHandle, into store: @escaping @Sendable (Data) -> Void) {
        group.enter()
        DispatchQueue.global().async { [group] in
            let data = (try? handle.readToEnd()) ?? Data()
            store(data)
            group.leave()
        }
    }

    /// posix_spawn gives the child the calling thread's signal mask, and Dispatch's worker threads (where
    /// async code runs) block nearly every signal: a tool started from there could not be stopped with
    /// SIGTERM or SIGINT. The mask is cleared around the spawn, on this thread only.
    private static func withDefaultSignalMask<T>(_ body: () throws -> T) rethrows -> T {
        var empty = sigset_t(), previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    /// Waits, without blocking a thread, until the program has ended and its output is read.
    public func wait() async -> ToolResult {
        await withCheckedContinuation { continuation in
            group.notify(queue: .global()) {
                let result = self.lock.withLock {
                    ToolResult(status: self.process.terminationStatus,
                               signalled: self.process.terminationReason == .uncaughtSignal,
                               stdout: self.stdoutData, stderr: self.stderrData)
                }
                continuation.resume(returning: result)
            }
        }
    }

    /// Sends a signal (default SIGTERM) to the program, if it still runs.
    public func signal(_ signal: Int32 = SIGTERM) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }

    /// Runs a program to its end.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           input: Data? = nil, currentDirectory: URL? = nil, cleanup: Bool = false) async throws(ToolError) -> ToolResult {
        let tool = try RunningTool(executable, arguments, environment: environment, input: input,
                                   currentDirectory: currentDirectory, cleanup: cleanup)
        return await tool.wait()
    }

    /// The full path of `name`, searched in `PATH` unless it contains a `/`.
    public static func locate(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ToolError) -> String {
        if name.contains("/") { return name }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        // Debian keeps sshd and nginx in sbin, which is not always on a user's PATH.
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"]
        for folder in folders {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolError(tool: name, message: "\(name) is not installed (Debian: apt-get install \(debianPackage[name] ?? name))")
    }

    private static let debianPackage = ["ssh": "openssh-client", "sshd": "openssh-server", "ssh-keygen": "openssh-client"]
}

public struct ToolError: Error, Sendable, CustomStringConvertible {
    public var tool: String
    public var message: String
    public var description: String { message }
}
