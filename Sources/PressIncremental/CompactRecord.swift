import Foundation

/// A small line-based format for the build cache: one record per line, fields separated by tabs,
/// lists by U+001E, pairs by U+001F, with backslash escapes. JSON with Codable took a third of an
/// incremental rebuild of 10,000 pages; this is a plain split.
public enum CompactRecord {
    static let list: Character = "\u{1E}"
    static let pair: Character = "\u{1F}"
    // Reading and the check before escaping work on bytes: every separator is ASCII, and going
    // through `Character`s (grapheme breaking) made reading a 10,000-page cache take a third of a second.
    static let listByte: UInt8 = 0x1E, pairByte: UInt8 = 0x1F

    // MARK: writing (every function returns an encoded field)

    public static func text(_ value: String) -> String {
        guard value.utf8.contains(where: { escape($0) != nil }) else { return value }
        var result: [UInt8] = []
        result.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            if let letter = escape(byte) {
                result += [UInt8(ascii: "\\"), letter]
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The letter after a backslash that stands for `byte`, nil when it is written as itself.
    @inline(__always)
    private static func escape(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "\\"): return UInt8(ascii: "\\")
        case 0x09: return UInt8(ascii: "t")
        case 0x0A: return UInt8(ascii: "n")
        case 0x0D: return UInt8(ascii: "c")
        case listByte: return UInt8(ascii: "l")
        case pairByte: return UInt8(ascii: "p")
        default: return nil
        }
    }

    public static func optional(_ value: String?) -> String { value.map { "+" + text($0) } ?? "-" }
    public static func list(_ values: [String]) -> String { values.map(text).joined(separator: String(list)) }
    public static func pairs(_ values: [[String]]) -> String {
        values.map { $0.map(text).joined(separator: String(pair)) }.joined(separator: String(list))
    }

    /// One line: a tag and encoded fields.
    public static func line(_ tag: String, _ fields: [String]) -> String {
        ([tag] + fields).joined(separator: "\t") + "\n"
    }

    // MARK: writing into bytes
    // The same encodings written straight into one buffer: encoding 10,000 pages' records field by
    // field through Strings, arrays and `joined` was 6% of a clean build's CPU.

    /// Appends `value` encoded as `text(_:)` encodes it.
    static func append(text value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            // Most fields hold nothing to escape: one copy. Every escaped byte is `\\` or below 0x20.
            guard bytes.contains(where: { ($0 < 0x20 || $0 == 0x5C) && escape($0) != nil }) else {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                if let letter = escape(byte) {
                    out.append(UInt8(ascii: "\\"))
                    out.append(letter)
                } else {
                    out.append(byte)
                }
            }
        }
    }

    /// Appends `values` encoded as `list(_:)` encodes them.
    static func append(list values: [String], to out: inout [UInt8]) {
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(listByte) }
            append(text: value, to: &out)
        }
    }

    /// Appends `value` in decimal, as `String(value)` writes it.
    static func append(decimal value: Int, to out: inout [UInt8]) {
        guard value >= 0 else {
            out.append(contentsOf: String(value).utf8)
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var rest = value, start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            out.append(contentsOf: buffer[start...])
        }
    }

    // MARK: reading

    /// Each line's fields, the tag first.
    public static func records(_ text: String) -> [[Substring]] {
        lines(text).map(fields)
    }

    /// The lines of `text`, to read with `fields` (on several tasks, for a large file).
    public static func lines(_ text: String) -> [Substring] {
        split(Substring(text), at: 0x0A, omittingEmpty: true)
    }

    /// One line's fields, the tag first.
    public static func fields(_ line: Substring) -> [Substring] {
        split(line, at: 0x09, omittingEmpty: false)
    }

    public static func text(_ field: Substring) -> String {
        let plain = field.utf8.withContiguousStorageIfAvailable { bytes in bytes.baseAddress.map { memchr($0, 0x5C, bytes.count) == nil } ?? true }
        guard plain == false || (plain == nil && field.utf8.contains(UInt8(ascii: "\\"))) else { return String(field) }
        return unescaped(field.utf8)
    }

    /// A field's bytes decoded as `text(_:)` decodes the field.
    static func text(bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard let base = bytes.baseAddress, memchr(base, 0x5C, bytes.count) != nil else { return String(decoding: bytes, as: UTF8.self) }
        return unescaped(bytes)
    }

    /// A field's bytes decoded as `list(_:)` decodes the field.
    static func list(bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        var values: [String] = [], start = 0
        while let hit = memchr(base + start, Int32(listByte), bytes.count - start) {
            let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            values.append(text(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end])))
            start = end + 1
        }
        values.append(text(bytes: UnsafeBufferPointer(rebasing: bytes[start...])))
        return values
    }

    /// The text of escaped bytes: each backslash and the letter after it stand for one byte (`escape`).
    private static func unescaped(_ bytes: some Collection<UInt8>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var escaped = false
        for byte in bytes {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "c"): result.append(0x0D)
                case UInt8(ascii: "l"): result.append(listByte)
                case UInt8(ascii: "p"): result.append(pairByte)
                default: result.append(byte)
                }
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    public static func optional(_ field: Substring) -> String? { field.first == "+" ? text(field.dropFirst()) : nil }
    public static func list(_ field: Substring) -> [String] {
        split(field, at: listByte).map(text)
    }
    public static func pairs(_ field: Substring) -> [[String]] {
        split(field, at: listByte).map { split($0, at: pairByte).map(text) }
    }

    /// Whether two fields hold the same bytes: one `memcmp`, where `==` on substrings compares characters.
    static func sameBytes(_ a: Substring, _ b: Substring) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.isEmpty || (x.baseAddress.flatMap { p in y.baseAddress.map { memcmp(p, $0, x.count) == 0 } } ?? false)
            }
        }
        return (compared ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    private static func split(_ field: Substring, at separator: UInt8) -> [Substring] {
        field.isEmpty ? [] : split(field, at: separator, omittingEmpty: false)
    }

    /// Splits on a byte with `memchr`; the generic `split` on a UTF-8 view was most of reading a large cache.
    private static func split(_ text: Substring, at separator: UInt8, omittingEmpty: Bool) -> [Substring] {
        let utf8 = text.utf8
        let found = utf8.withContiguousStorageIfAvailable { bytes -> [Substring] in
            guard let base = bytes.baseAddress else { return omittingEmpty ? [] : [text] }
            var parts: [Substring] = []
            // Counted first: a record of 24 fields grew its array six times.
            var count = 1, at = 0
            while at < bytes.count, let hit = memchr(base + at, Int32(separator), bytes.count - at) {
                count += 1
                at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
            }
            parts.reserveCapacity(count)
            var start = 0
            func cut(to end: Int) {
                if !omittingEmpty || end > start {
                    parts.append(Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)]))
                }
                start = end + 1
            }
            while start <= bytes.count, let hit = memchr(base + start, Int32(separator), bytes.count - start) {
                cut(to: base.distance(to: hit.assumingMemoryBound(to: UInt8.self)))
            }
            cut(to: bytes.count)
            return parts
        }
        return found ?? utf8.split(separator: separator, omittingEmptySubsequences: omittingEmpty).map { Substring($0) }
    }
}
