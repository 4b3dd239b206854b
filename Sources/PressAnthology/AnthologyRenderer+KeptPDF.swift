public import Foundation
public import PressModel

extension AnthologyRenderer {
    /// Builds the book's web edition and EPUB as `render` does, but not its PDFs: the caller keeps the previous
    /// ones, which the change did not reach (`BookFingerprint.changesPDF`). The web edition links them as usual.
    public func renderKeepingPDF(_ manifest: AnthologyManifest, into output: URL) async -> AnthologyReport {
        guard options.pdf else { return await render(manifest, into: output) }
        // A deferred build makes everything but the PDFs and hands back the web edition that links them.
        var deferring = options
        deferring.deferPDF = true
        var report = await AnthologyRenderer(site: site, theme: theme, options: deferring).render(manifest, into: output)
        guard let job = report.pdfJob else { return report }
        report.pdfJob = nil
        let index = output.appendingPathComponent(Self.folder(manifest.name) + "/index.html")
        do {
            try Data(job.webEdition.utf8).write(to: index)
        } catch {
            report.diagnostics.append(.error(manifest.sourcePath, "cannot write anthology '\(manifest.name)': \(error.localizedDescription)"))
        }
        return report
    }
}
