import Foundation
import PressCore

extension CJKTypesetting {
    /// Elements whose text is never touched: metadata (the PDF's title and bookmarks' source stays as written),
    /// code, raw text, and superscripts and subscripts (affiliation numbers, note calls, formulas).
    static let untouched: Set<String> = ["head", "title", "style", "script", "code", "pre", "kbd", "samp", "sup", "sub", "svg", "math", "textarea"]
    /// Inline elements: text runs on across them, so `<strong>ISO</strong>标准` is spaced too. Not `span`: the
    /// templates use spans where the stylesheet adds text between them (`；` between affiliations) or sets them apart.
    static let inline: Set<String> = ["a", "em", "strong", "b", "i", "u", "s", "small", "mark", "abbr", "cite", "q", "del", "ins",
                                      "time", "data", "var", "dfn", "bdi", "bdo", "wbr"]
    /// Blocks whose last line must hold two characters or more (the lone-character rule).
    static let paragraphs: Set<String> = ["p", "li"]
    /// Headings become the PDF's bookmarks: spaced, but without word joiners (a viewer may draw them as boxes).
    static let headings: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]

    /// Runs `space` and `keepLastCharactersTogether` over every text of an HTML document: what templates
    /// wrote (titles, subtitles, the CIP data, affiliations, dates) as well as the Markdown, which is
    /// typeset on its tree already (both passes give the same text, so running both changes nothing).
    /// Skips the `untouched` elements, addresses and a link's text that is its URL; leaves markup as it is.
    /// Tables of contents (`nav`) get the spacing but not the lone-character rule; headings only the spacing.
    public static func typesetHTML(_ html: String) -> String {
        var pieces: [String] = []
        var skipped = 0, navigation = 0, heading = 0
        var previous: Character?
        var paragraphStack: [Int?] = [] // per open paragraph: its last text piece with more than punctuation
        var link: String?
        var rest = Substring(html)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "<") else {
                pieces.append(String(rest))
                break
            }
            if open > rest.startIndex {
                let text = String(rest[..<open])
                if skipped > 0 || isAddress(text, link: link) {
                    pieces.append(text)
                    if skipped == 0 { previous = text.last }
                } else {
                    let spaced = space(text, after: previous, joiners: heading == 0)
                    previous = spaced.last
                    if !paragraphStack.isEmpty, spaced.contains(where: { !closing.contains($0) && !$0.isWhitespace }) {
                        paragraphStack[paragraphStack.count - 1] = pieces.count
                    }
                    pieces.append(spaced)
                }
            }
            let tag = Tag(rest[open...])
            pieces.append(String(rest[open..<tag.end]))
            rest = rest[tag.end...]
            guard let name = tag.name else { continue }
            if name == "style" || name == "script", !tag.closing, let close = rest.range(of: "</\(name)", options: .caseInsensitive) {
                pieces.append(String(rest[..<close.lowerBound])) // raw text: may hold `<`
                rest = rest[close.lowerBound...]
            }
            if untouched.contains(name) { skipped = max(0, skipped + (tag.closing ? -1 : 1)); previous = nil }
            if name == "nav" { navigation = max(0, navigation + (tag.closing ? -1 : 1)) }
            if headings.contains(name) { heading = max(0, heading + (tag.closing ? -1 : 1)) }
            if name == "a" { link = tag.closing ? nil : tag.attribute("href") }
            if !inline.contains(name) { previous = nil }
            guard paragraphs.contains(name) else { continue }
            if !tag.closing {
                paragraphStack.append(nil)
            } else if let last = paragraphStack.popLast() {
                if let index = last, navigation == 0 { pieces[index] = keepLastCharactersTogether(pieces[index]) }
            }
        }
        return pieces.joined()
    }

    /// Text that is an address, or the text of a link that spells out its URL (`<a href="mailto:x@y.cn">x@y.cn</a>`).
    static func isAddress(_ text: String, link: String?) -> Bool {
        // Bytes, as in `CJKTypesetting.isAddress`: Foundation's `contains` compares Unicode clusters.
        if ByteSearch.contains(text, "://") || text.hasPrefix("www.") || text.utf8.contains(UInt8(ascii: "@")) { return true }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return !trimmed.isEmpty && link.map { $0.hasSuffix(trimmed) } == true
    }

    /// One tag (or comment, or doctype) at the start of `text`: where it ends, its lower-cased name.
    struct Tag {
        var end: Substring.Index
        var name: String?
        var closing = false
        var source: Substring

        init(_ text: Substring) {
            if text.hasPrefix("<!--") {
                end = text.range(of: "-->")?.upperBound ?? text.endIndex
                source = text[..<end]
                return
            }
            // Attribute values are escaped (`&gt;`) by the templates and cmark, so the first `>` ends the tag.
            end = text.firstIndex(of: ">").map { text.index(after: $0) } ?? text.endIndex
            source = text[..<end]
            var body = source.dropFirst()
            if body.first == "/" { closing = true; body = body.dropFirst() }
            let letters = body.prefix { $0.isLetter || $0.isNumber }
            name = letters.isEmpty ? nil : letters.lowercased()
        }

        /// A double-quoted attribute's value, as written.
        func attribute(_ attribute: String) -> String? {
            guard let start = source.range(of: " \(attribute)=\"") else { return nil }
            let value = source[start.upperBound...]
            return value.firstIndex(of: "\"").map { String(value[..<$0]) }
        }
    }
}
