import Foundation
import PressCitations
public import PressCore
public import PressImages
public import PressIncremental
import PressMarkdown
public import PressModel
public import PressTemplates

public struct SiteRenderReport: Sendable {
    public var pagesWritten = 0
    public var filesCopied = 0
    public var diagnostics: [Diagnostic] = []
    /// For each page: links written from Markdown with their source lines (of pages rendered; a reused
    /// page's are in its record in `reusedPages`), and the template used (of pages rendered).
    public var sources = LinkSourceMap()
    /// Every document page rendered, by source path: what an incremental build needs to reuse it.
    public var pages: [String: PageRecord] = [:]
    /// Document pages taken unchanged from the previous output.
    public var pagesReused = 0
    /// Document pages whose body was spliced in after rendering (`ContentMarker`).
    public var pagesSpliced = 0
    /// Pages rendered by the theme's compiled templates rather than by swift-mustache (`CompiledTemplate`).
    public var pagesCompiled = 0
    /// Whether the index pages and feeds were all taken from the previous output without being planned,
    /// none of the values they show having changed (`IndexPlanKey`).
    public var indexPlanReused = false
    /// Index pages (home, lists, tags…) by output path → fingerprint of the values they were rendered from.
    /// Incremental-build state, for the build cache and the commit only.
    package var indexFingerprints: [String: String] = [:]
    /// Files taken unchanged from the previous output, by path.
    package var reusedFiles: [String] = []
    /// Slices of document pages rendered: the text sink is finished when all are.
    var documentSlices = 0
    /// The document pages taken from the previous output (nearly all of an edit's), kept as a list: the build
    /// cache writes them as the previous one held them, and putting them into `pages` and `sources.templates`
    /// took a twentieth of an edit of 10,000 pages.
    package var reusedPages: [ReusedPage] = []

    public init() {}

    /// One report of all `parts`.
    init(merging parts: [SiteRenderReport]) {
        reusedPages.reserveCapacity(parts.reduce(0) { $0 + $1.reusedPages.count })
        for part in parts { merge(part) }
    }

    /// The links and templates of every page, reused ones included: what the link checker reports them by.
    public var linkSources: LinkSourceMap {
        var sources = sources
        for page in reusedPages {
            if sources.links[page.record.outputPath] == nil { sources.links[page.record.outputPath] = page.record.links }
            sources.templates[page.record.outputPath] = page.template
        }
        return sources
    }

    /// Adds `other`'s counts, problems, tables and reused pages.
    mutating func merge(_ other: SiteRenderReport) {
        pagesWritten += other.pagesWritten
        documentSlices += other.documentSlices
        filesCopied += other.filesCopied
        diagnostics += other.diagnostics
        sources.links.merge(other.sources.links) { $0 + $1 }
        sources.templates.merge(other.sources.templates) { first, _ in first }
        pages.merge(other.pages) { first, _ in first }
        pagesReused += other.pagesReused
        pagesSpliced += other.pagesSpliced
        pagesCompiled += other.pagesCompiled
        indexPlanReused = indexPlanReused || other.indexPlanReused
        indexFingerprints.merge(other.indexFingerprints) { first, _ in first }
        reusedFiles += other.reusedFiles
        reusedPages += other.reusedPages
    }
}

/// Renders the website: one page per document (in parallel), list pages, tag pages,
/// home, slogans, 404, sitemap, feed and robots.txt, and copies static files.
public struct SiteRenderer: Sendable {
    public let site: Site
    public let theme: Theme
    let markdown: MarkdownRenderer
    let urls: SiteURLs
    let views: ViewBuilder
    let resolver: ContentLinkResolver
    let images: SiteImages
    /// The theme with its cached partials rendered, per state of the navigation (`navigationState`).
    let themesByNavigation: [String: Theme]
    /// Every document, each rendered as a page of its own.
    let documents: [Document]
    /// Bibliography files, read once, for papers' citations.
    let bibliographies: SiteBibliographies
    /// Set when the theme lets document pages' bodies be spliced in after rendering.
    let contentMarker: ContentMarker?

