import Foundation
import PressCore

extension CitationRenderer {
    /// The cited entries in list order: by first citation (numeric), or by author and year (author-date:
    /// Chinese entries first, then the others, as GB/T 7714 orders a list in several languages).
    public var listedEntries: [Entry] {
        let entries = cited.compactMap { bibliography[$0] }
        guard style == .authorDate else { return entries }
        return entries.sorted { left, right in
            let (leftChinese, rightChinese) = (GBT7714.isChinese(left), GBT7714.isChinese(right))
            if leftChinese != rightChinese { return leftChinese }
            let (leftLabel, rightLabel) = (Self.label(left), Self.label(right))
            if leftLabel != rightLabel { return leftLabel.compare(rightLabel, locale: Locale(identifier: "zh_CN")) == .orderedAscending }
            return Self.year(left) < Self.year(right)
        }
    }

    /// `<section class="references">` with the heading 参考文献 and one item per cited entry, each
    /// linking back to where it was first cited; nil when nothing was cited.
    public func referenceListHTML(heading: String = "参考文献") -> String? {
        let entries = listedEntries
        guard !entries.isEmpty else { return nil }
        let formatter = GBT7714(style: style)
        var html = "<section class=\"references\" id=\"\(idPrefix)references\">\n<h2>\(HTMLEscaping.text(heading))</h2>\n"
        html += style == .numeric ? "<ol class=\"references-list\">\n" : "<ul class=\"references-list\">\n"
        for entry in entries {
            let number = cited.firstIndex(of: entry.key).map { $0 + 1 } ?? 0
            let label = style == .numeric ? "<span class=\"reference-number\">[\(number)]</span> " : ""
            let back = firstCallID(entry.key).map { " <a class=\"reference-back\" href=\"#\($0)\" aria-label=\"回到引用处\">↩</a>" } ?? ""
            html += "<li id=\"\(idPrefix)ref-\(number)\">\(label)\(formatter.format(entry).html)\(back)</li>\n"
        }
        html += style == .numeric ? "</ol>\n" : "</ul>\n"
        return html + "</section>\n"
    }
}
