import PressCore
import PressMarkdown
import PressModel

/// Resolves links written in Markdown against the content tree, once, at the source:
/// `../papers/x.md#试验方案` becomes `/papers/x/#%E8%AF%95…`; a relative link to an asset
/// becomes its site path; a link to a content file that does not exist is an error.
struct ContentLinkResolver: Sendable {
    let routesBySource: [String: String]
    let staticPaths: Set<String>
    let urls: SiteURLs

    func resolve(_ destination: String, from source: DocumentHeader) -> LinkResolution {
        if destination.isEmpty || destination.hasPrefix("#") || destination.hasPrefix("//") || Self.hasScheme(destination) {
            return .keep
        }
        let (path, fragment) = Self.splitFragment(destination)
        let encodedFragment = fragment.map { "#" + URLPath.encode($0) } ?? ""
        if path.hasPrefix("/") {
            // Root-relative links follow the site when it lives below the host's root.
            return urls.basePath == "/" ? .keep : .replace(urls.basePath + path.dropFirst() + encodedFragment)
        }
        let decodedPath = URLPath.decode(path) ?? path
        guard let target = Self.normalize(directory: Self.directory(of: source.contentRelativePath), relative: decodedPath) else {
            return .broken("link '\(destination)' goes above the Content/ folder")
        }
        if target.hasSuffix(".md") || target.hasSuffix(".markdown") {
            guard let route = routesBySource[target] else {
                return .broken("link '\(destination)' points to a content file that does not exist (Content/\(target))")
            }
            return .replace(urls.href(route) + encodedFragment)
        }
        if staticPaths.contains(target) {
            return .replace(urls.href("/" + target) + encodedFragment)
        }
        return .broken("link '\(destination)' points to a file that does not exist (Content/\(target))")
    }

    /// The content file or static file a relative link points at (`papers/x.md`), found or not.
    func contentTarget(_ destination: String, from source: DocumentHeader) -> String? {
        guard !destination.isEmpty, !destination.hasPrefix("#"), !destination.hasPrefix("/"), !Self.hasScheme(destination) else { return nil }
        let (path, _) = Self.splitFragment(destination)
        return Self.normalize(directory: Self.directory(of: source.contentRelativePath), relative: URLPath.decode(path) ?? path)
    }

    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }
    }

    static func splitFragment(_ url: String) -> (String, String?) {
        guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
        let fragment = String(url[url.index(after: hash)...])
        return (String(url[..<hash]), URLPath.decode(fragment) ?? fragment)
    }

    static func directory(of path: String) -> [String] {
        Array(path.split(separator: "/").map(String.init).dropLast())
    }

    /// Joins and removes `.` and `..`; nil when the path climbs out of the root.
    static func normalize(directory: [String], relative: String) -> String? {
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
