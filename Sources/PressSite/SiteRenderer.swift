import Foundation
import PressCore
import PressMarkdown
import PressModel
import PressSearch
import PressTemplates

public struct SiteRenderReport: Sendable {
    public var pagesWritten = 0
    public var filesCopied = 0
    public var diagnostics: [Diagnostic] = []
    /// For each page: links written from Markdown with their source lines, and the template used.
    public var sources = LinkSourceMap()
    /// Plain text of each document page rendered this time, for the search index.
    public var documents: [RenderedDocument] = []
    /// Every document page by source path: what an incremental build needs to reuse it.
    public var pages: [String: PageRecord] = [:]
    /// Document pages taken unchanged from the previous output.
    public var pagesReused = 0
    /// Every document page's search record (made now or taken from the previous output).
    public var searchRecords: [SearchRecord] = []

    mutating func merge(_ other: SiteRenderReport) {
        pagesWritten += other.pagesWritten
        filesCopied += other.filesCopied
        diagnostics += other.diagnostics
        sources.links.merge(other.sources.links) { $0 + $1 }
        sources.templates.merge(other.sources.templates) { first, _ in first }
        documents += other.documents
        pages.merge(other.pages) { first, _ in first }
        pagesReused += other.pagesReused
        searchRecords += other.searchRecords
    }
}

/// What a document page needs to be reused by the next build: where it is, the links it holds
/// (for the source map) and the content files it links to (if one moves, the page is rendered again).
public struct PageRecord: Sendable, Codable, Equatable {
    public var outputPath: String
    public var links: [LinkOrigin]
    public var targets: [String]
}

/// Pages of the previous output that may be reused, and the documents that must be rendered again.
public struct ReusableOutput: Sendable {
    public var folder: URL
    public var pages: [String: PageRecord]
    public var dirty: Set<String>
    /// The previous output's search records by page path; a page without one is rendered again.
    public var searchRecords: [String: SearchRecord]

    public init(folder: URL, pages: [String: PageRecord], dirty: Set<String>, searchRecords: [String: SearchRecord] = [:]) {
        self.folder = folder
        self.pages = pages
        self.dirty = dirty
        self.searchRecords = searchRecords
    }
}

/// A rendered document page, kept small: what search and reports need, not the HTML.
public struct RenderedDocument: Sendable {
    public var header: DocumentHeader
    public var outputPath: String
    public var headings: [MarkdownHeading]
    public var plainText: String
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

    public init(site: Site, theme: Theme) {
        self.site = site
        self.theme = theme
        markdown = MarkdownRenderer(options: .init(allowRawHTML: site.config.unsafeHTML))
        urls = SiteURLs(config: site.config)
        views = ViewBuilder(site: site, urls: urls)
        let staticPaths = Set(site.staticFiles.map(\.outputPath) + theme.assets.map(\.outputPath))
        resolver = ContentLinkResolver(routesBySource: site.routesBySource, staticPaths: staticPaths, urls: urls)
    }

    enum DocumentJob: Sendable {
        case story(BrandStory)
        case paper(Paper)
        case page(Page)

        var header: DocumentHeader {
            switch self {
            case .story(let story): return story.header
            case .paper(let paper): return paper.header
            case .page(let page): return page.header
            }
        }

        var template: String {
            switch self {
            case .story: return "story"
            case .paper: return "paper"
            case .page: return "page"
            }
        }
    }

    public func render(to writer: OutputWriter, reusing previous: ReusableOutput? = nil,
                       progress: (@Sendable (Int) -> Void)? = nil) async -> SiteRenderReport {
        let jobs = site.stories.map(DocumentJob.story) + site.papers.map(DocumentJob.paper) + site.pages.map(DocumentJob.page)
        let sliceSize = max(8, jobs.count / (ProcessInfo.processInfo.activeProcessorCount * 8))
        var report = await withTaskGroup(of: SiteRenderReport.self) { group in
            for start in stride(from: 0, to: jobs.count, by: sliceSize) {
                let slice = jobs[start..<min(start + sliceSize, jobs.count)]
                group.addTask {
                    var report = SiteRenderReport()
                    for job in slice {
                        let source = job.header.sourcePath
                        if let previous, !previous.dirty.contains(source), let record = previous.pages[source],
                           reuse(record, job: job, from: previous, writer: writer, into: &report) {
                            continue
                        }
                        renderDocument(job, writer: writer, into: &report)
                    }
                    return report
                }
            }
            group.addTask { renderIndexes(writer: writer) }
            group.addTask { copyStaticFiles(writer: writer) }
            var report = SiteRenderReport()
            for await part in group {
                report.merge(part)
                progress?(report.pagesWritten)
            }
            return report
        }
        report.documents.sort { $0.outputPath < $1.outputPath }
        if site.config.search { report.merge(writeSearchIndex(report.searchRecords, writer: writer)) }
        report.diagnostics = report.diagnostics.sortedForReport()
        return report
    }

