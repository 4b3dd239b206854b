public import Foundation
public import PressCore
public import PressLoader
public import PressModel

/// What one build leaves for the next, inside the output folder: parsed documents, the pages
/// they became and the inputs everything depended on. A later build re-reads only changed files,
/// re-renders only pages whose inputs changed, and hard-links the rest from the previous output.
/// It also holds the link source map that `qpress check` uses to report Markdown lines.
/// Its modification time is when the content's walk started (`scanTime(of:)`).
///
/// The file: a header line (`qpress-cache`, `formatVersion`, the fingerprint), one `#` line per kind
/// of record naming its fields (`CacheSchemas`), then the records, one per line (`CompactRecord`).
public struct BuildCache: Sendable {
    public static let fileName = ".qpress-cache"
    /// Bump when the cache format or the rendering changes: an older cache is then ignored and the site rebuilt.
    public static let formatVersion = 6

    /// Everything every page depends on: theme, site.yml, build options.
    public var fingerprint: String
    public var content: ContentCache
    public var pages: [String: PageRecord]
    /// Index pages (home, lists, tags) → fingerprint of the values they were rendered from.
    public var indexFingerprints: [String: String]
    /// Content path → route, and static files: when these change, pages linking to them are rendered again.
    /// A cache read from a file leaves its routes as read (`allRoutes`): an edit that moves no document never decodes them.
    public var routes: [String: String]
    /// The `R` lines read, not yet decoded, and where their fields are.
    private var readRoutes: (lines: Substring, source: Int, route: Int)?
    /// Whether `routes` equal the previous cache's, when the writer knows already (`ResolveStage`); nil: compared when written.
    public var routesUnchanged: Bool?
    public var staticPaths: [String]
    /// The content hash of each processed image, by its static path (the `image_hash` of its `S` record).
    public var imageHashes: [String: String] = [:]
    /// The template of every page and the links written literally in templates.
    public var templates: [String: String]
    public var templateLinks: [String: SourceLocation]
    /// Each book by name: what it was made from and the files of its folder, to reuse an unchanged book.
    public var books: [String: BookRecord] = [:]
    /// The lines of each kind of small record (`I`, `R`, `T`) as read, by tag: written back as they
    /// were when their values are unchanged, as they are after most edits.
    var lineBlocks: [UInt8: Substring] = [:]
    /// The `P` lines as read, when they were one block: an edit writes them back with the few pages rendered again replaced.
    var pageLines: Substring?
    /// Pages taken unchanged from the previous build (the `previous` of `write`), written as its records: kept
    /// apart from `pages` and `templates`, which then hold the others only. Putting 10,000 reused pages into
    /// those tables took a twentieth of an edit.
    public var reusedPages: [ReusedPage] = []

    public init(fingerprint: String, content: ContentCache, pages: [String: PageRecord], indexFingerprints: [String: String],
                routes: [String: String], staticPaths: [String], templates: [String: String], templateLinks: [String: SourceLocation]) {
        self.fingerprint = fingerprint
        self.content = content
        self.pages = pages
        self.indexFingerprints = indexFingerprints
        self.routes = routes
        self.staticPaths = staticPaths
        self.templates = templates
        self.templateLinks = templateLinks
    }

    public static func load(from output: URL) async -> BuildCache? {
        guard let text = CacheFile.read(output.appendingPathComponent(fileName).path) else { return nil }
        let lines = CompactRecord.lines(text)
        guard let header = currentHeader(lines) else { return nil }
        let body = lines.dropFirst()
        let layouts = RecordLayout.declared(in: body.prefix { $0.utf8.first == UInt8(ascii: "#") })
        // Documents and pages are most of the file: each is read on a task of its own.
        async let content = DocumentRecords.decode(body, layout: layouts["D"])
        async let pages = readPages(body, layout: layouts["P"])
        var cache = BuildCache(fingerprint: String(header[2]), content: ContentCache(), pages: [:], indexFingerprints: [:],
                               routes: [:], staticPaths: [], templates: [:], templateLinks: [:])
        cache.readSmallRecords(body, text: text, layouts: layouts)
        cache.content = await content
        cache.content.scannedAt = scanTime(of: output.appendingPathComponent(fileName))
        (cache.pages, cache.pageLines) = await pages
        return cache
    }

    /// Its documents, taken out (the content loader makes the next cache from them in place); `content` is then empty.
    public mutating func takeContent() -> ContentCache {
        var taken = ContentCache()
        swap(&taken, &content)
        return taken
    }

