import Foundation

/// libvips 8.14's WebP encoder writes a fresh EXIF block (orientation, resolution) even when asked to
/// strip: its chunks go here, so a published WebP carries no metadata at all.
enum WebPChunks {
    /// The file without its `EXIF`, `XMP ` and `ICCP` chunks, and with their flags cleared; unchanged when
    /// it is not a well-formed extended WebP.
    static func strippingMetadata(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        guard bytes.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x45, 0x42, 0x50] else { return data }
        var kept: [UInt8] = []
        var offset = 12
        while offset + 8 <= bytes.count {
            let tag = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            let end = offset + 8 + size + (size & 1)
            guard end <= bytes.count else { return data }
            if !["EXIF", "XMP ", "ICCP"].contains(tag) {
                var chunk = Array(bytes[offset..<end])
                if tag == "VP8X", chunk.count > 8 { chunk[8] &= ~UInt8(0x08 | 0x04 | 0x20) }
                kept += chunk
            }
            offset = end
        }
        guard offset == bytes.count else { return data }
        let riffSize = UInt32(kept.count + 4)
        var result = Data([0x52, 0x49, 0x46, 0x46])
        withUnsafeBytes(of: riffSize.littleEndian) { result.append(contentsOf: $0) }
        result.append(contentsOf: [0x57, 0x45, 0x42, 0x50])
        result.append(contentsOf: kept)
        return result
    }
}
