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

    /// Counts on the UTF-8 bytes: iterating Unicode scalars was a few percent of a site build.
    public init(_ text: String) {
        var text = text
        (cjkCharacters, latinWords) = text.withUTF8(Self.count)
    }

    /// Counts UTF-8 `bytes` as `init(_:)` counts their String.
    public init(utf8 bytes: [UInt8]) {
        (cjkCharacters, latinWords) = bytes.withUnsafeBufferPointer(Self.count)
    }

    private static func count(_ bytes: UnsafeBufferPointer<UInt8>) -> (cjk: Int, words: Int) {
        var cjk = 0, words = 0, inWord = false, index = 0
        let end = bytes.count
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                if isASCIILetterOrDigit(UInt32(lead)) {
                    if !inWord { words += 1 }
                    inWord = true
                } else if lead != UInt8(ascii: "'") && lead != UInt8(ascii: "-") {
                    inWord = false
                }
                index += 1
                continue
            }
            // A valid multi-byte sequence (a String's bytes always are) is never a letter of a word.
            // Two-byte sequences end below U+0800, far from any ideograph.
            inWord = false
            if lead < 0xE0 {
                index += 2
            } else if lead >= 0xE5 && lead <= 0xE9 {
                // U+5000…U+9FFF: all CJK Unified Ideographs, most of a Chinese text; no need to decode.
                if index + 2 < end { cjk += 1 }
                index += 3
            } else if lead < 0xF0 {
                if index + 2 < end {
                    let value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                    if isCJK(value) { cjk += 1 }
                }
                index += 3
            } else {
                if index + 3 < end {
                    let value = UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                        | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
                    if isCJK(value) { cjk += 1 }
                }
                index += 4
            }
        }
        return (cjk, words)
    }

    @inline(__always)
    static func isASCIILetterOrDigit(_ value: UInt32) -> Bool {
        value >= 0x61 && value <= 0x7A || value >= 0x41 && value <= 0x5A || value >= 0x30 && value <= 0x39
    }

    public static func isCJK(_ scalar: Unicode.Scalar) -> Bool { isCJK(scalar.value) }

    @inline(__always)
    static func isCJK(_ value: UInt32) -> Bool {
        switch value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2EBEF, 0x30000...0x3134F: return true
        default: return false
        }
    }
}
