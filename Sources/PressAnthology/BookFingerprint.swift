public import Foundation
import PressCore
public import PressModel
import PressTemplates

/// Everything one book is made from, input by input: an incremental build reuses an unchanged book's
/// files as they are, and for a changed one says which input changed.
public struct BookFingerprint: Sendable, Equatable {
    /// Bump when QualityPress renders books differently: every book is rendered again once.
    static let version = "3" // 2: images placed (CMYK for the press, packed into the EPUB); 3: templates by name
    static let versionKey = "QualityPress's way of making books"

    /// Input as a person knows it (`Content/stories/a.md`, `Templates/print/print.css`, `WeasyPrint`) → its hash.
    public var inputs: [String: String]

    public init(inputs: [String: String]) { self.inputs = inputs }

    /// Why the book must be rendered again, nil when nothing changed: the first input, by name, that changed,
    /// came or went.
    public func change(since previous: BookFingerprint) -> String? {
        // A new QualityPress may name its inputs differently: say so, rather than name one of them.
        if inputs[Self.versionKey] != previous.inputs[Self.versionKey] { return "\(Self.versionKey) changed" }
        if previous.inputs[Self.pdfPendingKey] != nil && inputs[Self.pdfPendingKey] == nil { return "its PDF was not finished" }
        for key in Set(inputs.keys).union(previous.inputs.keys).sorted() where inputs[key] != previous.inputs[key] {
            if previous.inputs[key] == nil { return "\(key) added" }
            return inputs[key] == nil ? "\(key) removed" : "\(key) changed"
        }
        return nil
    }

    /// Whether the book's PDF must be made again: an input it is made from changed. The web edition's and
    /// the EPUB's templates and stylesheets are not; a change to them alone keeps the PDF.
    public func changesPDF(since previous: BookFingerprint) -> Bool {
        if inputs[Self.versionKey] != previous.inputs[Self.versionKey] || previous.isPDFPending { return true }
        return Set(inputs.keys).union(previous.inputs.keys).contains { key in
            inputs[key] != previous.inputs[key] && !Self.isScreenOnly(key)
        }
    }

    /// A template or stylesheet below a `web/` or `epub/` folder (`Templates/web/book.css`).
    static func isScreenOnly(_ key: String) -> Bool {
        let folders = key.split(separator: "/").dropLast()
        return (folders.contains("web") || folders.contains("epub")) && (key.hasSuffix(".mustache") || key.hasSuffix(".css"))
    }

    /// Marks the record of a book whose PDF `qpress serve` left for later: until the PDF is in place, the
    /// book counts as changed (`qpress build` renders it in full).
    public static let pdfPendingKey = "its PDF"

    /// This fingerprint, marked as a book whose PDF is still being made.
    public var pdfPending: BookFingerprint {
        var marked = self
        marked.inputs[Self.pdfPendingKey] = "being made"
        return marked
    }

    public var isPDFPending: Bool { inputs[Self.pdfPendingKey] != nil }

    /// All inputs in one hash, without the pending mark: which version of the book a PDF job makes.
    public var key: String {
        Self.hash(inputs.filter { $0.key != Self.pdfPendingKey }.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] })
    }

    static func hash(_ parts: [String]) -> String {
        var print = Fingerprint()
        for part in parts { print.add(part) }
        return print.hex
    }

    static func hash(file path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "missing" }
        var print = Fingerprint()
        print.add(bytes: data)
        return print.hex
    }

    /// Size and modification time: for files too large to read on every build (fonts, images).
    static func stamp(file path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "missing" }
        return "\(path) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}

/// What the books of one build share and that costs a process to learn: the font files fontconfig picks
/// and the WeasyPrint version. Only when PDFs are made. The answers of the processes are kept for the life of
/// the qpress process (`qpress serve` rebuilds without running them again); the font files are looked at
/// (size, time) on every build.
public struct PrintTools: Sendable {
    /// Font family → `file size mtime`.
    var fonts: [String: String] = [:]
    var weasyPrintVersion = ""

    /// No fonts and no WeasyPrint: what books without PDFs depend on.
    public init() {}

    public static func probe(families: Set<String>, weasyPrint: WeasyPrint?) -> PrintTools {
        var tools = PrintTools()
        for family in families.sorted() {
            let file = answers.value(for: "font " + family) { Self.output("/usr/bin/env", ["fc-match", "-f", "%{file}", family]) }
            tools.fonts[family] = file.isEmpty ? "not found" : BookFingerprint.stamp(file: file)
        }
        if let weasyPrint {
            tools.weasyPrintVersion = answers.value(for: "weasyprint " + weasyPrint.executable.path) {
                // Read from the installed package when it can be: starting Python takes a second.
                if weasyPrint.isPythonModule, ProcessInfo.processInfo.environment["PYTHONPATH"] == nil,
                   let version = WeasyPrint.installedVersion(python: weasyPrint.executable) { return version }
                return weasyPrint.isPythonModule
                    ? Self.output(weasyPrint.executable.path, ["-c", "import importlib.metadata as m; print(m.version('weasyprint'))"])
                    : Self.output(weasyPrint.executable.path, ["--version"])
            }
        }
        return tools
    }

