import Foundation
import PressCore
@testable import PressSearch
import PressTestSupport
import Testing

/// The tokenizer reads UTF-8 bytes and hands words on as bytes; it gives exactly the tokens (and CJK
/// runs) that the previous tokenizer, which went scalar by scalar and made a `String` per word, gave.
@Suite struct ByteTokenizerTests {
    enum Event: Equatable {
        case token(SearchToken)
        case run(Unicode.Scalar?)
    }

    static func events(_ text: String) -> [Event] {
        var events: [Event] = []
        SearchTokenizer.scan(text, runs: { events.append(.run($0)) }) { events.append(.token($0)) }
        return events
    }

    static let samples = [
        "Quality is the life of the enterprise, said the CEO.", "质量管理体系通过认证", "MTBF提高了一倍，采用SPC控制",
        "ISO 9001:2015 and 3.14159 or 1e-9, x86_64", "ＩＳＯ９００１：２０１５ ａｂｃ ＡＢＣ", "Привет МИР, Σ Ω ΑΒΓ αβγ ΟΔΟΣ",
        "Über café naïve façade — résumé ÆØÅ", String(repeating: "Ab", count: 40) + " QC " + String(repeating: "é", count: 40),
        "emoji 👍🏽 in 🇨🇳 text 😀x", "二〇二〇年々〆", "İstanbul ǅemal ß ﬁ", "١٢٣ ٣ ⅣⅫ ²³", "\u{0}\t\n\r tab\u{7F}del",
        "𠀀𠀁 extension B", "“质量”——管理。ISO—9001（试行）", "", " ", "a", "Ａ", "mixed中文and English单词",
        // Around the three-byte ideographs' fast path (U+4E00–U+9FFF, lead bytes E4–E9): extension A,
        // the hexagrams after it, the last ideograph, Yi, compatibility ideographs, extension B.
        "\u{3FFF}\u{4000}㐀䶿䷀䷿一鿿ꀀ豈\u{2A6D6}𠀀一", "㐀一𠀀ab一䷀一", "一", "鿿x", "ＡＢ一ａ１２。一",
        String(repeating: "质量管理体系", count: 3000), String(repeating: "。，、", count: 500) + "末",
        "😀一😀𠀀😀ａ😀", "一\u{301}二\u{FE0F}三\u{200D}四", "表１２３：第ⅣⅫ章",
    ]

    @Test func givesTheTokensOfTheScalarTokenizer() {
        for text in Self.samples {
            #expect(Self.events(text) == ReferenceTokenizer.events(text), "\(text)")
        }
    }

    @Test func givesTheTokensOfTheScalarTokenizerOnRandomText() {
        let pool = Array("aZ09 ,.-_质量管理理、。（）ＡＺａｚ０９éÉßΣσЖж👍🏽\u{301}\u{FF0C}〇々İǅ١Ⅳ\n\t㐀䷀鿿ꀀ豈𠀀\u{4000}".unicodeScalars)
        var generator = SeededGenerator(seed: 19)
        for _ in 0..<400 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 80) { scalars.append(pool[Int(generator.next() % UInt64(pool.count))]) }
            let text = String(scalars)
            #expect(Self.events(text) == ReferenceTokenizer.events(text), "\(text.debugDescription)")
        }
    }

    @Test func aRecordCountsTheWordsOfTheScalarTokenizer() {
        let body = Self.samples.joined(separator: " ") + " the The THE quality Quality"
        let record = SearchRecord(path: "a/index.html", url: "/a/", title: "The Quality 质量", kind: "页面", date: "",
                                  summary: nil, fields: ["Tag"], body: body)
        var counts: [String: UInt32] = [:]
        for (text, inTitle) in [("The Quality 质量", true), ("Tag", false), (body, false)] {
            for case .token(.word(let word)) in ReferenceTokenizer.events(text) {
                counts[word] = (counts[word, default: 0] &+ 2) | (inTitle ? 1 : 0)
            }
        }
        let expected = counts.keys.sorted(by: UTF8Order.precedes)
        #expect(record.words == expected)
        #expect(record.wordValues == expected.map { counts[$0] ?? 0 })
        // "the": three times in the samples, three at the end, once in the title (flagged).
        #expect(counts["the", default: 0] == 2 * 7 + 1)
    }
}

/// The tokenizer as it was before it read bytes: scalar by scalar, a `String` per word.
enum ReferenceTokenizer {
    static func events(_ text: String) -> [ByteTokenizerTests.Event] {
        var events: [ByteTokenizerTests.Event] = []
        var previous: UInt32 = 0
        var word = String.UnicodeScalarView()
        var wordLength = 0
        var wordIsASCII = true
        func extendWord(_ scalar: Unicode.Scalar) {
            if wordLength < SearchTokenizer.maxWordLength { word.append(scalar) }
            wordLength += 1
        }
        func endWord() {
            guard wordLength > 0 else { return }
            var string = String(word)
            if !wordIsASCII { string = string.lowercased() }
            events.append(.token(.word(string)))
            word = String.UnicodeScalarView()
            wordLength = 0
            wordIsASCII = true
        }
        func endRun() {
            if previous != 0 {
                events.append(.token(.cjk(UInt64(previous) << 21)))
                events.append(.run(nil))
            }
            previous = 0
        }
        for original in text.unicodeScalars {
            var scalar = original
            var value = scalar.value
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
                if previous != 0 { events.append(.token(.cjk(UInt64(previous) << 21 | UInt64(value)))) }
                events.append(.run(scalar))
                previous = value
            } else if SearchTokenizer.isPunctuation(value) {
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
        return events
    }
}
