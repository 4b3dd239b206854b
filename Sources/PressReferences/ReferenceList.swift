import Foundation
import PressCore

extension CitationRenderer {
    /// The cited entries in list order: by first citation (numeric), or as GB/T 7714 orders an
    /// author-date list (`AuthorDateOrder`: language, then authors in Pinyin or alphabetically, year, title).
    public var listedEntries: [Entry] {
        let entries = cited.compactMap { bibliography[$0] }
        return style == .authorDate ? AuthorDateOrder.sorted(entries) : entries
    }

    /// `<section class="references">` with the heading 参考文献 and one item per cited entry, each
    /// linking back to where it was first cited; nil when nothing was cited.
    public func referenceListHTML(heading: String = "参考文献") -> String? {
        let entries = listedEntries
        guard !entries.isEmpty else { return nil }
        let formatter = GBT7714(style: style, yearSuffixes: yearSuffixes)
        var html = "<section class=\"references\" id=\"\(idPrefix)references\">\n<h2>\(HTMLEscaping.text(heading))</h2>\n"
        html += style == .numeric ? "<ol class=\"references-list\">\n" : "<ul class=\"references-list\">\n"
        for entry in entries {
            let number = self.number(of: entry)
            let label = style == .numeric ? "<span class=\"reference-number\">[\(number)]</span> " : ""
            let back = firstCallID(entry.key).map { " <a class=\"reference-back\" href=\"#\($0)\" aria-label=\"回到引用处\">↩</a>" } ?? ""
            html += "<li id=\"\(idPrefix)ref-\(number)\">\(label)\(formatter.format(entry).html)\(back)</li>\n"
        }
        html += style == .numeric ? "</ol>\n" : "</ul>\n"
        return html + "</section>\n"
    }

    /// The list as plain text, for the search index: the heading, then one entry a line (`[1] …` when numeric).
    public func referenceListText(heading: String = "参考文献") -> String? {
        let entries = listedEntries
        guard !entries.isEmpty else { return nil }
        let formatter = GBT7714(style: style, yearSuffixes: yearSuffixes)
        let lines = entries.map { entry in (style == .numeric ? "[\(number(of: entry))] " : "") + formatter.format(entry).text }
        return ([heading] + lines).joined(separator: "\n") + "\n"
    }

    /// The entry's number: its place in the order of first citation.
    private func number(of entry: Entry) -> Int { cited.firstIndex(of: entry.key).map { $0 + 1 } ?? 0 }
}
