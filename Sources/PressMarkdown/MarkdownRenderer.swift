import CCmarkGFM
import CCmarkSpecials
import Foundation
public import PressCore

/// Markdown to HTML with libcmark-gfm and the GitHub extensions.
/// Works on the syntax tree, not on HTML text (but for task-list labels): headings get ids, links are resolved
/// where they stand, raw HTML is turned into text unless the site allows it.
public struct MarkdownRenderer: Sendable {
    public struct Options: Sendable {
        public var allowRawHTML: Bool
        public init(allowRawHTML: Bool = false) { self.allowRawHTML = allowRawHTML }
    }

    public let options: Options

    /// How footnotes (`[^1]`) come out.
    public enum FootnoteStyle: Sendable {
        /// As cmark-gfm writes them: a `section.footnotes` with back-links (the website).
        case gfm
        /// Numbered calls and a plain `<section class="footnotes"><ol>` at the end, ids prefixed,
        /// attributes well-formed for XHTML (EPUB, print end notes).
        case endnotes
        /// The note's text at the call, in `<span class="footnote">`, for CSS `float: footnote` (print).
        case inline
    }

    /// What differs between documents rendered into one book: ids must be unique across the book.
    public struct DocumentOptions: Sendable {
        /// Put before every heading and footnote id, e.g. `gear-30-years--`.
        public var idPrefix: String
        public var footnotes: FootnoteStyle
        /// Chinese print typesetting on the text nodes (`CJKTypesetting`): quarter-em Han–Latin spacing,
        /// line-start and line-end word joiners, no lone character on a paragraph's last line.
        public var cjkTypesetting: Bool
        /// The HTML of each image (the website's `<picture>` with its variants); nil keeps `<img src alt />`.
        public var imageMarkup: ImageMarkup?
        public init(idPrefix: String = "", footnotes: FootnoteStyle = .gfm, cjkTypesetting: Bool = false, imageMarkup: ImageMarkup? = nil) {
            self.idPrefix = idPrefix
            self.footnotes = footnotes
            self.cjkTypesetting = cjkTypesetting
            self.imageMarkup = imageMarkup
        }
    }

    public init(options: Options = Options()) {
        _ = Self.registerExtensions
        self.options = options
    }

    // cmark-gfm keeps its extension registry in a global; register it once, before any parser exists.
    private static let registerExtensions: Void = { cmark_gfm_core_extensions_ensure_registered() }()
    private static let inlineParsing = NSLock()