    /// `routes` is `site.routesBySource`, when the caller has it already (else made when a link first needs it);
    /// `images` are the image step's results by source path, published in place of the sources; `tags` are
    /// `distinctTags(of: site)`, when made already.
    public init(site: Site, theme: Theme, routes: [String: String]? = nil, images: [String: WebImage] = [:], tags: [String]? = nil) {
        self.site = site
        self.theme = theme
        markdown = MarkdownRenderer(options: .init(allowRawHTML: site.config.unsafeHTML))
        urls = SiteURLs(config: site.config)
        self.images = SiteImages(images, urls: urls)
        views = ViewBuilder(site: site, urls: urls, images: self.images, labels: theme.labels(for: site.config.language), tags: tags)
        let staticPaths = Set(site.staticFiles.map(\.outputPath) + theme.assets.map(\.outputPath))
        resolver = ContentLinkResolver(routes: routes.map(RouteTable.init) ?? RouteTable(makingFrom: site), staticPaths: staticPaths, urls: urls,
                                       images: images.isEmpty ? nil : self.images)
        var themes: [String: Theme] = [:]
        if !theme.cachedPartials.isEmpty {
            // Each navigation item's own route, and one that none is current for.
            for route in views.navigationRoutes + ["\u{0}"] {
                let view = views.base(route: route, title: nil, description: nil).filter { ["site", "nav", "labels"].contains($0.key) }
                let state = Self.navigationState(view)
                if themes[state] == nil { themes[state] = theme.withCachedPartials(renderedFrom: view) }
            }
        }
        themesByNavigation = themes
        documents = site.stories.map(Document.story) + site.papers.map(Document.paper) + site.pages.map(Document.page)
        bibliographies = SiteBibliographies(site: site)
        contentMarker = theme.splicesContent(from: Document.templates) ? ContentMarker() : nil
    }

    /// Every document's tags, each once by its bytes, in the order first met: a build makes them beside its
    /// resolve and plan stages (3 ms of a core for 10,000 pages) and hands them to the renderer.
    public static func distinctTags(of site: Site) -> [String] { ViewBuilder.distinctTags(site) }

    /// Which navigation items a page's view marks current: pages with the same state share cached partials.
    static func navigationState(_ view: [String: Any]) -> String {
        guard let items = view["nav"] as? [[String: Any]] else { return "" }
        return items.indices.filter { items[$0]["current"] != nil }.map(String.init).joined(separator: ",")
    }

    /// `searchText` takes the text of every document page rendered (not of those reused), as it is rendered.
    public func render(to writer: OutputWriter, reusing previous: ReusableOutput? = nil, searchText: (any PageTextSink)? = nil,
                       progress: (@Sendable (Int) -> Void)? = nil) async -> SiteRenderReport {
        let jobs = documents, cores = ProcessInfo.processInfo.activeProcessorCount
        // Small slices: the last one to finish runs alone, and 600 documents kept one core busy for a third of a second.
        // Except in an edit of a few documents, where nearly every page is taken as it was (a lookup each): a few
        // slices, not 300 tasks and reports to merge.
        let fewDirty = previous.map { $0.dirty.count <= 2 * cores } ?? false
        let sliceSize = fewDirty ? max(32, jobs.count / (cores * 4)) : min(32, max(8, jobs.count / (cores * 8)))
        // A clean build plans its index pages first, so that their slices start before the documents': a tag page
        // lists thousands of documents, and started last it would run alone. An edit starts the documents at once:
        // the index key, made beside them, usually keeps every index page.
        async let cleanKey = previous == nil ? indexKey(reusing: nil) : nil
        let planned = previous == nil ? await plannedIndexes(previous: nil) : nil
        var report = await withTaskGroup(of: SiteRenderReport.self) { group in
            if let planned {
                addIndexTasks(planned, to: &group, writer: writer, previous: nil)
            } else if let previous {
                group.addTask { await indexPages(reusing: previous, writer: writer) }
            }
            for start in stride(from: 0, to: jobs.count, by: sliceSize) {
                let slice = jobs[start..<min(start + sliceSize, jobs.count)]
                group.addTask { renderSlice(slice, reusing: previous, searchText: searchText, writer: writer) }
            }
            group.addTask { copyStaticFiles(writer: writer) }
            // The text sink is finished as soon as the last slice comes, before the parts are merged:
            // merging 10,000 pages' records would hold back the search index of an edit.
            var parts: [SiteRenderReport] = [], slicesDone = 0, pagesWritten = 0
            let documentSlices = (jobs.count + sliceSize - 1) / sliceSize
            if documentSlices == 0 { searchText?.finish() }
            for await part in group {
                parts.append(part)
                slicesDone += part.documentSlices
                if part.documentSlices > 0 && slicesDone == documentSlices { searchText?.finish() }
                pagesWritten += part.pagesWritten
                progress?(pagesWritten)
            }
            return SiteRenderReport(merging: parts)
        }
        if let key = await cleanKey { report.indexFingerprints.merge(key.entries) { _, new in new } }
        report.diagnostics += bibliographies.diagnostics
        report.diagnostics = report.diagnostics.sortedForReport()
        return report
    }

