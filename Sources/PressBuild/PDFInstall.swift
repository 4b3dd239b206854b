public import Foundation
public import PressAnthology
import PressCore

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
        guard let data = FileManager.default.contents(atPath: cacheFile.path) else { return false }
        let text = String(decoding: data, as: UTF8.self)
        var lines = CompactRecord.lines(text).map(String.init)
        guard let index = lines.firstIndex(where: { isBookLine($0, job.book) }),
              var record = bookRecord(lines[index]), record.fingerprint.isPDFPending, record.fingerprint.key == job.key else { return false }
        let folder = AnthologyRenderer.folder(job.book)
        let pdfs = job.documents.map { folder + "/" + $0.fileName }
        for (document, path) in zip(job.documents, pdfs) {
            try replace(output.appendingPathComponent(path), with: FileManager.default.contents(atPath: work.appendingPathComponent(document.fileName).path))
        }
        try replace(output.appendingPathComponent(folder + "/index.html"), with: Data(job.webEdition.utf8))
        record.fingerprint.inputs[BookFingerprint.pdfPendingKey] = nil
        record.files = Set(record.files + pdfs).sorted()
        lines[index] = bookLine(job.book, record)
        try replace(cacheFile, with: Data(lines.map { $0 + "\n" }.joined().utf8))
        // The list of files, when there is one, gains a PDF the output did not have before.
        if let files = OutputManifest.read(from: output), !files.isSuperset(of: pdfs) {
            try replace(output.appendingPathComponent(OutputManifest.fileName), with: Data(OutputManifest.encoded(files.union(pdfs)).utf8))
        }
        return true
    }

    private static func isBookLine(_ line: String, _ book: String) -> Bool {
        guard line.hasPrefix("B\t") else { return false }
        let fields = CompactRecord.fields(Substring(line))
        return fields.count == 4 && CompactRecord.text(fields[1]) == book
    }

    private static func bookRecord(_ line: String) -> BookRecord? {
        let fields = CompactRecord.fields(Substring(line))
        guard fields.count == 4 else { return nil }
        let inputs = CompactRecord.pairs(fields[3]).filter { $0.count == 2 }.map { ($0[0], $0[1]) }
        return BookRecord(fingerprint: BookFingerprint(inputs: Dictionary(inputs) { $1 }), files: CompactRecord.list(fields[2]))
    }

    /// The line `BuildCache.write` writes for a book, without its newline.
    private static func bookLine(_ name: String, _ record: BookRecord) -> String {
        let inputs = record.fingerprint.inputs.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }
        return String(CompactRecord.line("B", [CompactRecord.text(name), CompactRecord.list(record.files), CompactRecord.pairs(inputs)]).dropLast())
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
