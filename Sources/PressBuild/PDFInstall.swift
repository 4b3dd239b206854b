public import Foundation
public import PressAnthology
import PressCore
import PressIncremental

extension SiteBuilder {
    public struct InstallProblem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Puts the PDFs of `job`, made into `work`, into `output` with the web edition that links them, and marks
    /// the book's record in the build cache finished — if the output still holds the version of the book the
    /// job made. Returns false, changing nothing, when it does not (a newer build superseded the job).
    /// Every file is replaced by a rename, so the server never serves half a PDF. Call it between builds.
    public static func installPDF(_ job: PDFJob, from work: URL, output: URL) throws(InstallProblem) -> Bool {
        let cacheFile = output.appendingPathComponent(BuildCache.fileName)
        guard var record = BuildCache.bookRecord(job.book, in: output), record.fingerprint.isPDFPending,
              record.fingerprint.key == job.key else { return false }
        let folder = AnthologyRenderer.folder(job.book)
        let pdfs = job.documents.map { folder + "/" + $0.fileName }
        for (document, path) in zip(job.documents, pdfs) {
            try replace(output.appendingPathComponent(path), with: FileManager.default.contents(atPath: work.appendingPathComponent(document.fileName).path))
        }
        try replace(output.appendingPathComponent(folder + "/index.html"), with: Data(job.webEdition.utf8))
        record.fingerprint.inputs[BookFingerprint.pdfPendingKey] = nil
        record.files = Set(record.files + pdfs).sorted()
        try replace(cacheFile, with: BuildCache.replacingBookRecord(job.book, with: record, in: output))
        // The list of files, when there is one, gains a PDF the output did not have before.
        if let files = OutputManifest.read(from: output), !files.isSuperset(of: pdfs) {
            try replace(output.appendingPathComponent(OutputManifest.fileName), with: Data(OutputManifest.encoded(files.union(pdfs)).utf8))
        }
        return true
    }

    /// Writes `data` beside `file`, then renames it over `file`.
    private static func replace(_ file: URL, with data: Data?) throws(InstallProblem) {
        guard let data else { throw InstallProblem(description: "cannot read the new \(file.lastPathComponent)") }
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary.path)
            throw InstallProblem(description: "cannot write '\(file.path)': \(error.localizedDescription)")
        }
    }
}