    /// An edit's index pages and feeds: all of them kept when the values they show are unchanged
    /// (`IndexPlanKey`), else planned, and those whose values changed rendered again.
    private func indexPages(reusing previous: ReusableOutput, writer: OutputWriter) async -> SiteRenderReport {
        let key = indexKey(reusing: previous)
        var report: SiteRenderReport
        if let kept = keepIndexPages(key: key.value, from: previous, writer: writer) {
            report = kept
        } else {
            let planned = await plannedIndexes(previous: previous)
            report = await withTaskGroup(of: SiteRenderReport.self) { group in
                addIndexTasks(planned, to: &group, writer: writer, previous: previous)
                var parts: [SiteRenderReport] = []
                for await part in group { parts.append(part) }
                return SiteRenderReport(merging: parts)
            }
        }
        report.indexFingerprints.merge(key.entries) { _, new in new }
        return report
    }

    /// The index key (`IndexPlanKey`), and its entries for the build cache. Its documents' part is the previous
    /// build's when only texts changed: hashing every document's fields was a twentieth of an edit of 10,000 pages.
    private func indexKey(reusing previous: ReusableOutput?) -> (value: String, entries: [String: String]) {
        let kept = previous.flatMap { $0.fieldsUnchanged ? $0.indexFingerprints[IndexPlanKey.documentsEntry] : nil }
        let documents = kept ?? IndexPlanKey.documents(of: site)
        let value = IndexPlanKey.make(site: site, views: views, documents: documents)
        return (value, [IndexPlanKey.entry: value, IndexPlanKey.documentsEntry: documents])
    }

    /// The index pages planned, with the entries of those to render made; the sitemap's entries.
    private func plannedIndexes(previous: ReusableOutput?) async -> (pages: IndexPagesInFlight, sitemap: [Feeds.SitemapEntry]) {
        let indexes = await planIndexes()
        // Handed over, not kept here: the last slice frees them.
        let entries = await renderEntries(for: indexes.pages.filter { previous?.indexFingerprints[$0.path] != $0.fingerprint })
        return (IndexPagesInFlight(indexes.pages, sliceSize: 4, entries: entries), indexes.sitemap)
    }

    /// Adds the tasks rendering the index pages, a few a task, and the feeds.
    private func addIndexTasks(_ planned: (pages: IndexPagesInFlight, sitemap: [Feeds.SitemapEntry]),
                               to group: inout TaskGroup<SiteRenderReport>, writer: OutputWriter, previous: ReusableOutput?) {
        let (indexPages, sitemap) = planned
        for slice in 0..<indexPages.sliceCount {
            group.addTask { indexPages.use(slice) { renderIndexPages($0, entries: $1, writer: writer, previous: previous) } }
        }
        group.addTask { writeFeeds(sitemap: sitemap, writer: writer) }
    }

    private func renderDocument(_ job: Document, searchText: (any PageTextSink)?, writer: OutputWriter, into report: inout SiteRenderReport) {
        let header = job.header
        var targets: Set<String> = []
        let (rendered, problems) = renderMarkdown(of: job, targets: &targets)
        report.diagnostics += problems
        let outputPath = SiteURLs.outputPath(header.route)
        let page = renderPage(job, rendered: rendered)
        write(page.bytes, compiled: page.compiled, template: job.template, to: outputPath, writer: writer, report: &report)
        let links = rendered.links.map {
            LinkOrigin(href: $0.resolved, location: SourceLocation(file: header.sourcePath, line: $0.line, column: $0.column > 0 ? $0.column : nil))
        }
        report.sources.links[outputPath] = links
        if case .story(let story) = job, let cover = story.cover, let path = images.sourcePath(ofRootRelative: cover) { targets.insert(path) }
        report.pages[header.sourcePath] = PageRecord(outputPath: outputPath, links: links, targets: targets.sorted())
        if site.config.search, let searchText { searchText.take(pageText(job, outputPath: outputPath, plainText: rendered.plainText)) }
    }