    /// `routes`, with those read from the file and not decoded yet.
    public var allRoutes: [String: String] {
        guard let (lines, sourceAt, routeAt) = readRoutes else { return routes }
        var all = routes
        var record = FieldCursor()
        for line in lines.split(separator: "\n") {
            record.read(line)
            if record.field(0, is: "R"), let source = record.text(sourceAt), let route = record.text(routeAt) { all[source] = route }
        }
        return all
    }

    /// The header line's fields when `lines` are a cache of this format version, else nil.
    static func currentHeader(_ lines: [Substring]) -> [Substring]? {
        guard let header = lines.first.map(CompactRecord.fields), header.count == 3, header[0] == "qpress-cache",
              Int(header[1]) == formatVersion else { return nil }
        return header
    }

    /// The records other than documents and pages, each kind also kept as the block of lines it was read as.
    private mutating func readSmallRecords(_ body: ArraySlice<Substring>, text: String, layouts: [String: RecordLayout]) {
        var blockStarts: [UInt8: String.Index] = [:], scattered = Set<UInt8>(), lastTag: UInt8 = 0
        let columns = SmallColumns(layouts)
        var record = FieldCursor()
        // A template per page: grown line by line, the table was rehashed a dozen times.
        templates.reserveCapacity(body.reduce(0) { $0 + ($1.utf8.first == UInt8(ascii: "T") ? 1 : 0) })
        for line in body {
            guard let tag = line.utf8.first, tag != UInt8(ascii: "D") && tag != UInt8(ascii: "P") && tag != UInt8(ascii: "#") else { continue }
            // Each kind is written as one block of lines; one that is not is never written back as read.
            if tag != lastTag && blockStarts[tag] != nil { scattered.insert(tag) }
            lastTag = tag
            let start = blockStarts[tag] ?? line.startIndex
            blockStarts[tag] = start
            lineBlocks[tag] = scattered.contains(tag) ? nil : text[start..<line.endIndex]
            // Routes are decoded when asked for (`allRoutes`).
            if tag == UInt8(ascii: "R") { continue }
            record.read(line)
            // A tag is one letter: a longer first field is no record.
            guard record.withBytes(0, \.count) == 1 else { continue }
            read(record, tag: tag, columns, book: layouts["B"])
        }
        if let block = lineBlocks[UInt8(ascii: "R")] {
            readRoutes = (block, columns.routeSource, columns.route)
        } else {
            // Written by hand, the lines apart: decoded now.
            for line in body where line.utf8.first == UInt8(ascii: "R") {
                record.read(line)
                guard record.withBytes(0, \.count) == 1 else { continue }
                read(record, tag: UInt8(ascii: "R"), columns, book: nil)
            }
        }
    }

    /// Where a file's small records hold each field (-1: nowhere), looked up by name once per file, not once per line.
    private struct SmallColumns {
        let indexPath, fingerprint, routeSource, route, staticPath, imageHash, templatePath, template, linkURL, linkFile, linkLine: Int

        init(_ layouts: [String: RecordLayout]) {
            func at(_ tag: String, _ name: String) -> Int { layouts[tag]?.position(name) ?? -1 }
            (indexPath, fingerprint, routeSource, route) = (at("I", "path"), at("I", "fingerprint"), at("R", "source"), at("R", "route"))
            (staticPath, imageHash, templatePath, template) = (at("S", "path"), at("S", "image_hash"), at("T", "path"), at("T", "template"))
            (linkURL, linkFile, linkLine) = (at("L", "url"), at("L", "file"), at("L", "line"))
        }
    }

    private mutating func read(_ record: FieldCursor, tag: UInt8, _ at: SmallColumns, book layout: RecordLayout?) {
        switch tag {
        case UInt8(ascii: "I"): if let path = record.text(at.indexPath), let print = record[at.fingerprint] { indexFingerprints[path] = String(print) }
        case UInt8(ascii: "R"): if let source = record.text(at.routeSource), let route = record.text(at.route) { routes[source] = route }
        case UInt8(ascii: "S"):
            guard let path = record.text(at.staticPath) else { return }
            staticPaths.append(path)
            if let hash = record[at.imageHash], !hash.isEmpty { imageHashes[path] = String(hash) }
        case UInt8(ascii: "T"): if let path = record.text(at.templatePath), let template = record.text(at.template) { templates[path] = template }
        case UInt8(ascii: "B"):
            guard let named = layout?.record(CompactRecord.fields(record.line)) else { return }
            if let name = named.text("name"), let book = Self.book(named) { books[name] = book }
        case UInt8(ascii: "L"):
            guard let url = record.text(at.linkURL), let file = record.text(at.linkFile) else { return }
            templateLinks[url] = SourceLocation(file: file, line: record[at.linkLine].flatMap { Int($0) })
        default: return
        }
    }

