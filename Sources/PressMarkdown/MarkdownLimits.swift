public import PressCore
import Foundation

/// Limits on Markdown that libcmark-gfm would take too long over. Its table extension is quadratic
/// in the cells of one row: a row of 65,000 cells took 6 s (16,000 cells 5 s, 1,000 cells 0.03 s).
public enum MarkdownLimits {
    /// The most `|` one line may hold: a table row of 255 cells between pipes.
    public static let maxPipesPerLine = 256

    /// An error at the first line holding more `|` than a table row may, or nil. `firstLine` is the
    /// file's line of the text's first line. One pass over the bytes.
    public static func problem(in text: String, file: String, firstLine: Int) -> Diagnostic? {
        // Most texts hold fewer `|` in all than one line may: counted on the buffer, without lines.
        var text = text
        guard text.withUTF8({ count(of: UInt8(ascii: "|"), in: $0, over: maxPipesPerLine) }) else { return nil }
        var line = firstLine
        var pipes = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1
                pipes = 0
            } else if byte == UInt8(ascii: "|") {
                pipes += 1
                if pipes > maxPipesPerLine {
                    return .error(file, line: line, "this line holds more than \(maxPipesPerLine) '|': more cells than a table row may have")
                }
            }
        }
        return nil
    }

    /// Whether `bytes` holds more than `limit` of `byte`; `memchr` jumps between them (a page has few).
    static func count(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, over limit: Int) -> Bool {
        guard let start = bytes.baseAddress else { return false }
        let end = start + bytes.count
        var cursor = start, found = 0
        while cursor < end, let hit = memchr(cursor, Int32(byte), end - cursor) {
            found += 1
            if found > limit { return true }
            cursor = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return false
    }
}