    /// A document's page: with a theme that prints `content` only as a variable, rendered around a marker
    /// and the body spliced in (`ContentMarker`); else, or when the splice cannot prove itself, with the body in the view.
    private func renderPage(_ job: Document, rendered: RenderedMarkdown) -> (bytes: PageBytes, compiled: Bool) {
        if let contentMarker, let placeholder = contentMarker.placeholder(for: rendered.htmlBytes) {
            let view = documentView(job, rendered: rendered, content: placeholder)
            let page = theme(for: view).renderReporting(view, template: job.template)
            if let bytes = contentMarker.splice(page.text, body: rendered.htmlBytes) {
                return (.bytes(bytes), page.compiled)
            }
        }
        let view = documentView(job, rendered: rendered, content: nil)
        let page = theme(for: view).renderReporting(view, template: job.template)
        return (.text(page.text), page.compiled)
    }

    /// A document page's view; `content` is the body's placeholder, or nil for the body itself.
    private func documentView(_ job: Document, rendered: RenderedMarkdown, content: TemplateText?) -> [String: Any] {
        let header = job.header
        var view: [String: Any]
        switch job {
        case .story(let story):
            view = views.base(route: header.route, title: header.title, description: header.summary, type: "article", image: story.cover)
            view["story"] = views.story(story, rendered: rendered, content: content)
        case .paper(let paper):
            view = views.base(route: header.route, title: header.title, description: paper.abstract, type: "article")
            view["paper"] = views.paper(paper, rendered: rendered, content: content)
        case .page(let page):
            view = views.base(route: header.route, title: header.title, description: header.summary, type: "article")
            view["doc"] = views.page(page, rendered: rendered, content: content)
        }
        return view
    }

    /// The theme with the cached partials of the view's navigation state.
    private func theme(for view: [String: Any]) -> Theme {
        themesByNavigation.isEmpty ? theme : themesByNavigation[Self.navigationState(view)] ?? theme
    }

    /// A document's body as HTML; a paper with a bibliography gets its citations and 参考文献 list.
    /// `targets` gets the files its links point at.
    func renderMarkdown(of document: Document, targets: inout Set<String>) -> (RenderedMarkdown, [Diagnostic]) {
        guard case .paper(let paper) = document, bibliographies.cites(paper) else { return renderMarkdown(of: document.header, targets: &targets) }
        let folder = ContentLink.SourceFolder(paper.header.contentRelativePath)
        return bibliographies.render(paper, markdown: markdown) { resolver.resolve($0, in: folder, targets: &targets) }
    }

    /// A document's body as HTML, its content links resolved to the site's URLs.
    func renderMarkdown(of header: DocumentHeader, targets: inout Set<String>) -> (RenderedMarkdown, [Diagnostic]) {
        var options = MarkdownRenderer.DocumentOptions()
        if !images.byPath.isEmpty {
            let images = images
            options.imageMarkup = { image in images.markup(image) }
        }
        let folder = ContentLink.SourceFolder(header.contentRelativePath)
        return markdown.render(header.body, file: header.sourcePath, firstLine: header.bodyFirstLine, document: options) { resolver.resolve($0, in: folder, targets: &targets) }
    }

    /// A slice of the documents, each reused or rendered.
    private func renderSlice(_ slice: ArraySlice<Document>, reusing previous: ReusableOutput?, searchText: (any PageTextSink)?,
                             writer: OutputWriter) -> SiteRenderReport {
        var report = SiteRenderReport()
        report.documentSlices = 1
        guard let previous else {
            for job in slice { renderDocument(job, searchText: searchText, writer: writer, into: &report) }
            return report
        }
        // `previous` unwrapped once, and the documents read by index: bound for each of 10,000 documents, the
        // previous output and the document were each a copy (a retain per field).
        var templates: [String: String] = [:]
        for name in Document.templates { templates[name] = theme.sourcePath(of: name) }
        for index in slice.indices {
            let source = slice[index].sourcePath
            if !previous.dirty.contains(source), let record = previous.pages[source],
               reuse(record, of: source, template: templates[slice[index].template], from: previous, writer: writer, into: &report) {
                continue
            }
            renderDocument(slice[index], searchText: searchText, writer: writer, into: &report)
        }
        return report
    }

    /// The plan made dirty every page without its entry in the search index or its file (`UnusablePages`).
    private func reuse(_ record: PageRecord, of source: String, template: String?, from previous: ReusableOutput, writer: OutputWriter,
                       into report: inout SiteRenderReport) -> Bool {
        do {
            try writer.reuse(previous.file(record.outputPath), as: record.outputPath, found: previous.pagesFound)
        } catch {
            return false
        }
        report.reusedFiles.append(record.outputPath)
        // Its links stay encoded in the record: only the link checker asks for them (`LinkSourceMap`).
        report.reusedPages.append(ReusedPage(source: source, record: record, template: template))
        report.pagesWritten += 1
        report.pagesReused += 1
        return true
    }

