import Foundation
import PressCore
import PressImages
import PressMarkdown
import PressModel
import Synchronization

/// The website's link resolver: maps what `ContentLink` found to site URLs, once, at the source.
/// `../papers/x.md#试验方案` becomes `/papers/x/#%E8%AF%95…`; a relative link to an asset
/// becomes its site path; a link to a content file that does not exist is an error.
struct ContentLinkResolver: Sendable {
    let routes: RouteTable
    let staticPaths: Set<String>
    let urls: SiteURLs
    /// Links to an image's source go to its processed variant.
    var images: SiteImages?

    /// `destination` written in a file of `folder`, made once for all the links of a page. The content or
    /// static file it points at, found or not, joins `targets` (a root-relative link to a processed image
    /// counts too: the page shows the image's variants); each link is classified once.
    func resolve(_ destination: String, in folder: ContentLink.SourceFolder, targets: inout Set<String>) -> LinkResolution {
        switch ContentLink.classify(destination, from: folder) {
        case .external, .fragment:
            return .keep
        case .rootRelative(let path, let fragment):
            if let images, let source = images.sourcePath(ofRootRelative: path) {
                targets.insert(source)
                if let href = images.href(forSource: source) { return .replace(href) }
            }
            let sitePath = String(path.drop(while: { $0 == "/" }))
            if ImageStage.handles(sitePath), !staticPaths.contains(sitePath.removingPercentEncoding ?? sitePath) {
                return .broken("image '\(destination)' does not exist (Content/\(sitePath))")
            }
            // Root-relative links follow the site when it lives below the host's root.
            return urls.basePath == "/" ? .keep : .replace(urls.basePath + path.dropFirst() + (fragment.map { "#" + URLPath.encode($0) } ?? ""))
        case .outsideContent:
            return .broken("link '\(destination)' goes above the Content/ folder")
        case .content(let target, let fragment):
            targets.insert(target)
            let encodedFragment = fragment.map { "#" + URLPath.encode($0) } ?? ""
            if ContentLink.isMarkdown(target) {
                guard let route = routes.route(of: target) else {
                    return .broken("link '\(destination)' points to a content file that does not exist (Content/\(target))")
                }
                return .replace(urls.href(route) + encodedFragment)
            }
            if let href = images?.href(forSource: target) { return .replace(href + encodedFragment) }
            if staticPaths.contains(target) {
                return .replace(urls.href("/" + target) + encodedFragment)
            }
            return .broken("link '\(destination)' points to a file that does not exist (Content/\(target))")
        }
    }

}

/// Source path → route (`Site.routesBySource`): the table made already, or made when a link first asks, so that an
/// edit whose pages link to no document never makes it (10,000 routes, a thirtieth of an edit's work).
final class RouteTable: Sendable {
    private let made: [String: String]?
    private let site: Site?
    private let lazy = Mutex<[String: String]?>(nil)

    init(_ table: [String: String]) {
        made = table
        site = nil
    }

    init(makingFrom site: Site) {
        made = nil
        self.site = site
    }

    func route(of source: String) -> String? {
        if let made { return made[source] }
        return lazy.withLock { table in
            let routes = table ?? site?.routesBySource ?? [:]
            table = routes
            return routes[source]
        }
    }
}
