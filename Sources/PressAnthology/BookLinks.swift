import PressCore
import PressMarkdown
import PressModel

/// The formats a book is written in; each has its own link resolver.
enum BookFormat: Sendable {
    /// One HTML file for WeasyPrint: `#<slug>--h`.
    case print
    /// One web page under the site: the same fragments as print, site links relative to the site.
    case web
    /// One XHTML file per document: `<slug>.xhtml#h`.
    case epub
}

/// Resolves links written in the book's Markdown for one format, once, at the source.
/// A link to a document in the book stays in the book; a link to a page of the website that
/// the book leaves out goes to the website (absolute URL: a PDF or EPUB has no site around it).
struct BookLinkResolver: Sendable {
    let format: BookFormat
    /// Documents of the book by path below `Content/`, mapped to their slug.
    let slugs: [String: String]
    /// Every document of the site by path below `Content/`, mapped to its route (`/papers/x/`).
    let routes: [String: String]
    /// Static files below `Content/` by path (`assets/images/gear.svg`), mapped to the file on disk.
    let staticFiles: [String: String]
    let site: SiteConfig

    /// Where `destination`, written in a document whose own slug is `slug`, goes.
    func resolve(_ destination: String, from sourcePath: String, slug: String) -> LinkResolution {
        switch ContentLink.classify(destination, from: sourcePath) {
        case .external:
            return .keep
        case .fragment(let fragment):
            return .replace(anchor(slug: slug, fragment: fragment))
        case .rootRelative(let path, let fragment):
            let target = URLPath.decode(String(path.dropFirst())) ?? String(path.dropFirst())
            // `/assets/images/x.jpg` is a file of the book, as a relative path to it is.
            if BookImages.isImage(target) { return file(target, written: destination) }
            let suffix = fragment.map { "#" + URLPath.encode($0) } ?? ""
            return .replace(siteLink(String(path.dropFirst())) + suffix)
        case .outsideContent:
            return .broken("link '\(destination)' goes above the Content/ folder")
        case .content(let target, let fragment):
            if let targetSlug = slugs[target] {
                return .replace(anchor(slug: targetSlug, fragment: fragment, from: slug))
            }
            let suffix = fragment.map { "#" + URLPath.encode($0) } ?? ""
            if ContentLink.isMarkdown(target) {
                guard let route = routes[target] else {
                    return .broken("link '\(destination)' points to a content file that does not exist (Content/\(target))")
                }
                return .replace(siteLink(String(route.dropFirst())) + suffix)
            }
            return file(target, written: destination)
        }
    }

    /// A static file below `Content/`: images become the book's own copies (`BookImages`), other files
    /// are linked on disk (print), on the site (web) or packed (EPUB).
    private func file(_ target: String, written destination: String) -> LinkResolution {
        guard let file = staticFiles[target] else {
            return .broken("link '\(destination)' points to a file that does not exist (Content/\(target))")
        }
        if BookImages.isImage(target) { return .replace(URLPath.encode(BookImages.file(target, format: format))) }
        switch format {
        case .print: return .replace("file://" + URLPath.encode(file))
        case .web: return .replace(siteLink(target))
        case .epub: return .replace(EPUBWriter.resourcePath(target))
        }
    }

    /// The static image file below `Content/` that `destination` names, if it names one.
    func imageTarget(_ destination: String, from sourcePath: String) -> String? {
        let target: String
        switch ContentLink.classify(destination, from: sourcePath) {
        case .rootRelative(let path, _): target = URLPath.decode(String(path.dropFirst())) ?? String(path.dropFirst())
        case .content(let path, _): target = path
        default: return nil
        }
        return BookImages.isImage(target) && staticFiles[target] != nil ? target : nil
    }

    /// The id of a heading or footnote of document `slug` inside one-file formats.
    static func id(slug: String, fragment: String) -> String { "\(slug)--\(fragment)" }

    private func anchor(slug target: String, fragment: String?, from current: String? = nil) -> String {
        switch format {
        case .print, .web:
            guard let fragment, !fragment.isEmpty else { return "#" + target }
            return "#" + Self.id(slug: target, fragment: fragment)
        case .epub:
            let file = target == current ? "" : URLPath.encode(EPUBWriter.fileName(slug: target))
            guard let fragment, !fragment.isEmpty else { return file.isEmpty ? "#" : file }
            return file + "#" + fragment
        }
    }

    /// A page of the website: relative to the site for the web edition, absolute elsewhere.
    private func siteLink(_ path: String) -> String {
        let encoded = URLPath.encode(path)
        switch format {
        case .web: return URLPath.encode(site.basePath) + encoded
        case .print, .epub:
            let base = site.baseURL.contains("://") ? site.baseURL : site.basePath
            return base + encoded
        }
    }
}
