import Foundation
import PressCore
import PressModel

/// Loads `Content/` into a `Site`: walks the folder once, reads each file once, parses
/// documents in parallel and reports every problem it finds, with file and line.
public struct ContentLoader: Sendable {
    public let siteRoot: URL
    public let includeDrafts: Bool

    public init(siteRoot: URL, includeDrafts: Bool = false) {
        self.siteRoot = siteRoot.standardizedFileURL
        self.includeDrafts = includeDrafts
    }

    public struct Result: Sendable {
        /// Present when the site could be assembled; there may still be errors in `diagnostics`.
        public var site: Site?
        public var diagnostics: [Diagnostic]
    }

    /// Folders under `Content/` that are not documents of their own.
    static let assetsFolder = "assets"
    static let anthologiesFolder = "anthologies"

    public func load() async -> Result {
        let content = siteRoot.appendingPathComponent("Content")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Result(site: nil, diagnostics: [.error(siteRoot.path, "no Content/ folder here; run qpress in a site folder or pass --source")])
        }
        let inventory = ContentInventory.scan(content)
        var diagnostics = inventory.diagnostics

        let documents = await parseDocuments(inventory.documents)
        diagnostics += documents.flatMap(\.diagnostics)

        var config: SiteConfig?
        if let siteFile = inventory.siteConfig {
            let (parsed, problems) = SiteConfigReader.read(file: siteFile, relativePath: relative(siteFile))
            config = parsed
            diagnostics += problems
        } else {
            diagnostics.append(.error("Content/site.yml", "missing site configuration file Content/site.yml"))
        }

        var slogans: [SloganSet] = []
        for file in inventory.sloganFiles {
            let (parsed, problems) = SloganReader.read(file: file, relativePath: relative(file))
            if let parsed { slogans.append(parsed) }
            diagnostics += problems
        }
        slogans.sort { ($0.year ?? 0, $0.title) > ($1.year ?? 0, $1.title) }

        var stories: [BrandStory] = []
        var papers: [Paper] = []
        var pages: [Page] = []
        for parsed in documents {
            guard let document = parsed.document, includeDrafts || !document.header.draft else { continue }
            switch document {
            case .story(let story): stories.append(story)
            case .paper(let paper): papers.append(paper)
            case .page(let page): pages.append(page)
            }
        }
        var anthologies: [AnthologyManifest] = []
        if !inventory.anthologyFiles.isEmpty {
            var headers: [String: DocumentHeader] = [:]
            for parsed in documents { if let header = parsed.document?.header { headers[header.contentRelativePath] = header } }
            let reader = AnthologyReader(siteRoot: siteRoot, siteLanguage: config?.language ?? "zh-CN", documents: headers,
                                         includeDrafts: includeDrafts, slogans: slogans)
            for file in inventory.anthologyFiles {
                let (manifest, problems) = reader.read(file: file, relativePath: relative(file))
                if let manifest { anthologies.append(manifest) }
                diagnostics += problems
            }
        }
        let site = config.map { config in
            Site(config: config, stories: Self.newestFirst(stories, \.header),
                 papers: Self.newestFirst(papers, \.header), pages: Self.newestFirst(pages, \.header),
                 slogans: slogans, staticFiles: inventory.staticFiles, anthologies: anthologies)
        }
        if let site { diagnostics += Self.routeCollisions(site) }
        return Result(site: site, diagnostics: diagnostics.sortedForReport())
    }

    private func relative(_ url: URL) -> String {
        let root = siteRoot.path.hasSuffix("/") ? siteRoot.path : siteRoot.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    /// Newest first; ties by title then source path, so the order never depends on the file system.
    static func newestFirst<T>(_ items: [T], _ header: KeyPath<T, DocumentHeader>) -> [T] {
        items.sorted { lhs, rhs in
            let (a, b) = (lhs[keyPath: header], rhs[keyPath: header])
            if a.date != b.date { return (a.date ?? .distantPast) > (b.date ?? .distantPast) }
            return (a.title, a.sourcePath) < (b.title, b.sourcePath)
        }
    }

    static func routeCollisions(_ site: Site) -> [Diagnostic] {
        var firstSource: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for header in site.headers.sorted(by: { $0.sourcePath < $1.sourcePath }) {
            if let other = firstSource[header.route] {
                diagnostics.append(.error(header.sourcePath, "writes the same page \(header.route) as \(other); give one of them another slug"))
            } else {
                firstSource[header.route] = header.sourcePath
            }
        }
        return diagnostics
    }

    /// Parses documents on all cores. Each task takes a slice, so small sites do not pay for many tasks.
    private func parseDocuments(_ files: [(URL, ContentKind)]) async -> [ParsedDocument] {
        let jobs = files.map { (url: $0.0, kind: $0.1, path: relative($0.0)) }
        let slices = jobs.chunked(into: max(1, jobs.count / (ProcessInfo.processInfo.activeProcessorCount * 4)))
        return await withTaskGroup(of: [ParsedDocument].self) { group in
            for slice in slices {
                group.addTask {
                    slice.map { job in DocumentReader.read(file: job.url, relativePath: job.path, kind: job.kind) }
                }
            }
            var all: [ParsedDocument] = []
            for await parsed in group { all += parsed }
            return all.sorted { $0.relativePath < $1.relativePath }
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
