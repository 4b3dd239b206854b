/// Counting that treats Chinese as Chinese: each ideograph is a character a reader reads,
/// each run of Latin letters or digits is one word.
public struct TextStatistics: Sendable, Equatable {
    public var cjkCharacters: Int
    public var latinWords: Int

    /// Readers manage about 300 Chinese characters or 200 English words a minute.
    public var readingMinutes: Int {
        let minutes = Double(cjkCharacters) / 300 + Double(latinWords) / 200
        return max(1, Int(minutes.rounded(.up)))
    }

    /// What a Chinese editor calls 字数: ideographs plus words.
    public var wordCount: Int { cjkCharacters + latinWords }

    public init(_ text: String) {
        var cjk = 0
        var words = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if Self.isCJK(scalar) {
                cjk += 1
                inWord = false
            } else if Self.isASCIILetterOrDigit(scalar.value) {
                if !inWord { words += 1 }
                inWord = true
            } else if scalar != "'" && scalar != "-" {
                inWord = false
            }
        }
        cjkCharacters = cjk
        latinWords = words
    }

    @inline(__always)
    static func isASCIILetterOrDigit(_ value: UInt32) -> Bool {
        value >= 0x61 && value <= 0x7A || value >= 0x41 && value <= 0x5A || value >= 0x30 && value <= 0x39
    }

    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2EBEF, 0x30000...0x3134F: return true
        default: return false
        }
    }
}
