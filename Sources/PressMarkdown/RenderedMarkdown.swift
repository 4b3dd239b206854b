public import PressCore

/// A heading with the anchor id it was given.
public struct MarkdownHeading: Sendable, Hashable {
    public var level: Int
    public var text: String
    public var id: String
    /// Line in the source file.
    public var line: Int
}

/// A link or image as the author wrote it, where, and what it became.
public struct MarkdownLink: Sendable, Hashable {
    public enum Kind: Sendable { case link, image }
    public var kind: Kind
    public var written: String
    public var resolved: String
    public var line: Int
    public var column: Int
}

/// What a Markdown document became: HTML plus the data other stages need
/// (table of contents, link checking with source lines, search, statistics).
public struct RenderedMarkdown: Sendable {
    /// The HTML as cmark-gfm wrote it: a page splices these bytes in (`ContentMarker`), and making them
    /// a String checked every byte once more (3% of a clean build). They are UTF-8: see `renderInArena`.
    public var htmlBytes: [UInt8]
    public var headings: [MarkdownHeading]
    public var links: [MarkdownLink]
    /// The text a reader reads (search, word counts), as the bytes gathered from cmark-gfm's nodes: UTF-8
    /// for the reason the HTML is. A build without a search index only counts them (`textStatistics`),
    /// and making them a String checked every byte again (3% of a clean build of long papers).
    public var plainBytes: [UInt8]

    /// The HTML as text, for the uses that need a String (books, citations, a view holding the body).
    public var html: String {
        get { String(decoding: htmlBytes, as: UTF8.self) }
        set { htmlBytes = Array(newValue.utf8) }
    }

    /// The plain text as a String, for search and citations.
    public var plainText: String {
        get { String(decoding: plainBytes, as: UTF8.self) }
        set { plainBytes = Array(newValue.utf8) }
    }

    /// Characters and words of the plain text, counted on its bytes.
    public var textStatistics: TextStatistics { TextStatistics(utf8: plainBytes) }

    init(htmlBytes: [UInt8], headings: [MarkdownHeading], links: [MarkdownLink], plainBytes: [UInt8]) {
        self.htmlBytes = htmlBytes
        self.headings = headings
        self.links = links
        self.plainBytes = plainBytes
    }
}

/// How the caller wants a link destination treated.
public enum LinkResolution: Sendable, Equatable {
    case keep
    case replace(String)
    /// The link is wrong; the message says why. The link is kept as written.
    case broken(String)
}

/// What a run of text becomes when `MarkdownRenderer.render(replaceText:)` rewrites it (citations):
/// text, escaped as usual, and HTML written as given, with the text it stands for in `plainText`
/// (what search indexes: `[1]` for a citation, not `[@key]`).
public enum TextReplacement: Sendable, Hashable {
    case text(String)
    case html(String, text: String = "")
}
