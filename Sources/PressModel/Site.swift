import Foundation
import PressCore

public struct NavigationItem: Sendable, Hashable {
    public var title: String
    public var url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// `link_check:` in `site.yml`: how external links are checked.
public struct LinkCheckConfig: Sendable, Equatable {
    /// URLs matching these patterns (`*` matches anything) are not checked.
    public var exclude: [String]
    /// Status codes accepted besides 2xx (e.g. 403 for sites that refuse robots).
    public var accept: [Int]
    /// Seconds per request.
    public var timeout: Int
    /// Hours a successful check is remembered.
    public var cacheHours: Int

    public init(exclude: [String] = [], accept: [Int] = [], timeout: Int = 10, cacheHours: Int = 24) {
        self.exclude = exclude
        self.accept = accept
        self.timeout = timeout
        self.cacheHours = cacheHours
    }
}

/// `Content/site.yml`.
public struct SiteConfig: Sendable {
    public var title: String
    public var description: String
    /// Absolute, ends with `/`: `https://quality.example.org/`.
    public var baseURL: String
    public var language: String
    public var organisation: String
    /// ICP 备案号, shown in the footer when present.
    public var icp: String?
    /// List pages hold this many entries before paginating.
    public var perPage: Int
    /// Raw HTML in Markdown is escaped unless this is true.
    public var unsafeHTML: Bool
    public var navigation: [NavigationItem]
    public var linkCheck: LinkCheckConfig
    /// Write the search index and the search page (`search: false` in `site.yml` turns them off).
    public var search = true
    /// `citation_style`: `numeric` (顺序编码制, the default) or `author-date` (著者-出版年制).
    public var citationStyle = "numeric"
    /// Images with more pixels are refused before decoding (`image_pixel_limit` in megapixels, default 100).
    public var imagePixelLimit = 100_000_000

    public init(title: String, description: String = "", baseURL: String = "/", language: String = "zh-CN",
                organisation: String = "", icp: String? = nil, perPage: Int = 10, unsafeHTML: Bool = false,
                navigation: [NavigationItem] = [], linkCheck: LinkCheckConfig = LinkCheckConfig()) {
        self.title = title
        self.description = description
        self.baseURL = baseURL
        self.language = language
        self.organisation = organisation
        self.icp = icp
        self.perPage = perPage
        self.unsafeHTML = unsafeHTML
        self.navigation = navigation
        self.linkCheck = linkCheck
    }

    /// The path part of the base URL (`/` or `/quality/`): every link we write starts with it,
    /// so a site can live below a host's root.
    public var basePath: String {
        guard let schemeEnd = baseURL.range(of: "://") else {
            return baseURL.hasPrefix("/") ? baseURL : "/" + baseURL
        }
        let afterScheme = baseURL[schemeEnd.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
        return String(afterScheme[slash...])
    }

    /// `https://host` without the path.
    public var origin: String {
        let path = basePath
        guard baseURL.contains("://"), baseURL.hasSuffix(path) else { return "" }
        return String(baseURL.dropLast(path.count))
    }
}

/// A file copied as it is into the output (images, CSS, fonts of the site or theme).
public struct StaticFile: Sendable, Hashable {
    /// Absolute path on disk.
    public var sourceFile: String
    /// Path under the output folder, e.g. `assets/images/gear.svg`.
    public var outputPath: String

    public init(sourceFile: String, outputPath: String) {
        self.sourceFile = sourceFile
        self.outputPath = outputPath
    }
}

/// Everything loaded from `Content/`, validated, drafts already filtered.
public struct Site: Sendable {
    public var config: SiteConfig
    public var stories: [BrandStory]
    public var papers: [Paper]
    public var pages: [Page]
    /// Newest campaign first.
    public var slogans: [SloganSet]
    public var staticFiles: [StaticFile]
    /// Books made from the content (`Content/anthologies/*.yml`), by name.
    public var anthologies: [AnthologyManifest]
    /// The site's root folder on disk, to read bibliography files from.
    public var root: String?
    /// `Content/references.json`, `.bib` or `.ris`: entries every paper may cite.
    public var references: [BibliographySource] = []

    public init(config: SiteConfig, stories: [BrandStory], papers: [Paper], pages: [Page],
                slogans: [SloganSet], staticFiles: [StaticFile], anthologies: [AnthologyManifest] = []) {
        self.config = config
        self.stories = stories
        self.papers = papers
        self.pages = pages
        self.slogans = slogans
        self.staticFiles = staticFiles
        self.anthologies = anthologies
    }

    /// Every Markdown document's header, stories first, then papers, then pages.
    public var headers: [DocumentHeader] {
        stories.map(\.header) + papers.map(\.header) + pages.map(\.header)
    }

    /// Source path (relative to `Content/`, e.g. `papers/x.md`) → route, for resolving links between documents.
    public var routesBySource: [String: String] {
        var routes: [String: String] = [:]
        routes.reserveCapacity(stories.count + papers.count + pages.count)
        // By index, not through `headers`, which copies every header first.
        for index in stories.indices { routes[stories[index].header.contentRelativePath] = stories[index].header.route }
        for index in papers.indices { routes[papers[index].header.contentRelativePath] = papers[index].header.route }
        for index in pages.indices { routes[pages[index].header.contentRelativePath] = pages[index].header.route }
        return routes
    }
}

extension DocumentHeader {
    /// `stories/gear.md`: the source path below `Content/`, as authors write it in links.
    public var contentRelativePath: String {
        sourcePath.hasPrefix("Content/") ? String(sourcePath.dropFirst("Content/".count)) : sourcePath
    }
}
