public import Foundation
public import PressCore

/// A book's PDF(s) left for later by a build that defers them (`qpress serve`): everything WeasyPrint needs,
/// and the web edition to put in place with the PDF (the one the build wrote says the PDF is being updated).
public struct PDFJob: Sendable {
    public struct Document: Sendable {
        /// `x.pdf` or `x.proof.pdf`.
        public var fileName: String
        public var html: String
        public var settings: WeasyPrint.Settings
        /// Writes what the HTML needs beside it in the work folder (the print images): its problems, and a
        /// digest of what it wrote, which the PDF's identifier covers.
        var prepare: @Sendable (URL) async -> (diagnostics: [Diagnostic], digest: String) = { _ in ([], "") }

        /// The settings, with an identifier that also covers the placed images.
        func settings(placing digest: String) -> WeasyPrint.Settings {
            guard !digest.isEmpty else { return settings }
            var placed = settings
            placed.identifier = AnthologyRenderer.documentIdentifier(html: html + digest, settings: settings)
            return placed
        }
    }

    public var book: String
    /// The manifest, where a failure is reported.
    public var sourcePath: String
    public var documents: [Document]
    /// `index.html` with its download link, written when the PDFs are.
    public var webEdition: String
    public var weasyPrint: WeasyPrint?
    /// The book's fingerprint, set by the build: a job for the same book with another key is stale.
    public var key = ""

    /// Renders every document into `work` (`work/<fileName>`), one after the other. Cancelling the task
    /// kills WeasyPrint and returns no diagnostics (the caller checks `Task.isCancelled`).
    public func render(into work: URL) async -> [Diagnostic] {
        guard let weasyPrint else { return [.error(sourcePath, WeasyPrint.installHint)] }
        var diagnostics: [Diagnostic] = []
        for document in documents {
            if Task.isCancelled { return [] }
            let html = work.appendingPathComponent("\(book).print.html")
            do {
                try Data(document.html.utf8).write(to: html)
                let placed = await document.prepare(work)
                diagnostics += placed.diagnostics
                if diagnostics.hasErrors { return diagnostics }
                let messages = try await weasyPrint.render(html: html, to: work.appendingPathComponent(document.fileName),
                                                           settings: document.settings(placing: placed.digest))
                diagnostics += AnthologyRenderer.warnings(messages)
            } catch let failure as WeasyPrint.Failure {
                if Task.isCancelled { return [] }
                return diagnostics + [.error(sourcePath, "cannot make \(document.fileName): \(failure.description)")]
            } catch {
                return diagnostics + [.error(sourcePath, "cannot make \(document.fileName): \(error.localizedDescription)")]
            }
        }
        return diagnostics
    }
}
