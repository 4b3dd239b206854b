import Foundation

/// What GB/T 7714 calls the 文献类型 of an entry: its one-letter code and how its details are laid out.
struct Kind: Equatable {
    enum Layout: Equatable {
        /// A whole work: book, proceedings, thesis, report, standard, web page: `place: publisher, year: page`.
        case monograph
        /// A part of a whole: `title[M]//editors. whole. place: publisher, year: page`.
        case part
        /// `journal, year, volume(issue): page`.
        case article
        /// `newspaper, date(page)`.
        case newspaper
        /// A whole journal: `title[J]. 1957, 1(1)-. place: publisher, 1957-`.
        case serial
        /// `title: number[P]. date`.
        case patent
    }

    var code: String
    var layout: Layout
    /// Standards, patents, reports and official documents carry a number after the title.
    var takesNumber: Bool

    init(code: String, layout: Layout, takesNumber: Bool = false) {
        self.code = code
        self.layout = layout
        self.takesNumber = takesNumber
    }

    init(_ entry: Entry) {
        let hasContainer = entry["container-title"] != nil
        switch entry.type {
        case "article-journal", "article-magazine", "review", "review-book": self.init(code: "J", layout: .article)
        case "periodical": self.init(code: "J", layout: .serial)
        case "article-newspaper": self.init(code: "N", layout: .newspaper)
        case "chapter", "entry", "entry-dictionary", "entry-encyclopedia": self.init(code: "M", layout: .part)
        case "paper-conference": self.init(code: "C", layout: hasContainer ? .part : .monograph)
        case "thesis": self.init(code: "D", layout: .monograph)
        case "report": self.init(code: "R", layout: hasContainer && entry.names("editor").count > 0 ? .part : .monograph, takesNumber: true)
        case "standard": self.init(code: "S", layout: hasContainer ? .part : .monograph, takesNumber: true)
        case "patent": self.init(code: "P", layout: .patent, takesNumber: true)
        case "legislation", "bill", "regulation", "legal_case", "treaty", "hearing":
            self.init(code: "A", layout: .monograph, takesNumber: true)
        case "collection", "manuscript", "archive": self.init(code: "A", layout: .monograph)
        case "webpage", "post", "post-weblog": self.init(code: "EB", layout: .monograph)
        case "dataset": self.init(code: "DS", layout: .monograph)
        case "software": self.init(code: "CP", layout: .monograph)
        case "map": self.init(code: "CM", layout: .monograph)
        case "database": self.init(code: "DB", layout: .monograph)
        case "book", "classic", "graphic", "pamphlet": self.init(code: Self.bookCode(entry), layout: .monograph)
        default: self.init(code: "Z", layout: hasContainer ? .part : .monograph)
        }
    }

    /// Zotero exports proceedings and collected papers as `book`. A book without authors, made by editors,
    /// is a proceedings volume `[C]` when it records a meeting (an `event-date`, `event-title`, or a title
    /// naming one: 会议, 研讨会, Proceedings, Conference, Symposium) and a compilation `[G]` when its title
    /// says it collects papers (论文集, 文集, 汇编); otherwise it is a monograph `[M]`.
    static func bookCode(_ entry: Entry) -> String {
        guard entry.names("author").isEmpty, !entry.names("editor").isEmpty else { return "M" }
        let title = entry["title"] ?? ""
        if entry.dates["event-date"] != nil || entry["event-title"] != nil || entry["event"] != nil
            || title.range(of: meetingWords, options: [.regularExpression, .caseInsensitive]) != nil {
            return "C"
        }
        if title.range(of: "论文集|文集|汇编|选编", options: .regularExpression) != nil { return "G" }
        return "M"
    }

    static let meetingWords = "会议|研讨会|年会|学术会|proceedings|conference|symposium|workshop|congress"
}
