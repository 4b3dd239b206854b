import Foundation
import PressCore
import PressIncremental
import PressLoader
import PressModel
import PressSearch
import PressTemplates

/// Stage 1, load: the theme, the previous build's cache and `Content/`, read and parsed.
struct LoadStage {
    let options: BuildOptions

    struct Output: Sendable {
        var site: Site
        var theme: Theme
        /// Everything every page depends on (`BuildCache.fingerprint`).
        var fingerprint: String
        var loader: ContentLoader
        var content: ContentLoader.Result
        /// The previous build's cache, when it still counts for this build's pages.
        var previous: BuildCache?
        /// The bibliography files the content walk found (`ContentLoader.Scan.bibliographyFiles`).
        var bibliographyFiles: Set<String>
        /// Books are compared input by input (`BookFingerprint`), so their records count even when the site's do not.
        var previousBooks: [String: BookRecord]
        /// The previous output's search index and list of files, read while the content is loaded.
        var storedSearch: Task<SearchStore.Contents?, Never>
        var outputFiles: Task<Set<String>?, Never>
        /// The previous build's pages that cannot be taken as they are (`UnusablePages`); nil without a previous build.
        var unusablePages: Task<UnusablePages?, Never>
        /// The content cache's lines for the next build, made while the pages are rendered.
        var encodedContent: Task<CacheText, Never>
    }

    func run(_ run: inout BuildRun) async -> Output? {
        if let baseURL = options.baseURL, let problem = BaseURL.problem(baseURL) {
            run.report([.error("--base-url", problem)], from: .load)
            return nil
        }
        // The cache, the longest part, is read on a core of its own while Content/ is walked and then the
        // theme loaded (the books' templates parsed only when there are books).
        let outputFolder = options.outputFolder, incremental = options.incremental
        let loader = ContentLoader(siteRoot: options.source, includeDrafts: options.includeDrafts)
        // A folder left by an interrupted patch may mix two builds: it is rebuilt in full.
        async let cached = incremental && !OutputPatch.isInterrupted(outputFolder) ? BuildCache.load(from: outputFolder) : nil
        let scan = loader.scan()
        let (theme, themeProblems) = ThemeLoader(options: options).load(books: scan.hasAnthologies)
        run.report(themeProblems, from: .load)
        // The previous build's cache counts only if nothing every page depends on has changed.
        let fingerprint = theme.map { BuildCache.fingerprint(theme: $0, options: options, bibliographies: scan.bibliographyFiles) }
        var previous = await cached
        let previousBooks = previous?.books ?? [:]
        if previous?.fingerprint != fingerprint { previous = nil }
        run.step(.load, "theme and build cache")

        // Read alongside the cache, these slowed it down; alongside the content they keep one core busy.
        let reusing = previous != nil, patching = reusing && options.linkCheck == nil
        let storedSearch = Task { reusing ? SearchStore.load(from: outputFolder) : nil }
        let outputFiles = Task { patching ? OutputManifest.read(from: outputFolder) : nil }
        let unusablePages = Task { [pages = previous?.pages] in
            guard let pages else { return nil as UnusablePages? }
            return await UnusablePages(pages: pages, folder: outputFolder, index: storedSearch)
        }
        // Handed over, not copied: the next build's cache is made from it in place.
        let previousContent = previous?.takeContent()
        let content = await loader.load(scan, reusing: consume previousContent)
        run.report(content.diagnostics, from: .load)
        run.step(.load, "content")
        guard let site = content.site, let theme, let fingerprint else { return nil }
        let contentCache = content.cache
        return Output(site: site, theme: theme, fingerprint: fingerprint, loader: loader, content: content, previous: previous,
                      bibliographyFiles: Set(scan.bibliographyFiles.map { "Content/" + $0 }),
                      previousBooks: previousBooks, storedSearch: storedSearch, outputFiles: outputFiles, unusablePages: unusablePages,
                      encodedContent: Task { BuildCache.encoded(contentCache) })
    }
}

/// The theme: the bundled one, with the site's `Templates/` overriding it file by file.
struct ThemeLoader {
    let options: BuildOptions

    func load(books: Bool = true) -> (Theme?, [Diagnostic]) {
        var folders: [URL] = []
        if let defaultTheme = options.defaultTheme { folders.append(defaultTheme) }
        let siteTemplates = options.source.appendingPathComponent("Templates").standardizedFileURL
        if FileManager.default.fileExists(atPath: siteTemplates.path), !folders.contains(siteTemplates) {
            folders.append(siteTemplates)
        }
        if folders.isEmpty {
            return (nil, [.error("Templates/", "no templates: the site has no Templates/ folder and the default theme was not found (set QPRESS_THEME)")])
        }
        let root = options.source.path + "/"
        return Theme.load(folders: folders, compiling: options.compiledTemplates, books: books) { url in
            let path = url.standardizedFileURL.path
            return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
        }
    }
}
