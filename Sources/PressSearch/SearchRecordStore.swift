import Foundation
import PressCore

/// Every page's `SearchRecord`, kept in the output folder between builds (`.qpress-search`), so an
/// incremental build writes the whole index from the records of unchanged pages and the new
/// records of pages it rendered again, without reading unchanged documents.
/// A compact binary file: `QPS1`, then records sorted by path, each as varint-length strings and
/// varints (CJK terms as gaps between ascending packed keys). Loading 10,000 records takes a few ms.
public enum SearchRecordStore {
    public static let fileName = ".qpress-search"
    static let magic = Array("QPS1".utf8)

    public static func encode(_ records: [SearchRecord]) -> Data {
        var bytes = magic
        bytes.reserveCapacity(records.count * 1024)
        // Sorting positions, not records: moving a record moves its term arrays.
        let order = records.indices.sorted { UTF8Order.precedes(records[$0].path, records[$1].path) }
        appendVarint(UInt64(records.count), to: &bytes)
        for index in order {
            let record = records[index]
            if let stored = record.stored.bytes {
                bytes += stored
                continue
            }
            for text in [record.path, record.url, record.title, record.kind, record.date, record.excerpt] { appendString(text, to: &bytes) }
            appendVarint(UInt64(record.length), to: &bytes)
            appendVarint(UInt64(record.cjkKeys.count), to: &bytes)
            var previous: UInt64 = 0
            for (key, value) in zip(record.cjkKeys, record.cjkValues) {
                appendVarint(key - previous, to: &bytes)
                appendVarint(UInt64(value), to: &bytes)
                previous = key
            }
            appendVarint(UInt64(record.words.count), to: &bytes)
            for (word, value) in zip(record.words, record.wordValues) {
                appendString(word, to: &bytes)
                appendVarint(UInt64(value), to: &bytes)
            }
        }
        return Data(bytes)
    }

    /// Records by path; nil when the data is not a record file this version wrote.
    public static func decode(_ data: Data) -> [SearchRecord]? {
        // Every record keeps its slice of the (mapped) file, to write it back unchanged.
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [SearchRecord]? in
            let buffer = raw.bindMemory(to: UInt8.self)
            var reader = Reader(bytes: buffer)
            guard buffer.count >= 4, Array(buffer.prefix(4)) == magic else { return nil }
            reader.offset = 4
            guard let count = reader.varint() else { return nil }
            var records: [SearchRecord] = []
            records.reserveCapacity(Int(min(count, 1 << 20)))
            for _ in 0..<count {
                let start = reader.offset
                guard let path = reader.string(), let url = reader.string(), let title = reader.string(),
                      let kind = reader.string(), let date = reader.string(), let excerpt = reader.string(),
                      let length = reader.varint(), let cjkCount = reader.varint(), cjkCount < 1 << 24 else { return nil }
                var keys: [UInt64] = [], values: [UInt32] = []
                keys.reserveCapacity(Int(cjkCount))
                values.reserveCapacity(Int(cjkCount))
                var previous: UInt64 = 0
                for _ in 0..<cjkCount {
                    guard let gap = reader.varint(), let value = reader.varint() else { return nil }
                    previous += gap
                    keys.append(previous)
                    values.append(UInt32(truncatingIfNeeded: value))
                }
                guard let wordCount = reader.varint(), wordCount < 1 << 24 else { return nil }
                var words: [String] = [], wordValues: [UInt32] = []
                for _ in 0..<wordCount {
                    guard let word = reader.string(), let value = reader.varint() else { return nil }
                    words.append(word)
                    wordValues.append(UInt32(truncatingIfNeeded: value))
                }
                var record = SearchRecord(path: path, url: url, title: title, kind: kind, date: date, excerpt: excerpt,
                                          length: Int(length), cjkKeys: keys, cjkValues: values, words: words, wordValues: wordValues)
                record.stored = .init(bytes: data[data.startIndex + start..<data.startIndex + reader.offset])
                records.append(record)
            }
            return reader.offset == buffer.count ? records : nil
        }
    }

    public static func load(from folder: URL) -> [SearchRecord]? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName), options: .alwaysMapped) else { return nil }
        return decode(data)
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        appendVarint(UInt64(text.utf8.count), to: &bytes)
        bytes += text.utf8
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func string() -> String? {
            guard let length = varint(), length <= UInt64(bytes.count - offset) else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + Int(length)]), as: UTF8.self)
            offset += Int(length)
            return text
        }
    }
}
