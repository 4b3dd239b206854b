/// Escaping for text we put into HTML and XML ourselves, and for template variables (see `Theme`).
/// Works on UTF-8 bytes and returns the string itself when nothing needs escaping, the common case
/// for Chinese text: going through `Character`s costs grapheme breaking on every ideograph.
public enum HTMLEscaping {
    /// Escapes `& < >`.
    public static func text(_ value: String) -> String { escape(value, quotes: false) }

    /// Escapes `& < > " '`: safe in text and in quoted attributes.
    public static func attribute(_ value: String) -> String { escape(value, quotes: true) }

    private static func escape(_ value: String, quotes: Bool) -> String {
        var value = value
        let escaped: String? = value.withUTF8 { bytes in
            @inline(__always) func replacement(_ byte: UInt8) -> StaticString? {
                switch byte {
                case UInt8(ascii: "&"): return "&amp;"
                case UInt8(ascii: "<"): return "&lt;"
                case UInt8(ascii: ">"): return "&gt;"
                case UInt8(ascii: "\"") where quotes: return "&quot;"
                case UInt8(ascii: "'") where quotes: return "&#39;"
                default: return nil
                }
            }
            guard let first = bytes.firstIndex(where: { replacement($0) != nil }) else { return nil }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 32)
            result.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                if let entity = replacement(byte) {
                    entity.withUTF8Buffer { result.append(contentsOf: $0) }
                } else {
                    result.append(byte)
                }
            }
            return String(decoding: result, as: UTF8.self)
        }
        return escaped ?? value
    }
}
