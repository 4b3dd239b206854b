/// What `qpress cite` prints: every entry of a bibliography, `[N] text`, one a line, in file order.
public enum CiteListing {
    public enum Format: String, Sendable, CaseIterable {
        case text, html
    }

    public static func render(_ entries: [Entry], style: CitationStyle, format: Format) -> String {
        let formatter = GBT7714(style: style)
        return entries.enumerated().map { index, entry in
            let formatted = formatter.format(entry)
            return "[\(index + 1)] " + (format == .html ? formatted.html : formatted.text)
        }.joined(separator: "\n")
    }
}
