import PressCore
public import PressModel

/// Turns site routes (`/stories/精益求精/`) into the links we write: prefixed with the base
/// path and percent-encoded; and into absolute URLs for feeds, sitemaps and Open Graph.
public struct SiteURLs: Sendable {
    public let basePath: String
    public let origin: String

    public init(config: SiteConfig) {
        basePath = config.basePath.hasSuffix("/") ? config.basePath : config.basePath + "/"
        origin = config.origin
    }

    /// `/stories/x/` → `/quality/stories/x/`, percent-encoded.
    public func href(_ route: String) -> String {
        URLPath.encode(basePath + route.drop(while: { $0 == "/" }))
    }

    public func absolute(_ route: String) -> String { origin + href(route) }

    /// Where a route's HTML file goes in the output folder: `stories/x/index.html`.
    public static func outputPath(_ route: String) -> String {
        let trimmed = route.drop(while: { $0 == "/" })
        if trimmed.isEmpty { return "index.html" }
        return trimmed.hasSuffix("/") ? trimmed + "index.html" : String(trimmed)
    }

    public static func tagRoute(_ tag: String) -> String {
        let slug = Slug.make(tag)
        return "/tags/\(slug.isEmpty ? "tag" : slug)/"
    }

    /// `/stories/` for page 1, `/stories/page/2/` after.
    public static func listRoute(_ section: String, page: Int) -> String {
        page <= 1 ? "/\(section)/" : "/\(section)/page/\(page)/"
    }
}
