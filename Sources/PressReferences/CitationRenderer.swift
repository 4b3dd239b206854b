import Foundation
public import PressCore

public enum CitationSegment: Sendable, Hashable {
    case text(String)
    case html(String)

    /// What the segment reads as, for search: a citation's HTML without its tags (`[1-3]`, `（张建国 等，2019）`).
    public var text: String {
        switch self {
        case .text(let text): return text
        case .html(let html):
            var text = ""
            var inTag = false
            for character in html {
                switch character {
                case "<": inTag = true
                case ">" where inTag: inTag = false
                default: if !inTag { text.append(character) }
                }
            }
            // The renderer escapes only these (`HTMLEscaping.text`); `&amp;` last, so `&amp;lt;` stays `&lt;`.
            return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&amp;", with: "&")
        }
    }
}

/// Turns the citations of one document into HTML and makes its reference list. Numbers are given in
/// order of first citation and kept when an entry is cited again; an uncited entry is not listed.
/// Ids carry `idPrefix`, so the papers of a book each have their own numbers and anchors.
public struct CitationRenderer {
    public let bibliography: Bibliography
    public let style: CitationStyle
    public let idPrefix: String
    /// Keys in order of first citation.
    public private(set) var cited: [String] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// False when a bibliography file of the document could not be read: its error explains the keys it held.
    public var reportsUnknownKeys = true
    /// Author-date: `a`, `b`, … after the year, by key, for works by the same authors in the same year.
    public private(set) var yearSuffixes: [String: String] = [:]
    private var numbers: [String: Int] = [:]
    private var firstCall: [String: Int] = [:]
    private var calls = 0

    public init(bibliography: Bibliography, style: CitationStyle = .numeric, idPrefix: String = "") {
        self.bibliography = bibliography
        self.style = style
        self.idPrefix = idPrefix
    }

    /// Author-date: letters the years of works by the same authors in the same year (`2010a`, `2010b`),
    /// given every key the document cites; a first pass over the document finds them.
    public mutating func disambiguate(citing keys: [String]) {
        guard style == .authorDate else { return }
        yearSuffixes = AuthorDateOrder.yearSuffixes(AuthorDateOrder.sorted(keys.compactMap { bibliography[$0] }))
    }

    /// The HTML for a group, or nil (with an error naming the nearest keys) when a key is unknown.
    public mutating func html(for group: CitationGroup, file: String, line: Int) -> String? {
        var entries: [(Entry, Citation)] = []
        for citation in group.citations {
            guard let entry = bibliography[citation.key] else {
                if reportsUnknownKeys { diagnostics.append(.error(file, line: line, unknownKeyMessage(citation.key))) }
                return nil
            }
            entries.append((entry, citation))
        }
        calls += 1
        let callID = "\(idPrefix)cite-\(calls)"
        for (entry, _) in entries where numbers[entry.key] == nil {
            cited.append(entry.key)
            numbers[entry.key] = cited.count
            firstCall[entry.key] = calls
        }
        switch style {
        case .numeric: return numericHTML(entries, narrative: group.narrative, id: callID)
        case .authorDate: return authorDateHTML(entries, narrative: group.narrative, id: callID)
        }
    }

    /// The anchor of the first citation of `key`, for the list's link back.
    public func firstCallID(_ key: String) -> String? { firstCall[key].map { "\(idPrefix)cite-\($0)" } }

    /// Text with its citations replaced: plain text and HTML in turn; nil when the text cites nothing.
    /// A group with an unknown key stays as written (the error is in `diagnostics`).
    public mutating func replaceCitations(in text: String, file: String, line: Int) -> [CitationSegment]? {
        let groups = CitationSyntax.find(in: text)
        guard !groups.isEmpty else { return nil }
        var segments: [CitationSegment] = []
        var position = text.startIndex
        for group in groups {
            if position < group.range.lowerBound { segments.append(.text(String(text[position..<group.range.lowerBound]))) }
            if let html = html(for: group, file: file, line: line) {
                segments.append(.html(html))
            } else {
                segments.append(.text(String(text[group.range])))
            }
            position = group.range.upperBound
        }
        if position < text.endIndex { segments.append(.text(String(text[position...]))) }
        return segments
    }

    private func link(_ key: String, _ text: String) -> String {
        "<a href=\"#\(idPrefix)ref-\(numbers[key] ?? 0)\">\(HTMLEscaping.text(text))</a>"
    }

