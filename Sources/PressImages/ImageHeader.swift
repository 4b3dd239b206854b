import CVips
public import Foundation

/// What an image's header says, read without decoding a pixel.
public struct ImageHeader: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var bands: Int
    public var pages: Int
    /// EXIF orientation, 1 when absent; 5–8 swap width and height once applied.
    public var orientation: Int
    public var bitsPerChannel: Int
    public var hasAlpha: Bool
    public var hasICCProfile: Bool
    public var isCMYK: Bool
    public var isGrey: Bool
    /// libvips' loader, e.g. `jpegload_buffer`.
    public var loader: String

    public var pixels: Int { width * height * max(pages, 1) }
    /// Width and height as the image is seen, upright.
    public var upright: (width: Int, height: Int) { orientation >= 5 ? (height, width) : (width, height) }

    /// Reads the header of an encoded image; nil when libvips knows no such format.
    public static func read(_ data: Data) -> ImageHeader? {
        guard VipsLibrary.started else { return nil }
        var info = qp_image_info()
        let status = data.withUnsafeBytes { qp_probe($0.baseAddress, $0.count, &info) }
        guard status == 0 else {
            _ = VipsLibrary.takeError()
            return nil
        }
        let loader = withUnsafeBytes(of: info.loader) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        return ImageHeader(width: Int(info.width), height: Int(info.height), bands: Int(info.bands), pages: Int(info.pages),
                           orientation: Int(info.orientation), bitsPerChannel: Int(info.bits), hasAlpha: info.has_alpha != 0,
                           hasICCProfile: info.has_icc != 0, isCMYK: info.is_cmyk != 0, isGrey: info.is_grey != 0, loader: loader)
    }
}
