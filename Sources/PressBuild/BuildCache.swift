public import Foundation
import PressAnthology
public import PressCore
import PressLoader
import PressModel
import PressSite
import PressTemplates

/// What one build leaves for the next, inside the output folder: parsed documents, the pages
/// they became and the inputs everything depended on. A later build re-reads only changed files,
/// re-renders only pages whose inputs changed, and hard-links the rest from the previous output.
/// It also holds the link source map that `qpress check` uses to report Markdown lines.
struct BuildCache {
    static let fileName = ".qpress-cache"
    /// Bump when the cache format or the rendering changes.
    static let formatVersion = 4

    /// Everything every page depends on: theme, site.yml, build options.
    var fingerprint: String
    var content: ContentCache
    var pages: [String: PageRecord]
    /// Index pages (home, lists, tags) → fingerprint of the values they were rendered from.
    var indexFingerprints: [String: String]
    /// Content path → route, and static files: when these change, pages linking to them are rendered again.
    var routes: [String: String]
    var staticPaths: [String]
    /// The content hash of each processed image, by its static path (a third field of its `S` line).
    var imageHashes: [String: String] = [:]
    /// The template of every page and the links written literally in templates.
    var templates: [String: String]
    var templateLinks: [String: SourceLocation]
    /// Each book by name: what it was made from and the files of its folder, to reuse an unchanged book.
    var books: [String: BookRecord] = [:]
    /// Each page's line as read from the file, to write an unchanged page back as it was.
    var pageLines: [String: Substring] = [:]
    /// The lines of each kind of small record (`I`, `R`, `T`) as read, by tag: written back as they
    /// were when their values are unchanged, as they are after most edits.
    var lineBlocks: [UInt8: Substring] = [:]

