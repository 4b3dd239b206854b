import Foundation

/// One line's fields read by position, for the cache's large kinds of records: where each field ends
/// is found once with `memchr` into a buffer kept from line to line, and a field is read straight from
/// the line's bytes. A `[Substring]` per line, each field then found by name in a dictionary, was most
/// of reading 10,000 documents' records. Positions come from `RecordLayout.position(_:)`, once per file;
/// -1 stands for a field the file does not declare, and reads as a missing field.
struct FieldCursor {
    private(set) var line: Substring = ""
    /// The UTF-8 offset, from the line's start, where each field ends (its tab, or the line's end).
    private var ends: [Int] = []

    /// Starts reading `line`, whose fields are separated by tabs.
    mutating func read(_ line: Substring) {
        self.line = line
        ends.removeAll(keepingCapacity: true)
        let found: Void? = line.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return ends.append(0) }
            var at = 0
            while at < bytes.count, let hit = memchr(base + at, 0x09, bytes.count - at) {
                let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                ends.append(end)
                at = end + 1
            }
            ends.append(bytes.count)
        }
        guard found == nil else { return }
        for (offset, byte) in line.utf8.enumerated() where byte == 0x09 { ends.append(offset) }
        ends.append(line.utf8.count)
    }

    /// Where field `position` lies in the line's UTF-8, nil when the line has no such field.
    private func bounds(_ position: Int) -> Range<Int>? {
        guard position >= 0, position < ends.count else { return nil }
        return (position == 0 ? 0 : ends[position - 1] + 1)..<ends[position]
    }

    /// `body` applied to the bytes of field `position`; nil when the line has no such field.
    func withBytes<Result>(_ position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        guard let range = bounds(position) else { return nil }
        if let result = line.utf8.withContiguousStorageIfAvailable({ body(UnsafeBufferPointer(rebasing: $0[range])) }) { return result }
        return Array(line.utf8).withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The encoded field, as `NamedRecord`'s subscript gives it.
    subscript(_ position: Int) -> Substring? {
        guard let range = bounds(position) else { return nil }
        let utf8 = line.utf8
        return Substring(utf8[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
    }

    /// Whether field `position` holds exactly `value`'s bytes.
    func field(_ position: Int, is value: StaticString) -> Bool {
        withBytes(position) { bytes in
            guard bytes.count == value.utf8CodeUnitCount, let base = bytes.baseAddress else { return bytes.count == value.utf8CodeUnitCount }
            return memcmp(base, value.utf8Start, bytes.count) == 0
        } ?? false
    }

    /// The field decoded as text (`CompactRecord.text`).
    func text(_ position: Int) -> String? { withBytes(position, CompactRecord.text(bytes:)) }
    /// The field decoded as a list (`CompactRecord.list`); empty when missing.
    func list(_ position: Int) -> [String] { withBytes(position, CompactRecord.list(bytes:)) ?? [] }
    /// The field decoded as an optional text (`CompactRecord.optional`); nil when missing.
    func optional(_ position: Int) -> String? {
        withBytes(position) { $0.first == UInt8(ascii: "+") ? CompactRecord.text(bytes: UnsafeBufferPointer(rebasing: $0.dropFirst())) : nil } ?? nil
    }
}
