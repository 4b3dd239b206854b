import PressCore

/// What a link written in Markdown points at, before any output format is chosen.
/// Every renderer classifies links the same way, then maps the result with its own
/// resolver: the website to `/papers/x/#h`, print to `#x--h`, EPUB to `x.xhtml#h`.
public enum ContentLink: Sendable, Equatable {
    /// Left as written: a URL with a scheme (`https:`, `mailto:`), `//host/…`, or empty.
    case external
    /// `#h` within the same document; the fragment is percent-decoded.
    case fragment(String)
    /// `/slogans/`: a path from the site's root, with its decoded fragment.
    case rootRelative(path: String, fragment: String?)
    /// A file below `Content/`, e.g. `papers/x.md` (decoded), with its decoded fragment.
    /// It may not exist: the resolver decides what a missing target means.
    case content(path: String, fragment: String?)
    /// A relative path that climbs out of `Content/`.
    case outsideContent

    /// Classifies `destination`, written in the file at `sourcePath` (relative to `Content/`, e.g. `stories/a.md`).
    public static func classify(_ destination: String, from sourcePath: String) -> ContentLink {
        classify(destination, from: SourceFolder(sourcePath))
    }

    /// Classifies `destination`, written in a file of `folder`: a page with many links splits its path once.
    public static func classify(_ destination: String, from folder: SourceFolder) -> ContentLink {
        if destination.isEmpty || destination.hasPrefix("//") || hasScheme(destination) { return .external }
        let (path, written) = splitFragment(destination)
        let fragment = written.map { URLPath.decode($0) ?? $0 }
        if path.isEmpty { return .fragment(fragment ?? "") }
        if path.hasPrefix("/") { return .rootRelative(path: path, fragment: fragment) }
        let decodedPath = URLPath.decode(path) ?? path
        guard let target = folder.resolve(decodedPath) else { return .outsideContent }
        return .content(path: target, fragment: fragment)
    }

    /// The folder of the file a link is written in (`stories` for `stories/a.md`), split once.
    public struct SourceFolder: Sendable {
        let components: [String]
        let path: String

        public init(_ sourcePath: String) {
            components = ContentLink.directory(of: sourcePath)
            path = components.joined(separator: "/")
        }

        /// `relative` joined to the folder, as `normalize` does; a plain file name (no `/`, not `.` or `..`)
        /// is joined without splitting anything.
        func resolve(_ relative: String) -> String? {
            guard !relative.isEmpty, relative != ".", relative != "..", !relative.utf8.contains(UInt8(ascii: "/")) else {
                return ContentLink.normalize(directory: components, relative: relative)
            }
            return path.isEmpty ? relative : path + "/" + relative
        }
    }

    /// True for a Markdown document (as opposed to an image or download).
    public static func isMarkdown(_ path: String) -> Bool {
        path.hasSuffix(".md") || path.hasSuffix(".markdown")
    }

    /// Whether `url` starts with a scheme (`https:`), read in bytes: a scheme is ASCII. A colon followed
    /// by a non-ASCII byte may be joined by a mark into another Character: the Characters decide then.
    static func hasScheme(_ url: String) -> Bool {
        var length = 0
        let bytes = url.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            if byte == UInt8(ascii: ":") {
                if index != bytes.endIndex && bytes[index] >= 0x80 { return hasSchemeByCharacters(url) }
                return length > 0
            }
            guard isSchemeByte(byte) else { return false }
            length += 1
        }
        return false
    }

    /// The definition `hasScheme` agrees with: the text before the first `:` Character is ASCII letters,
    /// digits and `+.-`.
    static func hasSchemeByCharacters(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "-"): return true
        default: return false
        }
    }

    /// Path and fragment as written (the fragment without its `#`).
    static func splitFragment(_ url: String) -> (String, String?) {
        guard let hash = ByteSearch.firstCharacter(UInt8(ascii: "#"), in: url) else { return (url, nil) }
        return (String(url[..<hash]), String(url[url.index(after: hash)...]))
    }

    static func directory(of path: String) -> [String] {
        Array(path.split(separator: "/").map(String.init).dropLast())
    }

    /// Joins and removes `.` and `..`; nil when the path climbs out of the root.
    public static func normalize(directory: [String], relative: String) -> String? {
        var parts = directory
        for component in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(component))
            }
        }
        return parts.joined(separator: "/")
    }
}