    /// Whether documents' inline parses run at once (CCmarkSpecials took the place of the library's
    /// special-character function, seen at the first parse) or take turns.
    public static var inlinesParseInParallel: Bool { qp_cmark_specials_interposed() != 0 }
    private static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]

    private var cmarkOptions: Int32 {
        var flags = CMARK_OPT_FOOTNOTES | CMARK_OPT_GITHUB_PRE_LANG
        if options.allowRawHTML { flags |= CMARK_OPT_UNSAFE }
        return flags
    }

    /// Renders `markdown`, whose first line is line `firstLine` of `file`.
    /// Broken links come back as diagnostics; the HTML is produced all the same.
    /// `replaceText` may rewrite runs of text outside links and code (citations).
    public func render(
        _ markdown: String,
        file: String,
        firstLine: Int = 1,
        document documentOptions: DocumentOptions = DocumentOptions(),
        resolveLink: (String) -> LinkResolution = { _ in .keep },
        replaceText: ((String, Int) -> [TextReplacement]?)? = nil
    ) -> (RenderedMarkdown, [Diagnostic]) {
        CmarkArena.withDocument {
            renderInArena(markdown, file: file, firstLine: firstLine, document: documentOptions, resolveLink: resolveLink, replaceText: replaceText)
        }
    }

    /// `render`, with cmark's memory in the thread's arena: nothing cmark allocated is returned.
    private func renderInArena(
        _ markdown: String, file: String, firstLine: Int, document documentOptions: DocumentOptions,
        resolveLink: (String) -> LinkResolution, replaceText: ((String, Int) -> [TextReplacement]?)?
    ) -> (RenderedMarkdown, [Diagnostic]) {
        guard let parser = cmark_parser_new_with_mem(cmarkOptions, CmarkArena.allocator) else {
            return (RenderedMarkdown(htmlBytes: [], headings: [], links: [], plainBytes: []), [.error(file, "cannot create Markdown parser")])
        }
        defer { cmark_parser_free(parser) }
        for name in Self.extensionNames {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        // Fed by byte count, not `strlen`: a NUL byte in the text must not end the document
        // (cmark turns it into U+FFFD, as CommonMark asks).
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        // cmark-gfm adds its extensions' special characters (`~` for strikethrough…) to a global table
        // when inline parsing starts and clears them when it ends: two documents parsed at once would
        // clear each other's. CCmarkSpecials takes the place of that function, so they are added once
        // and never cleared; until it has been seen to (or if it never is), inline parsing takes turns.
        let finished = Self.inlinesParseInParallel
            ? cmark_parser_finish(parser)
            : Self.inlineParsing.withLock { cmark_parser_finish(parser) }
        guard let document = finished else {
            return (RenderedMarkdown(htmlBytes: [], headings: [], links: [], plainBytes: []), [.error(file, "cannot parse Markdown")])
        }
        defer { cmark_node_free(document) }

        var walk = TreeWalk(lineOffset: firstLine - 1, collectsTextParents: replaceText != nil)
        walk.collect(document)

        var diagnostics: [Diagnostic] = []
        var columns = walk.links.isEmpty ? nil : CharacterColumns(markdown)
        let links = walk.links.map { node -> MarkdownLink in
            let written = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            let line = walk.line(of: node)
            let byteColumn = Int(cmark_node_get_start_column(node))
            let column = columns?.column(line: line - firstLine + 1, byteColumn: byteColumn) ?? byteColumn
            var resolved = written
            switch resolveLink(written) {
            case .keep: break
            case .replace(let url):
                resolved = url
                cmark_node_set_url(node, url)
            case .broken(let message):
                diagnostics.append(.error(file, line: line, column: column > 0 ? column : nil, message))
            }
            let kind: MarkdownLink.Kind = cmark_node_get_type(node) == CMARK_NODE_IMAGE ? .image : .link
            return MarkdownLink(kind: kind, written: written, resolved: resolved, line: line, column: column)
        }
        if let replaceText {
            walk.replaceTextRuns(replaceText)
            if !walk.replacedText.isEmpty { walk.collectPlainText(document) }
        }
        let images = walk.links.filter { cmark_node_get_type($0) == CMARK_NODE_IMAGE }
        if !images.isEmpty { Figures.apply(images, markup: documentOptions.imageMarkup) }
        let headings = walk.anchorHeadings(prefix: documentOptions.idPrefix)
        walk.markTableCaptions()
        if !options.allowRawHTML { walk.escapeRawHTML() }
        if documentOptions.cjkTypesetting { CJKTypesetting.apply(document) }

        let extensions = cmark_parser_get_syntax_extensions(parser)
        if documentOptions.footnotes != .gfm {
            walk.rewriteFootnotes(documentOptions.footnotes, prefix: documentOptions.idPrefix, options: cmarkOptions, extensions: extensions)
        }
        guard let rendered = cmark_render_html_with_mem(document, cmarkOptions, extensions, CmarkArena.allocator) else {
            return (RenderedMarkdown(htmlBytes: [], headings: headings, links: links, plainBytes: walk.plainBytes), diagnostics)
        }
        defer { CmarkArena.release(rendered) }
        let html = Self.labelTaskCheckboxes(Self.bytes(of: rendered))
        return (RenderedMarkdown(htmlBytes: html, headings: headings, links: links, plainBytes: walk.plainBytes), diagnostics)
    }

    /// cmark-gfm's HTML, taken as it is, unchecked: it is UTF-8 because its input is. The document came in as
    /// a String (valid UTF-8; a NUL became U+FFFD); cmark-gfm cuts text only at ASCII bytes (line ends, tabs,
    /// delimiters, the ends of autolinks and table cells: its character classes are ASCII), escapes only ASCII
    /// bytes (`%XX` in URLs), writes entities as UTF-8 with U+FFFD for invalid code points, and everything
    /// this renderer sets on nodes is a String. `String(cString:)` checked all of it again (3% of a build);
    /// `htmlIsValidUTF8` tests this holds for hostile documents.
    static func bytes(of rendered: UnsafeMutablePointer<CChar>) -> [UInt8] {
        let count = strlen(rendered)
        return UnsafeRawPointer(rendered).withMemoryRebound(to: UInt8.self, capacity: count + 1) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }

    /// `labelTaskCheckboxes` on bytes: only HTML holding a checkbox is made text to be edited.
    static func labelTaskCheckboxes(_ html: [UInt8]) -> [UInt8] {
        guard ByteSearch.contains(html, Array("<input type=\"checkbox\"".utf8)) else { return html }
        return Array(labelTaskCheckboxes(String(decoding: html, as: UTF8.self)).utf8)
    }

    /// The tasklist extension writes its checkboxes itself, without a label (axe-core's critical `label`
    /// rule): give each an accessible name saying what it shows. The only edit made on the HTML text.
    static func labelTaskCheckboxes(_ html: String) -> String {
        guard ByteSearch.contains(html, "<input type=\"checkbox\"") else { return html }
        return html
            .replacingOccurrences(of: "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
                                  with: "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"已完成\" />")
            .replacingOccurrences(of: "<input type=\"checkbox\" disabled=\"\" />",
                                  with: "<input type=\"checkbox\" disabled=\"\" aria-label=\"未完成\" />")
    }
}

