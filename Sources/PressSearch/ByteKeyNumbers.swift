import Foundation

/// Numbers byte strings (a page's or the site's Latin words) 0, 1, 2… in the order they are first
/// seen, keeping each once in one flat buffer: a word is looked up by its bytes, so the tokens of a
/// page become no `String`s, and only a site's distinct words ever do. Open addressing with FNV-1a,
/// the full hash kept per key so that a probe compares bytes only on a likely match.
struct ByteKeyNumbers {
    /// The keys in number order, end to end; key `n` is `bytes[start(n) ..< ends[n]]`.
    private(set) var bytes: [UInt8] = []
    private(set) var ends: [UInt32] = []
    private var hashes: [UInt32] = []
    /// Key number + 1 per slot, 0 when the slot is free.
    private var table: [Int32]

    init(expected: Int) {
        var size = 64
        while size < 2 * expected { size *= 2 }
        table = Array(repeating: 0, count: size)
    }

    var count: Int { ends.count }

    func start(_ number: Int) -> Int { number == 0 ? 0 : Int(ends[number - 1]) }

    /// Key `number`'s bytes, for as long as `body` runs.
    func withKey<Result>(_ number: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start(number)..<Int(ends[number])])) }
    }

    func string(_ number: Int) -> String {
        String(decoding: bytes[start(number)..<Int(ends[number])], as: UTF8.self)
    }

    /// The key's number, giving it the next one (and a copy of its bytes) when it is new.
    mutating func number(of key: UnsafeBufferPointer<UInt8>) -> Int {
        let hash = Self.hash(key)
        let mask = table.count - 1
        var slot = Int(hash) & mask
        while true {
            let entry = Int(table[slot])
            if entry == 0 { break }
            if hashes[entry - 1] == hash && equals(entry - 1, key) { return entry - 1 }
            slot = (slot + 1) & mask
        }
        bytes.append(contentsOf: key)
        ends.append(UInt32(bytes.count))
        hashes.append(hash)
        if count * 2 > table.count { rebuild(size: table.count * 2) } else { table[slot] = Int32(count) }
        return count - 1
    }

    private func equals(_ number: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = start(number)
        guard Int(ends[number]) - start == key.count else { return false }
        return bytes.withUnsafeBufferPointer { stored in
            guard let left = stored.baseAddress, let right = key.baseAddress else { return true }
            return memcmp(left + start, right, key.count) == 0
        }
    }

    private mutating func rebuild(size: Int) {
        table = Array(repeating: 0, count: size)
        let mask = size - 1
        for number in 0..<count {
            var slot = Int(hashes[number]) & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(number + 1)
        }
    }

    /// The key numbers in the UTF-8 order of their bytes.
    func sortedNumbers() -> [Int] {
        bytes.withUnsafeBufferPointer { stored in
            (0..<count).sorted { Self.compare(stored, start($0), Int(ends[$0]), start($1), Int(ends[$1])) < 0 }
        }
    }

    static func compare(_ stored: UnsafeBufferPointer<UInt8>, _ start1: Int, _ end1: Int, _ start2: Int, _ end2: Int) -> Int {
        let common = min(end1 - start1, end2 - start2)
        if common > 0, let base = stored.baseAddress {
            let order = memcmp(base + start1, base + start2, common)
            if order != 0 { return Int(order) }
        }
        return (end1 - start1) - (end2 - start2)
    }

    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }
}
