import Foundation

/// Percent-encoding for the paths we write into links. Paths on disk stay in UTF-8;
/// links carry `%E8%B4%A8…` so that every client, crawler and WeChat's browser agree.
public enum URLPath {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// `A-Z a-z 0-9 - . _ ~` and `/`: what `encode` leaves as it is.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"): return true
        default: return false
        }
    }

    /// Encodes everything but unreserved characters and `/`.
    /// Written straight into the string's storage, at most three bytes for each: a Chinese fragment
    /// grew its byte array twice, once per link of a page (2% of a site of cross-links).
    public static func encode(_ path: String) -> String {
        var path = path
        return path.withUTF8 { source in
            String(unsafeUninitializedCapacity: source.count * 3) { target in
                var count = 0
                for byte in source {
                    if isUnreserved(byte) {
                        target[count] = byte
                        count += 1
                    } else {
                        target[count] = UInt8(ascii: "%")
                        target[count + 1] = hex[Int(byte >> 4)]
                        target[count + 2] = hex[Int(byte & 0x0F)]
                        count += 3
                    }
                }
                return count
            }
        }
    }

    /// Decodes `%XX` sequences; returns nil when they do not form UTF-8. A text without `%` comes back as it is,
    /// and so does one whose every `%` Foundation's search misses (a mark after it makes another character).
    /// Most links hold no `%` byte and skip that search, a tenth of the CPU of a site with many links.
    public static func decode(_ path: String) -> String? {
        guard path.utf8.contains(UInt8(ascii: "%")), path.contains("%") else { return path }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        var iterator = path.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(), let value = byteValue(high, low) else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Two hex digits' value; other pairs are read as `UInt8(_:radix:)` reads them (it takes `+f`).
    private static func byteValue(_ high: UInt8, _ low: UInt8) -> UInt8? {
        if let high = hexDigit(high), let low = hexDigit(low) { return high << 4 | low }
        return UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
