/// FNV-1a, 64 bits: a fast, stable hash for deciding whether inputs changed between builds.
/// Not for security; collisions only cost a missed rebuild of an unchanged-looking page.
public struct Fingerprint: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte) }
        add(0xFF) // separator: "ab"+"c" differs from "a"+"bc"
    }

    public mutating func add<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { add(byte) }
        add(0xFF)
    }

    private mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x100_0000_01b3
    }

    public var hex: String { String(value, radix: 16) }
}