    static func load(from output: URL) async -> BuildCache? {
        guard let data = FileManager.default.contents(atPath: output.appendingPathComponent(fileName).path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let lines = CompactRecord.lines(text)
        guard let header = lines.first.map(CompactRecord.fields), header.count == 3, header[0] == "qpress-cache",
              Int(header[1]) == formatVersion else { return nil }
        let body = lines.dropFirst()
        // Documents and pages are most of the file: each is read on a task of its own.
        async let content = readContent(body)
        async let pages = readPages(body)
        var cache = BuildCache(fingerprint: String(header[2]), content: ContentCache(), pages: [:], indexFingerprints: [:],
                               routes: [:], staticPaths: [], templates: [:], templateLinks: [:])
        var blockStarts: [UInt8: String.Index] = [:], scattered = Set<UInt8>(), lastTag: UInt8 = 0
        for line in body {
            guard let tag = line.utf8.first, tag != UInt8(ascii: "D") && tag != UInt8(ascii: "P") else { continue }
            // Each kind is written as one block of lines; one that is not is never written back as read.
            if tag != lastTag && blockStarts[tag] != nil { scattered.insert(tag) }
            lastTag = tag
            let start = blockStarts[tag] ?? line.startIndex
            blockStarts[tag] = start
            cache.lineBlocks[tag] = scattered.contains(tag) ? nil : text[start..<line.endIndex]
            let fields = CompactRecord.fields(line)
            switch fields[0] {
            case "I" where fields.count == 3: cache.indexFingerprints[CompactRecord.text(fields[1])] = String(fields[2])
            case "R" where fields.count == 3: cache.routes[CompactRecord.text(fields[1])] = CompactRecord.text(fields[2])
            case "S" where fields.count == 2 || fields.count == 3:
                let path = CompactRecord.text(fields[1])
                cache.staticPaths.append(path)
                if fields.count == 3 { cache.imageHashes[path] = String(fields[2]) }
            case "T" where fields.count == 3: cache.templates[CompactRecord.text(fields[1])] = CompactRecord.text(fields[2])
            case "B" where fields.count == 4:
                let inputs = CompactRecord.pairs(fields[3]).filter { $0.count == 2 }.map { ($0[0], $0[1]) }
                cache.books[CompactRecord.text(fields[1])] = BookRecord(fingerprint: BookFingerprint(inputs: Dictionary(inputs) { $1 }),
                                                                        files: CompactRecord.list(fields[2]))
            case "L" where fields.count == 4:
                cache.templateLinks[CompactRecord.text(fields[1])] = SourceLocation(file: CompactRecord.text(fields[2]), line: Int(fields[3]))
            default: continue
            }
        }
        cache.content = await content
        (cache.pages, cache.pageLines) = await pages
        return cache
    }

    private static func readContent(_ lines: ArraySlice<Substring>) -> ContentCache {
        var content = ContentCache()
        content.reserveCapacity(lines.count / 2)
        for line in lines where line.utf8.first == UInt8(ascii: "D") { content.add(line: line) }
        return content
    }

    private static func readPages(_ lines: ArraySlice<Substring>) -> ([String: PageRecord], [String: Substring]) {
        var pages: [String: PageRecord] = [:], pageLines: [String: Substring] = [:]
        pages.reserveCapacity(lines.count / 2)
        pageLines.reserveCapacity(lines.count / 2)
        for line in lines where line.utf8.first == UInt8(ascii: "P") {
            let fields = CompactRecord.fields(line)
            guard fields.count == 5, fields[0] == "P" else { continue }
            let links = CompactRecord.pairs(fields[4]).compactMap { pair -> LinkOrigin? in
                guard pair.count == 4 else { return nil }
                return LinkOrigin(href: pair[0], location: SourceLocation(file: pair[1], line: Int(pair[2]), column: Int(pair[3])))
            }
            let source = CompactRecord.text(fields[1])
            pages[source] = PageRecord(outputPath: CompactRecord.text(fields[2]), links: links, targets: CompactRecord.list(fields[3]))
            pageLines[source] = line
        }
        return (pages, pageLines)
    }

    /// `encodedContent` is `content.encoded()`, when it was made already (while pages were rendered).
    /// Pages equal to those of `previous` are written as they were read.
    func write(into folder: URL, encodedContent: String? = nil, previous: BuildCache? = nil) throws {
        var text = CompactRecord.line("qpress-cache", [String(Self.formatVersion), fingerprint])
        let documents = encodedContent ?? content.encoded()
        // Growing a string of megabytes line by line copies it again and again.
        text.reserveCapacity(documents.utf8.count + pages.count * 256 + (routes.count + templates.count) * 96)
        text += documents
        // Sorting the keys, not the records: moving a record moves its arrays.
        for source in pages.keys.sorted() {
            guard let page = pages[source] else { continue }
            if let previous, let line = previous.pageLines[source], previous.pages[source] == page {
                text += line
                text += "\n"
                continue
            }
            let links = page.links.map { [$0.href, $0.location.file, $0.location.line.map(String.init) ?? "", $0.location.column.map(String.init) ?? ""] }
            text += CompactRecord.line("P", [CompactRecord.text(source), CompactRecord.text(page.outputPath),
                                             CompactRecord.list(page.targets), CompactRecord.pairs(links)])
        }
        func block(_ tag: Unicode.Scalar, unchanged: Bool, _ encode: () -> Void) {
            if unchanged, let lines = previous?.lineBlocks[UInt8(ascii: tag)] {
                text += lines
                text += "\n"
            } else {
                encode()
            }
        }
        block("I", unchanged: previous?.indexFingerprints == indexFingerprints) {
            for (path, print) in indexFingerprints.sorted(by: { $0.key < $1.key }) { text += CompactRecord.line("I", [CompactRecord.text(path), print]) }
        }
        block("R", unchanged: previous?.routes == routes) {
            for (source, route) in routes.sorted(by: { $0.key < $1.key }) { text += CompactRecord.line("R", [CompactRecord.text(source), CompactRecord.text(route)]) }
        }
        for path in staticPaths.sorted() { text += CompactRecord.line("S", [CompactRecord.text(path)] + (imageHashes[path].map { [$0] } ?? [])) }
        block("T", unchanged: previous?.templates == templates) {
            for (path, template) in templates.sorted(by: { $0.key < $1.key }) { text += CompactRecord.line("T", [CompactRecord.text(path), CompactRecord.text(template)]) }
        }
        for (name, book) in books.sorted(by: { $0.key < $1.key }) {
            let inputs = book.fingerprint.inputs.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }
            text += CompactRecord.line("B", [CompactRecord.text(name), CompactRecord.list(book.files), CompactRecord.pairs(inputs)])
        }
        for (url, location) in templateLinks.sorted(by: { $0.key < $1.key }) {
            text += CompactRecord.line("L", [CompactRecord.text(url), CompactRecord.text(location.file), location.line.map(String.init) ?? ""])
        }
        try Data(text.utf8).write(to: folder.appendingPathComponent(Self.fileName))
    }

