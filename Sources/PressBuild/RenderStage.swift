import Foundation
import PressAnthology
import PressCore
import PressImages
import PressIncremental
import PressLinks
import PressModel
import PressSearch
import PressSite
import PressTemplates

/// Stage 4, render: every renderer (`Renderer`) writes into the staging folder, all at the same time:
/// the site's pages, its search index (gathered from the pages as they are rendered) and the anthologies.
/// The books start first, beside the web variants the resolve stage left to make; the pages wait for those.
struct RenderStage {
    let options: BuildOptions
    let progress: (@Sendable (Int) -> Void)?

    struct Output: Sendable {
        /// The site's report, with every file of the previous output any renderer reused.
        var report: SiteRenderReport
        /// Each book's record for the next build.
        var books: [String: BookRecord] = [:]
        var reports: [RenderReport]
        /// Kept for the caller to free, or not (`BuildResult.workingSet`).
        var renderers: [any Renderer] = []
        /// The build cache's problems when it was written already (`cacheWriter`), else nil.
        var cacheWritten: [Diagnostic]?
    }

    func run(_ loaded: LoadStage.Output, _ resolved: ResolveStage.Output, _ plan: PlanStage.Output, _ run: inout BuildRun) async -> Output {
        let diagnosed = run.result.diagnostics
        let routes = await resolved.routes?.value
        let early = RenderInput(site: plan.site, theme: loaded.theme, routes: routes, images: resolved.images.images,
                                reuse: plan.reusable, writer: resolved.writer)
        // The books' PDFs need no web variant: they start while the images still to make are made, which the
        // pages wait for, and so do the books' screen editions, whose image copies are the site's 1600 px variants.
        // With none to make, no task: awaited, it would wait behind the work started beside the stages before.
        let imageWork = resolved.pendingImages.sources.isEmpty ? nil : Task { await resolved.pendingImages.process() }
        let variants = SiteVariants.reading({ resolved.images.images.merging(await imageWork?.value.images ?? [:]) { a, _ in a } },
                                            from: [resolved.staging.staging, options.outputFolder])
        let books = Books(options: options, previous: loaded.previousBooks, staging: resolved.staging.staging, siteVariants: variants)
        async let booksReport = books.render(early, diagnosed: diagnosed)
        let made = if let imageWork {
            await withTaskCancellationHandler { await imageWork.value } onCancel: { imageWork.cancel() }
        } else {
            ImageStage.Outcome()
        }
        run.result.imageFilesMade += made.written.count
        run.step(.render, "images")
        let input = RenderInput(site: plan.site, theme: loaded.theme, routes: routes,
                                images: resolved.images.images.merging(made.images) { a, _ in a }, reuse: plan.reusable, writer: resolved.writer)
        let renderers = renderers(for: input, tags: await resolved.tags.value)
        // Without books, the cache has all it needs once the pages are done, and is written beside the search index.
        let cacheWriter = input.site.anthologies.isEmpty ? cacheWriter(loaded, resolved) : nil
        let (byRenderers, cacheWritten) = await Self.render(renderers, input, diagnosed: diagnosed, whenPagesAreDone: cacheWriter)
        let rendered = [RenderReport(diagnostics: made.diagnostics)] + byRenderers + [await booksReport]
        let reports = Self.withoutBooksOfAFailedSite(rendered)
        for report in reports { run.report(report.diagnostics, from: .render) }
        run.step(.render, (renderers.map(\.name) + [books.name]).joined(separator: ", "))
        var output = output(of: reports, imagesReused: resolved.images.reused, run: &run)
        output.renderers = renderers + [books]
        output.cacheWritten = cacheWritten
        return output
    }

    /// Books render the site's documents again: when the pages have errors the build fails, and the
    /// books' report (their records, PDF jobs and the same problems again) is dropped, as if never made.
    /// Otherwise a book's problem that the pages report too is reported once.
    static func withoutBooksOfAFailedSite(_ reports: [RenderReport]) -> [RenderReport] {
        let others = reports.filter { $0.books == nil }.flatMap(\.diagnostics)
        if others.hasErrors { return reports.filter { $0.books == nil } }
        let known = Set(others)
        return reports.map { report in
            guard report.books != nil else { return report }
            var report = report
            report.diagnostics = report.diagnostics.filter { !known.contains($0) }
            return report
        }
    }

    /// The site's pages and its search index when it has one (fed by the pages); the books run beside them.
    private func renderers(for input: RenderInput, tags: [String]) -> [any Renderer] {
        let site = SiteRenderer(site: input.site, theme: input.theme, routes: input.routes, images: input.images, tags: tags)
        let feed = input.site.config.search ? SearchRecordFeed() : nil
        var renderers: [any Renderer] = [SitePages(renderer: site, searchText: feed, progress: progress)]
        if let feed { renderers.append(SearchIndexRenderer(feed: feed, documentPaths: { site.documentOutputPaths })) }
        return renderers
    }

    /// Runs renderers at the same time; their reports come back in their order. `whenPagesAreDone` is
    /// given the site's report as soon as it comes, on a task of its own; its problems come back beside.
    private static func render(_ renderers: [any Renderer], _ input: RenderInput, diagnosed: [Diagnostic],
                               whenPagesAreDone: (@Sendable (SiteRenderReport) async -> [Diagnostic])?)
        async -> (reports: [RenderReport], pagesDone: [Diagnostic]?) {
        await withTaskGroup(of: (Int, RenderReport).self) { group in
            for (index, renderer) in renderers.enumerated() {
                group.addTask { (index, await renderer.render(input, diagnosed: diagnosed)) }
            }
            var reports: [(Int, RenderReport)] = [], pagesDone: [Diagnostic]?
            while let (index, report) = await group.next() {
                guard index >= 0 else {
                    pagesDone = report.diagnostics
                    continue
                }
                reports.append((index, report))
                if let site = report.site, let whenPagesAreDone {
                    group.addTask { (-1, RenderReport(diagnostics: await whenPagesAreDone(site))) }
                }
            }
            return (reports.sorted { $0.0 < $1.0 }.map(\.1), pagesDone)
        }
    }

    /// Writes the build cache (`CommitStage.cacheProblems`) with the site's report, for a site without books.
    private func cacheWriter(_ loaded: LoadStage.Output, _ resolved: ResolveStage.Output) -> @Sendable (SiteRenderReport) async -> [Diagnostic] {
        { [options] site in await CommitStage.cacheProblems(loaded, resolved, site: site, books: [:], options: options) }
    }

    private func output(of reports: [RenderReport], imagesReused: [String], run: inout BuildRun) -> Output {
        var site = reports.compactMap(\.site).first ?? SiteRenderReport()
        run.result.pagesWritten = site.pagesWritten
        run.result.pagesReused = site.pagesReused
        run.result.pagesSpliced = site.pagesSpliced
        run.result.pagesCompiled = site.pagesCompiled
        run.result.indexPlanReused = site.indexPlanReused
        run.result.filesCopied = site.filesCopied
        site.reusedFiles = reports.flatMap(\.reusedFiles) + imagesReused
        var output = Output(report: site, reports: reports)
        if let books = reports.compactMap(\.books).first {
            run.result.anthologies = books.reports
            run.result.pdfJobs = books.pdfJobs
            output.books = books.records
        }
        return output
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
