import Foundation
import PressCore

/// Writes the static search index from every page's `SearchRecord`. The result depends only on
/// the records (sorted by path), never on the order they were made in, so a clean build and an
/// incremental build write the same bytes.
///
/// Files, below `search/` in the output:
/// - `index.json`: `{"version":1,"docs":N,"shards":S,"chunk":C,"stamp":"…"}`, fetched first.
/// - `terms/<shard>.json`: `{"term":"postings",…}`. A term's shard is FNV-1a (32 bits) of its first
///   CJK character, or of the first two characters of a Latin word, modulo S; so every term that
///   starts with 质 (or with `re`) is in one shard, and prefix queries fetch one file.
///   Postings are a string over `A–Z a–z 0–9 - _` (64 values): for each document, ascending, the
///   gap to the previous document number minus one as a little-endian base-32 varint (value | 32
///   when more follows), then one character for the weight (1–63): BM25 of the term in the page
///   with a bonus when it is in the title, quantised. The client multiplies by the term's idf.
/// - `docs/<chunk>.json`: `[[url, title, kind, date, excerpt],…]` for documents `chunk·C ..< (chunk+1)·C`,
///   fetched only for the results shown.
public struct SearchIndex: Sendable {
    public static let folder = "search"
    public static let version = 1
    /// Documents per `docs/` file.
    public static let chunkSize = 16
    /// Aimed-for size of a `terms/` file.
    public static let shardBytes = 24 * 1024

    /// BM25 parameters and the title bonus.
    static let k1 = 1.2, b = 0.75, titleBonus = 1.5

    public let records: [SearchRecord]

    public init(records: [SearchRecord]) {
        // Sorting positions, not records: moving a record moves its term arrays.
        let order = records.indices.sorted { UTF8Order.precedes(records[$0].path, records[$1].path) }
        self.records = order.map { records[$0] }
    }

    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// One term with its encoded postings; `shardKey` decides its `terms/` file.
    struct Term: Sendable {
        let text: String
        let shardKey: String
        let postings: [UInt8]
    }

    /// Output path (below the output folder) → contents.
    public func files() -> [(path: String, data: Data)] {
        assemble(terms(part: 0, of: 1))
    }

    /// The same files, the terms gathered on `parts` tasks, each taking the terms that hash to it.
    public func files(parts: Int) async -> [(path: String, data: Data)] {
        let parts = max(1, parts)
        let gathered = await withTaskGroup(of: [Term].self) { group in
            for part in 0..<parts { group.addTask { self.terms(part: part, of: parts) } }
            return await group.reduce(into: [Term]()) { $0 += $1 }
        }
        return assemble(gathered)
    }

    /// The terms whose key falls in `part`, postings per term in document order:
    /// (document << 6) | weight, gap-encoded.
    func terms(part: Int, of parts: Int) -> [Term] {
        let totalLength = records.reduce(0) { $0 + $1.length }
        let averageLength = records.isEmpty ? 1 : max(1, Double(totalLength) / Double(records.count))
        @inline(__always) func mine(_ hash: UInt64) -> Bool { parts == 1 || Int((hash &* 0x9E37_79B9_7F4A_7C15) >> 40) % parts == part }

        var cjkNumbers = KeyNumbers(expected: 1024), cjkLists: [[UInt32]] = []
        var wordSlots: [String: Int] = [:], wordKeys: [String] = [], wordLists: [[UInt32]] = []
        for (document, record) in records.enumerated() {
            let norm = Self.k1 * (1 - Self.b + Self.b * Double(record.length) / averageLength)
            @inline(__always) func posting(_ value: UInt32) -> UInt32 {
                let frequency = Double(value >> 1)
                var weight = frequency * (Self.k1 + 1) / (frequency + norm)
                if value & 1 == 1 { weight += Self.titleBonus }
                let quantised = min(63, max(1, Int((weight / (Self.k1 + 1 + Self.titleBonus) * 63).rounded())))
                return UInt32(document) << 6 | UInt32(quantised)
            }
            for (key, value) in zip(record.cjkKeys, record.cjkValues) where mine(key) {
                let number = cjkNumbers.number(of: key)
                if number == cjkLists.count { cjkLists.append([posting(value)]) } else { cjkLists[number].append(posting(value)) }
            }
            for (word, value) in zip(record.words, record.wordValues) where mine(UInt64(Self.shard(of: word, count: 1 << 30))) {
                if let slot = wordSlots[word] { wordLists[slot].append(posting(value)) } else {
                    wordSlots[word] = wordLists.count
                    wordKeys.append(word)
                    wordLists.append([posting(value)])
                }
            }
        }
        var terms: [Term] = []
        terms.reserveCapacity(cjkLists.count + wordKeys.count)
        for (key, postings) in zip(cjkNumbers.keys, cjkLists) {
            let text = SearchTokenizer.string(forCJK: key)
            terms.append(Term(text: text, shardKey: String(text.unicodeScalars.first.map(Character.init) ?? " "), postings: Self.encode(postings)))
        }
        for (word, postings) in zip(wordKeys, wordLists) {
            terms.append(Term(text: word, shardKey: String(String.UnicodeScalarView(word.unicodeScalars.prefix(2))), postings: Self.encode(postings)))
        }
        return terms
    }

