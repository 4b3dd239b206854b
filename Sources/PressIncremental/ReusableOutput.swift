public import Foundation
public import PressCore
public import PressSearch

/// What a document page needs to be reused by the next build: where it is, the links it holds
/// (for the source map) and the content files it links to (if one moves, the page is rendered again).
public struct PageRecord: Sendable, Equatable {
    public var outputPath: String
    public var links: [LinkOrigin]
    public var targets: [String]

    public init(outputPath: String, links: [LinkOrigin], targets: [String]) {
        self.outputPath = outputPath
        self.links = links
        self.targets = targets
    }
}

/// Pages of the previous output that may be reused, and the documents that must be rendered again.
public struct ReusableOutput: Sendable {
    public let folder: URL
    public var pages: [String: PageRecord]
    public var dirty: Set<String>
    public var indexFingerprints: [String: String]
    /// The previous build's search index, to update; nil when it has none (every page is then
    /// rendered again, and the index made from their records).
    public var searchStore: SearchStore.Contents?
    /// Pages that index holds; one it does not is rendered again.
    public var searchPaths: Set<String>
    /// `folder` as a path ending in `/`: building it from the URL for each of 10,000 pages showed.
    private let folderPath: String

    public init(folder: URL, pages: [String: PageRecord], dirty: Set<String>, indexFingerprints: [String: String],
                searchStore: SearchStore.Contents? = nil) {
        self.folder = folder
        self.pages = pages
        self.dirty = dirty
        self.indexFingerprints = indexFingerprints
        self.searchStore = searchStore
        searchPaths = searchStore?.paths ?? []
        folderPath = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
    }

    /// The previous output's file at `path`, as a plain path: building URLs cost more than linking.
    public func file(_ path: String) -> String { folderPath + path }
}
