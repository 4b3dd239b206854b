import PressCore

/// A formatted reference: text, with the URL and DOI kept apart so HTML can make them links.
public struct FormattedEntry: Sendable, Hashable {
    public enum Piece: Sendable, Hashable {
        case text(String)
        case link(String, href: String)
    }

    public var pieces: [Piece]

    public init(pieces: [Piece]) { self.pieces = pieces }

    public var text: String {
        pieces.map { piece in
            switch piece {
            case .text(let text), .link(let text, _): text
            }
        }.joined()
    }

    /// Escaped HTML; URLs and DOIs become links.
    public var html: String {
        pieces.map { piece in
            switch piece {
            case .text(let text): HTMLEscaping.text(text)
            case .link(let text, let href):
                "<a href=\"\(HTMLEscaping.attribute(href))\">\(HTMLEscaping.text(text))</a>"
            }
        }.joined()
    }
}

/// Sentences joined GB/T 7714's way: `. ` between them (only a space when one already ends in a full
/// stop, as `Inc.` or `Rev. ed.` do) and a full stop at the end.
struct SentenceBuilder {
    private(set) var pieces: [FormattedEntry.Piece] = []
    private var lastText = ""

    mutating func add(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        add([.text(text)])
    }

    mutating func add(_ sentence: [FormattedEntry.Piece]) {
        guard !sentence.isEmpty else { return }
        if !pieces.isEmpty { pieces.append(.text(lastText.hasSuffix(".") ? " " : ". ")) }
        pieces += sentence
        if case .text(let text)? = sentence.last { lastText = text } else if case .link(let text, _)? = sentence.last { lastText = text }
    }

    func finished() -> FormattedEntry {
        var result = pieces
        if !lastText.hasSuffix(".") { result.append(.text(".")) }
        return FormattedEntry(pieces: result)
    }
}
