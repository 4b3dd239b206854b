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
        if destination.isEmpty || destination.hasPrefix("//") || hasScheme(destination) { return .external }
        let (path, written) = splitFragment(destination)
        let fragment = written.map { URLPath.decode($0) ?? $0 }
        if path.isEmpty { return .fragment(fragment ?? "") }
        if path.hasPrefix("/") { return .rootRelative(path: path, fragment: fragment) }
        let decodedPath = URLPath.decode(path) ?? path
        guard let target = normalize(directory: directory(of: sourcePath), relative: decodedPath) else { return .outsideContent }
        return .content(path: target, fragment: fragment)
    }

    /// True for a Markdown document (as opposed to an image or download).
    public static func isMarkdown(_ path: String) -> Bool {
        path.hasSuffix(".md") || path.hasSuffix(".markdown")
    }

    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
    }

    /// Path and fragment as written (the fragment without its `#`).
    static func splitFragment(_ url: String) -> (String, String?) {
        guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
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
