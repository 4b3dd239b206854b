/// Why an image cannot be published, in words for the person who added it.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnImage
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case cannotDecode(String)
    case cannotEncode(String)
    case heicUnsupported

    public var description: String {
        switch self {
        case .notAnImage:
            return "not an image libvips can read (is the file name's extension right?)"
        case .tooManyPixels(let width, let height, let limit):
            return "\(width)×\(height) pixels is more than the limit of \(limit / 1_000_000) MP "
                + "(image_pixel_limit in site.yml); refused before decoding"
        case .cannotDecode(let message):
            return "cannot decode the image (corrupt or truncated?): \(message)"
        case .cannotEncode(let message):
            return "cannot encode the image: \(message)"
        case .heicUnsupported:
            return "this libvips cannot decode HEIC; convert it first, e.g. `heif-convert photo.heic photo.jpg` (Debian libheif-examples)"
        }
    }
}
