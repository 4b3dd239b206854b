import CCmarkGFM
import PressCore

/// Chinese typesetting for print (clreq, GB/T 15834), done on the Markdown tree's text nodes before
/// rendering, never on HTML: code spans, code blocks and raw HTML are other node types and stay as
/// written; URLs (autolinks, link texts that are addresses) are skipped.
public enum CJKTypesetting {
    /// U+2005 FOUR-PER-EM SPACE: exactly a quarter em in Noto CJK, and WeasyPrint's justification
    /// (which stretches only U+0020 and U+00A0) leaves it alone.
    public static let quarterEm: Character = "\u{2005}"
    /// U+2060 WORD JOINER: no line break here (Pango honours it; nothing is drawn).
    public static let wordJoiner: Character = "\u{2060}"

    /// Han characters (and the ideographic iteration mark 〇 of dates).
    public static func isHan(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F, 0x3007: return true
        default: return false
        }
    }

    static func isLatinOrDigit(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber)
    }

    /// May not start a line, beyond what Pango already keeps off a line start.
    static let noBreakBefore: Set<Character> = ["·", "～", "％", "…"]
    /// May not end a line.
    static let noBreakAfter: Set<Character> = ["/", "（", "《", "「", "『", "【", "〔", "“", "‘"]
    /// Punctuation that may follow the last Han character of a paragraph.
    static let closing: Set<Character> = ["，", "。", "、", "；", "：", "？", "！", "）", "》", "」", "』", "】", "〕", "”", "’", "…", "—", ".", ",", "!", "?", ")", "\"", "'"]

    /// `采用ISO 9001标准` → `采用 ISO 9001 标准` (quarter-em spaces), and word joiners that keep `·`, `～`,
    /// `％`, `…` off a line start, `/` and opening brackets off a line end, and `——` whole. `previous` is the
    /// character just before `text` (across an inline tag). Without `joiners`, only the spaces. Spacing spaced
    /// text again changes nothing.
    public static func space(_ text: String, after previous: Character? = nil, joiners: Bool = true) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        var previous = previous
        for character in text {
            if let before = previous {
                if (isHan(before) && isLatinOrDigit(character)) || (isLatinOrDigit(before) && isHan(character)) {
                    result.append(quarterEm)
                } else if joiners && ((noBreakBefore.contains(character) && !before.isWhitespace && before != wordJoiner)
                            || (noBreakAfter.contains(before) && !character.isWhitespace && character != wordJoiner)
                            || (character == "—" && before == "—")) {
                    result.append(wordJoiner)
                }
            }
            result.append(character)
            previous = character
        }
        return result
    }

    /// A paragraph's last text: join its last two Han characters with a word joiner, so its last line never
    /// holds a lone character (孤字) plus punctuation.
    public static func keepLastCharactersTogether(_ text: String) -> String {
        var characters = Array(text)
        var index = characters.count - 1
        while index >= 0, closing.contains(characters[index]) || characters[index].isWhitespace { index -= 1 }
        guard index >= 1, isHan(characters[index]), isHan(characters[index - 1]) else { return text }
        characters.insert(wordJoiner, at: index)
        return String(characters)
    }

    /// Applies both to every text node below `document`.
    static func apply(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        var texts: [OpaquePointer] = []
        var paragraphs: [OpaquePointer] = []
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT: texts.append(node)
            case CMARK_NODE_PARAGRAPH: paragraphs.append(node)
            default: break
            }
        }
        cmark_iter_free(iterator)
        for node in texts where !isAddress(node) {
            guard let literal = cmark_node_get_literal(node) else { continue }
            let text = String(cString: literal)
            let spaced = space(text)
            if spaced != text { cmark_node_set_literal(node, spaced) }
        }
        // Each paragraph's last text with more than closing punctuation (it may stand inside a link or emphasis).
        var lastText: [OpaquePointer: OpaquePointer] = [:]
        for node in texts {
            var parent = cmark_node_parent(node)
            while let current = parent, cmark_node_get_type(current) != CMARK_NODE_PARAGRAPH { parent = cmark_node_parent(current) }
            guard let paragraph = parent, let literal = cmark_node_get_literal(node) else { continue }
            if String(cString: literal).contains(where: { !closing.contains($0) && !$0.isWhitespace }) { lastText[paragraph] = node }
        }
        for paragraph in paragraphs {
            guard let last = lastText[paragraph], !isAddress(last), let literal = cmark_node_get_literal(last) else { continue }
            let text = String(cString: literal)
            let joined = keepLastCharactersTogether(text)
            if joined != text { cmark_node_set_literal(last, joined) }
        }
    }

    /// Text that is an address: inside a link whose text is its URL, or looking like one.
    static func isAddress(_ node: OpaquePointer) -> Bool {
        let text = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
        // Searched as bytes: Foundation's `contains` compares Unicode clusters, and the last text of a
        // Chinese paragraph is often the whole paragraph (a seventh of a site build's CPU in perf).
        if ByteSearch.contains(text, "://") || text.hasPrefix("www.") { return true }
        var parent = cmark_node_parent(node)
        while let current = parent {
            if cmark_node_get_type(current) == CMARK_NODE_LINK, let url = cmark_node_get_url(current),
               String(cString: url).hasSuffix(text) || text.utf8.contains(UInt8(ascii: "@")) {
                return true
            }
            parent = cmark_node_parent(current)
        }
        return false
    }
}
