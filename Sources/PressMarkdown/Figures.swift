import CCmarkGFM
import Foundation
import PressCore

/// An image as the Markdown wrote it, after its URL was resolved: what an `ImageMarkup` gets.
public struct MarkdownImage: Sendable, Hashable {
    /// The resolved URL (what `resolveLink` made of the written one).
    public var url: String
    /// The alt text, which is also a figure's caption: `图1　齿轮车间`.
    public var alt: String
    /// The first image of the document: a page loads it eagerly, the others lazily.
    public var isFirst: Bool
    /// Alone in its paragraph, so it became a figure.
    public var isFigure: Bool
}

/// The `<img>` (or `<picture>`) HTML for an image; nil keeps cmark's plain `<img src alt />`.
public typealias ImageMarkup = @Sendable (MarkdownImage) -> String?

/// An image alone in its paragraph becomes `<figure>` with its alt text as `<figcaption>`: Chinese
/// documents number and caption figures in that text (`图1　…`), and a figure keeps them together.
/// The numbering is the author's; nothing is renumbered.
public enum Figures {
    static func apply(_ images: [OpaquePointer], markup: ImageMarkup?) {
        for (index, image) in images.enumerated() {
            let alt = TreeWalk.text(of: image)
            let width = takeWidth(after: image)
            let figure = isAloneInParagraph(image)
            var node = image
            if let markup, let url = cmark_node_get_url(image).map({ String(cString: $0) }),
               let html = markup(MarkdownImage(url: url, alt: alt, isFirst: index == 0, isFigure: figure)) {
                node = replace(image, withHTML: html) ?? image
            }
            if figure, let paragraph = cmark_node_parent(node) { wrapInFigure(paragraph, caption: alt, width: width) }
        }
    }

    /// `{width=50%}` written right after an image: the figure's share of the text column's width, taken
    /// out of the text. Anything else in braces stays text.
    static func takeWidth(after image: OpaquePointer) -> Int? {
        guard let next = cmark_node_next(image), cmark_node_get_type(next) == CMARK_NODE_TEXT,
              let literal = cmark_node_get_literal(next) else { return nil }
        let text = String(cString: literal)
        guard let percent = widthAttribute(text) else { return nil }
        let rest = String(text[text.index(after: text.firstIndex(of: "}") ?? text.startIndex)...])
        if rest.isEmpty {
            cmark_node_unlink(next)
            cmark_node_free(next)
        } else {
            cmark_node_set_literal(next, rest)
        }
        return percent
    }

    /// `{width=50%}…` → 50 (1 to 100); nil for anything else.
    public static func widthAttribute(_ text: some StringProtocol) -> Int? {
        guard text.hasPrefix("{width="), let close = text.firstIndex(of: "}") else { return nil }
        let value = text[text.index(text.startIndex, offsetBy: 7)..<close]
        guard value.hasSuffix("%"), let percent = Int(value.dropLast()), (1...100).contains(percent) else { return nil }
        return percent
    }

    /// A paragraph whose only child is the image (blank text around it aside).
    static func isAloneInParagraph(_ image: OpaquePointer) -> Bool {
        guard let parent = cmark_node_parent(image), cmark_node_get_type(parent) == CMARK_NODE_PARAGRAPH else { return false }
        var child = cmark_node_first_child(parent)
        while let node = child {
            if node != image && !isBlank(node) { return false }
            child = cmark_node_next(node)
        }
        return true
    }

    private static func isBlank(_ node: OpaquePointer) -> Bool {
        let type = cmark_node_get_type(node)
        if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK { return true }
        guard type == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(node) else { return false }
        return String(cString: literal).allSatisfy(\.isWhitespace)
    }

    /// The node that now stands where the image was.
    private static func replace(_ image: OpaquePointer, withHTML html: String) -> OpaquePointer? {
        guard let inline = CmarkArena.node(CMARK_NODE_CUSTOM_INLINE) else { return nil }
        cmark_node_set_on_enter(inline, html)
        cmark_node_set_on_exit(inline, "")
        cmark_node_replace(image, inline)
        cmark_node_free(image)
        return inline
    }

    private static func wrapInFigure(_ paragraph: OpaquePointer, caption: String, width: Int?) {
        guard let block = CmarkArena.node(CMARK_NODE_CUSTOM_BLOCK), let inline = CmarkArena.node(CMARK_NODE_CUSTOM_INLINE) else { return }
        cmark_node_set_on_enter(block, width.map { "<figure class=\"figure\" style=\"width: \($0)%\">" } ?? "<figure class=\"figure\">")
        cmark_node_set_on_exit(block, "</figure>")
        cmark_node_set_on_enter(inline, "")
        cmark_node_set_on_exit(inline, caption.isEmpty ? "" : "<figcaption>\(HTMLEscaping.text(caption))</figcaption>")
        while let child = cmark_node_first_child(paragraph) {
            if isBlank(child) {
                cmark_node_unlink(child)
                cmark_node_free(child)
            } else {
                cmark_node_append_child(inline, child)
            }
        }
        cmark_node_append_child(block, inline)
        cmark_node_replace(paragraph, block)
        cmark_node_free(paragraph)
    }
}