/// cmark counts columns in bytes; editors count characters, and a Chinese character is three bytes.
/// Links come in document order, so each line is counted from the previous link on it, not from its
/// start: 10,000 links on one line took 3.5 s counted from the start each time.
struct CharacterColumns {
    let bytes: [UInt8]
    /// Byte offset where each line starts.
    let lineStarts: [Int]
    /// The last position asked for: its line, its byte offset in the line and its character column.
    private var cursor = (line: 0, byte: 0, column: 1)

    init(_ text: String) {
        bytes = Array(text.utf8)
        lineStarts = bytes.withUnsafeBufferPointer { buffer in
            var starts = [0]
            guard let base = buffer.baseAddress else { return starts }
            // `memchr` from newline to newline: a byte loop here was a fifth of the links' cost.
            var offset = 0
            while offset < buffer.count, let newline = memchr(base + offset, 0x0A, buffer.count - offset) {
                offset = UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
                starts.append(offset)
            }
            return starts
        }
    }

    mutating func column(line: Int, byteColumn: Int) -> Int {
        guard byteColumn > 0, line >= 1, line <= lineStarts.count else { return byteColumn }
        let start = lineStarts[line - 1]
        let target = min(byteColumn - 1, bytes.count - start)
        var (byte, column) = (0, 1)
        if cursor.line == line && cursor.byte <= target { (byte, column) = (cursor.byte, cursor.column) }
        column += Self.characterCount(bytes[(start + byte)..<(start + target)])
        cursor = (line, target, column)
        return column
    }

    /// The Characters of `bytes` as `String(decoding:as:).count` counts them. Counting scalars gives the
    /// same number when every scalar is a Character by itself, which ASCII without `\r` and Chinese
    /// ideographs and punctuation are; any other scalar, or a cut through one, leaves it to the String.
    static func characterCount(_ bytes: ArraySlice<UInt8>) -> Int {
        let simple: Int? = bytes.withUnsafeBufferPointer { buffer in
            var count = 0, index = 0
            while index < buffer.count {
                let lead = buffer[index]
                if lead < 0x80 {
                    guard lead != 0x0D else { return nil }
                    index += 1
                } else {
                    guard lead >= 0xE0, lead < 0xF0, index + 2 < buffer.count,
                          buffer[index + 1] & 0xC0 == 0x80, buffer[index + 2] & 0xC0 == 0x80 else { return nil }
                    let value = UInt32(lead & 0x0F) << 12 | UInt32(buffer[index + 1] & 0x3F) << 6 | UInt32(buffer[index + 2] & 0x3F)
                    guard isStandaloneCJK(value) else { return nil }
                    index += 3
                }
                count += 1
            }
            return count
        }
        return simple ?? String(decoding: bytes, as: UTF8.self).count
    }

    /// Ideographs, CJK punctuation before the ideographic tone marks (U+302A), and fullwidth forms:
    /// none joins its neighbours into one Character.
    static func isStandaloneCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x3000...0x3029).contains(value)
            || (0xFF01...0xFF5E).contains(value)
    }
}

/// One pass over the tree collects what we change afterwards: cmark forbids
/// changing nodes while an iterator is inside them.
struct TreeWalk {
    let lineOffset: Int
    /// Whether `textParents` is wanted (text is replaced): finding them takes a walk up from every text node.
    let collectsTextParents: Bool
    var headingNodes: [OpaquePointer] = []
    var links: [OpaquePointer] = []
    var rawHTML: [OpaquePointer] = []
    var footnoteReferences: [OpaquePointer] = []
    var footnoteDefinitions: [OpaquePointer] = []
    var tables: [OpaquePointer] = []
    /// Parents of text outside links, in document order, for `replaceTextRuns`.
    var textParents: [OpaquePointer] = []
    var textParentSet: Set<OpaquePointer> = []
    /// The search text, gathered as bytes: a String made for each text node was 2% of a build.
    var plainBytes: [UInt8] = []
    /// The text of the HTML nodes `replaceTextRuns` made, for the search text.
    var replacedText: [OpaquePointer: String] = [:]

