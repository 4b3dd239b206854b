import Foundation

/// WeasyPrint, run as a child process: print HTML in, PDF out. The wait happens in a
/// continuation resumed by the process's termination handler, so no cooperative thread blocks.
public struct WeasyPrint: Sendable {
    /// The pinned version `install-deps.sh` installs.
    public static let pinnedVersion = "70.0"

    /// The command: `weasyprint` or what `QPRESS_WEASYPRINT` names, or `python3` with `-m weasyprint`.
    public let executable: URL
    public let leadingArguments: [String]

    public init(executable: URL, leadingArguments: [String] = []) {
        self.executable = executable
        self.leadingArguments = leadingArguments
    }

    /// `$QPRESS_WEASYPRINT`, else `weasyprint` on the `PATH`, else `python3 -m weasyprint` when python3
    /// can import it (pip may install the module without putting a script on the PATH); nil otherwise.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> WeasyPrint? {
        let fileManager = FileManager.default
        if let override = environment["QPRESS_WEASYPRINT"], !override.isEmpty {
            return fileManager.isExecutableFile(atPath: override) ? WeasyPrint(executable: URL(fileURLWithPath: override)) : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        if let script = folders.map({ $0.appendingPathComponent("weasyprint") }).first(where: { fileManager.isExecutableFile(atPath: $0.path) }) {
            return WeasyPrint(executable: script)
        }
        guard let python = folders.map({ $0.appendingPathComponent("python3") }).first(where: { fileManager.isExecutableFile(atPath: $0.path) }) else {
            return nil
        }
        let probe = Process()
        probe.executableURL = python
        probe.arguments = ["-c", "import weasyprint"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? WeasyPrint(executable: python, leadingArguments: ["-m", "weasyprint"]) : nil
    }

    /// What to tell someone whose machine has no WeasyPrint.
    public static let installHint = "WeasyPrint is not installed, so the PDF cannot be made: run ./install-deps.sh "
        + "(or: python3 -m pip install weasyprint==\(pinnedVersion); apt-get install fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0), "
        + "set QPRESS_WEASYPRINT to its path, or build with --no-pdf"

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Renders `html` to `pdf`. Returns WeasyPrint's warnings (its standard error), throws when it fails.
    public func render(html: URL, to pdf: URL) async throws(Failure) -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-weasyprint-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = executable
        process.arguments = leadingArguments + ["--base-url", html.deletingLastPathComponent().path + "/", html.path, pdf.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let status: Int32
        do {
            // A file, not a pipe: a chatty child can never fill a pipe nobody reads.
            let handle = try FileHandle(forWritingTo: log)
            defer { try? handle.close() }
            process.standardError = handle
            status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, Error>) in
                process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(throwing: error)
                }
            }
        } catch {
            throw Failure(description: "cannot run \(executable.path): \(error.localizedDescription)")
        }
        let messages = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0, FileManager.default.fileExists(atPath: pdf.path) else {
            let tail = messages.split(separator: "\n").suffix(8).joined(separator: "\n")
            throw Failure(description: "WeasyPrint failed (exit status \(status))\(tail.isEmpty ? "" : ":\n" + tail)")
        }
        return messages
    }
}