    static func book(_ record: NamedRecord) -> BookRecord? {
        guard let files = record["files"], let inputs = record["inputs"] else { return nil }
        let pairs = CompactRecord.pairs(inputs).filter { $0.count == 2 }.map { ($0[0], $0[1]) }
        return BookRecord(inputs: Dictionary(pairs) { $1 }, files: CompactRecord.list(files))
    }

    /// The `P` records, and their lines as one slice of the text when they follow each other (`pageLines`).
    private static func readPages(_ lines: ArraySlice<Substring>, layout: RecordLayout?) -> (pages: [String: PageRecord], block: Substring?) {
        var pages: [String: PageRecord] = [:]
        guard let layout else { return (pages, nil) }
        // As many as there are `P` lines: half of every line was twice the table, and 5 MB of fresh memory.
        pages.reserveCapacity(lines.reduce(0) { $0 + ($1.utf8.first == UInt8(ascii: "P") ? 1 : 0) })
        // Each field's position found once, not by name on every line (`FieldCursor`).
        let (sourceAt, outputAt, linksAt, targetsAt) = (layout.position("source") ?? -1, layout.position("output") ?? -1,
                                                        layout.position("links") ?? -1, layout.position("targets") ?? -1)
        var record = FieldCursor()
        var first: (index: Int, line: Substring)?, last: (index: Int, line: Substring)?, lineCount = 0
        for (index, line) in zip(lines.indices, lines) where line.utf8.first == UInt8(ascii: "P") {
            if first == nil { first = (index, line) }
            last = (index, line)
            lineCount += 1
            record.read(line)
            guard record.field(0, is: "P"), let source = record.text(sourceAt), let output = record.text(outputAt) else { continue }
            pages[source] = PageRecord(outputPath: output, encodedLinks: record[linksAt] ?? "", encodedTargets: record[targetsAt] ?? "", line: line)
        }
        // One block only when no other line lies between the first `P` line and the last, and each was a record.
        guard let first, let last, last.index - first.index + 1 == lineCount, pages.count == lineCount else { return (pages, nil) }
        return (pages, first.line.base[first.line.startIndex..<last.line.endIndex])
    }