    private func write(_ template: String, _ view: [String: Any], to path: String, writer: OutputWriter, report: inout SiteRenderReport) {
        let page = theme(for: view).renderReporting(view, template: template)
        write(.text(page.text), compiled: page.compiled, template: template, to: path, writer: writer, report: &report)
    }

    private func write(_ page: PageBytes, compiled: Bool, template: String, to path: String, writer: OutputWriter,
                       report: inout SiteRenderReport) {
        report.sources.templates[path] = theme.sourcePath(of: template)
        do {
            switch page {
            case .text(let text): try writer.write(text, to: path)
            case .bytes(let bytes):
                try writer.write(bytes, to: path)
                report.pagesSpliced += 1
            }
            report.pagesWritten += 1
            if compiled { report.pagesCompiled += 1 }
        } catch {
            report.diagnostics.append(.error(path, "cannot write output file: \(error)"))
        }
    }

    /// Home, section lists, tags, slogans, 404 and the sitemap's entries for them; nothing is rendered yet.
    private func planIndexes() async -> IndexPlan {
        let views = views
        async let storyEntries = indexEntries(site.stories) { IndexEntry(header: $0.header, views.entryLine($0), views: views) }
        async let paperEntries = indexEntries(site.papers) { IndexEntry(header: $0.header, views.entryLine($0), views: views) }
        async let pageEntries = indexEntries(site.pages) { IndexEntry(header: $0.header, views.entryLine($0), views: views) }
        let (stories, papers, pages) = await (storyEntries, paperEntries, pageEntries)
        var plan = IndexPlan()
        plan.sitemap = site.headers.map { .init(route: $0.route, lastModified: $0.date) }
        planHome(into: &plan, stories: stories, papers: papers, pages: pages)
        for (section, entries) in [("stories", stories), ("papers", papers)] {
            planList(section, title: views.labels.text(section), entries: entries, into: &plan)
        }
        planTags(stories + papers + pages, into: &plan)
        planOtherPages(into: &plan, stories: stories)
        return plan
    }

    private func planHome(into plan: inout IndexPlan, stories: [IndexEntry], papers: [IndexEntry], pages: [IndexEntry]) {
        var home = views.base(route: "/", title: nil, description: nil)
        home["latest_stories"] = stories.prefix(6).map(view(of:))
        home["latest_papers"] = papers.prefix(6).map(view(of:))
        home["notices"] = zip(site.pages, pages).filter { $0.0.documentNumber != nil }.map { view(of: $0.1) }
        if let current = site.slogans.first { home["slogans"] = views.sloganSet(current) }
        // Anthologies are built by PressAnthology into /anthologies/<name>/; the home page links their web editions.
        home["anthologies"] = site.anthologies.map { book -> [String: Any] in
            var entry: [String: Any] = ["title": TemplateText(book.title), "url": TemplateText(urls.href("/anthologies/\(book.name)/"))]
            if let subtitle = book.subtitle { entry["subtitle"] = TemplateText(subtitle) }
            return entry
        }
        plan.add("home", to: "index.html", view: home)
        plan.sitemap.append(.init(route: "/", lastModified: site.headers.compactMap(\.date).max()))
    }

    /// A section's list, `per_page` entries a page; pages after the first are titled with the `list_page` label.
    private func planList(_ section: String, title: String, entries: [IndexEntry], into plan: inout IndexPlan) {
        let views = views, perPage = site.config.perPage
        let pageCount = max(1, (entries.count + perPage - 1) / perPage)
        for number in 1...pageCount {
            let route = SiteURLs.listRoute(section, page: number)
            let heading = number == 1 ? title : views.labels.text("list_page", ["title": title, "number": String(number)])
            let items = entries.dropFirst((number - 1) * perPage).prefix(perPage)
            plan.add("list", to: SiteURLs.outputPath(route), key: [route, heading, "\(pageCount)"] + items.map(\.print), entries: Array(items)) { rendered in
                var view = views.base(route: route, title: heading, description: nil)
                var list: [String: Any] = ["title": TemplateText(title), "section": TemplateText(section), "items": items.map { self.entryView($0, rendered) }]
                if let pagination = views.pagination(section: section, current: number, total: pageCount) { list["pagination"] = pagination }
                view["list"] = list
                return view
            }
            plan.sitemap.append(.init(route: route, lastModified: nil))
        }
    }

