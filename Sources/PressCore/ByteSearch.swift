import Foundation

/// Substring tests on UTF-8 bytes, a plain loop over the buffer. Foundation's `contains` compares Unicode clusters,
/// and the standard library's `utf8.firstRange(of:)` is generic and unspecialized here: it looked up
/// generic metadata for every byte, over half of a site build's CPU in perf (run on each page's HTML).
public enum ByteSearch {
    /// Whether `text` holds `needle`, byte for byte.
    public static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { haystack in needle.withUTF8 { pattern in contains(haystack, pattern) } }
    }

    /// Whether `bytes` hold `needle`.
    public static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { haystack in needle.withUnsafeBufferPointer { pattern in contains(haystack, pattern) } }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !pattern.isEmpty else { return true }
        guard let start = haystack.baseAddress, let wanted = pattern.baseAddress, haystack.count >= pattern.count else { return false }
        // memchr finds each candidate first byte; memcmp checks the rest there.
        let last = haystack.count - pattern.count
        var index = 0
        while index <= last {
            guard let found = memchr(start + index, Int32(pattern[0]), last - index + 1) else { return false }
            index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - start
            if memcmp(start + index, wanted, pattern.count) == 0 { return true }
            index += 1
        }
        return false
    }

    /// The first `ascii` byte of `text` that is a Character by itself, where `text.firstIndex(of:)` finds that
    /// Character, without reading the Characters before it. A mark after the byte (or a prepended letter
    /// before it) would join it into another Character; those rare bytes are skipped, as the Characters do.
    public static func firstCharacter(_ ascii: UInt8, in text: String) -> String.Index? {
        let bytes = text.utf8, wanted = Character(Unicode.Scalar(ascii))
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index] == ascii, let aligned = index.samePosition(in: text), text[aligned] == wanted { return aligned }
            index = bytes.index(after: index)
        }
        return nil
    }
}
