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
        // Tokens are collected and sorted, then counted in runs: for a page's few thousand tokens
        // this is several times faster than counting in dictionaries.
        var tokens = TokenCollector()
        tokens.cjk.reserveCapacity(body.utf8.count / 3 + 64)
        tokens.inTitle = true
        SearchTokenizer.scan(title, into: &tokens)
        tokens.inTitle = false
        for field in fields { SearchTokenizer.scan(field, into: &tokens) }
        SearchTokenizer.scan(body, into: &tokens)
        var cjk = tokens.cjk
        var words = tokens.words

        Self.radixSort(&cjk)
        var cjkKeys: [UInt64] = [], cjkValues: [UInt32] = []
        for token in cjk {
            let key = token >> 1, inTitle = UInt32(token & 1)
            if cjkKeys.last == key { cjkValues[cjkValues.count - 1] = (cjkValues[cjkValues.count - 1] &+ 2) | inTitle } else {
                cjkKeys.append(key)
                cjkValues.append(2 | inTitle)
            }
        }
        words.sort { $0.word.utf8.lexicographicallyPrecedes($1.word.utf8) }
        var wordKeys: [String] = [], wordValues: [UInt32] = []
        for (word, inTitle) in words {
            let flag: UInt32 = inTitle ? 1 : 0
            if wordKeys.last == word { wordValues[wordValues.count - 1] = (wordValues[wordValues.count - 1] &+ 2) | flag } else {
                wordKeys.append(word)
                wordValues.append(2 | flag)
            }
        }
        self.init(path: path, url: url, title: title, kind: kind, date: date,
                  excerpt: Self.excerpt(summary: summary, body: body), length: cjk.count + words.count,
                  cjkKeys: cjkKeys, cjkValues: cjkValues, words: wordKeys, wordValues: wordValues)
    }

    /// Every token of a page as it comes, the low bit of a CJK token marking the title.
    struct TokenCollector: SearchTokenSink {
        var cjk: [UInt64] = []
        var words: [(word: String, inTitle: Bool)] = []
        var inTitle = false

        mutating func take(_ token: SearchToken) {
            switch token {
            case .cjk(let key): cjk.append(key << 1 | (inTitle ? 1 : 0))
            case .word(let word): words.append((word, inTitle))
            }
        }
    }

    /// Sorts values below 2^40 (packed CJK tokens with their title bit), ten bits a pass: a page's
    /// few thousand tokens sort several times faster than with the standard library's comparison sort.
    static func radixSort(_ values: inout [UInt64]) {
        guard values.count > 256, !values.contains(where: { $0 >> 40 != 0 }) else { return values.sort() }
        var buffer = [UInt64](repeating: 0, count: values.count)
        var starts = [Int](repeating: 0, count: 1024)
        for shift in stride(from: UInt64(0), to: 40, by: 10) {
            values.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { target in
                    starts.withUnsafeMutableBufferPointer { starts in
                        starts.update(repeating: 0)
                        for value in source { starts[Int(value >> shift & 1023)] += 1 }
                        var total = 0
                        for digit in starts.indices {
                            let count = starts[digit]
                            starts[digit] = total
                            total += count
                        }
                        for value in source {
                            let digit = Int(value >> shift & 1023)
                            target[starts[digit]] = value
                            starts[digit] += 1
                        }
                    }
                }
            }
            swap(&values, &buffer)
        }
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