    private func renderDocument(_ job: DocumentJob, writer: OutputWriter, into report: inout SiteRenderReport) {
        let header = job.header
        let (rendered, problems) = markdown.render(header.body, file: header.sourcePath, firstLine: header.bodyFirstLine) {
            resolver.resolve($0, from: header)
        }
        report.diagnostics += problems
        var view: [String: Any]
        switch job {
        case .story(let story):
            view = views.base(route: header.route, title: header.title, description: header.summary, type: "article", image: story.cover)
            view["story"] = views.story(story, rendered: rendered)
        case .paper(let paper):
            view = views.base(route: header.route, title: header.title, description: paper.abstract, type: "article")
            view["paper"] = views.paper(paper, rendered: rendered)
        case .page(let page):
            view = views.base(route: header.route, title: header.title, description: header.summary, type: "article")
            view["doc"] = views.page(page, rendered: rendered)
        }
        let outputPath = SiteURLs.outputPath(header.route)
        write(job.template, view, to: outputPath, writer: writer, report: &report)
        let links = rendered.links.map {
            LinkOrigin(href: $0.resolved, location: SourceLocation(file: header.sourcePath, line: $0.line, column: $0.column > 0 ? $0.column : nil))
        }
        report.sources.links[outputPath] = links
        let targets = Set(rendered.links.compactMap { resolver.contentTarget($0.written, from: header) }).sorted()
        report.pages[header.sourcePath] = PageRecord(outputPath: outputPath, links: links, targets: targets)
        report.documents.append(RenderedDocument(header: header, outputPath: outputPath, headings: rendered.headings, plainText: rendered.plainText))
        if site.config.search { report.searchRecords.append(searchRecord(job, outputPath: outputPath, plainText: rendered.plainText)) }
    }

    private func reuse(_ record: PageRecord, job: DocumentJob, from previous: ReusableOutput, writer: OutputWriter,
                       into report: inout SiteRenderReport) -> Bool {
        let search = previous.searchRecords[record.outputPath]
        if site.config.search && search == nil { return false }
        do {
            try writer.link(from: previous.folder.appendingPathComponent(record.outputPath), to: record.outputPath)
        } catch {
            return false
        }
        report.pages[job.header.sourcePath] = record
        report.sources.links[record.outputPath] = record.links
        report.sources.templates[record.outputPath] = theme.sourcePath(of: job.template)
        report.pagesWritten += 1
        report.pagesReused += 1
        if site.config.search, let search { report.searchRecords.append(search) }
        return true
    }

    private func write(_ template: String, _ view: [String: Any], to path: String, writer: OutputWriter, report: inout SiteRenderReport) {
        report.sources.templates[path] = theme.sourcePath(of: template)
        do {
            try writer.write(theme.render(view, template: template), to: path)
            report.pagesWritten += 1
        } catch {
            report.diagnostics.append(.error(path, "cannot write output file: \(error)"))
        }
    }

