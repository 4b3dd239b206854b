/// A rendered page's text as a search index reads it. The site renderer hands it on as each page is
/// rendered (it holds the text then) without knowing who indexes it, so the site knows nothing of search.
public struct PageText: Sendable {
    /// Output file of the page (`stories/x/index.html`).
    public var outputPath: String
    /// Link to the page, percent-encoded, with the base path.
    public var url: String
    public var title: String
    /// 品牌故事, 管理论文, 页面.
    public var kind: String
    /// `2020年9月15日`, or empty.
    public var date: String
    /// Shown first in a result's excerpt.
    public var summary: String?
    /// Indexed with the body: authors, keywords, tags…
    public var fields: [String]
    /// The page's plain text.
    public var body: String

    public init(outputPath: String, url: String, title: String, kind: String, date: String, summary: String?, fields: [String], body: String) {
        self.outputPath = outputPath
        self.url = url
        self.title = title
        self.kind = kind
        self.date = date
        self.summary = summary
        self.fields = fields
        self.body = body
    }
}

/// Takes each page's text as it is rendered, from many tasks at once: it keeps what it needs of the
/// text (a search index keeps terms), so no page's text outlives its rendering.
public protocol PageTextSink: Sendable {
    func take(_ text: PageText)
    /// Every page is handed on: called once the last document page is rendered, before the list
    /// pages are done, so an index can be written while they are.
    func finish()
}
