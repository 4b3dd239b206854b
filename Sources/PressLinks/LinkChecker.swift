public import Foundation
public import PressCore

public struct LinkCheckOptions: Sendable {
    /// Skip external links.
    public var offline: Bool
    /// The site's base URL: absolute links below it are checked as internal files.
    public var baseURL: String?
    /// URLs matching any of these (`*` matches anything) are not checked.
    public var exclude: [String]
    public var external: ExternalCheckOptions

    public init(offline: Bool = false, baseURL: String? = nil, exclude: [String] = [], external: ExternalCheckOptions = .init()) {
        self.offline = offline
        self.baseURL = baseURL
        self.exclude = exclude
        self.external = external
    }
}

/// Checks every link in a folder of HTML (and our CSS): internal targets and fragments
/// against the files on disk, external URLs over HTTP. Works on any folder, not only ours;
/// with a `LinkSourceMap` it reports broken links at the Markdown line that wrote them.
public struct LinkChecker: Sendable {
    public let folder: URL
    public let options: LinkCheckOptions
    public let sources: LinkSourceMap

    public init(folder: URL, options: LinkCheckOptions = .init(), sources: LinkSourceMap = .init()) {
        self.folder = folder.standardizedFileURL
        self.options = options
        self.sources = sources
    }

    public func check() async -> LinkReport {
        let files = OutputFiles.list(folder)
        let pages = await scan(files)
        let basePath = options.baseURL.map(Self.basePath) ?? "/"
        let baseOrigin = options.baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" }

        var broken: [BrokenLink] = []
        var external: [String: [(page: String, link: FoundLink)]] = [:]
        var linksChecked = 0
        for (path, page) in pages.sorted(by: { $0.key < $1.key }) {
            let locator = SourceLocator(page: path, sources: sources)
            for link in page.links {
                linksChecked += 1
                if matchesExclude(link.url) { continue }
                let target = LinkTarget.classify(link.url, page: path, basePath: basePath, baseOrigin: baseOrigin)
                var reason: BrokenReason?
                switch target {
                case .ignored: break
                case .malformed(let why): reason = .malformed(why)
                case .outsideBase(let path): reason = .missingFile("\(path) is outside the site's base path \(basePath)")
                case .external(let url): external[url, default: []].append((path, link))
                case .internal(let file, let fragment):
                    reason = InternalLinks.check(file: file, fragment: fragment, files: files, pages: pages)
                }
                if let reason {
                    broken.append(BrokenLink(url: link.url, page: path, source: locator.source(of: link), reason: reason))
                }
            }
        }
        var externalChecked = 0
        if !options.offline && !external.isEmpty {
            let results = await ExternalLinkChecker(options: options.external).check(Array(external.keys))
            externalChecked = results.count
            for (url, reason) in results {
                guard let reason else { continue }
                for (page, link) in external[url] ?? [] {
                    broken.append(BrokenLink(url: link.url, page: page, source: SourceLocator(page: page, sources: sources).source(of: link), reason: reason))
                }
            }
        }
        broken.sort { ($0.source, $0.url, $0.page) < ($1.source, $1.url, $1.page) }
        return LinkReport(broken: broken, pagesChecked: pages.count, linksChecked: linksChecked,
                          externalChecked: externalChecked, externalSkipped: options.offline ? external.count : 0)
    }

    /// Parses every HTML and CSS file once, on all cores.
    private func scan(_ files: OutputFiles) async -> [String: ScannedPage] {
        let paths = files.scannable
        let slices = await ParallelSlices.map(paths, sliceSize: ParallelSlices.size(for: paths.count, slicesPerCore: 8, minimum: 16)) { slice in
            slice.compactMap { path -> (String, ScannedPage)? in
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) else { return nil }
                if path.hasSuffix(".css") {
                    var page = ScannedPage()
                    page.links = CSSScanner.urls(in: String(decoding: data, as: UTF8.self))
                    return (path, page)
                }
                return (path, HTMLScanner.scan(data))
            }
        }
        var pages: [String: ScannedPage] = [:]
        for slice in slices { for (path, page) in slice { pages[path] = page } }
        return pages
    }

    private func matchesExclude(_ url: String) -> Bool {
        options.exclude.contains { Wildcard.matches(pattern: $0, url) }
    }

    static func basePath(_ baseURL: String) -> String {
        guard let components = URLComponents(string: baseURL), !components.path.isEmpty else { return "/" }
        return components.path.hasSuffix("/") ? components.path : components.path + "/"
    }
}

/// The files of the checked folder, found once.
struct OutputFiles: Sendable {
    let all: Set<String>
    let directories: Set<String>
    let scannable: [String]

    static func list(_ folder: URL) -> OutputFiles {
        let root = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        var files: Set<String> = []
        var directories: Set<String> = [""]
        if let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let url as URL in enumerator {
                let path = url.standardizedFileURL.path
                guard path.hasPrefix(root) else { continue }
                let relative = String(path.dropFirst(root.count))
                if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                    directories.insert(relative)
                } else {
                    files.insert(relative)
                }
            }
        }
        let scannable = files.filter { $0.hasSuffix(".html") || $0.hasSuffix(".htm") || $0.hasSuffix(".css") }.sorted()
        return OutputFiles(all: files, directories: directories, scannable: scannable)
    }
}

/// Finds where a link found in a page was written: its Markdown origin when the build told us,
/// otherwise the template that rendered the page, otherwise the page itself.
struct SourceLocator {
    let page: String
    let origins: [String: SourceLocation]
    let template: String?
    let templateLinks: [String: SourceLocation]

    init(page: String, sources: LinkSourceMap) {
        self.page = page
        var origins: [String: SourceLocation] = [:]
        for origin in sources.links[page] ?? [] {
            let key = URLPath.decode(origin.href) ?? origin.href
            if origins[key] == nil { origins[key] = origin.location }
        }
        self.origins = origins
        self.template = sources.templates[page]
        self.templateLinks = sources.templateLinks
    }

    func source(of link: FoundLink) -> SourceLocation {
        if let origin = origins[URLPath.decode(link.url) ?? link.url] { return origin }
        if let literal = templateLinks[link.url] { return literal }
        if let template { return SourceLocation(file: template) }
        return SourceLocation(file: page, line: link.line)
    }
}

enum Wildcard {
    /// `*` matches any run of characters; everything else literally.
    static func matches(pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = text.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(parts[parts.count - 1])
    }
}