    /// One page per tag, and the page of all tags.
    private func planTags(_ entries: [IndexEntry], into plan: inout IndexPlan) {
        let views = views
        var tagged: [String: [IndexEntry]] = [:]
        for item in entries {
            for tag in item.header.tags { tagged[tag, default: []].append(item) }
        }
        let tags = tagged.keys.sorted { (views.tagRoutes[$0]?.route ?? $0) < (views.tagRoutes[$1]?.route ?? $1) }
        for name in tags {
            let route = views.tagRoutes[name]?.route ?? SiteURLs.tagRoute(name)
            let items = tagged[name] ?? []
            plan.add("tag", to: SiteURLs.outputPath(route), key: [route, name] + items.map(\.print), entries: items) { rendered in
                var view = views.base(route: route, title: views.labels.text("tag_page", ["name": name]), description: nil)
                view["tag"] = ["name": TemplateText(name), "items": items.map { self.entryView($0, rendered) }, "count": TemplateNumber(items.count)] as [String: Any]
                return view
            }
            plan.sitemap.append(.init(route: route, lastModified: nil))
        }
        var tagsView = views.base(route: "/tags/", title: views.labels.text("all_tags"), description: nil)
        tagsView["tags"] = tags.map {
            ["name": TemplateText($0), "url": TemplateText(views.tagRoutes[$0]?.href ?? ""), "count": TemplateNumber(tagged[$0]?.count ?? 0)] as [String: Any]
        }
        plan.add("tags", to: "tags/index.html", view: tagsView)
        plan.sitemap.append(.init(route: "/tags/", lastModified: nil))
    }

    /// Slogans, search and 404.
    private func planOtherPages(into plan: inout IndexPlan, stories: [IndexEntry]) {
        if let current = site.slogans.first {
            var view = views.base(route: "/slogans/", title: current.title, description: current.theme)
            view["slogan_sets"] = site.slogans.map(views.sloganSet)
            plan.add("slogans", to: "slogans/index.html", view: view)
            plan.sitemap.append(.init(route: "/slogans/", lastModified: nil))
        }
        if site.config.search && theme.templateNames.contains("search") {
            plan.add("search", to: "search/index.html", view: views.base(route: "/search/", title: views.labels.text("search"), description: nil))
            plan.sitemap.append(.init(route: "/search/", lastModified: nil))
        }
        var notFound = views.base(route: "/404.html", title: views.labels.text("not_found"), description: nil)
        notFound["latest_stories"] = stories.prefix(3).map(view(of:))
        plan.add("404", to: "404.html", view: notFound)
    }

    /// The previous build's index pages and feeds, all of them, when the values they were made from are
    /// unchanged (`IndexPlanKey`). Nil when they changed, or when a file is missing from the previous
    /// output (deleted by hand): the pages are then planned, and those missing rendered again.
    private func keepIndexPages(key: String, from previous: ReusableOutput, writer: OutputWriter) -> SiteRenderReport? {
        guard previous.indexFingerprints[IndexPlanKey.entry] == key else { return nil }
        var report = SiteRenderReport()
        report.indexPlanReused = true
        // The key's entries start with `/`; no page's path does.
        for (path, fingerprint) in previous.indexFingerprints where !path.hasPrefix("/") {
            guard let template = previous.templates[path], (try? writer.reuse(previous.file(path), as: path)) != nil else { return nil }
            report.indexFingerprints[path] = fingerprint
            report.sources.templates[path] = template
            report.reusedFiles.append(path)
            report.pagesWritten += 1
        }
        for path in Feeds.files {
            guard (try? writer.reuse(previous.file(path), as: path)) != nil else { return nil }
            report.reusedFiles.append(path)
        }
        return report
    }

    /// Renders index pages. One whose values are unchanged is taken from the previous output:
    /// editing a story's text leaves every list, tag page and the home page as they were.
    private func renderIndexPages(_ pages: ArraySlice<IndexPage>, entries: [String: RenderedEntry], writer: OutputWriter,
                                  previous: ReusableOutput?) -> SiteRenderReport {
        var report = SiteRenderReport()
        for page in pages {
            report.indexFingerprints[page.path] = page.fingerprint
            if let previous, previous.indexFingerprints[page.path] == page.fingerprint,
               (try? writer.reuse(previous.file(page.path), as: page.path)) != nil {
                report.reusedFiles.append(page.path)
                report.sources.templates[page.path] = theme.sourcePath(of: page.template)
                report.pagesWritten += 1
                continue
            }
            write(page.template, page.view(entries), to: page.path, writer: writer, report: &report)
        }
        return report
    }

