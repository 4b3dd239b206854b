import CVips
public import Foundation
import PressCore

/// Makes an image's web variants: decoded once, upright, sRGB, stripped of EXIF/GPS/XMP,
/// resized to each width it reaches and encoded as WebP plus a JPEG (or PNG) fallback.
public struct WebImageProcessor: Sendable {
    public let settings: WebImageSettings

    public init(settings: WebImageSettings = WebImageSettings()) {
        self.settings = settings
    }

    /// The encoded files of one image, by path inside the output folder.
    public struct Result: Sendable {
        public var image: WebImage
        public var files: [String: Data]
    }

    /// `assets/images/factory.jpg` → `assets/images/factory-960.3f2a9c1e5b.webp`: the name carries a hash of
    /// the source's bytes and the settings, so a file of that name never needs making again.
    public func variantPath(sourcePath: String, data: Data, width: Int, format: ImageVariant.Format) -> String {
        Plan(hash: contentHash(data), widths: [width], fallback: .jpeg, sourcePath: sourcePath).path(width: width, format: format)
    }

    public func contentHash(_ data: Data) -> String {
        var fingerprint = Fingerprint()
        fingerprint.add(settings.fingerprintText)
        fingerprint.add(bytes: data)
        return String(String(fingerprint.value, radix: 16).leftPadded(to: 16).prefix(10))
    }

    /// The files an image becomes, known from its header alone: what a build looks for before decoding.
    public struct Plan: Sendable {
        public var hash: String
        public var widths: [Int]
        public var fallback: ImageVariant.Format
        public var sourcePath: String

        public func path(width: Int, format: ImageVariant.Format) -> String {
            "\(WebImageProcessor.stem(of: sourcePath))-\(width).\(hash).\(format.fileExtension)"
        }
        public var paths: [(width: Int, format: ImageVariant.Format, path: String)] {
            widths.flatMap { width in [ImageVariant.Format.webp, fallback].map { (width, $0, path(width: width, format: $0)) } }
        }
    }

    public func plan(sourcePath: String, data: Data, header: ImageHeader) -> Plan {
        // Transparency, charts and GIFs keep a lossless fallback; photos get JPEG.
        let lossless = header.hasAlpha || header.loader.lowercased().contains("png") || header.loader.lowercased().contains("gif")
        return Plan(hash: contentHash(data), widths: targetWidths(for: header.upright.width), fallback: lossless ? .png : .jpeg, sourcePath: sourcePath)
    }

    /// Checks the header, then decodes once and encodes every variant.
    public func process(sourcePath: String, data: Data) throws(ImageError) -> Result {
        let header = try checkedHeader(data)
        let plan = plan(sourcePath: sourcePath, data: data, header: header)
        guard let largest = plan.widths.last, let decoded = data.withUnsafeBytes({ qp_load_web($0.baseAddress, $0.count, Int32(largest)) }) else {
            throw .cannotDecode(VipsLibrary.takeError())
        }
        defer { qp_image_free(decoded) }
        var variants: [ImageVariant] = []
        var files: [String: Data] = [:]
        for (width, format, path) in plan.paths {
            let (bytes, size) = try encode(decoded, width: width, format: format)
            variants.append(ImageVariant(path: path, width: size.width, height: size.height, format: format))
            files[path] = bytes
        }
        return Result(image: WebImage(sourcePath: sourcePath, variants: variants), files: files)
    }

    /// Open Graph's image width, which WeChat and other link previews show.
    public static let openGraphWidth = 1200

    /// An SVG drawn `openGraphWidth` px wide as a JPEG (flattened onto white), named by its content hash:
    /// `assets/images/gear.svg` → `assets/images/gear-1200.3f2a9c1e5b.jpg`.
    public func rasterize(sourcePath: String, data: Data) throws(ImageError) -> (variant: ImageVariant, data: Data) {
        let path = rasterPath(sourcePath: sourcePath, data: data)
        guard let drawn = data.withUnsafeBytes({ qp_rasterize($0.baseAddress, $0.count, Int32(Self.openGraphWidth)) }) else {
            throw .cannotDecode(VipsLibrary.takeError())
        }
        defer { qp_image_free(drawn) }
        let (bytes, size) = try encode(drawn, width: Self.openGraphWidth, format: .jpeg)
        return (ImageVariant(path: path, width: size.width, height: size.height, format: .jpeg), bytes)
    }

    public func rasterPath(sourcePath: String, data: Data) -> String {
        variantPath(sourcePath: sourcePath, data: data, width: Self.openGraphWidth, format: .jpeg)
    }

    /// The header, once it is known to be an image within the pixel limit.
    public func checkedHeader(_ data: Data) throws(ImageError) -> ImageHeader {
        guard let header = ImageHeader.read(data) else {
            throw Self.looksLikeHEIC(data) ? .heicUnsupported : .notAnImage
        }
        guard header.pixels <= settings.pixelLimit else {
            throw .tooManyPixels(width: header.width, height: header.height, limit: settings.pixelLimit)
        }
        return header
    }

    /// The configured widths the image reaches, plus its own width when it is narrower than the largest.
    func targetWidths(for width: Int) -> [Int] {
        var widths = settings.widths.sorted().filter { $0 <= width }
        if widths.last != width, width < (settings.widths.max() ?? width) { widths.append(width) }
        if widths.isEmpty { widths = [width] }
        return widths
    }

    private func encode(_ image: OpaquePointer, width: Int, format: ImageVariant.Format) throws(ImageError) -> (Data, (width: Int, height: Int)) {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        var outWidth: Int32 = 0, outHeight: Int32 = 0
        let code: qp_format
        switch format {
        case .webp: code = QP_WEBP
        case .jpeg: code = QP_JPEG
        case .png: code = QP_PNG
        case .svg: throw .cannotEncode("an SVG is published as it is")
        }
        let quality = format == .webp ? settings.webpQuality : settings.jpegQuality
        guard qp_save_web(image, Int32(width), code, Int32(quality), &buffer, &length, &outWidth, &outHeight) == 0, let buffer else {
            throw .cannotEncode(VipsLibrary.takeError())
        }
        defer { qp_free(buffer) }
        let encoded = Data(bytes: buffer, count: length)
        return (format == .webp ? WebPChunks.strippingMetadata(encoded) : encoded, (Int(outWidth), Int(outHeight)))
    }

    static func stem(of path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return path }
        return String(path[..<dot])
    }

    /// `ftypheic`, `ftypheix`, `ftypmif1` at byte 4: an iPhone photo.
    static func looksLikeHEIC(_ data: Data) -> Bool {
        guard data.count >= 12 else { return false }
        let brand = String(decoding: data[data.startIndex + 4 ..< data.startIndex + 12], as: UTF8.self)
        return ["ftypheic", "ftypheix", "ftypmif1", "ftyphevc"].contains(brand)
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { count >= length ? self : String(repeating: "0", count: length - count) + self }
}
