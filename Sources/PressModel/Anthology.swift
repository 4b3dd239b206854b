/// A printed book's trim size (成品尺寸), in millimetres.
public struct TrimSize: Sendable, Hashable, CustomStringConvertible {
    /// What the manifest said: `16开`, `A4`, `185×260`.
    public var name: String
    public var width: Double
    public var height: Double

    public init(name: String, width: Double, height: Double) {
        self.name = name
        self.width = width
        self.height = height
    }

    /// The named sizes a manifest may use, as Chinese printers understand them.
    public static let named: [String: TrimSize] = [
        "A4": TrimSize(name: "A4", width: 210, height: 297),
        "A5": TrimSize(name: "A5", width: 148, height: 210),
        "B5": TrimSize(name: "B5", width: 176, height: 250),
        "16开": TrimSize(name: "16开", width: 185, height: 260),
        "大16开": TrimSize(name: "大16开", width: 210, height: 285),
        "32开": TrimSize(name: "32开", width: 130, height: 184),
        "大32开": TrimSize(name: "大32开", width: 140, height: 203),
    ]

    /// `16开`, `A4`, or explicit `185×260` / `185x260 mm`; nil when it is none of these.
    public static func parse(_ text: String) -> TrimSize? {
        let compact = text.filter { !$0.isWhitespace }
        if let named = named[compact] ?? named[compact.uppercased()] { return named }
        var numbers = compact.lowercased()
        if numbers.hasSuffix("mm") { numbers.removeLast(2) }
        let parts = numbers.split(whereSeparator: { $0 == "x" || $0 == "×" || $0 == "*" })
        guard parts.count == 2, let width = Double(parts[0]), let height = Double(parts[1]),
              (50...600).contains(width), (50...600).contains(height) else { return nil }
        return TrimSize(name: "\(Self.format(width))×\(Self.format(height)) mm", width: width, height: height)
    }

    /// `185 mm × 260 mm`
    public var description: String { "\(Self.format(width)) mm × \(Self.format(height)) mm" }

    public static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// Where a book puts footnotes.
public enum NotePlacement: String, Sendable, CaseIterable {
    /// At the foot of the page that calls them (页下注).
    case page
    /// At the end of each article (文末注; a paper's 参考文献).
    case end
}

/// Markdown written for the book itself (preface, an appendix), not a page of the website.
public struct AnthologyText: Sendable {
    /// Path relative to the site root, e.g. `Content/anthologies/story-collection-preface.md`.
    public var sourcePath: String
    public var title: String
    /// 落款: who signs a preface, and when (free text such as `2020年9月`).
    public var signature: String?
    public var date: String?
    public var body: String
    public var bodyFirstLine: Int

    public init(sourcePath: String, title: String, signature: String?, date: String?, body: String, bodyFirstLine: Int) {
        self.sourcePath = sourcePath
        self.title = title
        self.signature = signature
        self.date = date
        self.body = body
        self.bodyFirstLine = bodyFirstLine
    }

    /// `anthologies/x.md`, the path links in it are relative to.
    public var contentRelativePath: String {
        sourcePath.hasPrefix("Content/") ? String(sourcePath.dropFirst("Content/".count)) : sourcePath
    }
}

/// 篇: a titled group of stories or papers, in reading order.
public struct AnthologySection: Sendable {
    public var title: String
    /// Documents by source path below `Content/` (`stories/gear-30-years.md`), already chosen and ordered.
    public var documents: [String]

    public init(title: String, documents: [String]) {
        self.title = title
        self.documents = documents
    }
}

public struct AnthologyAppendix: Sendable {
    public enum Content: Sendable {
        case slogans([SloganSet])
        case text(AnthologyText)
    }
    public var title: String
    public var content: Content