    /// List entries with their fingerprints, made on all cores: for 10,000 documents this took a
    /// tenth of an incremental build on one.
    private func indexEntries<T: Sendable>(_ items: [T], _ make: @escaping @Sendable (T) -> IndexEntry) async -> [IndexEntry] {
        let size = 128
        return await withTaskGroup(of: (start: Int, entries: [IndexEntry]).self) { group in
            for start in stride(from: 0, to: items.count, by: size) {
                let slice = items[start..<min(start + size, items.count)]
                group.addTask { (start, slice.map(make)) }
            }
            var parts: [(start: Int, entries: [IndexEntry])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.start < $1.start }.flatMap(\.entries)
        }
    }

    /// An entry's view for a list or tag page, with `html`: the entry rendered once with
    /// `partials/entry` (rendered here when the page is made without it).
    private func entryView(_ entry: IndexEntry, _ rendered: [String: RenderedEntry]) -> TemplateFields {
        (rendered[entry.header.sourcePath] ?? renderedEntry(entry, partial: theme.hasTemplate(IndexEntry.template))).view
    }

    /// The entry's view with its `html` from `partials/entry` when the theme has one: made once, so the
    /// pages that list it share one dictionary instead of each copying it to add the HTML.
    private func renderedEntry(_ entry: IndexEntry, partial: Bool) -> RenderedEntry {
        var view = view(of: entry)
        if partial { view["html"] = TemplateText(theme.render(view, template: IndexEntry.template)) }
        return RenderedEntry(view: view)
    }

    private func view(of entry: IndexEntry) -> TemplateFields {
        views.entry(entry.header, byline: entry.byline, summary: entry.summary, cover: entry.cover, withView: true).view
    }

    /// Makes, once each and on all cores, the views of the entries the index pages to be rendered
    /// list, and renders them with `partials/entry`: a story appears on its list page and on each
    /// of its tags' pages (Hugo's content views, `.Render`).
    private func renderEntries(for pages: [IndexPage]) async -> [String: RenderedEntry] {
        let partial = theme.hasTemplate(IndexEntry.template)
        var seen = Set<String>()
        var entries: [IndexEntry] = []
        for page in pages {
            for entry in page.entries where seen.insert(entry.header.sourcePath).inserted { entries.append(entry) }
        }
        let sliceSize = max(64, entries.count / (ProcessInfo.processInfo.activeProcessorCount * 4))
        return await withTaskGroup(of: [(String, RenderedEntry)].self) { group in
            for start in stride(from: 0, to: entries.count, by: sliceSize) {
                let slice = entries[start..<min(start + sliceSize, entries.count)]
                group.addTask {
                    slice.map { entry in (entry.header.sourcePath, renderedEntry(entry, partial: partial)) }
                }
            }
            var rendered: [String: RenderedEntry] = [:]
            rendered.reserveCapacity(entries.count)
            for await part in group { for (source, entry) in part { rendered[source] = entry } }
            return rendered
        }
    }

    private func writeFeeds(sitemap: [Feeds.SitemapEntry], writer: OutputWriter) -> SiteRenderReport {
        var report = SiteRenderReport()
        let feeds = Feeds(site: site, urls: urls)
        for (path, text) in zip(Feeds.files, [feeds.sitemap(sitemap), feeds.atom(), feeds.robots()]) {
            do { try writer.write(text, to: path) } catch { report.diagnostics.append(.error(path, "cannot write output file: \(error)")) }
        }
        return report
    }

    static func fingerprint(_ view: [String: Any]) -> String {
        var fingerprint = Fingerprint()
        ViewFingerprint.add(view, to: &fingerprint)
        return fingerprint.hex
    }

    /// Theme assets first, then the site's own files, which win on the same path.
    private func copyStaticFiles(writer: OutputWriter) -> SiteRenderReport {
        var report = SiteRenderReport()
        var files: [String: StaticFile] = [:]
        for file in theme.assets { files[file.outputPath] = file }
        // Processed images are published as their variants only: the source keeps its EXIF and GPS.
        for file in site.staticFiles where images.byPath[file.outputPath] == nil { files[file.outputPath] = file }
        for (path, file) in files.sorted(by: { $0.key < $1.key }) {
            do {
                try writer.copy(file.sourceFile, to: path)
                report.filesCopied += 1
            } catch {
                report.diagnostics.append(.error(file.sourceFile, "cannot copy to output: \(error)"))
            }
        }
        return report
    }
}

