import PressCore
import PressImages
import PressMarkdown

/// The site's processed images, as pages show them: a link or `![…](…)` to an image source becomes its
/// variants, in `<picture>` with WebP and a JPEG/PNG fallback, sized so the page does not shift as it loads.
struct SiteImages: Sendable {
    /// By the source's output path, `assets/images/factory.jpg`.
    let byPath: [String: WebImage]
    /// By the URL a resolved link to the source gets (its largest fallback).
    let byHref: [String: WebImage]
    let urls: SiteURLs

    /// Up to the text column's width (`.wrap`, 48 rem) on large screens, the screen's width on phones.
    static let sizes = "(max-width: 48rem) 100vw, 48rem"

    init(_ images: [String: WebImage], urls: SiteURLs) {
        byPath = images
        self.urls = urls
        var byHref: [String: WebImage] = [:]
        for image in images.values {
            if let largest = image.fallbacks.last { byHref[urls.href("/" + largest.path)] = image }
        }
        self.byHref = byHref
    }

    /// What a link to the source (`assets/images/factory.jpg`) points at instead: the largest fallback.
    func href(forSource path: String) -> String? {
        byPath[path]?.fallbacks.last.map { urls.href("/" + $0.path) }
    }

    func srcset(_ variants: [ImageVariant]) -> String {
        variants.map { "\(urls.href("/" + $0.path)) \($0.width)w" }.joined(separator: ", ")
    }

    /// The `<picture>` for a Markdown image whose link was resolved to a processed image; nil for any other.
    func markup(_ image: MarkdownImage) -> String? {
        guard let web = byHref[image.url], let fallback = web.fallback(atLeast: 960) else { return nil }
        let alt = HTMLEscaping.attribute(image.alt)
        // The first image is usually in view when the page opens: loading it lazily would only delay it.
        let loading = image.isFirst ? "" : " loading=\"lazy\""
        if web.webp.isEmpty {  // An SVG: the drawing itself, sized.
            return "<img src=\"\(urls.href("/" + fallback.path))\" width=\"\(web.width)\" height=\"\(web.height)\" alt=\"\(alt)\"\(loading) decoding=\"async\">"
        }
        return "<picture><source type=\"image/webp\" srcset=\"\(srcset(web.webp))\" sizes=\"\(Self.sizes)\">"
            + "<img src=\"\(urls.href("/" + fallback.path))\" srcset=\"\(srcset(web.fallbacks))\" sizes=\"\(Self.sizes)\" "
            + "width=\"\(web.width)\" height=\"\(web.height)\" alt=\"\(alt)\"\(loading) decoding=\"async\"></picture>"
    }

    /// The site path a root-relative or written URL names, when it is a processed image's source.
    func sourcePath(ofRootRelative url: String) -> String? {
        let path = url.hasPrefix(urls.basePath) ? String(url.dropFirst(urls.basePath.count)) : String(url.drop(while: { $0 == "/" }))
        let decoded = path.removingPercentEncoding ?? path
        return byPath[decoded] != nil ? decoded : nil
    }
}
