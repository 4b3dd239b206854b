import CVips
public import Foundation

/// An image as a book places it: encoded, with its pixel size and channels.
public struct BookImageFile: Sendable {
    public var data: Data
    public var width: Int
    public var height: Int
    /// 1 grey, 3 sRGB, 4 CMYK.
    public var bands: Int
}

/// Images for books: CMYK (or one grey channel) for the press, sRGB for the screen proof, and at most
/// 1600 px JPEG or PNG for the EPUB. Each source is decoded once per output, upright, without metadata.
public struct BookImageProcessor: Sendable {
    public let settings: WebImageSettings

    public init(settings: WebImageSettings = WebImageSettings()) { self.settings = settings }

    /// The EPUB's widest image: EPUB readers' screens, and the website's largest variant.
    public static let epubMaxWidth = 1600

    /// For the press: colour to `profile` (relative colorimetric, black point compensation), grey as grey,
    /// resized to `width` pixels when given and smaller. `profile` nil: sRGB, for the screen proof.
    public func print(_ data: Data, profile: String?, width: Int?, quality: Int = 90) throws(ImageError) -> BookImageFile {
        _ = try WebImageProcessor(settings: settings).checkedHeader(data)
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        var outWidth: Int32 = 0, outHeight: Int32 = 0, bands: Int32 = 0
        let status = data.withUnsafeBytes { bytes in
            qp_save_print(bytes.baseAddress, bytes.count, profile, Int32(width ?? 0), Int32(quality),
                          &buffer, &length, &outWidth, &outHeight, &bands)
        }
        guard status == 0, let buffer else { throw .cannotDecode(VipsLibrary.takeError()) }
        defer { qp_free(buffer) }
        return BookImageFile(data: Data(bytes: buffer, count: length), width: Int(outWidth), height: Int(outHeight), bands: Int(bands))
    }

    /// For the EPUB: sRGB, upright, at most `epubMaxWidth` px across, JPEG or (`lossless`) PNG.
    public func epub(_ data: Data, lossless: Bool) throws(ImageError) -> BookImageFile {
        _ = try WebImageProcessor(settings: settings).checkedHeader(data)
        guard let decoded = data.withUnsafeBytes({ qp_load_web($0.baseAddress, $0.count, Int32(Self.epubMaxWidth)) }) else {
            throw .cannotDecode(VipsLibrary.takeError())
        }
        defer { qp_image_free(decoded) }
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        var outWidth: Int32 = 0, outHeight: Int32 = 0
        guard qp_save_web(decoded, Int32(Self.epubMaxWidth), lossless ? QP_PNG : QP_JPEG, Int32(settings.jpegQuality),
                          &buffer, &length, &outWidth, &outHeight) == 0, let buffer else {
            throw .cannotEncode(VipsLibrary.takeError())
        }
        defer { qp_free(buffer) }
        return BookImageFile(data: Data(bytes: buffer, count: length), width: Int(outWidth), height: Int(outHeight),
                             bands: Int(qp_image_has_alpha(decoded)) + 3)
    }
}
