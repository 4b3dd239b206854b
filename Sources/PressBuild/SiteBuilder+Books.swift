import Foundation
import PressAnthology
import PressCore
import PressIncremental
import PressModel
import PressSite

extension SiteBuilder {
    /// The books of one build: their reports, the records the next build compares with, and the files
    /// taken unchanged from the previous output.
    struct BookOutcome {
        var reports: [AnthologyReport] = []
        var records: [String: BookRecord] = [:]
        var reusedFiles: [String] = []
        var pdfJobs: [PDFJob] = []
    }

    /// Renders into `staging` the books whose inputs changed since `previous` (the last build's records) and
    /// reuses the others' files from the output folder, as unchanged pages are (same inode, same bytes).
    func buildBooks(_ renderer: AnthologyRenderer, site: Site, previous: [String: BookRecord], writer: OutputWriter,
                    staging: URL) async -> BookOutcome {
        let families = Set(site.anthologies.flatMap { [$0.bodyFont, $0.headingFont] })
        let tools = renderer.options.pdf ? PrintTools.probe(families: families, weasyPrint: renderer.options.weasyPrint) : PrintTools()
        var outcome = BookOutcome()
        var pending: [AnthologyManifest] = [], reasons: [String: String] = [:], fingerprints: [String: BookFingerprint] = [:]
        var keepingPDFs: Set<String> = []
        for manifest in site.anthologies {
            let fingerprint = renderer.fingerprint(manifest, siteRoot: options.source, tools: tools)
            fingerprints[manifest.name] = fingerprint
            guard let record = previous[manifest.name] else {
                reasons[manifest.name] = previous.isEmpty ? "no previous build to reuse" : "a new book"
                pending.append(manifest)
                continue
            }
            if let change = fingerprint.change(since: record.fingerprint) {
                reasons[manifest.name] = change
                pending.append(manifest)
                // A change only the web edition or the EPUB is made from keeps the PDFs, when they are all there.
                if renderer.options.pdf && !fingerprint.changesPDF(since: record.fingerprint) && hasPDFs(record) {
                    keepingPDFs.insert(manifest.name)
                    reasons[manifest.name] = change + "; its PDF kept"
                }
            } else if reuse(record, writer: writer) {
                let visible = record.files.filter { !($0 as NSString).lastPathComponent.hasPrefix(".") }
                outcome.reports.append(AnthologyReport(name: manifest.name, files: visible, reused: true, reason: "unchanged"))
                outcome.records[manifest.name] = record
                outcome.reusedFiles += record.files
            } else {
                reasons[manifest.name] = "its files in the output folder are missing"
                pending.append(manifest)
            }
        }
        for var report in await renderer.renderAll(pending, keepingPDFs: keepingPDFs, into: staging) {
            report.reason = reasons[report.name]
            if !report.diagnostics.hasErrors, let fingerprint = fingerprints[report.name] {
                let folder = AnthologyRenderer.folder(report.name)
                var files = await OutputManifest.files(below: staging.appendingPathComponent(folder).path).map { folder + "/" + $0 }
                if keepingPDFs.contains(report.name), let record = previous[report.name] {
                    let kept = keepPDFs(of: record, writer: writer)
                    outcome.reusedFiles += kept
                    files += kept
                    report.files += kept
                }
                var record = BookRecord(fingerprint: fingerprint, files: [])
                if var job = report.pdfJob {
                    // The previous PDF stays until the new one replaces it; the record says the book is unfinished.
                    let kept = keepPreviousPDFs(of: job, writer: writer)
                    outcome.reusedFiles += kept
                    files += kept
                    record.fingerprint = fingerprint.pdfPending
                    job.key = fingerprint.key
                    outcome.pdfJobs.append(job)
                }
                record.files = Set(files).sorted()
                outcome.records[report.name] = record
            }
            outcome.reports.append(report)
        }
        outcome.reports.sort { $0.name < $1.name }
        return outcome
    }

    /// The PDFs of `job`'s book that the previous output has, taken into the new one as they are.
    private func keepPreviousPDFs(of job: PDFJob, writer: OutputWriter) -> [String] {
        let root = options.outputFolder.path + "/", folder = AnthologyRenderer.folder(job.book)
        return job.documents.map { folder + "/" + $0.fileName }.filter { path in
            access(root + path, R_OK) == 0 && (try? writer.reuse(root + path, as: path)) != nil
        }
    }

    /// The PDFs of a book's record (`x.pdf`, `x.proof.pdf`).
    private func pdfs(of record: BookRecord) -> [String] { record.files.filter { $0.hasSuffix(".pdf") } }

    /// Whether the previous output has every PDF the book's record names.
    private func hasPDFs(_ record: BookRecord) -> Bool {
        let root = options.outputFolder.path + "/", files = pdfs(of: record)
        return !files.isEmpty && files.allSatisfy { access(root + $0, R_OK) == 0 }
    }

    /// The PDFs of a book the previous output has, taken into the new one as they are.
    private func keepPDFs(of record: BookRecord, writer: OutputWriter) -> [String] {
        let root = options.outputFolder.path + "/"
        return pdfs(of: record).filter { (try? writer.reuse(root + $0, as: $0)) != nil }
    }

    /// Takes every file of a book from the previous output, or none: each must be there first (a partly
    /// linked folder would be written through by the renderer).
    private func reuse(_ record: BookRecord, writer: OutputWriter) -> Bool {
        let root = options.outputFolder.path + "/"
        guard !record.files.isEmpty, record.files.allSatisfy({ access(root + $0, R_OK) == 0 }) else { return false }
        do {
            for file in record.files { try writer.reuse(root + file, as: file) }
        } catch {
            // Hard links already made would be written through when the book is rendered: remove them.
            if !writer.reusesInPlace { for file in record.files { unlink(writer.root.path + "/" + file) } }
            return false
        }
        return true
    }
}
