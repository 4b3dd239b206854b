import PressCore
import PressModel

/// Size and modification time of a source file: what decides whether it must be read again.
public struct FileStamp: Sendable, Codable, Equatable {
    public var size: Int
    public var modified: Double
}

/// Parsed documents from the previous build, keyed by source path. Bodies are not kept:
/// a document that is not re-rendered does not need its Markdown.
public struct ContentCache: Sendable, Codable {
    struct Entry: Sendable, Codable {
        var stamp: FileStamp
        var document: LoadedDocument
    }

    var entries: [String: Entry] = [:]

    public init() {}
}

extension LoadedDocument {
    var withoutBody: LoadedDocument {
        switch self {
        case .story(var story): story.header.body = ""; return .story(story)
        case .paper(var paper): paper.header.body = ""; return .paper(paper)
        case .page(var page): page.header.body = ""; return .page(page)
        }
    }
}