    /// For `qpress check`: where each link of a qpress-built folder came from.
    var sourceMap: LinkSourceMap {
        var links: [String: [LinkOrigin]] = [:]
        for page in pages.values { links[page.outputPath] = page.links }
        return LinkSourceMap(links: links, templates: templates, templateLinks: templateLinks)
    }

    /// Theme files, `site.yml` and the options that change every page.
    static func fingerprint(theme: Theme, options: BuildOptions) -> String {
        var print = Fingerprint()
        print.add("qpress-\(formatVersion)")
        for (path, text) in theme.sources {
            print.add(path)
            print.add(text)
        }
        for asset in theme.assets { print.add(asset.outputPath) }
        if let siteFile = FileManager.default.contents(atPath: options.source.appendingPathComponent("Content/site.yml").path) {
            print.add(bytes: siteFile)
        }
        print.add(options.baseURL ?? "")
        print.add(options.includeDrafts ? "drafts" : "published")
        addBibliographies(to: &print, source: options.source)
        return print.hex
    }

    /// Bibliography files (`Content/references.*`, `.bib`/`.ris`/`.json` among the papers): any paper may
    /// cite from them, so a change renders every page again. They change rarely.
    static func addBibliographies(to print: inout Fingerprint, source: URL) {
        let content = source.appendingPathComponent("Content")
        var paths = ["references.json", "references.bib", "references.ris"]
        let papers = content.appendingPathComponent("papers").path
        if let walk = FileManager.default.enumerator(atPath: papers) {
            for case let path as String in walk where ["bib", "bibtex", "ris", "json"].contains((path as NSString).pathExtension.lowercased()) {
                paths.append("papers/" + path)
            }
        }
        for path in paths.sorted() {
            guard let bytes = FileManager.default.contents(atPath: content.appendingPathComponent(path).path) else { continue }
            print.add(path)
            print.add(bytes: bytes)
        }
    }

    /// Documents to render again: those read from disk this time, those the cache does not know,
    /// and those linking to a content file or static file that appeared, vanished or moved.
    func dirtyDocuments(site: Site, routes newRoutes: [String: String], readSources: Set<String>) -> Set<String> {
        // Usually no document came, went or moved: one comparison instead of two sets of every route.
        var changedTargets = Set<String>()
        if newRoutes != routes {
            changedTargets = Set(newRoutes.keys).symmetricDifference(routes.keys)
            for (source, route) in newRoutes where routes[source] != nil && routes[source] != route { changedTargets.insert(source) }
        }
        changedTargets.formUnion(Set(site.staticFiles.map(\.outputPath)).symmetricDifference(staticPaths))
        var dirty = readSources
        func check(_ header: DocumentHeader) {
            guard let record = pages[header.sourcePath] else {
                dirty.insert(header.sourcePath)
                return
            }
            if !changedTargets.isEmpty && !changedTargets.isDisjoint(with: record.targets) { dirty.insert(header.sourcePath) }
        }
        for story in site.stories { check(story.header) }
        for paper in site.papers { check(paper.header) }
        for page in site.pages { check(page.header) }
        return dirty
    }
}

extension BuildCache {
    /// Documents whose pages show an image whose content changed since this cache was written.
    func documentsShowing(imagesChangedIn hashes: [String: String]) -> Set<String> {
        let changed = Set(hashes.keys).union(imageHashes.keys).filter { hashes[$0] != imageHashes[$0] }
        guard !changed.isEmpty else { return [] }
        return Set(pages.filter { !changed.isDisjoint(with: $0.value.targets) }.keys)
    }
}

/// A book of the previous build: its fingerprint and the files of `anthologies/<name>/`, relative to the output.
struct BookRecord: Equatable {
    var fingerprint: BookFingerprint
    var files: [String]
}

extension SiteBuilder {
    /// The link source map a qpress build left in `folder`, or an empty one.
    public static func linkSourceMap(in folder: URL) async -> LinkSourceMap {
        await BuildCache.load(from: folder)?.sourceMap ?? LinkSourceMap()
    }
}
