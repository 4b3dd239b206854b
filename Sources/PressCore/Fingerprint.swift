/// FNV-1a, 64 bits: a fast, stable hash for deciding whether inputs changed between builds.
/// Not for security; collisions only cost a missed rebuild of an unchanged-looking page.
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
        for byte in buffer {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        value = hash
    }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }

    public var hex: String { String(value, radix: 16) }
}
