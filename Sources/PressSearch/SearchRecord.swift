/// What the search index needs of one page, kept small: its terms with their frequencies, not its text.
/// Made while the page is rendered (its text is in memory then) and kept between builds in the
/// output folder (`SearchRecordStore`), so an incremental build can write the whole index
/// without reading unchanged documents again.
public struct SearchRecord: Sendable, Equatable {
    /// Output file of the page (`stories/x/index.html`): orders documents in the index.
    public var path: String
    /// Link to the page, percent-encoded, with the base path.
    public var url: String
    public var title: String
    /// 品牌故事, 管理论文, 页面.
    public var kind: String
    /// `2020年9月15日`, or empty.
    public var date: String
    /// The text shown under a result and highlighted: summary (or abstract) and the opening of the page.
    public var excerpt: String
    /// Number of tokens, for length normalisation.
    public var length: Int
    /// CJK tokens (packed, see `SearchToken.cjk`), ascending, and their values (`frequency << 1 | inTitle`).
    public var cjkKeys: [UInt64]
    public var cjkValues: [UInt32]
    /// Latin words, ascending, and their values.
    public var words: [String]
    public var wordValues: [UInt32]

    public init(path: String, url: String, title: String, kind: String, date: String, excerpt: String, length: Int,
                cjkKeys: [UInt64] = [], cjkValues: [UInt32] = [], words: [String] = [], wordValues: [UInt32] = []) {
        self.path = path
        self.url = url
        self.title = title
        self.kind = kind
        self.date = date
        self.excerpt = excerpt
        self.length = length
        self.cjkKeys = cjkKeys
        self.cjkValues = cjkValues
        self.words = words
        self.wordValues = wordValues
    }

    /// Characters of the page's opening kept in `excerpt`.
    public static let excerptLength = 160

    /// Tokenises a page: `title` (boosted in ranking), `fields` (summary, authors, keywords, tags…) and `body` (plain text).
    public init(path: String, url: String, title: String, kind: String, date: String, summary: String?,
                fields: [String], body: String) {
        var cjk: [UInt64: UInt32] = [:]
        var words: [String: UInt32] = [:]
        var length = 0
        let count: (SearchToken) -> Void = { token in
            length += 1
            switch token {
            case .cjk(let key): cjk[key, default: 0] &+= 2
            case .word(let word): words[word, default: 0] &+= 2
            }
        }
        SearchTokenizer.scan(title) { token in
            count(token)
            switch token {
            case .cjk(let key): cjk[key]! |= 1
            case .word(let word): words[word]! |= 1
            }
        }
        for field in fields { SearchTokenizer.scan(field, count) }
        SearchTokenizer.scan(body, count)

        let sortedCJK = cjk.sorted { $0.key < $1.key }
        let sortedWords = words.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        self.init(path: path, url: url, title: title, kind: kind, date: date,
                  excerpt: Self.excerpt(summary: summary, body: body), length: length,
                  cjkKeys: sortedCJK.map(\.key), cjkValues: sortedCJK.map(\.value),
                  words: sortedWords.map(\.key), wordValues: sortedWords.map(\.value))
    }

    /// The summary, then the page's opening, whitespace collapsed.
    static func excerpt(summary: String?, body: String) -> String {
        var result = ""
        var taken = 0
        var pendingSpace = false
        func append(_ text: Substring, limit: Int) {
            for character in text {
                if character.isWhitespace || character.isNewline {
                    pendingSpace = !result.isEmpty
                    continue
                }
                if taken >= limit { return }
                if pendingSpace { result.append(" "); pendingSpace = false }
                result.append(character)
                taken += 1
            }
        }
        if let summary, !summary.isEmpty {
            append(summary[...], limit: excerptLength)
            result.append(" ")
            pendingSpace = false
        }
        taken = 0
        append(body[...], limit: excerptLength)
        while result.last == " " { result.removeLast() }
        return result
    }
}