    /// Shards the terms, writes them and the document chunks, and the meta file with a stamp of everything.
    func assemble(_ terms: [Term]) -> [(path: String, data: Data)] {
        let totalBytes = terms.reduce(0) { $0 + $1.postings.count + $1.text.utf8.count + 6 }
        var shardCount = 1
        while shardCount < 1024 && totalBytes / shardCount > Self.shardBytes { shardCount *= 2 }

        var shards = [[Int]](repeating: [], count: shardCount)
        for (index, term) in terms.enumerated() { shards[Int(Self.shard(of: term.shardKey, count: shardCount))].append(index) }

        var files: [(path: String, data: Data)] = []
        var stamp = Fingerprint()
        for (number, shard) in shards.enumerated() {
            var json: [UInt8] = [UInt8(ascii: "{")]
            let sorted = shard.sorted { UTF8Order.precedes(terms[$0].text, terms[$1].text) }
            for (position, index) in sorted.enumerated() {
                if position > 0 { json.append(UInt8(ascii: ",")) }
                JSONText.appendString(terms[index].text, to: &json)
                json.append(UInt8(ascii: ":"))
                json.append(UInt8(ascii: "\""))
                json += terms[index].postings
                json.append(UInt8(ascii: "\""))
            }
            json += Array("}\n".utf8)
            stamp.add(bytes: json)
            files.append(("\(Self.folder)/terms/\(number).json", Data(json)))
        }
        for start in stride(from: 0, to: records.count, by: Self.chunkSize) {
            var json: [UInt8] = [UInt8(ascii: "[")]
            for (index, record) in records[start..<min(start + Self.chunkSize, records.count)].enumerated() {
                json += Array((index > 0 ? ",\n[" : "[").utf8)
                for (field, text) in [record.url, record.title, record.kind, record.date, record.excerpt].enumerated() {
                    if field > 0 { json.append(UInt8(ascii: ",")) }
                    JSONText.appendString(text, to: &json)
                }
                json.append(UInt8(ascii: "]"))
            }
            json += Array("]\n".utf8)
            stamp.add(bytes: json)
            files.append(("\(Self.folder)/docs/\(start / Self.chunkSize).json", Data(json)))
        }
        let meta = "{\"version\":\(Self.version),\"docs\":\(records.count),\"shards\":\(shardCount),\"chunk\":\(Self.chunkSize),\"stamp\":\"\(stamp.hex)\"}\n"
        files.append(("\(Self.folder)/index.json", Data(meta.utf8)))
        return files
    }

    /// FNV-1a, 32 bits, of the UTF-8 bytes of `key`, modulo `count` (a power of two).
    public static func shard(of key: String, count: Int) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash % UInt32(count)
    }

    static func encode(_ postings: [UInt32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(postings.count * 2)
        var previous: Int = -1
        for posting in postings {
            let document = Int(posting >> 6)
            var gap = document - previous - 1
            previous = document
            repeat {
                let group = gap & 31
                gap >>= 5
                bytes.append(alphabet[group | (gap > 0 ? 32 : 0)])
            } while gap > 0
            bytes.append(alphabet[Int(posting & 63)])
        }
        return bytes
    }

    /// The inverse of `encode`, for tests: (document, weight) pairs.
    public static func decode(_ text: String) -> [(document: Int, weight: Int)] {
        var values: [UInt8: Int] = [:]
        for (index, character) in alphabet.enumerated() { values[character] = index }
        var result: [(Int, Int)] = []
        var document = -1
        var gap = 0, shift = 0
        var readingGap = true
        for byte in text.utf8 {
            let value = values[byte] ?? 0
            if readingGap {
                gap |= (value & 31) << shift
                shift += 5
                if value & 32 == 0 {
                    document += gap + 1
                    gap = 0
                    shift = 0
                    readingGap = false
                }
            } else {
                result.append((document, value))
                readingGap = true
            }
        }
        return result
    }
}

/// Minimal JSON string writing, byte for byte the same on every run.
enum JSONText {
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // Most text (Chinese titles, URLs, terms) needs no escape: copied in one go.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes += text.utf8
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