    /// `<sup>[1-3]</sup>`, `<sup>[1,3]</sup>`, `<sup>[2]29</sup>`; narrative: `张建国等<sup>[1]</sup>`.
    private func numericHTML(_ entries: [(Entry, Citation)], narrative: Bool, id: String) -> String {
        var body = ""
        let withPages = entries.filter { $0.1.locator != nil }
        if withPages.isEmpty {
            let sorted = Set(entries.compactMap { numbers[$0.0.key] }).sorted()
            let keys = Dictionary(uniqueKeysWithValues: entries.compactMap { entry in numbers[entry.0.key].map { ($0, entry.0.key) } })
            body = "[" + Self.ranges(sorted).map { range in
                let first = link(keys[range.lowerBound] ?? "", String(range.lowerBound))
                return range.count == 1 ? first : first + "-" + link(keys[range.upperBound] ?? "", String(range.upperBound))
            }.joined(separator: ",") + "]"
        } else {
            body = entries.map { entry, citation in
                "[" + link(entry.key, String(numbers[entry.key] ?? 0)) + "]" + HTMLEscaping.text(citation.locator ?? "")
            }.joined()
        }
        let sup = "<sup class=\"citation\" id=\"\(id)\">\(body)</sup>"
        guard narrative, let (entry, _) = entries.first else { return sup }
        return HTMLEscaping.text(Self.narrativeName(entry)) + sup
    }

    /// `（张建国 等，2019）`, `(CRANE, 1972)`; narrative `张建国 等（2019）`; a page in superscript after it.
    private func authorDateHTML(_ entries: [(Entry, Citation)], narrative: Bool, id: String) -> String {
        let chinese = entries.first.map { GBT7714.isChinese($0.0) } ?? true
        let (open, close, comma, semicolon) = chinese ? ("（", "）", "，", "；") : ("(", ")", ", ", "; ")
        let pages = entries.compactMap(\.1.locator).joined(separator: ",")
        let sup = pages.isEmpty ? "" : "<sup>\(HTMLEscaping.text(pages))</sup>"
        if narrative, let (entry, _) = entries.first {
            let label = Self.label(entry)
            let space = chinese ? "" : " "
            return "<span class=\"citation\" id=\"\(id)\">" + link(entry.key, label) + space + open + HTMLEscaping.text(year(entry)) + close + sup + "</span>"
        }
        let items = entries.map { entry, _ in link(entry.key, Self.label(entry) + comma + year(entry)) }
        return "<span class=\"citation\" id=\"\(id)\">" + open + items.joined(separator: semicolon) + close + sup + "</span>"
    }

    static func label(_ entry: Entry) -> String {
        let people = [entry.names("author"), entry.names("editor")].first { !$0.isEmpty } ?? []
        return NameList.citationLabel(people, chinese: GBT7714.isChinese(entry)) ?? entry["title"] ?? entry.key
    }

    /// `2019`, `2010a`; `出版年不详` or `n.d.` for an entry without a date.
    func year(_ entry: Entry) -> String {
        Self.year(entry, suffixes: yearSuffixes) ?? (GBT7714.isChinese(entry) ? "出版年不详" : "n.d.")
    }

    static func year(_ entry: Entry, suffixes: [String: String]) -> String? {
        entry.dates["issued"].flatMap { $0.literal ?? $0.year.map(String.init) }.map { $0 + (suffixes[entry.key] ?? "") }
    }

    /// `张建国`, `张建国和李明`, `张建国等`; `KANAMORI`, `FRESE et al.`
    static func narrativeName(_ entry: Entry) -> String {
        let people = [entry.names("author"), entry.names("editor")].first { !$0.isEmpty } ?? []
        let chinese = GBT7714.isChinese(entry)
        let (names, more) = NameList.shortened(people)
        guard let first = names.first else { return entry["title"].map { chinese ? "《\($0)》" : $0 } ?? entry.key }
        let surname = NameList.surname(first)
        if more || names.count > 2 { return surname + (chinese ? "等" : " et al.") }
        if names.count == 2 { return surname + (chinese ? "和" : " and ") + NameList.surname(names[1]) }
        return surname
    }

    /// `[1, 2, 3, 5]` → `[1...3, 5...5]`: consecutive numbers become ranges.
    static func ranges(_ numbers: [Int]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for number in numbers {
            if let last = result.last, last.upperBound + 1 == number {
                result[result.count - 1] = last.lowerBound...number
            } else {
                result.append(number...number)
            }
        }
        return result
    }

    private func unknownKeyMessage(_ key: String) -> String {
        let nearest = bibliography.keys.map { ($0, Self.distance($0.lowercased(), key.lowercased())) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(3).map { "'\($0.0)'" }
        let hint = nearest.isEmpty ? "the bibliography is empty" : "nearest: " + nearest.joined(separator: ", ")
        return "unknown citation key '\(key)' (\(hint))"
    }

    /// Levenshtein distance, for suggesting keys.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
