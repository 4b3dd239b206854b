import Foundation
import PressCore

/// 顺序编码制 (numbered in order of citation) or 著者-出版年制 (author and year).
public enum CitationStyle: String, Sendable, CaseIterable {
    case numeric
    case authorDate = "author-date"
}

/// Formats entries as GB/T 7714-2015 《信息与文献 参考文献著录规则》 prints them.
///
/// Chinese entries (by `language`, else by script) get Chinese conventions (`等`, `2 版`, `译`,
/// `[出版地不详]`); others get Western ones (`et al.`, `2nd ed.`, `[S.l.]`). Punctuation is half-width,
/// each mark followed by a space, as in the standard's examples.
public struct GBT7714: Sendable {
    public var style: CitationStyle
    /// Author-date: `a`, `b`, … after the year of works by the same authors in the same year, by key
    /// (`AuthorDateOrder.yearSuffixes`).
    public var yearSuffixes: [String: String]

    public init(style: CitationStyle = .numeric, yearSuffixes: [String: String] = [:]) {
        self.style = style
        self.yearSuffixes = yearSuffixes
    }

    public func format(_ entry: Entry) -> FormattedEntry {
        let context = Context(entry: entry, style: style, yearSuffix: yearSuffixes[entry.key] ?? "")
        var sentences = SentenceBuilder()
        switch context.kind.layout {
        case .part: context.part(into: &sentences)
        case .article: context.article(into: &sentences)
        case .newspaper: context.newspaper(into: &sentences)
        case .serial: context.serial(into: &sentences)
        case .patent: context.patent(into: &sentences)
        case .monograph: context.monograph(into: &sentences)
        }
        context.links(into: &sentences)
        return sentences.finished()
    }

    /// Whether the entry is written in Chinese: its `language` if it has one, else its title's script.
    public static func isChinese(_ entry: Entry) -> Bool {
        if let language = entry["language"]?.lowercased() {
            if ["zh", "chi", "chinese", "中文", "汉语", "ja", "jpn", "ko", "kor"].contains(where: { language.hasPrefix($0) }) { return true }
            if language.first?.isLetter == true, language.unicodeScalars.allSatisfy(\.isASCII) { return false }
        }
        let sample = [entry["title"], entry["container-title"]].compactMap { $0 }.joined()
            + entry.names("author").compactMap { $0.literal ?? $0.family }.joined()
        return sample.unicodeScalars.contains(where: TextStatistics.isCJK)
    }
}

/// One entry being formatted, with what every part needs to know.
struct Context {
    let entry: Entry
    let style: CitationStyle
    let chinese: Bool
    let kind: Kind
    /// `a` in `2010a` (author-date only).
    let yearSuffix: String

    init(entry: Entry, style: CitationStyle, yearSuffix: String = "") {
        self.entry = entry
        self.style = style
        self.yearSuffix = yearSuffix
        chinese = GBT7714.isChinese(entry)
        kind = Kind(entry)
    }

    /// `/OL` marks a resource read online, i.e. one with a URL; a DOI alone is printed but is not one.
    var online: Bool { entry["URL"] != nil }

    /// `[M]`, `[J/OL]`, …
    var typeCode: String { "[\(kind.code)\(online ? "/OL" : "")]" }

    /// First sentence: `陈登原` (numeric) or `陈登原, 2000` (author-date); nothing when there is no author.
    func creators(_ role: [String]) -> String? {
        let people = role.lazy.map { entry.names($0) }.first { !$0.isEmpty } ?? []
        let list = NameList.format(people, chinese: chinese)
        guard style == .authorDate else { return list }
        return "\(list ?? (chinese ? "佚名" : "Anon")), \(yearText.map { $0 + yearSuffix } ?? (chinese ? "出版年不详" : "n.d."))"
    }

    /// The title with what GB/T 7714 writes inside the title area: the volume of a book (`国史旧闻: 第 1 卷`),
    /// the number of a standard, patent or report (`…: GB/T 25100—2010`), the meeting of proceedings.
    func titleArea() -> String {
        var title = entry["title"] ?? ""
        if kind.layout == .monograph, kind.code != "J", let volume = entry["volume"] { title += ": " + volume }
        if kind.takesNumber, let number = entry["number"] { title += ": " + number }
        if kind.code == "C", kind.layout == .monograph, let meeting = meeting(placeFirst: true) { title += ", " + meeting }
        return title + typeCode
    }

    /// `Moscow, Russia, February 1–4, 2000` in a proceedings title; `August 23–25, 1971, Los Angeles` after a
    /// host book's title, as the standard's examples write them. Only when the entry has an `event-date`.
    func meeting(placeFirst: Bool) -> String? {
        guard let date = entry.dates["event-date"] else { return nil }
        let when = DateText.event(date, chinese: chinese)
        guard let place = entry["event-place"] else { return when }
        return placeFirst ? "\(place), \(when)" : "\(when), \(place)"
    }

    var yearText: String? {
        guard let issued = entry.dates["issued"] else { return nil }
        return issued.literal ?? issued.year.map(String.init)
    }

    /// `3 版`, `4th ed.`; a first edition is not recorded; words (`刻本`, `Rev. ed.`) are kept.
    var edition: String? {
        guard let raw = entry["edition"]?.trimmingSpaces, !raw.isEmpty else { return nil }
        if let number = Int(raw) {
            guard number > 1 else { return nil }
            return chinese ? "\(number) 版" : "\(number)\(DateText.ordinalSuffix(number)) ed."
        }
        if raw.range(of: #"^\d+(st|nd|rd|th)$"#, options: .regularExpression) != nil { return raw + " ed." }
        return raw
    }

    /// `谢远涛, 译`; more than three translators: `潘惠霞, 魏婧, 杨艳, 等译`.
    var translators: String? {
        let people = entry.names("translator")
        guard !people.isEmpty else { return nil }
        let (names, more) = NameList.shortened(people)
        let list = names.map { NameList.format($0, chinese: chinese) }.joined(separator: ", ")
        if chinese { return list + (more ? ", 等译" : ", 译") }
        return list + (more ? ", et al., trans" : ", trans")
    }

    /// `. http://…. DOI:10.…`; a DOI already spelled out in the URL is not repeated.
    func links(into sentences: inout SentenceBuilder) {
        if let url = entry["URL"] { sentences.add([.link(url, href: url)]) }
        if let doi = entry["DOI"], !(entry["URL"]?.lowercased().contains(doi.lowercased()) ?? false) {
            sentences.add([.text("DOI:"), .link(doi, href: "https://doi.org/" + doi)])
        }
    }
}
