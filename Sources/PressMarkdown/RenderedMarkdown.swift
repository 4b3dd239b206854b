import PressCore

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
    public var html: String
    public var headings: [MarkdownHeading]
    public var links: [MarkdownLink]
    public var plainText: String
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
