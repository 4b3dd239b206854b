import Foundation
import PressCore

/// The order of an author-date (著者-出版年制) reference list and its year suffixes, as GB/T 7714-2015 asks:
/// §9.2, entries grouped by language, 中文, 日文, 西文, 俄文, then others, each group by author and year
/// (Chinese by the authors' Hanyu Pinyin); §10.2.3, works of the same authors in the same year told apart
/// by `a`, `b`, `c` after the year, in the list and in the citations.
public enum AuthorDateOrder {
    /// The list order: language group, then the entry's text as the list prints it (authors, year, title),
    /// compared by Pinyin for Chinese and alphabetically otherwise.
    public static func sorted(_ entries: [Entry]) -> [Entry] {
        let formatter = GBT7714(style: .authorDate)
        let keyed = entries.map { entry in (entry, SortKey(entry, text: formatter.format(entry).text)) }
        return keyed.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// `2010a`, `2010b`: a suffix for each entry whose citation (authors as cited, and year) another
    /// listed entry shares, lettered in list order. `sorted` is the list in its order.
    public static func yearSuffixes(_ sorted: [Entry]) -> [String: String] {
        var groups: [String: [String]] = [:]
        var order: [String] = []
        for entry in sorted {
            guard let year = CitationRenderer.year(entry, suffixes: [:]) else { continue }
            let citation = CitationRenderer.label(entry) + "\u{1F}" + year
            if groups[citation] == nil { order.append(citation) }
            if groups[citation]?.contains(entry.key) != true { groups[citation, default: []].append(entry.key) }
        }
        var suffixes: [String: String] = [:]
        for label in order {
            guard let keys = groups[label], keys.count > 1 else { continue }
            for (index, key) in keys.enumerated() { suffixes[key] = letters(index) }
        }
        return suffixes
    }

    /// `a` … `z`, then `aa`, `ab`, … for a 27th work of one author in one year.
    static func letters(_ index: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        return index < 26 ? String(alphabet[index]) : letters(index / 26 - 1) + String(alphabet[index % 26])
    }
}

/// The languages a list in several is grouped by (§9.2), in their order.
enum ListLanguage: Int, Comparable {
    case chinese, japanese, western, russian, other

    /// By the entry's `language` when it has one, else by the script of its authors and title.
    init(_ entry: Entry) {
        let language = entry["language"]?.lowercased() ?? ""
        if let named = Self.named(language) {
            self = named
            return
        }
        let sample = (entry.names("author") + entry.names("editor")).map { NameList.surname($0) }.joined() + (entry["title"] ?? "")
        let scalars = sample.unicodeScalars
        if scalars.contains(where: Self.isKana) {
            self = .japanese
        } else if scalars.contains(where: Self.isHangul) {
            self = .other
        } else if GBT7714.isChinese(entry) {
            self = .chinese
        } else if scalars.contains(where: Self.isCyrillic) {
            self = .russian
        } else if scalars.isEmpty || scalars.contains(where: { $0.properties.isAlphabetic && $0.value < 0x0250 }) {
            self = .western
        } else {
            self = .other
        }
    }

    /// `zh-CN`, `ja`, `ru`, `ko`, and ISO 639-2 codes; nil for none, and for a language whose script says more.
    static func named(_ language: String) -> ListLanguage? {
        let code = language.prefix { $0.isLetter }
        switch code {
        case "": return nil
        case "zh", "chi", "zho", "chinese": return .chinese
        case "ja", "jpn", "japanese": return .japanese
        case "ru", "rus", "russian": return .russian
        case "ko", "kor", "korean": return .other
        default: return code.allSatisfy(\.isASCII) ? .western : nil
        }
    }

    static func < (left: ListLanguage, right: ListLanguage) -> Bool { left.rawValue < right.rawValue }

    static func isKana(_ scalar: Unicode.Scalar) -> Bool { (0x3040...0x30FF).contains(scalar.value) || (0x31F0...0x31FF).contains(scalar.value) }
    static func isHangul(_ scalar: Unicode.Scalar) -> Bool { (0xAC00...0xD7AF).contains(scalar.value) || (0x1100...0x11FF).contains(scalar.value) }
    static func isCyrillic(_ scalar: Unicode.Scalar) -> Bool { (0x0400...0x052F).contains(scalar.value) }
}

/// How one entry sorts: its language group, then its printed text, Chinese spelt in Pinyin.
struct SortKey: Comparable {
    let language: ListLanguage
    /// The text compared: Pinyin without tones for Chinese (`zeng guo fan, 2019. …`), the text itself otherwise.
    let spelled: String
    /// The printed text, to order entries whose spelling is the same (homophones, tones).
    let text: String

    init(_ entry: Entry, text: String) {
        language = ListLanguage(entry)
        self.text = text
        spelled = language == .chinese ? Pinyin.spell(text) : text
    }

    static func < (left: SortKey, right: SortKey) -> Bool {
        if left.language != right.language { return left.language < right.language }
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        switch left.spelled.compare(right.spelled, options: options) {
        case .orderedAscending: return true
        case .orderedDescending: return false
        case .orderedSame: return left.text.compare(right.text, locale: Locale(identifier: "zh_CN")) == .orderedAscending
        }
    }
}

/// Chinese text in Hanyu Pinyin without tones, through ICU's `Han-Latin` transform (Foundation on Linux
/// and macOS). A name's first character is its surname, which some characters read differently: 曾 is
/// `zeng` as a surname, not `ceng`.
enum Pinyin {
    /// Surnames whose reading differs from the character's most common one.
    static let surnames: [Character: String] = [
        "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao",
        "盖": "ge", "覃": "qin", "尉": "yu", "乐": "yue", "缪": "miao", "翟": "zhai", "长": "chang",
    ]

    /// `曾国藩, 2019. …` → `zeng guo fan, 2019. …`: each name of the author list (before the first full stop)
    /// read with its surname's reading.
    static func spell(_ text: String) -> String {
        let authorsEnd = text.range(of: ". ")?.lowerBound ?? text.endIndex
        let names = text[..<authorsEnd].components(separatedBy: ", ").map { name -> String in
            guard let first = name.first, let reading = surnames[first] else { return latin(name) }
            return reading + " " + latin(String(name.dropFirst()))
        }
        return names.joined(separator: ", ") + latin(String(text[authorsEnd...]))
    }

    static func latin(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: TextStatistics.isCJK) else { return text }
        return text.applyingTransform(StringTransform("Han-Latin; Latin-ASCII"), reverse: false) ?? text
    }
}
