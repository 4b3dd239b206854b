/// One encoded size of an image for the web.
public struct ImageVariant: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// `svg`: a drawing published as it is, its one "variant" the source itself.
        case webp, jpeg, png, svg
        public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
    }

    /// Path inside the output folder, e.g. `assets/images/factory-960.3f2a9c1e5b.webp`.
    public var path: String
    public var width: Int
    public var height: Int
    public var format: Format

    public init(path: String, width: Int, height: Int, format: Format) {
        self.path = path
        self.width = width
        self.height = height
        self.format = format
    }
}

/// An image as the website publishes it: WebP variants with a JPEG or PNG fallback of each width.
public struct WebImage: Sendable, Equatable {
    /// The source's path inside the site's content, e.g. `assets/images/factory.jpg`.
    public var sourcePath: String
    public var variants: [ImageVariant]
    /// An SVG story cover's JPEG, 1200 px wide, for where a drawing cannot go: WeChat shows no SVG as `og:image`.
    public var raster: ImageVariant? = nil

    /// The largest variant's size: the `width` and `height` a page gives its `<img>`.
    public var width: Int { fallbacks.last?.width ?? 0 }
    public var height: Int { fallbacks.last?.height ?? 0 }

    public var webp: [ImageVariant] { variants.filter { $0.format == .webp } }
    /// JPEG (photos) or PNG (anything with transparency, charts), smallest first; an SVG's own file.
    public var fallbacks: [ImageVariant] { variants.filter { $0.format != .webp } }
    /// The variant nearest `width` without being narrower, else the largest: Open Graph wants 1200.
    public func fallback(atLeast width: Int) -> ImageVariant? {
        fallbacks.first(where: { $0.width >= width }) ?? fallbacks.last
    }
    /// What `og:image` shows: a raster image about 1200 px wide (an SVG's own JPEG).
    public var openGraph: ImageVariant? { raster ?? fallback(atLeast: WebImageProcessor.openGraphWidth) }
}
