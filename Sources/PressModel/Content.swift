public import PressCore

/// The kinds of content a site holds, each in its own folder under `Content/`.
public enum ContentKind: String, Sendable, Codable, CaseIterable {
    case story = "stories"
    case paper = "papers"
    case page = "pages"

    /// The folder name under `Content/`, which is also the URL section.
    public var folder: String { rawValue }

    public var displayName: String {
        switch self {
        case .story: return "品牌故事"
        case .paper: return "管理论文"
        case .page: return "页面"
        }
    }
}

/// What every Markdown document has, whatever its kind.
public struct DocumentHeader: Sendable, Codable {
    public var kind: ContentKind
    /// Path relative to the site root, e.g. `Content/stories/gear.md`; used in diagnostics.
    public var sourcePath: String
    public var slug: String
    public var title: String
    public var date: CalendarDate?
    public var tags: [String]
    public var summary: String?
    public var draft: Bool
    /// The Markdown after the front matter, and the line of the file it starts on.
    public var body: String
    public var bodyFirstLine: Int

    public init(kind: ContentKind, sourcePath: String, slug: String, title: String, date: CalendarDate?,
                tags: [String], summary: String?, draft: Bool, body: String, bodyFirstLine: Int) {
        self.kind = kind
        self.sourcePath = sourcePath
        self.slug = slug
        self.title = title
        self.date = date
        self.tags = tags
        self.summary = summary
        self.draft = draft
        self.body = body
        self.bodyFirstLine = bodyFirstLine
    }

    /// Site path of the page, `/stories/<slug>/`, before percent-encoding and base path.
    public var route: String { "/\(kind.folder)/\(slug)/" }

    func hasSameFieldsButBody(as other: DocumentHeader) -> Bool {
        kind == other.kind && sourcePath == other.sourcePath && slug == other.slug && title == other.title && date == other.date
            && tags == other.tags && summary == other.summary && draft == other.draft
    }
}

/// 质量品牌故事: a member company's account of how it built quality into its brand.
public struct BrandStory: Sendable, Codable {
    public var header: DocumentHeader
    public var company: String
    public var author: String
    public var industry: String
    public var cover: String?

    public init(header: DocumentHeader, company: String, author: String, industry: String, cover: String?) {
        self.header = header
        self.company = company
        self.author = author
        self.industry = industry
        self.cover = cover
    }
}

public struct PaperAuthor: Sendable, Hashable, Codable {
    public var name: String
    public var affiliation: String

    public init(name: String, affiliation: String) {
        self.name = name
        self.affiliation = affiliation
    }
}

/// A bibliography file a paper cites from (`bibliography:` in its front matter) or the site-wide
/// `Content/references.*`: its path relative to the site root, and where it was named.
public struct BibliographySource: Sendable, Hashable, Codable {
    public var path: String
    public var location: SourceLocation?

    public init(path: String, location: SourceLocation? = nil) {
        self.path = path
        self.location = location
    }
}

/// 质量管理论文: a paper with authors, abstract and keywords; references are footnotes, or citations
/// `[@key]` of entries in its bibliography files.
public struct Paper: Sendable, Codable {
    public var header: DocumentHeader
    public var authors: [PaperAuthor]
    public var abstract: String
    public var keywords: [String]
    public var bibliography: [BibliographySource] = []

    public init(header: DocumentHeader, authors: [PaperAuthor], abstract: String, keywords: [String]) {
        self.header = header
        self.authors = authors
        self.abstract = abstract
        self.keywords = keywords
    }
}

/// A free page, such as a notice with its document number (文号) and issuing bodies.
public struct Page: Sendable, Codable {
    public var header: DocumentHeader
    public var documentNumber: String?
    public var issuers: [String]

    public init(header: DocumentHeader, documentNumber: String?, issuers: [String]) {
        self.header = header
        self.documentNumber = documentNumber
        self.issuers = issuers
    }
}

/// A Markdown document of any kind.
public enum Document: Sendable {
    case story(BrandStory)
    case paper(Paper)
    case page(Page)

    public var header: DocumentHeader {
        switch self {
        case .story(let story): return story.header
        case .paper(let paper): return paper.header
        case .page(let page): return page.header
        }
    }

    /// Whether every field but the body (and the line it starts on) equals `other`'s: the values lists, feeds and
    /// tag pages can show (`IndexPlanKey`). Editing a document's text alone leaves them so.
    public func hasSameFieldsButBody(as other: Document) -> Bool {
        guard header.hasSameFieldsButBody(as: other.header) else { return false }
        switch (self, other) {
        case (.story(let a), .story(let b)):
            return a.company == b.company && a.author == b.author && a.industry == b.industry && a.cover == b.cover
        case (.paper(let a), .paper(let b)):
            return a.authors == b.authors && a.abstract == b.abstract && a.keywords == b.keywords && a.bibliography == b.bibliography
        case (.page(let a), .page(let b)):
            return a.documentNumber == b.documentNumber && a.issuers == b.issuers
        default:
            return false
        }
    }

    /// `header.sourcePath`, without copying the header first: an edit reads it for each of 10,000 documents.
    public var sourcePath: String {
        switch self {
        case .story(let story): return story.header.sourcePath
        case .paper(let paper): return paper.header.sourcePath
        case .page(let page): return page.header.sourcePath
        }
    }
}

/// The campaign theme and its numbered slogans (活动口号).
public struct SloganSet: Sendable {
    public var title: String
    public var year: Int?
    public var theme: String
    public var source: String?
    public var slogans: [String]

    public init(title: String, year: Int?, theme: String, source: String?, slogans: [String]) {
        self.title = title
        self.year = year
        self.theme = theme
        self.source = source
        self.slogans = slogans
    }
}
