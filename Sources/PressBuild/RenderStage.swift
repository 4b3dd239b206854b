import Foundation
import PressAnthology
import PressCore
import PressIncremental
import PressLinks
import PressModel
import PressSite
import PressTemplates

/// Stage 4, render: the site's pages, its search index and the anthologies, written into the staging folder.
struct RenderStage {
    let options: BuildOptions
    let progress: (@Sendable (Int) -> Void)?

    struct Output: Sendable {
        var report: SiteRenderReport
        /// Each book's record for the next build.
        var books: [String: BookRecord] = [:]
        var renderer: SiteRenderer
    }

    func run(_ loaded: LoadStage.Output, _ resolved: ResolveStage.Output, _ plan: PlanStage.Output, _ run: inout BuildRun) async -> Output {
        let site = plan.site, writer = resolved.writer, theme = loaded.theme
        let renderer = SiteRenderer(site: site, theme: theme, routes: resolved.routes, images: resolved.images.images)
        // The search index is made while pages are written: in an incremental build by updating the
        // previous build's index with the few documents rendered again, in a clean one from the pages' records.
        let searchEnabled = site.config.search, searchReusing = searchEnabled && plan.reusable?.searchStore != nil ? plan.reusable : nil
        async let searchAhead = Self.updateSearchIndex(renderer, reusing: searchReusing, writer: writer)
        var report = await renderer.render(to: writer, reusing: plan.reusable, progress: progress)
        report.sources.templateLinks = Self.literalLinks(in: theme)
        run.step(.render, "pages")
        let searchRecords = report.searchRecords
        async let searchAfter = searchEnabled && searchReusing == nil ? renderer.writeSearchIndex(searchRecords, writer: writer) : nil
        run.report(report.diagnostics, from: .render)
        run.result.pagesWritten = report.pagesWritten
        run.result.pagesReused = report.pagesReused
        run.result.filesCopied = report.filesCopied
        report.reusedFiles += resolved.images.reused
        var output = Output(report: report, renderer: renderer)
        if !site.anthologies.isEmpty && !run.failed {
            await renderBooks(site: site, loaded: loaded, resolved: resolved, into: &output, run: &run)
            run.step(.render, "anthologies")
        }
        let (ahead, after) = (await searchAhead, await searchAfter)
        if let searchIndex = ahead ?? after {
            run.report(searchIndex.diagnostics, from: .render)
            output.report.reusedFiles += searchIndex.reusedFiles
            run.step(.render, "search index (made alongside the steps above)")
        }
        return output
    }

    /// Into the same staging folder: a book that fails fails the build and leaves Output/ as it was.
    private func renderBooks(site: Site, loaded: LoadStage.Output, resolved: ResolveStage.Output,
                             into output: inout Output, run: inout BuildRun) async {
        var bookOptions = AnthologyRenderer.Options(pdf: options.anthologyPDF, proof: options.anthologyProof, strict: options.anthologyStrict)
        bookOptions.deferPDF = options.deferPDFs
        let anthologies = AnthologyRenderer(site: site, theme: loaded.theme, options: bookOptions)
        let books = await SiteBuilder(options: options).buildBooks(anthologies, site: site, previous: loaded.previousBooks,
                                                                   writer: resolved.writer, staging: resolved.staging.staging)
        run.result.anthologies = books.reports
        run.result.pdfJobs = books.pdfJobs
        output.books = books.records
        output.report.reusedFiles += books.reusedFiles
        let known = Set(run.result.diagnostics)
        run.report(books.reports.flatMap(\.diagnostics).filter { !known.contains($0) }, from: .render)
    }

    /// An incremental build's search index: the previous one, updated with the documents not reused.
    private static func updateSearchIndex(_ renderer: SiteRenderer, reusing previous: ReusableOutput?, writer: OutputWriter) async -> SiteRenderReport? {
        guard let previous, let stored = previous.searchStore else { return nil }
        return await renderer.writeSearchIndex(await renderer.updatedSearchIndex(reusing: previous, from: stored), writer: writer, previous: previous)
    }

    /// URLs written as they are in template files, found with the HTML parser, so a broken
    /// footer link is reported at its template line rather than on every page.
    static func literalLinks(in theme: Theme) -> [String: SourceLocation] {
        var links: [String: SourceLocation] = [:]
        for (path, text) in theme.sources {
            for link in HTMLScanner.scan(Data(text.utf8)).links where !link.url.contains("{{") && links[link.url] == nil {
                links[link.url] = SourceLocation(file: path, line: link.line)
            }
        }
        return links
    }
}
