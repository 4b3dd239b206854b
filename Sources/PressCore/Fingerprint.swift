/// FNV-1a's step, 64 bits, taken eight bytes at a time (with a rotation, so that every bit
/// reaches every other): a fast, stable hash for deciding whether inputs changed between builds.
/// Byte at a time, hashing the 14 MB of a 10,000-page search index took a twentieth of an
/// incremental build. Not for security; collisions only cost a missed rebuild of an unchanged-looking page.
public struct Fingerprint: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(buffer: $0) }
        mix(0xFF) // separator: "ab"+"c" differs from "a"+"bc"
    }

    public mutating func add<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ add(buffer: $0) }) == nil {
            for byte in bytes { mix(byte) }
        }
        mix(0xFF)
    }

    private mutating func add(buffer: UnsafeBufferPointer<UInt8>) {
        var hash = value
        var index = 0
        if let base = UnsafeRawPointer(buffer.baseAddress) {
            while index + 8 <= buffer.count {
                hash = (hash ^ base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0x100_0000_01b3
                hash = hash << 29 | hash >> 35
                index += 8
            }
        }
        while index < buffer.count {
            hash ^= UInt64(buffer[index])
            hash = hash &* 0x100_0000_01b3
            index += 1
        }
        value = hash
    }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }

    public var hex: String { String(value, radix: 16) }
}
