import CGumbo
public import Foundation

/// A URL found in an output file, with the element and attribute that held it.
public struct FoundLink: Sendable, Hashable {
    public var url: String
    public var element: String
    public var attribute: String
    /// Line in the output file.
    public var line: Int
}

/// What a page offers to and asks of the rest of the site.
public struct ScannedPage: Sendable {
    public var links: [FoundLink] = []
    /// `id` attributes and `<a name>`: the fragments this page answers.
    public var anchors: Set<String> = []
}

/// Reads HTML with gumbo, a conforming HTML5 parser, never with regular expressions.
public enum HTMLScanner {
    /// Elements and attributes that point at other resources.
    static let urlAttributes: [GumboTag: [String]] = [
        GUMBO_TAG_A: ["href"], GUMBO_TAG_AREA: ["href"], GUMBO_TAG_LINK: ["href"],
        GUMBO_TAG_IMG: ["src", "srcset"], GUMBO_TAG_SCRIPT: ["src"], GUMBO_TAG_SOURCE: ["src", "srcset"],
        GUMBO_TAG_IFRAME: ["src"], GUMBO_TAG_VIDEO: ["src", "poster"], GUMBO_TAG_AUDIO: ["src"],
    ]

    public static func scan(_ data: Data) -> ScannedPage {
        var page = ScannedPage()
        var bytes = [UInt8](data)
        bytes.append(0)
        bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { text in
                withUnsafePointer(to: kGumboDefaultOptions) { options in
                    guard let output = gumbo_parse_with_options(options, text, buffer.count - 1) else { return }
                    defer { gumbo_destroy_output(options, output) }
                    walk(output.pointee.root, into: &page)
                }
            }
        }
        return page
    }

    /// Iterative walk: deeply nested pages must not exhaust the stack.
    private static func walk(_ root: UnsafeMutablePointer<GumboNode>?, into page: inout ScannedPage) {
        var stack: [UnsafeMutablePointer<GumboNode>] = root.map { [$0] } ?? []
        while let node = stack.popLast() {
            guard node.pointee.type == GUMBO_NODE_ELEMENT || node.pointee.type == GUMBO_NODE_TEMPLATE else { continue }
            var element = node.pointee.v.element
            let tag = element.tag
            if let id = attribute("id", of: &element.attributes), !id.isEmpty { page.anchors.insert(id) }
            if tag == GUMBO_TAG_A, let name = attribute("name", of: &element.attributes), !name.isEmpty { page.anchors.insert(name) }
            if let names = urlAttributes[tag] {
                let elementName = String(cString: gumbo_normalized_tagname(tag))
                for name in names {
                    guard let value = attribute(name, of: &element.attributes) else { continue }
                    let line = Int(element.start_pos.line)
                    let urls = name == "srcset" ? srcsetURLs(value) : [value.trimmingCharacters(in: .whitespacesAndNewlines)]
                    for url in urls where !url.isEmpty {
                        page.links.append(FoundLink(url: url, element: elementName, attribute: name, line: line))
                    }
                }
            }
            let children = element.children
            for index in stride(from: Int(children.length) - 1, through: 0, by: -1) {
                if let child = children.data[index]?.assumingMemoryBound(to: GumboNode.self) { stack.append(child) }
            }
        }
    }

    private static func attribute(_ name: String, of attributes: inout GumboVector) -> String? {
        guard let attribute = gumbo_get_attribute(&attributes, name), let value = attribute.pointee.value else { return nil }
        return String(cString: value)
    }

    /// `a.png 1x, b.png 2x` → the URLs.
    static func srcsetURLs(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { candidate in
            candidate.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map(String.init)
        }
    }
}

/// `url(...)` references in a stylesheet. A tiny tokenizer that knows comments and strings.
public enum CSSScanner {
    public static func urls(in css: String) -> [FoundLink] {
        var links: [FoundLink] = []
        let scalars = Array(css.unicodeScalars)
        var index = 0
        var line = 1
        func peek(_ text: String, at position: Int) -> Bool {
            let target = Array(text.unicodeScalars)
            guard position + target.count <= scalars.count else { return false }
            for offset in 0..<target.count where Character(scalars[position + offset]).lowercased() != String(target[offset]) { return false }
            return true
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" { line += 1 }
            if scalar == "/" && index + 1 < scalars.count && scalars[index + 1] == "*" {
                index += 2
                while index + 1 < scalars.count && !(scalars[index] == "*" && scalars[index + 1] == "/") {
                    if scalars[index] == "\n" { line += 1 }
                    index += 1
                }
                index += 2
                continue
            }
            if scalar == "\"" || scalar == "'" {
                index += 1
                while index < scalars.count && scalars[index] != scalar {
                    if scalars[index] == "\\" { index += 1 }
                    index += 1
                }
                index += 1
                continue
            }
            if peek("url(", at: index) {
                index += 4
                var value = ""
                while index < scalars.count && scalars[index] != ")" {
                    value.unicodeScalars.append(scalars[index])
                    index += 1
                }
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                    .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if !trimmed.isEmpty { links.append(FoundLink(url: trimmed, element: "css", attribute: "url", line: line)) }
                index += 1
                continue
            }
            index += 1
        }
        return links
    }
}
