import PressCore
package import PressModel

/// Size and modification time of a source file: what decides whether it must be read again.
public struct FileStamp: Sendable, Codable, Equatable {
    public var size: Int
    public var modified: Double

    public init(size: Int, modified: Double) {
        self.size = size
        self.modified = modified
    }
}

/// Parsed documents from the previous build, keyed by source path. Bodies are not kept:
/// a document that is not re-rendered does not need its Markdown. The cache file's records of
/// them are read and written by PressIncremental (`DocumentRecords`).
public struct ContentCache: Sendable {
    package struct Entry: Sendable {
        package var stamp: FileStamp
        package var document: Document
        /// The line this entry was read from: an unchanged document is written back as it was.
        package var line: Substring?

        package init(stamp: FileStamp, document: Document, line: Substring? = nil) {
            self.stamp = stamp
            self.document = document
            self.line = line
        }
    }

    package var entries: [String: Entry] = [:]

    public init() {}

    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }
}

extension Document {
    var withoutBody: Document {
        switch self {
        case .story(var story): story.header.body = ""; return .story(story)
        case .paper(var paper): paper.header.body = ""; return .paper(paper)
        case .page(var page): page.header.body = ""; return .page(page)
        }
    }
}
