import Foundation
import PressAnthology
import PressBuild
import PressCore
import PressLoader
import PressModel
import PressTemplates
import PressTestSupport
import Testing

/// The two sample anthologies, rendered once per test run (both PDFs in parallel) and shared by every test.
actor SampleBooks {
    static let shared = SampleBooks()

    struct Book: Sendable {
        var manifest: AnthologyManifest
        var site: Site
        var report: AnthologyReport
        var folder: URL
        var pdf: URL { folder.appendingPathComponent("\(manifest.name).pdf") }
        var epub: URL { folder.appendingPathComponent("\(manifest.name).epub") }
        var web: URL { folder.appendingPathComponent("index.html") }
        /// Kept (`keepPrintHTML`) for the typesetting tests.
        var printHTML: URL { folder.appendingPathComponent("\(manifest.name).print.html") }
    }

    private var rendering: Task<[String: Book], Error>?
    private var readings: [String: PDFReading] = [:]

    /// The PDF's text and outline, read once.
    func reading(_ name: String) async throws -> PDFReading {
        if let reading = readings[name] { return reading }
        let reading = try PDFReading(try await book(name).pdf)
        readings[name] = reading
        return reading
    }

    func book(_ name: String) async throws -> Book {
        if rendering == nil {
            rendering = Task { try await Self.renderSamples() }
        }
        let books = try await rendering!.value
        return try #require(books[name], "no sample anthology '\(name)'")
    }

    static func renderSamples() async throws -> [String: Book] {
        let temporary = FileManager.default.temporaryDirectory
        removeFoldersOfEndedRuns(in: temporary)
        return try await renderSamples(into: temporary.appendingPathComponent("\(folderPrefix)\(ProcessInfo.processInfo.processIdentifier)"))
    }

    private static let folderPrefix = "qpress-anthology-tests-"

    /// The books are shared by every suite of a run, so no test can remove them when it ends; the next run
    /// removes those of runs whose process is gone.
    private static func removeFoldersOfEndedRuns(in temporary: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(folderPrefix) {
            guard let pid = Int32(name.dropFirst(folderPrefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }

    /// Loads the repository's site and renders its books into `output`, as a clean build does (dates from the
    /// content, not from `SOURCE_DATE_EPOCH`).
    static func renderSamples(into output: URL) async throws -> [String: Book] {
        let loaded = await ContentLoader(siteRoot: TemporarySite.repositoryRoot).load()
        #expect(loaded.diagnostics.map(\.description) == [])
        let site = try #require(loaded.site)
        let (theme, problems) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.lastPathComponent }
        #expect(problems.map(\.description) == [])
        try? FileManager.default.removeItem(at: output)
        let renderer = AnthologyRenderer(site: site, theme: try #require(theme), options: .init(pdf: true, keepPrintHTML: true, sourceDateEpoch: nil))
        let reports = await renderer.renderAll(into: output)
        var books: [String: Book] = [:]
        for report in reports {
            #expect(report.diagnostics.map(\.description) == [], "\(report.name)")
            let manifest = try #require(site.anthologies.first { $0.name == report.name })
            books[report.name] = Book(manifest: manifest, site: site, report: report,
                                      folder: output.appendingPathComponent(AnthologyRenderer.folder(report.name)))
            print("anthology \(report.name): HTML and EPUB \(String(format: "%.2f", report.htmlSeconds)) s, PDF (WeasyPrint) \(String(format: "%.2f", report.pdfSeconds)) s")
        }
        return books
    }
}

/// Runs a command-line tool and returns its standard output; fails the test when it exits non-zero.
@discardableResult
func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-tool-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    process.waitUntilExit()
    try handle.close()
    let output = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
    if !allowFailure && process.terminationStatus != 0 {
        Issue.record("\(tool) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(output.prefix(2000))")
    }
    return (process.terminationStatus, output)
}

/// What poppler and qpdf say about a PDF, page by page.
struct PDFReading: Sendable {
    let url: URL
    let pages: [String]
    private var outlineEntries: [OutlineEntry] = []

    struct OutlineEntry: Sendable {
        var title: String
        var level: Int
        var page: Int
    }

    init(_ url: URL) throws {
        self.url = url
        let info = try run("pdfinfo", [url.path]).output
        let count = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "0") ?? 0
        // One pdftotext call, pages split at form feeds.
        let text = try run("pdftotext", ["-layout", url.path, "-"]).output
        var pages = text.components(separatedBy: "\u{0C}")
        if pages.count > count { pages.removeLast(pages.count - count) }
        self.pages = pages
        outlineEntries = try Self.readOutline(url)
    }

    /// Page text without any whitespace, to find titles however lines were broken.
    func compact(_ page: Int) -> String { pages[page - 1].filter { !$0.isWhitespace } }

    func lines(_ page: Int) -> [String] {
        pages[page - 1].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The folio printed at the foot of each page (1-based page index → label), where there is one.
    var folios: [Int: String] {
        var result: [Int: String] = [:]
        for page in 1...pages.count {
            guard let last = lines(page).last, last.count <= 6,
                  Int(last).map({ $0 <= pages.count }) ?? last.allSatisfy({ "ivxlc".contains($0) }) else { continue }
            result[page] = last
        }
        return result
    }

    /// `destpageposfrom1` of each outline entry, with its depth.
    func outline() -> [OutlineEntry] { outlineEntries }

    static func readOutline(_ url: URL) throws -> [OutlineEntry] {
        let json = try run("qpdf", ["--json=2", "--json-key=outlines", url.path]).output
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        var result: [OutlineEntry] = []
        func walk(_ items: [[String: Any]], _ level: Int) {
            for item in items {
                result.append(OutlineEntry(title: item["title"] as? String ?? "", level: level, page: item["destpageposfrom1"] as? Int ?? 0))
                walk(item["kids"] as? [[String: Any]] ?? [], level + 1)
            }
        }
        walk(root?["outlines"] as? [[String: Any]] ?? [], 1)
        return result
    }
}

/// `iii` → 3
func romanValue(_ text: String) -> Int? {
    let values: [Character: Int] = ["i": 1, "v": 5, "x": 10, "l": 50, "c": 100]
    var total = 0
    var previous = 0
    for character in text.reversed() {
        guard let value = values[character] else { return nil }
        total += value < previous ? -value : value
        previous = max(previous, value)
    }
    return total
}

/// The font lines of `pdffonts` for a PDF (its two header lines dropped).
func pdfFonts(_ pdf: URL) throws -> [Substring] {
    Array(try run("pdffonts", [pdf.path]).output.split(separator: "\n").dropFirst(2))
}
