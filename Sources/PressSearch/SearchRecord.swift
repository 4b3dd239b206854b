import Foundation
public import PressCore

/// One indexed page as a result shows it, and its length in tokens (for BM25's length normalisation).
public struct SearchDocument: Sendable, Equatable {
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
    public var length: Int
}

/// What the search index needs of one page, kept small: its terms with their frequencies, not its text.
/// Made while the page is rendered (its text is in memory then).
public struct SearchRecord: Sendable, Equatable {
    /// The page as the index lists it.
    public var document: SearchDocument
    /// CJK tokens (packed, see `SearchToken.cjk`), ascending, and their values (`frequency << 1 | inTitle`).
    public var cjkKeys: [UInt64]
    public var cjkValues: [UInt32]
    /// Latin words, ascending, and their values.
    public var words: [String]
    public var wordValues: [UInt32]

    public init(path: String, url: String, title: String, kind: String, date: String, excerpt: String, length: Int,
                cjkKeys: [UInt64] = [], cjkValues: [UInt32] = [], words: [String] = [], wordValues: [UInt32] = []) {
        document = SearchDocument(path: path, url: url, title: title, kind: kind, date: date, excerpt: excerpt, length: length)
        self.cjkKeys = cjkKeys
        self.cjkValues = cjkValues
        self.words = words
        self.wordValues = wordValues
    }

    public var path: String { document.path }
    public var excerpt: String { document.excerpt }
    /// Number of tokens, for length normalisation.
    public var length: Int { document.length }

    /// Characters of the page's opening kept in `excerpt`.
    public static let excerptLength = 160

    /// Tokenises a page: `title` (boosted in ranking), `fields` (summary, authors, keywords, tags…) and `body` (plain text).
    public init(path: String, url: String, title: String, kind: String, date: String, summary: String?,
                fields: [String], body: String) {
        var tokens = TokenCollector(expected: body.utf8.count / 3)
        tokens.inTitle = true
        SearchTokenizer.scan(title, into: &tokens)
        tokens.inTitle = false
        for field in fields { SearchTokenizer.scan(field, into: &tokens) }
        SearchTokenizer.scan(body, into: &tokens)
        let (cjkKeys, cjkValues) = tokens.cjk.sorted()
        var words = tokens.words

        words.sort { UTF8Order.precedes($0.word, $1.word) }
        var wordKeys: [String] = [], wordValues: [UInt32] = []
        for (word, inTitle) in words {
            let flag: UInt32 = inTitle ? 1 : 0
            if wordKeys.last == word { wordValues[wordValues.count - 1] = (wordValues[wordValues.count - 1] &+ 2) | flag } else {
                wordKeys.append(word)
                wordValues.append(2 | flag)
            }
        }
        self.init(path: path, url: url, title: title, kind: kind, date: date,
                  excerpt: Self.excerpt(summary: summary, body: body), length: tokens.count,
                  cjkKeys: cjkKeys, cjkValues: cjkValues, words: wordKeys, wordValues: wordValues)
    }

    /// Tokenises a page's text as the site renderer hands it on.
    public init(_ text: PageText) {
        self.init(path: text.outputPath, url: text.url, title: text.title, kind: text.kind, date: text.date,
                  summary: text.summary, fields: text.fields, body: text.body)
    }

    /// A page's tokens: CJK ones counted as they come, Latin words kept to be sorted.
    struct TokenCollector: SearchTokenSink {
        var cjk: CJKTermCounts
        var words: [(word: String, inTitle: Bool)] = []
        var inTitle = false
        private(set) var count = 0

        init(expected: Int) { cjk = CJKTermCounts(expected: expected) }

        mutating func take(_ token: SearchToken) {
            count += 1
            switch token {
            case .cjk(let key): cjk.add(key, inTitle: inTitle)
            case .word(let word): words.append((word, inTitle))
            }
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

/// Counts packed CJK tokens as they come. A page repeats its terms, so counting and sorting only
/// the distinct ones beats sorting every token.
struct CJKTermCounts {
    private var numbers: KeyNumbers
    /// `frequency << 1 | inTitle`, by key number.
    private var values: [UInt32] = []

    init(expected: Int) { numbers = KeyNumbers(expected: expected) }

    mutating func add(_ key: UInt64, inTitle: Bool) {
        let number = numbers.number(of: key)
        if number == values.count { values.append(0) }
        values[number] = (values[number] &+ 2) | (inTitle ? 1 : 0)
    }

    /// The distinct keys, ascending, and their values.
    func sorted() -> (keys: [UInt64], values: [UInt32]) {
        let keys = numbers.keys
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        return (order.map { keys[$0] }, order.map { values[$0] })
    }
}

/// Numbers nonzero keys 0, 1, 2… in the order they are first seen, in an open-addressing table
/// with a multiplicative hash: several times cheaper than `Dictionary`'s SipHash for packed tokens.
struct KeyNumbers {
    /// Keys in the order they were numbered.
    private(set) var keys: [UInt64] = []
    private var table: [UInt64]
    private var tableNumbers: [Int32]
    private var shift: UInt64

    init(expected: Int) {
        var bits: UInt64 = 6
        while 1 << bits < 2 * expected { bits += 1 }
        table = Array(repeating: 0, count: 1 << bits)
        tableNumbers = Array(repeating: 0, count: 1 << bits)
        shift = 64 - bits
    }

    /// The key's number, giving it the next one when it is new.
    mutating func number(of key: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let mask = table.count - 1
        while true {
            let existing = table[slot]
            if existing == key { return Int(tableNumbers[slot]) }
            if existing == 0 { break }
            slot = (slot + 1) & mask
        }
        keys.append(key)
        if keys.count * 2 > table.count {
            rebuild(size: table.count * 2)
        } else {
            table[slot] = key
            tableNumbers[slot] = Int32(keys.count - 1)
        }
        return keys.count - 1
    }

    private mutating func rebuild(size: Int) {
        table = Array(repeating: 0, count: size)
        tableNumbers = Array(repeating: 0, count: size)
        shift -= 1
        let mask = size - 1
        for (number, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = key
            tableNumbers[slot] = Int32(number)
        }
    }
}