    public init(title: String, content: Content) {
        self.title = title
        self.content = content
    }
}

/// One part of a book, in the order the manifest lists them.
public enum AnthologyPart: Sendable {
    /// 封面
    case cover
    /// 扉页: title, subtitle, editor and publisher on a right-hand page.
    case halfTitle
    /// 版权页: CIP data, ISBN, trim size, edition.
    case copyright
    /// 前言 / 序
    case preface(AnthologyText)
    /// 目录, with the given heading.
    case contents(title: String)
    case section(AnthologySection)
    case appendix(AnthologyAppendix)
    /// 作者索引: every paper author with the pages of their papers.
    case authorIndex(title: String)
}

/// `Content/anthologies/<name>.yml`: how to make one book from the site's content.
public struct AnthologyManifest: Sendable {
    /// The file name without `.yml`; names the output folder and files.
    public var name: String
    /// `Content/anthologies/<name>.yml`, for diagnostics.
    public var sourcePath: String
    public var title: String
    public var subtitle: String?
    /// 编者, e.g. `中国机械工业质量管理协会 编`.
    public var editor: String?
    public var publisher: String
    public var year: Int?
    public var isbn: String?
    /// 图书在版编目（CIP）数据, as the CIP office wrote it; printed on the copyright page.
    public var cip: String?
    /// 版次, e.g. `2020年11月第1版　2020年11月第1次印刷`.
    public var edition: String?
    public var language: String
    public var trim: TrimSize
    /// Millimetres added around every page for the printer to cut; 0 when off.
    public var bleed: Double
    public var cropMarks: Bool
    public var notes: NotePlacement
    public var parts: [AnthologyPart]
    /// `citation_style` for the papers' citations in this book; nil: the site's.
    public var citationStyle: String?
    /// Pages per printed sheet fold (印张的页数): the PDF is padded with blank pages to a multiple of it.
    public var signature: Int = 4
    /// The CMYK ICC profile of the press (the PDF/X-4 OutputIntent); absolute, or relative to the site root.
    public var colorProfile: String = AnthologyManifest.defaultColorProfile
    /// 宋体 of the body text and 黑体 of the headings: font family names fontconfig knows.
    public var bodyFont: String = AnthologyManifest.defaultBodyFont
    public var headingFont: String = AnthologyManifest.defaultHeadingFont
    /// The cover's photo below `Content/` (`assets/images/cover.jpg`): full bleed on the printed cover, the
    /// EPUB's `cover-image`, and the web edition's first picture.
    public var cover: String?
    /// Images too coarse for the press fail the build instead of warning.
    public var strict = false
    /// `margins`: the body pages' margins, over the print stylesheet's; nil: the stylesheet's.
    public var margins: PageMargins?

    /// Ghostscript's CMYK output profile, from Debian's `libgs-common` (installed with `ghostscript`).
    public static let defaultColorProfile = "/usr/share/color/icc/ghostscript/default_cmyk.icc"
    public static let defaultBodyFont = "Noto Serif CJK SC"
    public static let defaultHeadingFont = "Noto Sans CJK SC"

    public init(name: String, sourcePath: String, title: String, subtitle: String? = nil, editor: String? = nil,
                publisher: String, year: Int? = nil, isbn: String? = nil, cip: String? = nil, edition: String? = nil,
                language: String = "zh-CN", trim: TrimSize, bleed: Double = 3, cropMarks: Bool = true,
                notes: NotePlacement = .page, parts: [AnthologyPart]) {
        self.name = name
        self.sourcePath = sourcePath
        self.title = title
        self.subtitle = subtitle
        self.editor = editor
        self.publisher = publisher
        self.year = year
        self.isbn = isbn
        self.cip = cip
        self.edition = edition
        self.language = language
        self.trim = trim
        self.bleed = bleed
        self.cropMarks = cropMarks
        self.notes = notes
        self.parts = parts
    }

    public var sections: [AnthologySection] {
        parts.compactMap { if case .section(let section) = $0 { return section } else { return nil } }
    }

    /// Every document of the book, in reading order.
    public var documents: [String] { sections.flatMap(\.documents) }
}