    /// `encodedContent` is `encodedDocuments()`, when it was made already (while pages were rendered).
    /// Pages equal to those of `previous` are written as they were read.
    public func write(into folder: URL, encodedContent: CacheText? = nil, previous: BuildCache? = nil) async throws {
        var opening = CacheText()
        opening.append(CompactRecord.line("qpress-cache", [String(Self.formatVersion), fingerprint]) + CacheSchemas.all.map(\.declaration).joined())
        // The pages' records and the others are made at the same time: written last in an edit, alone they left a core idle.
        async let pages = encodedPages(previous: previous)
        var small = CacheText()
        writeSmallRecords(into: &small, previous: previous)
        // Unchanged records stay slices of the previous cache's text: written, never copied into one string.
        let documents = encodedContent ?? encodedDocuments()
        let file = folder.appendingPathComponent(Self.fileName)
        try CacheFile.write([opening, documents, await pages, small], to: file.path)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: content.scannedAt)], ofItemAtPath: file.path)
    }

    /// When the walk whose stamps `file` holds started: the file's modification time, set to it when
    /// written (so the cache's bytes stay the same from build to build). A copy made later only makes
    /// more stamps racy (`FileStamp.isRacy`), which costs a read, never a missed change.
    static func scanTime(of file: URL) -> Double {
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate]) as? Date
        return modified?.timeIntervalSince1970 ?? .infinity
    }

    /// The documents' records, to make while the pages are rendered.
    public func encodedDocuments() -> CacheText { Self.encoded(content) }

    /// The records of `content`'s documents, for `write(into:encodedContent:previous:)`.
    public static func encoded(_ content: ContentCache) -> CacheText { DocumentRecords.encode(content) }

    /// `pages` with the reused ones.
    private var allPages: [String: PageRecord] {
        guard !reusedPages.isEmpty else { return pages }
        var all = pages
        all.reserveCapacity(pages.count + reusedPages.count)
        for page in reusedPages { all[page.source] = page.record }
        return all
    }

    /// `templates` with those of the reused pages.
    private var allTemplates: [String: String] {
        guard !reusedPages.isEmpty else { return templates }
        var all = templates
        all.reserveCapacity(templates.count + reusedPages.count)
        for page in reusedPages { all[page.record.outputPath] = page.template }
        return all
    }

    /// Whether the templates are the previous cache's. A reused page's is: the theme is in the fingerprint.
    private func templatesUnchanged(_ previous: BuildCache?) -> Bool {
        guard let previous else { return false }
        if templates.count + reusedPages.count == previous.templates.count && templates.allSatisfy({ previous.templates[$0.key] == $0.value }) {
            return true
        }
        return previous.templates == allTemplates
    }

    private func encodedPages(previous: BuildCache?) -> CacheText {
        if let previous, let patched = patchedPageLines(previous) { return patched }
        let pages = allPages
        var text = CacheText()
        // Sorting the keys, not the records: moving a record moves its arrays.
        for source in ReadOrder.sortedKeys(pages, line: { $0.readLine }) {
            guard let page = pages[source] else { continue }
            if let old = previous?.pages[source], let line = old.readLine, old == page {
                text.append(readLine: line)
                continue
            }
            text.appendLines { Self.appendPageLine(source: source, page, to: &$0) }
        }
        return text
    }

    /// The previous cache's `P` lines with those of the pages rendered again replaced, when every page is either a record
    /// read from them or one rendered again in place of one (the same sources): an edit's case. Nil otherwise. The
    /// sources of 10,000 pages are then neither sorted nor compared; a record read from a line is that line's source's.
    func patchedPageLines(_ previous: BuildCache) -> CacheText? {
        guard let block = previous.pageLines, pages.count + reusedPages.count == previous.pages.count,
              let blockStorage = CacheText.storage(of: block) else { return nil }
        func isRead(_ line: Substring) -> Bool {
            CacheText.storage(of: line) == blockStorage && line.startIndex >= block.startIndex && line.endIndex <= block.endIndex
        }
        for page in reusedPages { guard let line = page.record.readLine, isRead(line) else { return nil } }
        var replaced: [(old: Substring, source: String)] = []
        for index in pages.indices {
            let (source, page) = pages[index]
            if let line = page.readLine {
                guard isRead(line) else { return nil }
                continue
            }
            guard let old = previous.pages[source]?.readLine else { return nil }
            replaced.append((old, source))
            if replaced.count > previous.pages.count / 4 { return nil }
        }
        replaced.sort { $0.old.startIndex < $1.old.startIndex }
        var text = CacheText(), start = block.startIndex
        for (old, source) in replaced {
            if start < old.startIndex { text.append(readLine: block[start..<block.utf8.index(before: old.startIndex)]) }
            if let page = pages[source] { text.appendLines { Self.appendPageLine(source: source, page, to: &$0) } }
            start = old.endIndex < block.endIndex ? block.utf8.index(after: old.endIndex) : block.endIndex
        }
        if start < block.endIndex { text.append(readLine: block[start..<block.endIndex]) }
        return text
    }

    /// The `P` line of `page`, encoded byte by byte into `out`: the fields of `CacheSchemas.page` in its
    /// order (`source`, `output`, `targets`, `links`), each link the pair href, file, line, column.
    static func appendPageLine(source: String, _ page: PageRecord, to out: inout [UInt8]) {
        let tab = UInt8(ascii: "\t")
        out.append(UInt8(ascii: "P"))
        out.append(tab)
        CompactRecord.append(text: source, to: &out)
        out.append(tab)
        CompactRecord.append(text: page.outputPath, to: &out)
        out.append(tab)
        CompactRecord.append(list: page.targets, to: &out)
        out.append(tab)
        for (index, link) in page.links.enumerated() {
            if index > 0 { out.append(CompactRecord.listByte) }
            CompactRecord.append(text: link.href, to: &out)
            out.append(CompactRecord.pairByte)
            CompactRecord.append(text: link.location.file, to: &out)
            out.append(CompactRecord.pairByte)
            if let line = link.location.line { CompactRecord.append(decimal: line, to: &out) }
            out.append(CompactRecord.pairByte)
            if let column = link.location.column { CompactRecord.append(decimal: column, to: &out) }
        }
        out.append(UInt8(ascii: "\n"))
    }

    private func writeSmallRecords(into text: inout CacheText, previous: BuildCache?) {
        func block(_ tag: Unicode.Scalar, unchanged: Bool, _ encode: () -> Void) {
            // An unchanged block is the slice of the text read, with its newline: a megabyte of routes and templates not copied.
            if unchanged, let lines = previous?.lineBlocks[UInt8(ascii: tag)] {
                text.append(readLine: lines)
            } else {
                encode()
            }
        }
        block("I", unchanged: previous?.indexFingerprints == indexFingerprints) {
            for (path, print) in indexFingerprints.sorted(by: { $0.key < $1.key }) {
                text.append(CacheSchemas.index.line(["path": CompactRecord.text(path), "fingerprint": print]))
            }
        }
        // Unchanged routes are not handed over (`ResolveStage`): the previous cache's are written when it kept no block of them.
        let handedOver = routesUnchanged != true || !routes.isEmpty
        block("R", unchanged: routesUnchanged ?? (previous?.allRoutes == allRoutes)) {
            let routes = handedOver ? allRoutes : previous?.allRoutes ?? [:]
            for (source, route) in routes.sorted(by: { $0.key < $1.key }) {
                text.append(CacheSchemas.route.line(["source": CompactRecord.text(source), "route": CompactRecord.text(route)]))
            }
        }
        for path in staticPaths.sorted() { text.append(CacheSchemas.staticFile.line(["path": CompactRecord.text(path), "image_hash": imageHashes[path] ?? ""])) }
        block("T", unchanged: templatesUnchanged(previous)) {
            for (path, template) in allTemplates.sorted(by: { $0.key < $1.key }) {
                text.append(CacheSchemas.template.line(["path": CompactRecord.text(path), "template": CompactRecord.text(template)]))
            }
        }
        for (name, book) in books.sorted(by: { $0.key < $1.key }) { text.append(Self.bookLine(name, book)) }
        for (url, location) in templateLinks.sorted(by: { $0.key < $1.key }) {
            text.append(CacheSchemas.templateLink.line(["url": CompactRecord.text(url), "file": CompactRecord.text(location.file),
                                                        "line": location.line.map(String.init) ?? ""]))
        }
    }

    /// A book's `B` record, with its newline.
    static func bookLine(_ name: String, _ book: BookRecord) -> String {
        let inputs = book.inputs.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }
        return CacheSchemas.book.line(["name": CompactRecord.text(name), "files": CompactRecord.list(book.files), "inputs": CompactRecord.pairs(inputs)])
    }

    /// For `qpress check`: where each link of a qpress-built folder came from.
    public var sourceMap: LinkSourceMap {
        var links: [String: [LinkOrigin]] = [:]
        for page in allPages.values { links[page.outputPath] = page.links }
        return LinkSourceMap(links: links, templates: allTemplates, templateLinks: templateLinks)
    }

    /// Documents to render again: those read from disk this time, those the cache does not know,
    /// and those linking to a content file or static file that appeared, vanished or moved.
    /// `routesUnchanged`: whether `newRoutes` equal this cache's, which the caller knows already.
    public func dirtyDocuments(site: Site, routes newRoutes: [String: String], routesUnchanged: Bool, readSources: Set<String>) -> Set<String> {
        // Usually no document came, went or moved: one comparison instead of two sets of every route.
        var changedTargets = Set<String>()
        if !routesUnchanged {
            let routes = allRoutes
            changedTargets = Set(newRoutes.keys).symmetricDifference(routes.keys)
            for (source, route) in newRoutes where routes[source] != nil && routes[source] != route { changedTargets.insert(source) }
        }
        changedTargets.formUnion(Set(site.staticFiles.map(\.outputPath)).symmetricDifference(staticPaths))
        var dirty = readSources
        func check(_ source: String) {
            // Looked up by index: a copy of the record is a retain per field, for 10,000 pages.
            guard let index = pages.index(forKey: source) else {
                dirty.insert(source)
                return
            }
            if !changedTargets.isEmpty && !changedTargets.isDisjoint(with: pages.values[index].targets) { dirty.insert(source) }
        }
        // By index, reading only the path: `for story in` copied every document (a retain per field).
        for index in site.stories.indices { check(site.stories[index].header.sourcePath) }
        for index in site.papers.indices { check(site.papers[index].header.sourcePath) }
        for index in site.pages.indices { check(site.pages[index].header.sourcePath) }
        return dirty
    }
}

extension BuildCache {
    /// Documents whose pages show an image whose content changed since this cache was written.
    public func documentsShowing(imagesChangedIn hashes: [String: String]) -> Set<String> {
        let changed = Set(hashes.keys).union(imageHashes.keys).filter { hashes[$0] != imageHashes[$0] }
        guard !changed.isEmpty else { return [] }
        return Set(pages.filter { !changed.isDisjoint(with: $0.value.targets) }.keys)
    }
}

/// A book of the previous build: the inputs it was made from (`BookFingerprint`'s) and the files of
/// `anthologies/<name>/`, relative to the output.
public struct BookRecord: Equatable, Sendable {
    public var inputs: [String: String]
    public var files: [String]

    public init(inputs: [String: String], files: [String]) {
        self.inputs = inputs
        self.files = files
    }
}
