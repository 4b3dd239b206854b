public import Foundation
public import PressCore
public import PressSearch

/// What a document page needs to be reused by the next build: where it is, the links it holds
/// (for the source map) and the content files it links to (if one moves, the page is rendered again).
/// A record read from the cache keeps its links and targets as the line held them, decoded only when
/// asked for: a reused page never needs them, and decoding 240,000 links was a fifth of an edit's work.
public struct PageRecord: Sendable, Equatable {
    public var outputPath: String
    private var decoded: (links: [LinkOrigin], targets: [String])?
    private var encoded: (links: Substring, targets: Substring)?
    /// The cache line the record was read from, written back as it is while the record is unchanged.
    private(set) var readLine: Substring?

    public init(outputPath: String, links: [LinkOrigin], targets: [String]) {
        self.outputPath = outputPath
        decoded = (links, targets)
    }

    /// A record as the cache's `P` line holds it: its fields still encoded.
    init(outputPath: String, encodedLinks: Substring, encodedTargets: Substring, line: Substring) {
        self.outputPath = outputPath
        encoded = (encodedLinks, encodedTargets)
        readLine = line
    }

    public var links: [LinkOrigin] {
        get {
            if let decoded { return decoded.links }
            return (encoded.map { CompactRecord.pairs($0.links) } ?? []).compactMap { pair -> LinkOrigin? in
                guard pair.count == 4 else { return nil }
                return LinkOrigin(href: pair[0], location: SourceLocation(file: pair[1], line: Int(pair[2]), column: Int(pair[3])))
            }
        }
        set { decoded = (newValue, targets); encoded = nil; readLine = nil }
    }

    public var targets: [String] {
        get { decoded?.targets ?? encoded.map { CompactRecord.list($0.targets) } ?? [] }
        set { decoded = (links, newValue); encoded = nil; readLine = nil }
    }

    /// Two records read from cache lines compare their encoded fields; otherwise their values.
    public static func == (a: PageRecord, b: PageRecord) -> Bool {
        guard a.outputPath == b.outputPath else { return false }
        if let x = a.encoded, let y = b.encoded {
            return CompactRecord.sameBytes(x.links, y.links) && CompactRecord.sameBytes(x.targets, y.targets)
        }
        return a.targets == b.targets && a.links == b.links
    }
}

/// A document page taken from the previous output as it was: its record, as the previous cache held it, and its template.
public struct ReusedPage: Sendable {
    public let source: String
    public let record: PageRecord
    public let template: String?

    public init(source: String, record: PageRecord, template: String?) {
        self.source = source
        self.record = record
        self.template = template
    }
}

/// Pages of the previous output that may be reused, and the documents that must be rendered again.
public struct ReusableOutput: Sendable {
    public let folder: URL
    public var pages: [String: PageRecord]
    public var dirty: Set<String>
    public var indexFingerprints: [String: String]
    /// The template of each page (as `BuildCache.templates`): an index page taken unplanned keeps its own.
    public var templates: [String: String] = [:]
    /// The links written literally in the theme's templates (`BuildCache.templateLinks`): the same theme's,
    /// so not looked for again with the HTML parser (3 ms at the end of an edit).
    public var templateLinks: [String: SourceLocation]?
    /// The previous build's search index, to update; nil when it has none (every page is then
    /// rendered again, and the index made from their records).
    public var searchStore: SearchStore.Contents?
    /// The index's postings of the pages to render again, found while the pages are rendered.
    public var previousPostings: Task<SearchIndexPatch.PreviousPostings?, Never>?
    /// Whether the documents and their routes are the previous build's (`ResolveStage`): then so are the pages.
    public var routesUnchanged = false
    /// Whether every document's fields but its body are the previous build's (`ContentLoader.Result.fieldsUnchanged`).
    public var fieldsUnchanged = false
    /// Whether the plan looked for every page of `pages` in `folder` and made those missing dirty (`UnusablePages`):
    /// reusing one then needs no look of its own.
    public var pagesFound = false
    /// Whether the plan found every file of the previous search index in `folder` (`UnusablePages.indexFilesFound`).
    public var searchFilesFound = false
    /// `folder` as a path ending in `/`: building it from the URL for each of 10,000 pages showed.
    private let folderPath: String

    public init(folder: URL, pages: [String: PageRecord], dirty: Set<String>, indexFingerprints: [String: String],
                searchStore: SearchStore.Contents? = nil) {
        self.folder = folder
        self.pages = pages
        self.dirty = dirty
        self.indexFingerprints = indexFingerprints
        self.searchStore = searchStore
        folderPath = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
    }

    /// The previous output's file at `path`, as a plain path: building URLs cost more than linking.
    public func file(_ path: String) -> String { folderPath + path }
}

/// The previous build's document pages that cannot be taken as they are: those whose file is gone from its output
/// (deleted by hand), and those its search index does not hold. Found beside the content's loading, in slices either
/// core takes when free, so that the plan renders them again: looked for while the pages were reused, the 10,000
/// files were a tenth of an edit, on both cores.
public struct UnusablePages: Sendable {
    /// Sources (keys of the pages) whose output file the folder does not hold: all of them when it cannot be opened.
    public let missing: Set<String>
    /// Sources whose page the search index does not hold: all of them without an index.
    public let unindexed: Set<String>
    /// Whether the folder holds every `terms/` and `docs/` file of the index (`SearchStore.Contents.indexFiles`).
    public let indexFilesFound: Bool

    /// The files are looked for while `index` is still being read: the index is only needed for its paths after.
    public init(pages: [String: PageRecord], folder: URL, index: Task<SearchStore.Contents?, Never>) async {
        let open = OpenFolder(folder.path)
        let files = pages.map { (source: $0.key, output: $0.value.outputPath) }
        async let gone = ParallelSlices.map(files, sliceSize: ParallelSlices.size(for: files.count, slicesPerCore: 2, minimum: 1000)) { slice in
            slice.filter { !(open?.holds(relative: $0.output) ?? false) }.map(\.source)
        }
        let index = await index.value
        unindexed = Set(files.filter { !(index?.paths.contains($0.output) ?? false) }.map(\.source))
        indexFilesFound = index.map { index in open.map { folder in index.indexFiles.allSatisfy(folder.holds(relative:)) } ?? false } ?? false
        missing = Set(await gone.joined())
    }
}
