import Foundation
import PressBuild
import PressCore
import PressTestSupport
import Testing
@testable import PressAnthology

/// Issue 22: the builds of `qpress serve` leave PDFs for later (`BuildOptions.deferPDFs`); the PDF made afterwards
/// and put in place gives the output a plain `qpress build` gives.
@Suite struct DeferredPDFTests {
    static let manifest = "title: 小书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n"

    func bookSite() throws -> TemporarySite {
        try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲", body: "## 概述\n\n第一版正文。\n"),
            "Content/anthologies/book.yml": Self.manifest,
        ])
    }

    func build(_ site: TemporarySite, output: String = "Output", deferring: Bool, pdf: Bool = true) async -> BuildResult {
        var options = BuildOptions(source: site.root, output: site.root.appendingPathComponent(output),
                                   defaultTheme: TemporarySite.defaultTheme, anthologyPDF: pdf)
        options.deferPDFs = deferring
        return await SiteBuilder(options: options).build()
    }

    @Test func aDeferredPDFPutInPlaceGivesWhatAPlainBuildGives() async throws {
        let site = try bookSite()
        defer { site.remove() }
        let deferred = await build(site, deferring: true)
        #expect(deferred.diagnostics.map(\.description) == [])
        let job = try #require(deferred.pdfJobs.first)
        #expect(deferred.pdfJobs.count == 1 && job.book == "book" && deferred.anthologies.first?.pdfSeconds == 0)
        #expect(!FileManager.default.fileExists(atPath: site.root.appendingPathComponent("Output/anthologies/book/book.pdf").path))
        #expect(site.read("Output/anthologies/book/index.html")?.contains("data-qpress-pdf-pending") == true)

        // Built again before the PDF is made: the same version of the book, so the same job.
        let again = await build(site, deferring: true)
        #expect(again.anthologies.map(\.reason) == ["its PDF was not finished"])
        #expect(again.pdfJobs.map(\.key) == [job.key])

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-deferred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        #expect(await job.render(into: work).map(\.description) == [])
        var stale = job
        stale.key = "an older version"
        #expect(try SiteBuilder.installPDF(stale, from: work, output: site.root.appendingPathComponent("Output")) == false)
        #expect(try SiteBuilder.installPDF(job, from: work, output: site.root.appendingPathComponent("Output")))

        // Byte for byte what a plain build makes, and a plain build after it reuses the book as it is.
        let plain = await build(site, output: "Plain", deferring: false)
        #expect(plain.diagnostics.map(\.description) == [])
        for file in ["index.html", "book.epub", "book.pdf"] {
            let put = try Data(contentsOf: site.root.appendingPathComponent("Output/anthologies/book/" + file))
            let made = try Data(contentsOf: site.root.appendingPathComponent("Plain/anthologies/book/" + file))
            #expect(put == made, "\(file) differs")
        }
        let after = await build(site, deferring: false)
        #expect(after.anthologies.map(\.reused) == [true])
        #expect(after.anthologies.first?.files.contains("anthologies/book/book.pdf") == true)

        // An edit: the previous PDF stays, as it was, until the new one replaces it; the old job is stale.
        let pdf = site.root.appendingPathComponent("Output/anthologies/book/book.pdf")
        let previous = try Data(contentsOf: pdf)
        try site.write(TemporarySite.story(title: "甲", body: "## 概述\n\n第二版正文。\n"), to: "Content/stories/a.md")
        let edited = await build(site, deferring: true)
        #expect(edited.anthologies.map(\.reason) == ["Content/stories/a.md changed"])
        #expect(edited.pdfJobs.count == 1 && edited.pdfJobs.first?.key != job.key)
        #expect(try Data(contentsOf: pdf) == previous)
        #expect(site.read("Output/anthologies/book/index.html")?.contains("data-qpress-pdf-pending") == true)
        #expect(try SiteBuilder.installPDF(job, from: work, output: site.root.appendingPathComponent("Output")) == false)
        #expect(try Data(contentsOf: pdf) == previous)
    }

    @Test func aPlainBuildFinishesABookWhosePDFWasLeft() async throws {
        let site = try bookSite()
        defer { site.remove() }
        _ = await build(site, deferring: true)
        let plain = await build(site, deferring: false)
        #expect(plain.anthologies.map(\.reason) == ["its PDF was not finished"])
        #expect(plain.pdfJobs.isEmpty)
        #expect(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("Output/anthologies/book/book.pdf").path))
        #expect(site.read("Output/anthologies/book/index.html")?.contains("data-qpress-pdf-pending") == false)
    }

    @Test func withoutPDFsNothingIsLeft() async throws {
        let site = try bookSite()
        defer { site.remove() }
        let result = await build(site, deferring: true, pdf: false)
        #expect(result.succeeded && result.pdfJobs.isEmpty)
        let page = try #require(site.read("Output/anthologies/book/index.html"))
        #expect(!page.contains("data-qpress-pdf-pending") && !page.contains("book.pdf"))
    }

    /// Cancelling the job's task terminates WeasyPrint at once.
    @Test func cancellingAJobTerminatesWeasyPrint() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-cancel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("weasyprint.sh"), pidFile = folder.appendingPathComponent("pid")
        try Data("#!/bin/sh\necho $$ > \(pidFile.path)\nexec sleep 600\n".utf8).write(to: script)
        chmod(script.path, 0o755)
        let job = PDFJob(book: "book", sourcePath: "Content/anthologies/book.yml",
                         documents: [.init(fileName: "book.pdf", html: "<p>甲</p>", settings: .init())],
                         webEdition: "", weasyPrint: WeasyPrint(executable: script))
        let clock = ContinuousClock(), start = clock.now
        let task = Task { await job.render(into: folder) }
        func started() -> Int32? {
            (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        // The wait ends when the script starts; its bound only matters when it never does (30 s was too short
        // while other suites' WeasyPrint runs held the cores at a load of 10).
        while started() == nil && clock.now - start < .seconds(300) { try await Task.sleep(for: .milliseconds(20)) }
        let pid = try #require(started())
        let cancelled = clock.now
        task.cancel()
        #expect(await task.value.isEmpty)
        // WeasyPrint would sleep for ten minutes: measured from the cancellation, not from a start a busy machine
        // delays. Half of that is generous however busy the machine (20 s was seen at a load of 10 on 2 cores).
        #expect(clock.now - cancelled < .seconds(300))
        #expect(kill(pid, 0) != 0, "WeasyPrint is still running")
    }
}
