import PressCore

/// One token of searchable text. Chinese has no spaces between words, so a run of CJK characters
/// is cut into overlapping pairs (质量管理 → 质量, 量管, 管理) and its last character is kept alone
/// (理): every character then starts exactly one token, which makes one-character queries work
/// (all terms starting with 质) and keeps the index small. Latin words and numbers are lowercased.
///
/// The search script (`Templates/assets/js/search.js`) tokenises queries the same way; the unit
/// tests pin both to the same examples.
public enum SearchToken: Hashable, Sendable {
    /// Two CJK characters, or one at the end of a run, packed as `first << 21 | second` (second 0 when alone).
    case cjk(UInt64)
    /// A Latin word or number, lowercased, at most `SearchTokenizer.maxWordLength` characters.
    case word(String)

    public var text: String {
        switch self {
        case .cjk(let key): return SearchTokenizer.string(forCJK: key)
        case .word(let word): return word
        }
    }
}

/// Receives tokens from `SearchTokenizer.scan(_:into:)`.
protocol SearchTokenSink {
    /// Two CJK characters, or one at the end of a run (see `SearchToken.cjk`).
    mutating func take(cjk key: UInt64)
    /// A word's UTF-8 bytes, lowercased; valid only during the call, so a sink that keeps a word copies it.
    mutating func take(word: UnsafeBufferPointer<UInt8>)
    /// Each CJK character of a run (its scalar value), then 0 at its end.
    mutating func run(_ value: UInt32)
}

extension SearchTokenSink {
    @inline(__always)
    mutating func run(_ value: UInt32) {}
}

private struct ClosureSink: SearchTokenSink {
    let emit: (SearchToken) -> Void
    let runs: ((Unicode.Scalar?) -> Void)?
    func take(cjk key: UInt64) { emit(.cjk(key)) }
    func take(word: UnsafeBufferPointer<UInt8>) { emit(.word(String(decoding: word, as: UTF8.self))) }
    func run(_ value: UInt32) { runs?(value == 0 ? nil : Unicode.Scalar(value)) }
}

public enum SearchTokenizer {
    public static let maxWordLength = 32

