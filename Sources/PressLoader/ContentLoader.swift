public import Foundation
public import PressCore
public import PressDeploy
public import PressModel

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
        /// Parsed documents to reuse next time, valid while their files keep their stamp (`FileStamp`) or bytes.
        public var cache = ContentCache()
        /// Documents read from disk this time (all of them without a cache), by source path.
        public var readSources: Set<String> = []
        /// The site's `routesBySource`, made on a task of its own: the build needs them only when it renders.
        /// Nil when they are unchanged: a page rendered again then makes them only if it links to a document.
        public var routes: Task<[String: String], Never>?
        /// Whether the routes are those of the documents the cache held: no document came, went, moved or
        /// was published or withdrawn as a draft. False when unsure (no cache, or a file it did not know).
        public var routesUnchanged = false
        /// Whether, besides, every document read again has its cached fields but for its body: the values lists
        /// show are the previous build's (`Document.hasSameFieldsButBody`). False when unsure.
        public var fieldsUnchanged = false
    }

    /// Folders under `Content/` that are not documents of their own.
    static let assetsFolder = "assets"
    static let anthologiesFolder = "anthologies"

    /// What one walk over `Content/` found, before any file is read: `load(_:reusing:)` takes it,
    /// so a build can walk the folder while it reads its cache.
    public struct Scan: Sendable {
        fileprivate let inventory: ContentInventory?
        /// When the walk started, taken before any `stat`: what `FileStamp.isRacy` compares with.
        fileprivate var startedAt = Date().timeIntervalSince1970
        /// The bibliography files the walk found, below `Content/` (`references.bib`, `papers/refs.bib`).
        public var bibliographyFiles: [String] { inventory?.bibliographyFiles ?? [] }
        /// Whether `Content/anthologies/` holds a manifest: without, no book is made.
        public var hasAnthologies: Bool { inventory?.anthologyFiles.isEmpty == false }
    }

    public func scan() -> Scan {
        let startedAt = Date().timeIntervalSince1970
        let content = siteRoot.appendingPathComponent("Content")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return Scan(inventory: nil)
        }
        return Scan(inventory: ContentInventory.scan(content), startedAt: startedAt)
    }

    public func load(reusing cache: ContentCache? = nil) async -> Result {
        await load(scan(), reusing: cache)
    }

    /// `cache` is consumed: the next cache is made from it in place (pass it without keeping a copy, or it is copied).
    public func load(_ scan: Scan, reusing cache: consuming ContentCache? = nil) async -> Result {
        guard let inventory = scan.inventory else {
            return Result(site: nil, diagnostics: [.error(siteRoot.path, "no Content/ folder here; run qpress in a site folder or pass --source")])
        }
        var diagnostics = inventory.diagnostics

        // Mutated in place: a copy of the next cache, or of the documents reused, is a copy of 10,000 entries.
        var known = Self.reusable(inventory.documents, cache: consume cache, scannedAt: scan.startedAt)
        let read = await parseDocuments(known.toRead)
        let (routesUnchanged, fieldsUnchanged) = known.allKnown ? compared(read, with: known.toRead) : (false, false)
        for parsed in read {
            if let document = parsed.document, let stamp = parsed.stamp, parsed.diagnostics.isEmpty {
                known.cache.entries[parsed.relativePath] = ContentCache.Entry(stamp: stamp, hash: parsed.hash, document: document.withoutBody)
            }
        }
        let nextCache = known.cache
        known.cache = ContentCache()
        let documents = Self.mergedByPath(&known.reused, read.sorted { $0.relativePath < $1.relativePath })
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

        var stories = NewestFirst<BrandStory>(), papers = NewestFirst<Paper>(), pages = NewestFirst<Page>()
        for parsed in documents {
            guard let document = parsed.document, includeDrafts || !document.header.draft else { continue }
            switch document {
            case .story(let story): stories.append(story, header: story.header)
            case .paper(let paper): papers.append(paper, header: paper.header)
            case .page(let page): pages.append(page, header: page.header)
            }
        }
        let anthologies = readAnthologies(inventory.anthologyFiles, documents: documents, language: config?.language ?? "zh-CN",
                                          slogans: slogans, diagnostics: &diagnostics)
        var site = config.map { config in
            Site(config: config, stories: stories.sorted(), papers: papers.sorted(), pages: pages.sorted(),
                 slogans: slogans, staticFiles: inventory.staticFiles, anthologies: anthologies)
        }
        if var loaded = site {
            loaded.root = siteRoot.path
            loaded.references = Self.siteReferences(in: siteRoot)
            diagnostics += Self.missingBibliographies(loaded)
            site = loaded
        }
        let routes = routesUnchanged ? nil : site.map { site in Task { site.routesBySource } }
        // The routes of the documents of a build that succeeded, unchanged, cannot collide.
        if let site, !routesUnchanged { diagnostics += Self.routeCollisions(site) }
        return Result(site: site, diagnostics: diagnostics.sortedForReport(), cache: nextCache,
                      // A file read again with the bytes the cache knows keeps its cached document and page.
                      readSources: Set(read.lazy.filter { !$0.unchanged }.map(\.relativePath)), routes: routes,
                      routesUnchanged: routesUnchanged, fieldsUnchanged: fieldsUnchanged)
    }

    /// The anthology manifests, checked against every parsed document (drafts too: a book may name one).
    private func readAnthologies(_ files: [URL], documents: [ParsedDocument], language: String, slogans: [SloganSet],
                                 diagnostics: inout [Diagnostic]) -> [AnthologyManifest] {
        guard !files.isEmpty else { return [] }
        var headers: [String: DocumentHeader] = [:]
        for parsed in documents { if let header = parsed.document?.header { headers[header.contentRelativePath] = header } }
        let reader = AnthologyReader(siteRoot: siteRoot, siteLanguage: language, documents: headers,
                                     includeDrafts: includeDrafts, slogans: slogans)
        var anthologies: [AnthologyManifest] = []
        for file in files {
            let (manifest, problems) = reader.read(file: file, relativePath: relative(file))
            if let manifest { anthologies.append(manifest) }
            diagnostics += problems
        }
        return anthologies
    }

    /// The same site with the Markdown bodies of `paths` read again (documents from the cache have none).
    public func withBodies(_ site: Site, for paths: Set<String>) -> Site {
        guard !paths.isEmpty else { return site }
        var site = site
        for index in site.stories.indices where paths.contains(site.stories[index].header.sourcePath) {
            site.stories[index].header.body = body(of: site.stories[index].header)
        }
        for index in site.papers.indices where paths.contains(site.papers[index].header.sourcePath) {
            site.papers[index].header.body = body(of: site.papers[index].header)
        }
        for index in site.pages.indices where paths.contains(site.pages[index].header.sourcePath) {
            site.pages[index].header.body = body(of: site.pages[index].header)
        }
        return site
    }

    private func body(of header: DocumentHeader) -> String {
        guard let data = FileManager.default.contents(atPath: siteRoot.appendingPathComponent(header.sourcePath).path),
              case .success(let text) = SourceText.decode(data),
              let split = try? FrontMatter.split(text) else { return header.body }
        return split.body
    }

    /// Only `Content/site.yml`, for commands that need the settings but not the content.
    public func loadConfig() -> (SiteConfig?, [Diagnostic]) {
        let file = siteRoot.appendingPathComponent("Content/site.yml")
        guard FileManager.default.fileExists(atPath: file.path) else { return (nil, []) }
        return SiteConfigReader.read(file: file, relativePath: relative(file))
    }

    /// `Content/site.yml` with its deploy targets, for `qpress deploy`.
    public func loadDeployTargets() -> (SiteConfig?, [DeployTarget], [Diagnostic]) {
        let file = siteRoot.appendingPathComponent("Content/site.yml")
        guard FileManager.default.fileExists(atPath: file.path) else { return (nil, [], []) }
        return SiteConfigReader.readWithTargets(file: file, relativePath: relative(file))
    }

    private func relative(_ url: URL) -> String {
        let root = siteRoot.path.hasSuffix("/") ? siteRoot.path : siteRoot.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    /// Two lists sorted by path as one: the walk lists files in order, so the documents taken from the
    /// cache are, and sorting only the few read again beats sorting all 10,000. `first` is taken: the
    /// few read again are inserted into it where they belong, no document of it copied.
    private static func mergedByPath(_ first: inout [ParsedDocument], _ second: [ParsedDocument]) -> [ParsedDocument] {
        var merged: [ParsedDocument] = []
        swap(&merged, &first)
        if !merged.indices.dropFirst().allSatisfy({ merged[$0 - 1].relativePath < merged[$0].relativePath }) {
            merged.sort { $0.relativePath < $1.relativePath }
        }
        guard !merged.isEmpty else { return second }
        // Each insertion moves the documents after it: for more than a few, one merge moves each once.
        guard second.count <= 64 else { return merged.mergingSorted(with: second) { $0.relativePath < $1.relativePath } }
        merged.reserveCapacity(merged.count + second.count)
        // From the last: each lands before the ones inserted after it, all in order.
        var end = merged.count
        for document in second.reversed() {
            end = insertionPoint(of: document.relativePath, in: merged, below: end)
            merged.insert(document, at: end)
        }
        return merged
    }


    /// The index in `documents[..<end]` (sorted by path) where `path` goes, after any equal.
    private static func insertionPoint(of path: String, in documents: [ParsedDocument], below end: Int) -> Int {
        var low = 0, high = end
        while low < high {
            let middle = (low + high) / 2
            if path < documents[middle].relativePath { high = middle } else { low = middle + 1 }
        }
        return low
    }

    static func routeCollisions(_ site: Site) -> [Diagnostic] {
        // Usually no two documents share a route: one pass over them, without copying or sorting headers.
        var sources: [String: String] = [:]
        sources.reserveCapacity(site.stories.count + site.papers.count + site.pages.count)
        var collided = false
        func add(_ header: DocumentHeader) { if !collided { collided = sources.updateValue(header.sourcePath, forKey: header.route) != nil } }
        for story in site.stories { add(story.header) }
        for paper in site.papers { add(paper.header) }
        for page in site.pages { add(page.header) }
        guard collided else { return [] }
        var firstSource: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        let pages = site.headers.map { (source: $0.sourcePath, route: $0.route) }.sorted { $0.source < $1.source }
        for page in pages {
            if let other = firstSource[page.route] {
                diagnostics.append(.error(page.source, "writes the same page \(page.route) as \(other); give one of them another slug"))
            } else {
                firstSource[page.route] = page.source
            }
        }
        return diagnostics
    }

    /// The files whose cached documents stand without reading them (same stamp, not racy), the files to
    /// read (with their cached entry, if any, to compare hashes), and the next cache with the first. The
    /// next cache is `cache` with the others' entries taken out: putting 10,000 entries into a new table
    /// was a twentieth of an edit.
    private static func reusable(_ files: [ContentFile], cache: consuming ContentCache?, scannedAt: Double)
        -> (reused: [ParsedDocument], toRead: [(ContentFile, ContentCache.Entry?)], cache: ContentCache, allKnown: Bool) {
        var reused: [ParsedDocument] = [], toRead: [(ContentFile, ContentCache.Entry?)] = []
        reused.reserveCapacity(files.count)
        let trusted = cache != nil
        var nextCache = (consume cache) ?? ContentCache()
        if !trusted { nextCache.reserveCapacity(files.count) }
        let previousScan = nextCache.scannedAt
        nextCache.scannedAt = scannedAt
        for file in files {
            if trusted, let entry = nextCache.entries[file.path], entry.stamp == file.stamp, !entry.stamp.isRacy(scannedAt: previousScan) {
                reused.append(ParsedDocument(relativePath: file.path, document: entry.document, diagnostics: []))
            } else {
                toRead.append((file, nextCache.entries.removeValue(forKey: file.path)))
            }
        }
        // What is left beyond the files reused belongs to files gone since.
        let gone = nextCache.entries.count != reused.count
        if gone {
            let kept = Set(reused.map(\.relativePath))
            nextCache.entries = nextCache.entries.filter { kept.contains($0.key) }
        }
        // Every file was known to the cache, and every file it knew is still here.
        let allKnown = trusted && !gone && toRead.allSatisfy { $0.1 != nil }
        return (reused, toRead, nextCache, allKnown)
    }

    /// Whether the documents read again have the routes their cached entries had (none when a draft, as the site lists them),
    /// and whether, besides, they have their fields but their bodies (`Document.hasSameFieldsButBody`).
    private func compared(_ read: [ParsedDocument], with cached: [(ContentFile, ContentCache.Entry?)]) -> (routes: Bool, fields: Bool) {
        func route(_ document: Document?) -> String? {
            document.flatMap { includeDrafts || !$0.header.draft ? $0.header.route : nil }
        }
        let before = Dictionary(cached.map { ($0.0.path, $0.1?.document) }) { first, _ in first }
        var fields = true
        for parsed in read {
            let then = before[parsed.relativePath] ?? nil
            guard route(then) == route(parsed.document) else { return (false, false) }
            if fields, let now = parsed.document, let then, now.hasSameFieldsButBody(as: then) { continue }
            fields = false
        }
        return (true, fields)
    }

    /// Parses documents on all cores. Each task takes a slice, so small sites do not pay for many tasks;
    /// slices stay small so that no core is left parsing the last one alone.
    private func parseDocuments(_ jobs: [(ContentFile, ContentCache.Entry?)]) async -> [ParsedDocument] {
        await ParallelSlices.flatMap(jobs, sliceSize: ParallelSlices.size(for: jobs.count, slicesPerCore: 4, maximum: 64)) { item in
            let (job, cached) = item
            var parsed = DocumentReader.read(file: URL(fileURLWithPath: job.file), relativePath: job.path, kind: job.kind, cached: cached)
            parsed.stamp = job.stamp
            return parsed
        }
    }
}

extension ContentLoader {
    /// `Content/references.json`, `.bib` or `.ris`, those that exist.
    static func siteReferences(in root: URL) -> [BibliographySource] {
        ["json", "bib", "ris"].map { "Content/references.\($0)" }
            .filter { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
            .map { BibliographySource(path: $0) }
    }

    /// A paper naming a bibliography file that does not exist is an error where it names it.
    static func missingBibliographies(_ site: Site) -> [Diagnostic] {
        guard let root = site.root else { return [] }
        return site.papers.flatMap(\.bibliography).filter {
            !FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent($0.path))
        }.map { source in
            Diagnostic(source.location ?? SourceLocation(file: source.path), "bibliography file '\(source.path)' does not exist")
        }
    }
}