    /// Answers of processes, by question, for the life of this process.
    final class Answers: @unchecked Sendable {
        private var values: [String: String] = [:]
        private let lock = NSLock()

        func value(for question: String, _ ask: () -> String) -> String {
            if let known = lock.withLock({ values[question] }) { return known }
            let answer = ask()
            lock.withLock { values[question] = answer }
            return answer
        }
    }

    static let answers = Answers()

    /// A command's standard output, trimmed; empty when it cannot run or fails.
    static func output(_ executable: String, _ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        // A few short lines: reading to the end before waiting cannot fill the pipe.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return "" }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension AnthologyRenderer {
    /// What `manifest`'s book is made from: the manifest, every document it takes (content and front matter,
    /// read from disk) and which ones, preface and appendix files, slogans, the print, web and EPUB templates
    /// and stylesheets, the site settings the book shows, the site's routes and static files (links and
    /// images), the build options, and for the PDF the fonts, the colour profile, WeasyPrint and the print script.
    public func fingerprint(_ manifest: AnthologyManifest, siteRoot: URL, tools: PrintTools) -> BookFingerprint {
        let root = siteRoot.path + "/"
        var inputs: [String: String] = [:]
        // Settings by the name a person would change them by, so the build can say which one changed.
        inputs[BookFingerprint.versionKey] = BookFingerprint.version
        inputs["--no-pdf"] = options.pdf ? "PDF" : "no PDF"
        inputs["--proof"] = options.proof ? "proof" : "no proof"
        inputs["--strict"] = options.strict ? "strict" : "not strict"
        inputs["QPRESS_KEEP_PRINT_HTML"] = options.keepPrintHTML ? "kept" : "not kept"
        inputs["SOURCE_DATE_EPOCH"] = options.sourceDateEpoch ?? ""
        inputs[manifest.sourcePath] = BookFingerprint.hash(file: root + manifest.sourcePath)
        inputs["the documents the book takes"] = BookFingerprint.hash(manifest.sections.map { $0.documents.joined(separator: "\n") })
        for path in manifest.documents { inputs["Content/" + path] = BookFingerprint.hash(file: root + "Content/" + path) }
        for part in manifest.parts {
            switch part {
            case .preface(let text): inputs[text.sourcePath] = BookFingerprint.hash(file: root + text.sourcePath)
            case .appendix(let appendix):
                switch appendix.content {
                case .text(let text): inputs[text.sourcePath] = BookFingerprint.hash(file: root + text.sourcePath)
                case .slogans(let sets):
                    inputs["the slogans"] = BookFingerprint.hash(sets.flatMap { [$0.title, $0.theme, $0.year.map(String.init) ?? "", $0.source ?? ""] + $0.slogans })
                }
            default: break
            }
        }
        let config = site.config
        inputs["Content/site.yml (or --base-url)"] = BookFingerprint.hash([config.title, config.baseURL, config.language, String(config.unsafeHTML)])
        inputs["the site's pages (links)"] = BookFingerprint.hash(site.routesBySource.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] })
        inputs["the site's static files"] = BookFingerprint.hash(site.staticFiles.map { $0.outputPath + " " + BookFingerprint.stamp(file: $0.sourceFile) }.sorted())
        // The images the book places, each by name, so the build says which photo changed. Rendering the
        // Markdown is the exact way to know them (relative and root-relative paths, covers): milliseconds.
        for image in BookImages.unique(BookViews(manifest: manifest, site: site).render(.web).images) {
            inputs["Content/" + image.contentPath] = BookFingerprint.stamp(file: image.file)
        }
        // By name, not by file: a site's template that overrides the theme's is the same input, changed.
        let texts = Dictionary(theme.sources.map { ($0.path, $0.text) }) { $1 }
        for name in theme.templateNames where Theme.isBookTemplate(name) {
            inputs["Templates/\(name).mustache"] = BookFingerprint.hash([theme.sourcePath(of: name).flatMap { texts[$0] } ?? ""])
        }
        for stylesheet in Self.stylesheets { inputs["Templates/" + stylesheet] = BookFingerprint.hash([theme.resourceText(stylesheet) ?? ""]) }
        if options.pdf {
            for family in [manifest.bodyFont, manifest.headingFont] { inputs["font \(family)"] = tools.fonts[family] ?? "" }
            inputs[manifest.colorProfile] = BookFingerprint.hash(file: manifest.colorProfile)
            inputs["WeasyPrint"] = tools.weasyPrintVersion
            inputs["the print script"] = BookFingerprint.hash([WeasyPrint.printScript ?? ""])
        }
        return BookFingerprint(inputs: inputs)
    }
}