    /// The tokens of `text`, in order.
    public static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        scan(text) { result.append($0.text) }
        return result
    }

    /// Calls `emit` for every token of `text`, in order.
    public static func scan(_ text: String, _ emit: (SearchToken) -> Void) {
        scan(text, runs: nil, emit)
    }

    /// `runs` gets each CJK character of a run, then nil at its end.
    static func scan(_ text: String, runs: ((Unicode.Scalar?) -> Void)?, _ emit: (SearchToken) -> Void) {
        withoutActuallyEscaping(emit) { emit in
            var sink = ClosureSink(emit: emit, runs: runs)
            scan(text, into: &sink)
        }
    }

    /// Gives every token of `text` to `sink`, in order, read from its UTF-8 bytes: a Latin word is
    /// gathered and lowercased in a byte buffer, and reaches the sink without becoming a `String`.
    /// Generic and inlined, so that a page's tokens reach their table without a closure call each.
    @inline(__always)
    static func scan<Sink: SearchTokenSink>(_ text: String, into sink: inout Sink) {
        var text = text
        text.withUTF8 { bytes in
            var state = ScanState()
            var offset = 0
            while offset < bytes.count {
                let lead = bytes[offset]
                if lead < 0x80 {
                    offset += 1
                    state.ascii(lead, into: &sink)
                } else if lead >= 0xE4 && lead <= 0xE9 && offset + 2 < bytes.count {
                    // U+4000–U+9FFF, three bytes: the common ideographs take no range tests but one.
                    let value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6 | UInt32(bytes[offset + 2] & 0x3F)
                    offset += 3
                    if value >= 0x4E00 { state.ideograph(value, into: &sink) } else { state.scalar(value, into: &sink) }
                } else {
                    let (value, length) = decodeScalar(bytes, at: offset)
                    offset += length
                    state.scalar(value, into: &sink)
                }
            }
            state.endRun(into: &sink)
            state.endWord(into: &sink)
        }
    }

    /// The scalar starting at `offset` of valid UTF-8 (a `String`'s) and its length in bytes.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[offset])
        @inline(__always) func next(_ index: Int) -> UInt32 { UInt32(bytes[offset + index] & 0x3F) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | next(1), 2) }
        if lead < 0xF0 { return ((lead & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return ((lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }

    /// Where a scan is: the current CJK run and the word being read.
    struct ScanState {
        /// Last CJK scalar of the current run, 0 when not in a run.
        var previous: UInt32 = 0
        /// The word's first `maxWordLength` scalars as UTF-8, ASCII letters lowercased already.
        var word: [UInt8] = []
        var wordLength = 0
        var wordIsASCII = true

        init() { word.reserveCapacity(4 * SearchTokenizer.maxWordLength) }

        @inline(__always)
        mutating func ascii<Sink: SearchTokenSink>(_ byte: UInt8, into sink: inout Sink) {
            endRun(into: &sink)
            if byte >= 0x61 && byte <= 0x7A || byte >= 0x30 && byte <= 0x39 {
                extendWord(byte)
            } else if byte >= 0x41 && byte <= 0x5A {
                extendWord(byte + 0x20)
            } else {
                endWord(into: &sink)
            }
        }

        /// A CJK scalar (`TextStatistics.isCJK`): continues the run.
        @inline(__always)
        mutating func ideograph<Sink: SearchTokenSink>(_ value: UInt32, into sink: inout Sink) {
            endWord(into: &sink)
            if previous != 0 { sink.take(cjk: UInt64(previous) << 21 | UInt64(value)) }
            sink.run(value)
            previous = value
        }

        mutating func scalar<Sink: SearchTokenSink>(_ value: UInt32, into sink: inout Sink) {
            // Full-width Latin letters and digits (ＩＳＯ９００１) are the same words as ASCII ones.
            if (0xFF10...0xFF19).contains(value) || (0xFF21...0xFF3A).contains(value) || (0xFF41...0xFF5A).contains(value) {
                return ascii(UInt8(value - 0xFEE0), into: &sink)
            }
            guard let scalar = Unicode.Scalar(value) else { return }
            if TextStatistics.isCJK(scalar) {
                ideograph(value, into: &sink)
            } else if SearchTokenizer.isPunctuation(value) {
                // Chinese and full-width punctuation, the common case after ideographs: no property lookup.
                endRun(into: &sink)
                endWord(into: &sink)
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                endRun(into: &sink)
                if wordLength < SearchTokenizer.maxWordLength { word.append(contentsOf: scalar.utf8) }
                wordLength += 1
                wordIsASCII = false
            } else {
                endRun(into: &sink)
                endWord(into: &sink)
            }
        }

        @inline(__always)
        mutating func extendWord(_ byte: UInt8) {
            if wordLength < SearchTokenizer.maxWordLength { word.append(byte) }
            wordLength += 1
        }

        @inline(__always)
        mutating func endWord<Sink: SearchTokenSink>(into sink: inout Sink) {
            guard wordLength > 0 else { return }
            if wordIsASCII {
                word.withUnsafeBufferPointer { sink.take(word: $0) }
            } else {
                // Unicode lowercasing (Ä → ä, Σ → σ) on the rare words that need it.
                var lowered = String(decoding: word, as: UTF8.self).lowercased()
                lowered.withUTF8 { sink.take(word: $0) }
            }
            word.removeAll(keepingCapacity: true)
            wordLength = 0
            wordIsASCII = true
        }

        @inline(__always)
        mutating func endRun<Sink: SearchTokenSink>(into sink: inout Sink) {
            if previous != 0 {
                sink.take(cjk: UInt64(previous) << 21)
                sink.run(0)
            }
            previous = 0
        }
    }

    /// A query split into runs of CJK characters and words (lowercased), in order.
    public static func units(_ text: String) -> [(text: String, isCJK: Bool)] {
        var units: [(text: String, isCJK: Bool)] = []
        var run = String.UnicodeScalarView()
        scan(text, runs: { scalar in
            if let scalar { run.append(scalar) } else if !run.isEmpty { units.append((String(run), true)); run = String.UnicodeScalarView() }
        }) { token in
            if case .word(let word) = token { units.append((word, false)) }
        }
        return units
    }

    @inline(__always)
    static func isPunctuation(_ value: UInt32) -> Bool {
        // 々 〆 〇 and the Suzhou numerals of 0x3000–0x303F are letters and numbers, not punctuation.
        (0x2000...0x206F).contains(value) || (0xFF00...0xFF0F).contains(value)
            || ((0x3000...0x303F).contains(value) && !(0x3005...0x3007).contains(value) && !(0x3021...0x3029).contains(value)
                && !(0x3031...0x3035).contains(value) && !(0x3038...0x303C).contains(value))
            || (0xFF1A...0xFF20).contains(value) || (0xFF3B...0xFF40).contains(value) || (0xFF5B...0xFF65).contains(value)
    }

    static func string(forCJK key: UInt64) -> String {
        var scalars = String.UnicodeScalarView()
        if let first = Unicode.Scalar(UInt32(truncatingIfNeeded: key >> 21)) { scalars.append(first) }
        let second = UInt32(truncatingIfNeeded: key & 0x1F_FFFF)
        if second != 0, let scalar = Unicode.Scalar(second) { scalars.append(scalar) }
        return String(scalars)
    }
}
