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
    /// Latin words, ascending in UTF-8 order, as their UTF-8 bytes end to end (word `i` ends at
    /// `wordEnds[i]`): one buffer a page, not a `String` a word. Their values follow.
    public private(set) var wordBytes: [UInt8]
    public private(set) var wordEnds: [UInt32]
    public var wordValues: [UInt32]

    public init(path: String, url: String, title: String, kind: String, date: String, excerpt: String, length: Int,
                cjkKeys: [UInt64] = [], cjkValues: [UInt32] = [], words: [String] = [], wordValues: [UInt32] = []) {
        self.init(document: SearchDocument(path: path, url: url, title: title, kind: kind, date: date, excerpt: excerpt, length: length),
                  cjkKeys: cjkKeys, cjkValues: cjkValues, wordBytes: words.flatMap(\.utf8),
                  wordEnds: words.reduce(into: []) { $0.append(($0.last ?? 0) + UInt32($1.utf8.count)) }, wordValues: wordValues)
    }

    init(document: SearchDocument, cjkKeys: [UInt64], cjkValues: [UInt32], wordBytes: [UInt8], wordEnds: [UInt32], wordValues: [UInt32]) {
        self.document = document
        self.cjkKeys = cjkKeys
        self.cjkValues = cjkValues
        self.wordBytes = wordBytes
        self.wordEnds = wordEnds
        self.wordValues = wordValues
    }

    /// The Latin words, ascending.
    public var words: [String] {
        wordEnds.indices.map { String(decoding: wordBytes[(($0 == 0 ? 0 : Int(wordEnds[$0 - 1])))..<Int(wordEnds[$0])], as: UTF8.self) }
    }

    /// Calls `body` with each word's bytes and value, in order.
    func forEachWord(_ body: (UnsafeBufferPointer<UInt8>, UInt32) -> Void) {
        wordBytes.withUnsafeBufferPointer { bytes in
            var start = 0
            for (end, value) in zip(wordEnds, wordValues) {
                body(UnsafeBufferPointer(rebasing: bytes[start..<Int(end)]), value)
                start = Int(end)
            }
        }
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
        let words = tokens.words.sorted()
        self.init(document: SearchDocument(path: path, url: url, title: title, kind: kind, date: date,
                                           excerpt: Self.excerpt(summary: summary, body: body), length: tokens.count),
                  cjkKeys: cjkKeys, cjkValues: cjkValues, wordBytes: words.bytes, wordEnds: words.ends, wordValues: words.values)
    }

    /// Tokenises a page's text as the site renderer hands it on.
    public init(_ text: PageText) {
        self.init(path: text.outputPath, url: text.url, title: text.title, kind: text.kind, date: text.date,
                  summary: text.summary, fields: text.fields, body: text.body)
    }

    /// A page's tokens, counted as they come: CJK pairs by packed key, words by their bytes.
    struct TokenCollector: SearchTokenSink {
        var cjk: CJKTermCounts
        var words: WordCounts
        var inTitle = false
        private(set) var count = 0

        init(expected: Int) {
            cjk = CJKTermCounts(expected: expected)
            words = WordCounts(expected: expected / 8)
        }

        mutating func take(cjk key: UInt64) {
            count += 1
            cjk.add(key, inTitle: inTitle)
        }

        mutating func take(word: UnsafeBufferPointer<UInt8>) {
            count += 1
            words.add(word, inTitle: inTitle)
        }
    }

    /// The summary, then the page's opening, whitespace collapsed.
    static func excerpt(summary: String?, body: String) -> String {
        ExcerptScalars.excerpt(summary: summary, body: body) ?? characterExcerpt(summary: summary, body: body)
    }

    /// `excerpt`, character by character: any text.
    static func characterExcerpt(summary: String?, body: String) -> String {
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

/// `SearchRecord.excerpt` scalar by scalar, for text whose every scalar read is a character of its
/// own (ASCII, common ideographs, CJK and full-width punctuation): no grapheme breaking, which was a
/// fifth of a record's cost. Nil as soon as it meets another scalar, which may join its neighbour.
enum ExcerptScalars {
    static func excerpt(summary: String?, body: String) -> String? {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        if let summary, !summary.isEmpty {
            guard append(summary, to: &result, pendingSpace: &pendingSpace) else { return nil }
            result.append(" ")
            pendingSpace = false
        }
        guard append(body, to: &result, pendingSpace: &pendingSpace) else { return nil }
        var text = String(result)
        while text.last == " " { text.removeLast() }
        return text
    }

    /// Appends up to `SearchRecord.excerptLength` characters of `text`; false on a scalar that is not one.
    private static func append(_ text: String, to result: inout String.UnicodeScalarView, pendingSpace: inout Bool) -> Bool {
        var taken = 0
        for scalar in text.unicodeScalars {
            guard isCharacter(scalar.value) else { return false }
            if isWhitespace(scalar.value) {
                pendingSpace = !result.isEmpty
                continue
            }
            if taken >= SearchRecord.excerptLength { return true }
            if pendingSpace { result.append(" "); pendingSpace = false }
            result.append(scalar)
            taken += 1
        }
        return true
    }

    /// A scalar that is always a character alone (CR LF aside, both whitespace): nothing extends it
    /// or is extended by it. U+302A–U+302F and the half-width sound marks are combining, so left out.
    @inline(__always)
    static func isCharacter(_ value: UInt32) -> Bool {
        (0x20...0x7E).contains(value) || value == 0x09 || value == 0x0A || value == 0x0D || (0x4E00...0x9FFF).contains(value)
            || (0x3000...0x3029).contains(value) || (0x3030...0x303F).contains(value) || (0xFF01...0xFF5E).contains(value)
    }

    /// `Character.isWhitespace` on the scalars `isCharacter` admits.
    @inline(__always)
    static func isWhitespace(_ value: UInt32) -> Bool {
        value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D || value == 0x3000
    }
}

/// Counts packed CJK tokens as they come, in an open-addressing table of keys and their values
/// side by side (a multiplicative hash, no numbering): a page repeats its terms, so counting and
/// sorting only the distinct ones beats sorting every token.
struct CJKTermCounts {
    /// Keys by slot, 0 where the slot is free.
    private var keys: [UInt64]
    /// `frequency << 1 | inTitle`, by slot.
    private var values: [UInt32]
    private(set) var count = 0
    private var shift: UInt64

    init(expected: Int) {
        var bits: UInt64 = 6
        while 1 << bits < expected { bits += 1 }
        keys = Array(repeating: 0, count: 1 << bits)
        values = Array(repeating: 0, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always)
    mutating func add(_ key: UInt64, inTitle: Bool) {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let existing = keys[slot]
            if existing == key {
                values[slot] = (values[slot] &+ 2) | (inTitle ? 1 : 0)
                return
            }
            if existing == 0 { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = inTitle ? 3 : 2
        count += 1
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let (oldKeys, oldValues) = (keys, values)
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for (key, value) in zip(oldKeys, oldValues) where key != 0 {
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            values[slot] = value
        }
    }

    /// Bits of a value packed below its key for sorting: a key is two scalars (42 bits).
    private static let valueBits: UInt64 = 22

    /// The distinct keys, ascending, and their values.
    func sorted() -> (keys: [UInt64], values: [UInt32]) {
        // Key and value sorted as one integer, when every value fits below the key (all but freak pages).
        var packed: [UInt64] = []
        packed.reserveCapacity(count)
        for (key, value) in zip(keys, values) where key != 0 {
            guard UInt64(value) < 1 << Self.valueBits else { return sortedByKey() }
            packed.append(key << Self.valueBits | UInt64(value))
        }
        packed.sort()
        return (packed.map { $0 >> Self.valueBits }, packed.map { UInt32(truncatingIfNeeded: $0 & (1 << Self.valueBits - 1)) })
    }

    private func sortedByKey() -> (keys: [UInt64], values: [UInt32]) {
        let order = keys.indices.filter { keys[$0] != 0 }.sorted { keys[$0] < keys[$1] }
        return (order.map { keys[$0] }, order.map { values[$0] })
    }
}

/// Counts a page's words by their bytes, as `CJKTermCounts` counts its CJK pairs.
struct WordCounts {
    private var numbers: ByteKeyNumbers
    /// `frequency << 1 | inTitle`, by word number.
    private var values: [UInt32] = []

    init(expected: Int) { numbers = ByteKeyNumbers(expected: expected) }

    mutating func add(_ word: UnsafeBufferPointer<UInt8>, inTitle: Bool) {
        let number = numbers.number(of: word)
        if number == values.count { values.append(0) }
        values[number] = (values[number] &+ 2) | (inTitle ? 1 : 0)
    }

    /// The distinct words in UTF-8 order, end to end, and their values.
    func sorted() -> (bytes: [UInt8], ends: [UInt32], values: [UInt32]) {
        let order = numbers.sortedNumbers()
        var bytes: [UInt8] = [], ends: [UInt32] = []
        bytes.reserveCapacity(numbers.bytes.count)
        ends.reserveCapacity(order.count)
        for number in order {
            numbers.withKey(number) { bytes.append(contentsOf: $0) }
            ends.append(UInt32(bytes.count))
        }
        return (bytes, ends, order.map { values[$0] })
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
