import Foundation
import PressCore

/// A page's body kept out of swift-mustache. It renders each tag to a string of its own and appends it,
/// so a body of 50 KB was copied once per enclosing section, block and layout. With a theme that prints
/// `content` only as a variable (`Theme.splicesContent`), the view holds this short marker instead, and
/// the body is spliced into the rendered page wherever the marker came out: unescaped where the marker
/// came out unescaped (`{{{content}}}`), escaped where it came out escaped (`{{content}}`).
///
/// The marker is `U+0001 qP <random digits> & U+0001`: escaping turns its `&` into `&amp;`, which tells the
/// two uses apart; U+0001 and the digits, chosen afresh each run, let `splice` prove that every mention of
/// the marker in the page is one it understands. When one is not (a view's title holding U+0001, a theme
/// printing a whole view, a case transform), `splice` gives nil and the page is rendered with its body.
public struct ContentMarker: Sendable {
    private let raw: [UInt8]
    private let escaped: [UInt8]
    private let digits: [UInt8]
    /// The placeholders: the marker, and the marker and a newline.
    private let text: TemplateText
    private let line: TemplateText

    public init(digits: UInt64 = UInt64.random(in: 1_000_000_000_000...UInt64.max)) {
        self.digits = Array(String(digits).utf8)
        raw = [1] + Array("qP".utf8) + self.digits + Array("&".utf8) + [1]
        escaped = Array(HTMLEscaping.attribute(String(decoding: raw, as: UTF8.self)).utf8)
        text = TemplateText(String(decoding: raw, as: UTF8.self))
        line = TemplateText(text.value + "\n")
    }

    /// The value of `content` in the view in place of `body`; nil when the body itself must be there.
    /// It ends in a newline when the body does: swift-mustache indents what follows a standalone partial
    /// by whether the text before ends a line, and skips empty values (an empty body is never replaced).
    public func placeholder(for body: String) -> TemplateText? {
        placeholder(ending: body.utf8.suffix(2))
    }

    /// `placeholder(for:)` of a body held as UTF-8 bytes (`RenderedMarkdown.htmlBytes`).
    public func placeholder(for body: [UInt8]) -> TemplateText? {
        placeholder(ending: body.suffix(2))
    }

    /// The placeholder of a body whose last two bytes (or fewer) are `end`.
    private func placeholder(ending end: some Collection<UInt8>) -> TemplateText? {
        guard let last = end.reversed().first else { return nil }
        guard last == UInt8(ascii: "\n") else { return text }
        // "\r\n" is one Character: swift-mustache would not see the line end, the marker's "\n" would.
        if end.count == 2 && end.first == UInt8(ascii: "\r") { return nil }
        return line
    }

    /// `page` (rendered from a view holding `placeholder(for: body)`) with each marker replaced by `body`,
    /// escaped where the marker was; nil when the page mentions U+0001 or the marker's digits anywhere else.
    public func splice(_ page: String, body: String) -> [UInt8]? {
        var page = page, body = body
        return page.withUTF8 { text in
            body.withUTF8 { bodyBytes in
                // The placeholder kept the body's last newline; the text after each marker holds it.
                let kept = bodyBytes.last == UInt8(ascii: "\n") ? UnsafeBufferPointer(rebasing: bodyBytes.dropLast()) : bodyBytes
                return splice(text, body: kept)
            }
        }
    }

    /// `splice(_:body:)` of a body held as UTF-8 bytes (`RenderedMarkdown.htmlBytes`).
    public func splice(_ page: String, body: [UInt8]) -> [UInt8]? {
        var page = page
        return page.withUTF8 { text in
            body.withUnsafeBufferPointer { bodyBytes in
                let kept = bodyBytes.last == UInt8(ascii: "\n") ? UnsafeBufferPointer(rebasing: bodyBytes.dropLast()) : bodyBytes
                return splice(text, body: kept)
            }
        }
    }

    private func splice(_ text: UnsafeBufferPointer<UInt8>, body: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let base = text.baseAddress else { return [] }
        var result: [UInt8] = []
        result.reserveCapacity(text.count + body.count)
        var escapedBody: [UInt8]?
        var copied = 0, markers = 0
        while copied < text.count, let found = memchr(base + copied, 1, text.count - copied) {
            let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            result.append(contentsOf: text[copied..<at])
            if Self.matches(raw, in: text, at: at) {
                result.append(contentsOf: body)
                copied = at + raw.count
            } else if Self.matches(escaped, in: text, at: at) {
                if escapedBody == nil { escapedBody = Array(HTMLEscaping.attribute(String(decoding: body, as: UTF8.self)).utf8) }
                result.append(contentsOf: escapedBody ?? [])
                copied = at + escaped.count
            } else {
                return nil
            }
            markers += 1
        }
        guard occurrences(of: digits, in: text) == markers else { return nil }
        result.append(contentsOf: text[copied...])
        return result
    }

    private static func matches(_ marker: [UInt8], in text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + marker.count <= text.count, let base = text.baseAddress else { return false }
        return memcmp(base + index, marker, marker.count) == 0
    }

    private func occurrences(of needle: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = text.baseAddress, let first = needle.first, text.count >= needle.count else { return 0 }
        var count = 0, index = 0
        let last = text.count - needle.count
        while index <= last, let found = memchr(base + index, Int32(first), last - index + 1) {
            index = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
            if memcmp(base + index, needle, needle.count) == 0 { count += 1 }
            index += 1
        }
        return count
    }
}