    /// Home, section lists, tags, slogans, 404 and the machine-readable files.
    private func renderIndexes(writer: OutputWriter) -> SiteRenderReport {
        var report = SiteRenderReport()
        var sitemap: [Feeds.SitemapEntry] = site.headers.map { .init(route: $0.route, lastModified: $0.date) }

        var home = views.base(route: "/", title: nil, description: nil)
        home["latest_stories"] = site.stories.prefix(6).map(views.entry)
        home["latest_papers"] = site.papers.prefix(6).map(views.entry)
        home["notices"] = site.pages.filter { $0.documentNumber != nil }.map(views.entry)
        if let current = site.slogans.first { home["slogans"] = views.sloganSet(current) }
        write("home", home, to: "index.html", writer: writer, report: &report)
        sitemap.append(.init(route: "/", lastModified: site.headers.compactMap(\.date).max()))

        let storyEntries = site.stories.map(views.entry)
        let paperEntries = site.papers.map(views.entry)
        for (section, title, entries) in [("stories", "质量品牌故事", storyEntries), ("papers", "质量管理论文", paperEntries)] {
            let perPage = site.config.perPage
            let pageCount = max(1, (entries.count + perPage - 1) / perPage)
            for number in 1...pageCount {
                let route = SiteURLs.listRoute(section, page: number)
                let heading = number == 1 ? title : "\(title)（第\(number)页）"
                var view = views.base(route: route, title: heading, description: nil)
                var list: [String: Any] = ["title": title, "section": section,
                                           "items": Array(entries.dropFirst((number - 1) * perPage).prefix(perPage))]
                if let pagination = views.pagination(section: section, current: number, total: pageCount) { list["pagination"] = pagination }
                view["list"] = list
                write("list", view, to: SiteURLs.outputPath(route), writer: writer, report: &report)
                sitemap.append(.init(route: route, lastModified: nil))
            }
        }

        var tagged: [String: [[String: Any]]] = [:]
        var tagNames: [String: String] = [:]
        let entries: [(DocumentHeader, [String: Any])] = site.stories.map { ($0.header, views.entry($0)) }
            + site.papers.map { ($0.header, views.entry($0)) } + site.pages.map { ($0.header, views.entry($0)) }
        for (header, entry) in entries {
            for tag in header.tags {
                tagged[SiteURLs.tagRoute(tag), default: []].append(entry)
                tagNames[SiteURLs.tagRoute(tag)] = tag
            }
        }
        let tagRoutes = tagged.keys.sorted()
        for route in tagRoutes {
            let name = tagNames[route] ?? route
            var view = views.base(route: route, title: "标签：\(name)", description: nil)
            view["tag"] = ["name": name, "items": tagged[route] ?? [], "count": tagged[route]?.count ?? 0] as [String: Any]
            write("tag", view, to: SiteURLs.outputPath(route), writer: writer, report: &report)
            sitemap.append(.init(route: route, lastModified: nil))
        }
        var tagsView = views.base(route: "/tags/", title: "全部标签", description: nil)
        tagsView["tags"] = tagRoutes.map { ["name": tagNames[$0] ?? $0, "url": urls.href($0), "count": tagged[$0]?.count ?? 0] as [String: Any] }
        write("tags", tagsView, to: "tags/index.html", writer: writer, report: &report)
        sitemap.append(.init(route: "/tags/", lastModified: nil))

        if !site.slogans.isEmpty {
            let current = site.slogans[0]
            var view = views.base(route: "/slogans/", title: current.title, description: current.theme)
            view["slogan_sets"] = site.slogans.map(views.sloganSet)
            write("slogans", view, to: "slogans/index.html", writer: writer, report: &report)
            sitemap.append(.init(route: "/slogans/", lastModified: nil))
        }

        if site.config.search && theme.templateNames.contains("search") {
            write("search", views.base(route: "/search/", title: "站内搜索", description: nil), to: "search/index.html", writer: writer, report: &report)
            sitemap.append(.init(route: "/search/", lastModified: nil))
        }

        var notFound = views.base(route: "/404.html", title: "页面未找到", description: nil)
        notFound["latest_stories"] = site.stories.prefix(3).map(views.entry)
        write("404", notFound, to: "404.html", writer: writer, report: &report)

        let feeds = Feeds(site: site, urls: urls)
        for (path, text) in [("sitemap.xml", feeds.sitemap(sitemap)), ("atom.xml", feeds.atom()), ("robots.txt", feeds.robots())] {
            do { try writer.write(text, to: path) } catch { report.diagnostics.append(.error(path, "cannot write output file: \(error)")) }
        }
        return report
    }

    /// Theme assets first, then the site's own files, which win on the same path.
    private func copyStaticFiles(writer: OutputWriter) -> SiteRenderReport {
        var report = SiteRenderReport()
        var files: [String: StaticFile] = [:]
        for file in theme.assets { files[file.outputPath] = file }
        for file in site.staticFiles { files[file.outputPath] = file }
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
