import Foundation
import PressCore

/// What a URL in a page points at.
enum LinkTarget: Equatable {
    /// A file in the checked folder (relative path, decoded) and an optional fragment (decoded).
    case `internal`(file: String, fragment: String?)
    case external(String)
    /// Nothing to check (`javascript:`, `data:`, a well-formed `mailto:` …).
    case ignored
    case malformed(String)
    /// A root-relative link that leaves the site's base path (`/other/` on a site at `/quality/`).
    case outsideBase(String)

    static func classify(_ url: String, page: String, basePath: String, baseOrigin: String?) -> LinkTarget {
        if let baseOrigin, url.hasPrefix(baseOrigin) {
            return classify("/" + url.dropFirst(baseOrigin.count).drop(while: { $0 == "/" }), page: page, basePath: basePath, baseOrigin: nil)
        }
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            return URLComponents(string: url)?.host?.isEmpty == false ? .external(url) : .malformed("no host in '\(url)'")
        }
        if lower.hasPrefix("//") { return .external("https:" + url) }
        if lower.hasPrefix("mailto:") { return checkMailto(String(url.dropFirst(7))) }
        if lower.hasPrefix("tel:") { return checkTel(String(url.dropFirst(4))) }
        if let colon = url.firstIndex(of: ":"), url[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+.-".contains($0) }),
           url[..<colon].first?.isLetter == true {
            return .ignored // data:, javascript:, ftp: and others we do not fetch
        }
        // Relative or root-relative: resolve against the page, then within the base path.
        var path = url
        var fragment: String?
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[path.index(after: hash)...])
            path = String(path[..<hash])
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        guard let decodedPath = URLPath.decode(path) else { return .malformed("bad percent-encoding in '\(url)'") }
        let decodedFragment = fragment.map { URLPath.decode($0) ?? $0 }
        if decodedPath.isEmpty { return .internal(file: page, fragment: decodedFragment) }
        var parts: [Substring]
        if decodedPath.hasPrefix("/") {
            guard decodedPath.hasPrefix(basePath) || decodedPath + "/" == basePath else { return .outsideBase(decodedPath) }
            parts = []
            path = String(decodedPath.dropFirst(basePath.count))
        } else {
            parts = page.split(separator: "/").dropLast()
            path = decodedPath
        }
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(component)
            }
        }
        var file = parts.joined(separator: "/")
        if path.hasSuffix("/") || path.isEmpty { file += file.isEmpty ? "" : "/" }
        return .internal(file: file, fragment: decodedFragment)
    }

    static func checkMailto(_ address: String) -> LinkTarget {
        let recipient = address.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let decoded = URLPath.decode(recipient) ?? recipient
        let addresses = decoded.split(separator: ",")
        let valid = !addresses.isEmpty && addresses.allSatisfy { candidate in
            let parts = candidate.trimmingCharacters(in: .whitespaces).split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
                && !parts[1].contains(" ")
        }
        return valid ? .ignored : .malformed("'mailto:\(address)' is not an e-mail address")
    }

    static func checkTel(_ number: String) -> LinkTarget {
        let allowed = CharacterSet(charactersIn: "0123456789+-(). ")
        let decoded = URLPath.decode(number) ?? number
        let digits = decoded.filter(\.isNumber).count
        let valid = digits >= 3 && decoded.unicodeScalars.allSatisfy { allowed.contains($0) }
        return valid ? .ignored : .malformed("'tel:\(number)' is not a telephone number")
    }
}

enum InternalLinks {
    /// Directory URLs resolve to `index.html`; a fragment must be an `id` or `<a name>` in the target page.
    static func check(file: String, fragment: String?, files: OutputFiles, pages: [String: ScannedPage]) -> BrokenReason? {
        var target = file
        if target.isEmpty || target.hasSuffix("/") {
            target += "index.html"
        } else if !files.all.contains(target) && files.directories.contains(target) {
            target += "/index.html"
        }
        guard files.all.contains(target) else { return .missingFile(target) }
        guard let fragment, !fragment.isEmpty, fragment != "top" else { return nil }
        guard let page = pages[target], !target.hasSuffix(".css") else { return nil }
        return page.anchors.contains(fragment) ? nil : .missingAnchor(fragment)
    }
}