    init(lineOffset: Int, collectsTextParents: Bool = true) {
        self.lineOffset = lineOffset
        self.collectsTextParents = collectsTextParents
    }

    mutating func collect(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            Self.addPlainText(node, event: event, to: &plainBytes)
            guard event != CMARK_EVENT_EXIT else { continue }
            switch type {
            case CMARK_NODE_HEADING: headingNodes.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE: links.append(node)
            case CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK: rawHTML.append(node)
            case CMARK_NODE_FOOTNOTE_REFERENCE: footnoteReferences.append(node)
            case CMARK_NODE_FOOTNOTE_DEFINITION: footnoteDefinitions.append(node)
            case CMARK_NODE_TEXT:
                if collectsTextParents, let parent = cmark_node_parent(node), !Self.isInsideLink(node), textParentSet.insert(parent).inserted {
                    textParents.append(parent)
                }
            // Tables belong to an extension, known only by name: asked after the commonest node, text.
            case _ where Self.isTable(node): tables.append(node)
            default: break
            }
        }
    }

    /// What a node adds to the search text when the walk enters or leaves it; `replaced` holds the text
    /// of the HTML that `replaceTextRuns` put in (a citation's `[1]`).
    static func addPlainText(_ node: OpaquePointer, event: cmark_event_type, replaced: [OpaquePointer: String] = [:], to text: inout [UInt8]) {
        let type = cmark_node_get_type(node)
        if event == CMARK_EVENT_EXIT {
            if type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_ITEM || type == CMARK_NODE_CODE_BLOCK {
                text.append(UInt8(ascii: "\n"))
            } else if isTableCell(node) {
                text.append(UInt8(ascii: " "))
            }
            return
        }
        switch type {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
            if let literal = cmark_node_get_literal(node) {
                text.append(contentsOf: UnsafeRawBufferPointer(start: literal, count: strlen(literal)))
            }
        case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text.append(UInt8(ascii: " "))
        case CMARK_NODE_CUSTOM_INLINE: replaced[node].map { text.append(contentsOf: $0.utf8) }
        default: break
        }
    }

    /// The search text again, after `replaceTextRuns` changed the tree.
    mutating func collectPlainText(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        plainBytes = []
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            if let node = cmark_iter_get_node(iterator) { Self.addPlainText(node, event: event, replaced: replacedText, to: &plainBytes) }
        }
    }

    static func isInsideLink(_ node: OpaquePointer) -> Bool {
        var current = cmark_node_parent(node)
        while let ancestor = current {
            let type = cmark_node_get_type(ancestor)
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE { return true }
            current = cmark_node_parent(ancestor)
        }
        return false
    }

    /// Offers each run of adjacent text nodes (cmark splits `[@key]` into `[`, `@key`, `]`) to `replace`,
    /// with its line; a non-nil answer replaces the run with text and HTML nodes.
    mutating func replaceTextRuns(_ replace: (String, Int) -> [TextReplacement]?) {
        for parent in textParents {
            var run: [OpaquePointer] = []
            var child = cmark_node_first_child(parent)
            while let node = child {
                child = cmark_node_next(node)
                if cmark_node_get_type(node) == CMARK_NODE_TEXT {
                    run.append(node)
                } else {
                    replaceRun(run, replace)
                    run = []
                }
            }
            replaceRun(run, replace)
        }
    }

    private mutating func replaceRun(_ run: [OpaquePointer], _ replace: (String, Int) -> [TextReplacement]?) {
        guard let first = run.first else { return }
        let text = run.map { cmark_node_get_literal($0).map { String(cString: $0) } ?? "" }.joined()
        guard let replacements = replace(text, line(of: first)) else { return }
        for replacement in replacements {
            let node: OpaquePointer?
            switch replacement {
            case .text(let text):
                node = CmarkArena.node(CMARK_NODE_TEXT)
                node.map { _ = cmark_node_set_literal($0, text) }
            case .html(let html, let text):
                node = CmarkArena.node(CMARK_NODE_CUSTOM_INLINE)
                node.map { _ = cmark_node_set_on_enter($0, html) }
                node.map { replacedText[$0] = text }
            }
            if let node { cmark_node_insert_before(first, node) }
        }
        for node in run {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
    }

    /// Line in the file. Inline nodes carry their own line in cmark-gfm; fall back to the enclosing block.
    func line(of node: OpaquePointer) -> Int {
        var current: OpaquePointer? = node
        while let candidate = current {
            let line = Int(cmark_node_get_start_line(candidate))
            if line > 0 { return line + lineOffset }
            current = cmark_node_parent(candidate)
        }
        return lineOffset + 1
    }

    /// Replaces each heading with a custom block that writes `<hN id="…">`, keeping its inline children.
    func anchorHeadings(prefix: String) -> [MarkdownHeading] {
        var anchors = AnchorSet()
        var headings: [MarkdownHeading] = []
        for node in headingNodes {
            let level = Int(cmark_node_get_heading_level(node))
            let text = Self.text(of: node)
            let id = prefix + anchors.unique(Slug.make(text))
            headings.append(MarkdownHeading(level: level, text: text, id: id, line: line(of: node)))
            // A custom block writes line breaks around its tags; the inline inside it does not.
            guard let block = CmarkArena.node(CMARK_NODE_CUSTOM_BLOCK),
                  let inline = CmarkArena.node(CMARK_NODE_CUSTOM_INLINE) else { continue }
            cmark_node_set_on_enter(inline, "<h\(level) id=\"\(HTMLEscaping.attribute(id))\">")
            cmark_node_set_on_exit(inline, "</h\(level)>")
            Self.ownLiterals(below: node)
            while let child = cmark_node_first_child(node) {
                cmark_node_append_child(inline, child)
            }
            cmark_node_append_child(block, inline)
            cmark_node_replace(node, block)
            cmark_node_free(node)
        }
        return headings
    }

    /// Raw HTML shown as text: inline HTML becomes a text node, an HTML block a paragraph.
    func escapeRawHTML() {
        for node in rawHTML {
            let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            guard let text = CmarkArena.node(CMARK_NODE_TEXT) else { continue }
            if cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK {
                guard let paragraph = CmarkArena.node(CMARK_NODE_PARAGRAPH) else { continue }
                cmark_node_set_literal(text, literal.hasSuffix("\n") ? String(literal.dropLast()) : literal)
                cmark_node_append_child(paragraph, text)
                cmark_node_replace(node, paragraph)
            } else {
                cmark_node_set_literal(text, literal)
                cmark_node_replace(node, text)
            }
            cmark_node_free(node)
        }
    }

    /// Replaces cmark-gfm's footnote markup: numbered in the order of first call, as cmark does,
    /// with ids that carry the document's prefix. The notes' HTML is rendered from their own nodes,
    /// so links in them are already resolved.
    func rewriteFootnotes(_ style: MarkdownRenderer.FootnoteStyle, prefix: String, options: Int32,
                          extensions: UnsafeMutablePointer<cmark_llist>?) {
        // cmark-gfm 0.29 exposes footnote labels only through its renderer: `href="#fn-LABEL"` on a call,
        // `<li id="fn-LABEL">` on a definition. Numbers are given in the order of first call, as cmark does.
        func render(_ node: OpaquePointer) -> String {
            guard let rendered = cmark_render_html_with_mem(node, options, extensions, CmarkArena.allocator) else { return "" }
            defer { CmarkArena.release(rendered) }
            return String(cString: rendered)
        }
        func value(after marker: String, in html: String) -> String {
            guard let start = html.range(of: marker), let end = html[start.upperBound...].firstIndex(of: "\"") else { return "" }
            return String(html[start.upperBound..<end])
        }
        // The prefix carries a slug: escaped like every attribute value, whatever the slug rule lets through.
        let prefix = HTMLEscaping.attribute(prefix)
        var numbers: [String: Int] = [:]
        let referenceLabels = footnoteReferences.map { value(after: "href=\"#fn-", in: render($0)) }
        for label in referenceLabels where numbers[label] == nil { numbers[label] = numbers.count + 1 }
        var notes: [String: String] = [:]
        var definitionLabels: [String] = []
        for definition in footnoteDefinitions {
            let label = value(after: "<li id=\"fn-", in: render(definition))
            definitionLabels.append(label)
            var parts: [String] = []
            var child = cmark_node_first_child(definition)
            while let node = child {
                parts.append(render(node).trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: " </p>", with: "</p>"))
                child = cmark_node_next(node)
            }
            notes[label] = parts.joined(separator: style == .inline ? " " : "\n")
        }
        for (reference, label) in zip(footnoteReferences, referenceLabels) {
            let number = numbers[label] ?? 0
            let html: String
            switch style {
            case .inline:
                let note = Self.unwrapParagraphs(notes[label] ?? "")
                html = "<span class=\"footnote\">\(note)</span>"
            default:
                html = "<sup class=\"footnote-ref\"><a href=\"#\(prefix)fn-\(number)\" id=\"\(prefix)fnref-\(number)\">\(number)</a></sup>"
            }
            guard let inline = CmarkArena.node(CMARK_NODE_CUSTOM_INLINE) else { continue }
            cmark_node_set_on_enter(inline, html)
            cmark_node_replace(reference, inline)
            cmark_node_free(reference)
        }
        var section = ""
        if style == .endnotes && !footnoteDefinitions.isEmpty {
            let ordered = definitionLabels.sorted { (numbers[$0] ?? .max) < (numbers[$1] ?? .max) }
            section = "<section class=\"footnotes\">\n<ol>\n"
            for label in ordered {
                let number = numbers[label] ?? 0
                section += "<li id=\"\(prefix)fn-\(number)\">\(notes[label] ?? "")</li>\n"
            }
            section += "</ol>\n</section>"
        }
        for (index, definition) in footnoteDefinitions.enumerated() {
            if index == 0 && !section.isEmpty, let block = CmarkArena.node(CMARK_NODE_CUSTOM_BLOCK) {
                cmark_node_set_on_enter(block, section)
                cmark_node_replace(definition, block)
            } else {
                cmark_node_unlink(definition)
            }
            cmark_node_free(definition)
        }
    }

    /// `<p>a</p>\n<p>b</p>` → `a b`: a note set inline must not open paragraphs.
    static func unwrapParagraphs(_ html: String) -> String {
        html.replacingOccurrences(of: "</p>\n<p>", with: " ").replacingOccurrences(of: "</p> <p>", with: " ")
            .replacingOccurrences(of: "<p>", with: "").replacingOccurrences(of: "</p>", with: "")
    }

    /// Chinese papers caption a table with a paragraph `表1　…` right above it. That paragraph
    /// becomes `<p class="table-caption">`, so stylesheets can centre it and keep it with its table.
    func markTableCaptions() {
        for table in tables {
            guard let paragraph = cmark_node_previous(table), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
                  Self.isTableCaption(Self.text(of: paragraph)),
                  let block = CmarkArena.node(CMARK_NODE_CUSTOM_BLOCK), let inline = CmarkArena.node(CMARK_NODE_CUSTOM_INLINE) else { continue }
            Self.ownLiterals(below: paragraph)
            cmark_node_set_on_enter(inline, "<p class=\"table-caption\">")
            cmark_node_set_on_exit(inline, "</p>")
            while let child = cmark_node_first_child(paragraph) { cmark_node_append_child(inline, child) }
            cmark_node_append_child(block, inline)
            cmark_node_replace(paragraph, block)
            cmark_node_free(paragraph)
        }
    }

    /// `表1　…`, `表 2 …`, `表３…`
    static func isTableCaption(_ text: String) -> Bool {
        guard text.hasPrefix("表") else { return false }
        let rest = text.dropFirst().drop(while: { $0 == " " || $0 == "\u{3000}" })
        return rest.first.map { $0.isNumber } ?? false
    }

    static func isTable(_ node: OpaquePointer) -> Bool {
        guard let name = cmark_node_get_type_string(node) else { return false }
        return strcmp(name, "table") == 0
    }

    /// Table nodes belong to the table extension, which exports no type constant.
    static func isTableCell(_ node: OpaquePointer) -> Bool {
        guard let name = cmark_node_get_type_string(node) else { return false }
        return strcmp(name, "table_cell") == 0
    }

    /// An inline node's text points into its block's buffer until it is read once, when cmark copies it.
    /// A block freed after its inlines moved elsewhere takes that buffer along: read every literal
    /// below it first (raw HTML in a heading was read after the heading was freed; found by fuzzing).
    static func ownLiterals(below node: OpaquePointer) {
        guard let iterator = cmark_iter_new(node) else { return }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            if event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) { _ = cmark_node_get_literal(child) }
        }
    }

    static func text(of node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(child)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, let literal = cmark_node_get_literal(child) {
                text += String(cString: literal)
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return text
    }
}
