import Foundation

/// Substring tests on UTF-8 bytes, a plain loop over the buffer. Foundation's `contains` compares Unicode clusters,
/// and the standard library's `utf8.firstRange(of:)` is generic and unspecialized here: it looked up
/// generic metadata for every byte, over half of a site build's CPU in perf (run on each page's HTML).
public enum ByteSearch {
    /// Whether `text` holds `needle`, byte for byte.
    public static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text, needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { pattern in
                guard !pattern.isEmpty else { return true }
                guard let start = haystack.baseAddress, let wanted = pattern.baseAddress, haystack.count >= pattern.count else { return false }
                let first = pattern[0]
                for index in 0...(haystack.count - pattern.count) where haystack[index] == first {
                    if memcmp(start + index, wanted, pattern.count) == 0 { return true }
                }
                return false
            }
        }
    }
}
