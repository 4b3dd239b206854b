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
    mutating func take(_ token: SearchToken)
    /// Each CJK character of a run, then nil at its end.
    mutating func run(_ scalar: Unicode.Scalar?)
}

extension SearchTokenSink {
    mutating func run(_ scalar: Unicode.Scalar?) {}
}

private struct ClosureSink: SearchTokenSink {
    let emit: (SearchToken) -> Void
    let runs: ((Unicode.Scalar?) -> Void)?
    func take(_ token: SearchToken) { emit(token) }
    func run(_ scalar: Unicode.Scalar?) { runs?(scalar) }
}

public enum SearchTokenizer {
    public static let maxWordLength = 32

    /// The tokens of `text`, in order.
    public static func tokens(_ text: String) -> [String] {
        var result: [String] = []
        scan(text) { result.append($0.text) }
        return result
    }

    /// Calls `emit` for every token of `text`, in order. Allocates only for Latin words.
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

    /// Gives every token of `text` to `sink`, in order. Generic and inlined, so that a page's
    /// tokens reach their array without a closure call or an exclusivity check each.
    @inline(__always)
    static func scan<Sink: SearchTokenSink>(_ text: String, into sink: inout Sink) {
        var previous: UInt32 = 0 // last CJK scalar of the current run, 0 when not in a run
        // The word being read: its first `maxWordLength` scalars, built as a string (short words
        // are stored inline, without allocating), and its full length.
        var word = String.UnicodeScalarView()
        var wordLength = 0
        var wordIsASCII = true

        func extendWord(_ scalar: Unicode.Scalar) {
            if wordLength < maxWordLength { word.append(scalar) }
            wordLength += 1
        }
        func endWord() {
            guard wordLength > 0 else { return }
            var string = String(word)
            if !wordIsASCII { string = string.lowercased() }
            sink.take(.word(string))
            word = String.UnicodeScalarView()
            wordLength = 0
            wordIsASCII = true
        }
        func endRun() {
            if previous != 0 {
                sink.take(.cjk(UInt64(previous) << 21))
                sink.run(nil)
            }
            previous = 0
        }
        for original in text.unicodeScalars {
            var scalar = original
            var value = scalar.value
            // Full-width Latin letters and digits (ＩＳＯ９００１) are the same words as ASCII ones.
            if (0xFF10...0xFF19).contains(value) || (0xFF21...0xFF3A).contains(value) || (0xFF41...0xFF5A).contains(value),
               let ascii = Unicode.Scalar(value - 0xFEE0) {
                scalar = ascii
                value = ascii.value
            }
            if value < 0x80 {
                endRun()
                if value >= 0x61 && value <= 0x7A || value >= 0x30 && value <= 0x39 {
                    extendWord(scalar)
                } else if value >= 0x41 && value <= 0x5A, let lower = Unicode.Scalar(value + 0x20) {
                    extendWord(lower)
                } else {
                    endWord()
                }
            } else if TextStatistics.isCJK(scalar) {
                endWord()
                if previous != 0 { sink.take(.cjk(UInt64(previous) << 21 | UInt64(value))) }
                sink.run(scalar)
                previous = value
            } else if Self.isPunctuation(value) {
                // Chinese and full-width punctuation, the common case after ideographs: no property lookup.
                endRun()
                endWord()
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                endRun()
                extendWord(scalar)
                wordIsASCII = false
            } else {
                endRun()
                endWord()
            }
        }
        endRun()
        endWord()
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
