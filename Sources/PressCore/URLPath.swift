/// Percent-encoding for the paths we write into links. Paths on disk stay in UTF-8;
/// links carry `%E8%B4%A8…` so that every client, crawler and WeChat's browser agree.
public enum URLPath {
    private static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8))
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Encodes everything but unreserved characters and `/`.
    public static func encode(_ path: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            if unreserved.contains(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes `%XX` sequences; returns nil when they do not form UTF-8.
    public static func decode(_ path: String) -> String? {
        guard path.contains("%") else { return path }
        var bytes: [UInt8] = []
        var iterator = Array(path.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
