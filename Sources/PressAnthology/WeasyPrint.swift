public import Foundation

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

    /// Runs through QualityPress's print script (`printScript`), which needs WeasyPrint as a Python module.
    public var isPythonModule: Bool { leadingArguments == ["-m", "weasyprint"] }

    /// `$QPRESS_WEASYPRINT` (a `weasyprint` command: no padding to signatures, no CJK justification), else
    /// `python3 -m weasyprint` when python3 can import it, else `weasyprint` on the `PATH`; nil otherwise.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> WeasyPrint? {
        let fileManager = FileManager.default
        if let override = environment["QPRESS_WEASYPRINT"], !override.isEmpty {
            return fileManager.isExecutableFile(atPath: override) ? WeasyPrint(executable: URL(fileURLWithPath: override)) : nil
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        let script = folders.map({ $0.appendingPathComponent("weasyprint") }).first(where: { fileManager.isExecutableFile(atPath: $0.path) })
        guard let python = folders.map({ $0.appendingPathComponent("python3") }).first(where: { fileManager.isExecutableFile(atPath: $0.path) }) else {
            return script.map { WeasyPrint(executable: $0) }
        }
        // Found beside the Python that would import it: no Python started (about a second per build).
        if environment["PYTHONPATH"] == nil, installedVersion(python: python) != nil {
            return WeasyPrint(executable: python, leadingArguments: ["-m", "weasyprint"])
        }
        let probe = Process()
        probe.executableURL = python
        probe.arguments = ["-c", "import weasyprint"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return nil }
        probe.waitUntilExit()
        if probe.terminationStatus == 0 { return WeasyPrint(executable: python, leadingArguments: ["-m", "weasyprint"]) }
        return script.map { WeasyPrint(executable: $0) }
    }

    /// The version of the weasyprint package installed in `python`'s own prefix (a venv's or the system's
    /// `lib/python3.x/site-packages` or `dist-packages`), from its `weasyprint-<version>.dist-info` folder beside
    /// the module: what `import weasyprint` finds, read without starting Python. Nil when it is not there.
    static func installedVersion(python: URL) -> String? {
        let fileManager = FileManager.default
        let lib = python.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib")
        let versions = ((try? fileManager.contentsOfDirectory(atPath: lib.path)) ?? []).filter { $0.hasPrefix("python3") }.sorted()
        let folders = versions.flatMap { ["\($0)/site-packages", "\($0)/dist-packages"] }.map { lib.appendingPathComponent($0) }
        for folder in folders where fileManager.fileExists(atPath: folder.appendingPathComponent("weasyprint/__init__.py").path) {
            let entries = (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? []
            if let info = entries.first(where: { $0.hasPrefix("weasyprint-") && $0.hasSuffix(".dist-info") }) {
                return String(info.dropFirst("weasyprint-".count).dropLast(".dist-info".count))
            }
        }
        return nil
    }

    /// What the press needs beyond HTML to PDF.
    public struct Settings: Sendable {
        /// `pdf/x-4`, or nil for a plain PDF.
        public var variant: String?
        /// Pad with blank pages to a multiple of this many pages.
        public var signature: Int = 1
        /// The `@page` rules of the padding pages (size, bleed, marks).
        public var blankPageCSS: String = ""
        /// Justify lines with Chinese by spacing characters, not only spaces (the print script's patch).
        public var justifyCJK = false
        /// The PDF's creation and modification dates (also in its XMP); nil: WeasyPrint takes the clock's.
        public var date: BookDate?
        /// 32 hex digits for the trailer `/ID` and the XMP `DocumentID`, from a hash of the content.
        public var identifier: String?

        public init(variant: String? = nil, signature: Int = 1, blankPageCSS: String = "") {
            self.variant = variant
            self.signature = signature
            self.blankPageCSS = blankPageCSS
        }
    }

    /// QualityPress's print step (`Resources/print.py`, tested by `Tests/print`), written beside the print HTML
    /// and run by the python3 that imports WeasyPrint; nil when the resource bundle is missing.
    static let printScript: String? = Bundle.module.url(forResource: "print", withExtension: "py")
        .flatMap { try? String(contentsOf: $0, encoding: .utf8) }

    /// What to tell someone whose machine has no WeasyPrint.
    public static let installHint = "WeasyPrint is not installed, so the PDF cannot be made: run ./install-deps.sh "
        + "(or: python3 -m pip install weasyprint==\(pinnedVersion); apt-get install fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0), "
        + "set QPRESS_WEASYPRINT to its path, or build with --no-pdf"

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Renders `html` to `pdf`. Returns WeasyPrint's warnings (its standard error), throws when it fails.
    public func render(html: URL, to pdf: URL, settings: Settings = Settings()) async throws(Failure) -> String {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-weasyprint-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let process = Process()
        process.executableURL = executable
        let baseURL = html.deletingLastPathComponent().path + "/"
        if isPythonModule {
            // The print script beside the HTML, run by the same python3.
            let folder = html.deletingLastPathComponent()
            let script = folder.appendingPathComponent("qpress_print.py"), blank = folder.appendingPathComponent("qpress-blank-page.css")
            guard let printScript = Self.printScript else {
                throw Failure(description: "the print script print.py is missing from QualityPress's resources (\(Bundle.module.bundlePath))")
            }
            do {
                try Data(printScript.utf8).write(to: script)
                try Data(settings.blankPageCSS.utf8).write(to: blank)
            } catch {
                throw Failure(description: "cannot write the print script: \(error.localizedDescription)")
            }
            var arguments = [script.path, "--base-url", baseURL, "--signature", String(settings.signature), "--blank-css", blank.path]
            if let variant = settings.variant { arguments += ["--variant", variant] }
            if settings.justifyCJK { arguments.append("--justify-cjk") }
            if let date = settings.date { arguments += ["--date", date.iso] }
            if let identifier = settings.identifier { arguments += ["--identifier", identifier] }
            process.arguments = arguments + [html.path, pdf.path]
        } else {
            // The command cannot be given dates or the XMP DocumentID: its PDFs carry the time of the build.
            process.arguments = leadingArguments + ["--base-url", baseURL] + (settings.variant.map { ["--pdf-variant", $0] } ?? [])
                + (settings.identifier.map { ["--pdf-identifier", $0] } ?? []) + [html.path, pdf.path]
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let status: Int32
        do {
            // A file, not a pipe: a chatty child can never fill a pipe nobody reads.
            let handle = try FileHandle(forWritingTo: log)
            defer { try? handle.close() }
            process.standardError = handle
            let child = Child(process)
            // Cancelling the task (`qpress serve`: a newer edit) terminates WeasyPrint; the render then fails.
            status = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, Error>) in
                    process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
                    do {
                        try child.run()
                    } catch {
                        process.terminationHandler = nil
                        continuation.resume(throwing: error)
                    }
                }
            } onCancel: {
                child.terminate()
            }
        } catch is CancellationError {
            throw Failure(description: "cancelled")
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

/// A child process that a cancelled task can terminate, whether the cancellation comes before or after it started.
private final class Child: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var started = false, cancelled = false

    init(_ process: Process) { self.process = process }

    func run() throws {
        try lock.withLock {
            guard !cancelled else { throw CancellationError() }
            try process.run()
            started = true
        }
    }

    func terminate() {
        lock.withLock {
            cancelled = true
            // SIGKILL: a child of a thread that blocks SIGTERM (Dispatch's) inherits the mask and would never see it.
            if started && process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }
}
