/// What `qpress cite` prints: every entry of a bibliography, `[N] text`, one a line, in file order.
public enum CiteListing {
    public enum Format: String, Sendable, CaseIterable {
        case text, html
    }

    /// Author-date years are lettered (`2010a`, `2010b`) as if the whole file were cited.
    public static func render(_ entries: [Entry], style: CitationStyle, format: Format) -> String {
        let suffixes = style == .authorDate ? AuthorDateOrder.yearSuffixes(AuthorDateOrder.sorted(entries)) : [:]
        let formatter = GBT7714(style: style, yearSuffixes: suffixes)
        return entries.enumerated().map { index, entry in
            let formatted = formatter.format(entry)
            return "[\(index + 1)] " + (format == .html ? formatted.html : formatted.text)
        }.joined(separator: "\n")
    }
}
