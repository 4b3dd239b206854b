import Foundation
import PressCore
import PressLoader
import PressModel
import PressSite
import PressTemplates

/// What one build leaves for the next, inside the output folder: parsed documents, the pages
/// they became and the inputs everything depended on. A later build re-reads only changed files,
/// re-renders only pages whose inputs changed, and hard-links the rest from the previous output.
struct BuildCache: Codable {
    static let fileName = ".qpress-cache.json"
    /// Bump when the cache format or the rendering changes.
    static let formatVersion = 2

    var version = BuildCache.formatVersion
    /// Everything every page depends on: theme, site.yml, build options.
    var fingerprint: String
    var content: ContentCache
    var pages: [String: PageRecord]
    /// Index pages (home, lists, tags) → fingerprint of the values they were rendered from.
    var indexFingerprints: [String: String]
    /// Content path → route, and static files: when these change, pages linking to them are rendered again.
    var routes: [String: String]
    var staticPaths: [String]

    static func load(from output: URL) -> BuildCache? {
        guard let data = try? Data(contentsOf: output.appendingPathComponent(fileName)),
              let cache = try? JSONDecoder().decode(BuildCache.self, from: data),
              cache.version == formatVersion else { return nil }
        return cache
    }

    func write(into folder: URL) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        try? data.write(to: folder.appendingPathComponent(Self.fileName))
    }

    /// Theme files, `site.yml` and the options that change every page.
    static func fingerprint(theme: Theme, options: BuildOptions) -> String {
        var print = Fingerprint()
        print.add("qpress-\(formatVersion)")
        for (path, text) in theme.sources {
            print.add(path)
            print.add(text)
        }
        for asset in theme.assets { print.add(asset.outputPath) }
        if let siteFile = FileManager.default.contents(atPath: options.source.appendingPathComponent("Content/site.yml").path) {
            print.add(bytes: siteFile)
        }
        print.add(options.baseURL ?? "")
        print.add(options.includeDrafts ? "drafts" : "published")
        return print.hex
    }

    /// Documents to render again: those read from disk this time, those the cache does not know,
    /// and those linking to a content file or static file that appeared, vanished or moved.
    func dirtyDocuments(site: Site, readSources: Set<String>) -> Set<String> {
        let newRoutes = site.routesBySource
        var changedTargets = Set(newRoutes.keys).symmetricDifference(routes.keys)
        for (source, route) in newRoutes where routes[source] != nil && routes[source] != route { changedTargets.insert(source) }
        changedTargets.formUnion(Set(site.staticFiles.map(\.outputPath)).symmetricDifference(staticPaths))
        var dirty = readSources
        for header in site.headers {
            guard let record = pages[header.sourcePath] else {
                dirty.insert(header.sourcePath)
                continue
            }
            if !changedTargets.isDisjoint(with: record.targets) { dirty.insert(header.sourcePath) }
        }
        return dirty
    }
}