/// The index pages of a site and the sitemap entries of every page.
struct IndexPlan: Sendable {
    var pages: [IndexPage] = []
    var sitemap: [Feeds.SitemapEntry] = []

    /// A page whose values are fingerprinted by `key`, its view built only if it must be rendered.
    mutating func add(_ template: String, to path: String, key: [String], entries: [IndexEntry] = [],
                      view: @escaping (_ entries: [String: RenderedEntry]) -> [String: Any]) {
        var fingerprint = Fingerprint()
        fingerprint.add(template)
        for part in key { fingerprint.add(part) }
        pages.append(IndexPage(template: template, path: path, fingerprint: fingerprint.hex, entries: entries, view: view))
    }

    /// A page whose whole view is known now.
    mutating func add(_ template: String, to path: String, view: [String: Any]) {
        add(template, to: path, key: [SiteRenderer.fingerprint(view)]) { _ in view }
    }
}

/// A page made from many documents (home, a list or tag page), with the fingerprint of the values it
/// shows. Its view is built only when the page must be rendered, from the entries' HTML.
struct IndexPage: @unchecked Sendable {
    // Unchecked: `view` captures views made only of strings, numbers, arrays and dictionaries,
    // never mutated once built, so rendering it on another task shares nothing mutable.
    let template: String
    let path: String
    let fingerprint: String
    /// The documents it lists with `partials/entry`.
    let entries: [IndexEntry]
    let view: (_ entries: [String: RenderedEntry]) -> [String: Any]
}

/// The index pages to render, a slice per task, and their list entries' views: dropped (on the task
/// of the last slice, while the documents still render) once every slice is rendered, so that the
/// memory they held (30 MiB for 10,000 documents) serves the rest of the build instead of adding to
/// its peak.
final class IndexPagesInFlight: @unchecked Sendable {
    // Unchecked: `pages`, `entries` and `slicesLeft` are read and written under `lock` only.
    private let lock = NSLock()
    private var pages: [IndexPage]
    private var entries: [String: RenderedEntry]
    private var slicesLeft: Int
    private let sliceSize: Int
    let sliceCount: Int

    init(_ pages: [IndexPage], sliceSize: Int, entries: [String: RenderedEntry]) {
        self.pages = pages
        self.entries = entries
        self.sliceSize = sliceSize
        sliceCount = (pages.count + sliceSize - 1) / sliceSize
        slicesLeft = sliceCount
    }

    /// Runs `body` with slice number `slice` and the entries; the last slice to finish lets them all go.
    func use<Result>(_ slice: Int, _ body: (ArraySlice<IndexPage>, [String: RenderedEntry]) -> Result) -> Result {
        let (pages, entries) = lock.withLock { (self.pages, self.entries) }
        defer {
            lock.withLock {
                slicesLeft -= 1
                if slicesLeft == 0 { (self.pages, self.entries) = ([], [:]) }
            }
        }
        let start = slice * sliceSize
        return body(pages[start..<min(start + sliceSize, pages.count)], entries)
    }
}

/// A list entry's view, with its HTML from `partials/entry` as `html` when the theme has that partial.
struct RenderedEntry: Sendable {
    let view: TemplateFields
}

/// A document's list entry and its fingerprint, made once for lists, tags and home. A class: a
/// tag page's list shares the entries, where copies of a struct cost a retain per field.
final class IndexEntry: @unchecked Sendable {
    // Unchecked for the same reason as `IndexPage`.
    static let template = "partials/entry"
    let header: DocumentHeader
    let byline: String
    let summary: String?
    let cover: String?
    let print: String

    init(header: DocumentHeader, _ line: EntryLine, views: ViewBuilder) {
        self.header = header
        byline = line.byline
        summary = line.summary
        cover = line.cover
        print = views.entry(header, byline: line.byline, summary: line.summary, cover: line.cover, withView: false).print
    }
}

/// A rendered page: text, or bytes when its body was spliced in.
enum PageBytes {
    case text(String)
    case bytes([UInt8])
}

extension Document {
    /// The theme templates that render documents.
    static let templates = ["story", "paper", "page"]

    /// The theme template that renders a document of this kind.
    var template: String {
        switch self {
        case .story: return "story"
        case .paper: return "paper"
        case .page: return "page"
        }
    }
}
