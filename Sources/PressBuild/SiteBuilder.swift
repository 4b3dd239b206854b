public import Foundation
public import PressAnthology
public import PressCore
import PressImages
public import PressLinks
import PressLoader
public import PressModel
import PressSearch
public import PressSite
import PressTemplates

public struct BuildOptions: Sendable {
    /// Folder holding `Content/` and optionally `Templates/`.
    public var source: URL
    /// Defaults to `source/Output`.
    public var output: URL?
    public var includeDrafts: Bool
    /// Replaces `base_url` from `site.yml`.
    public var baseURL: String?
    /// The bundled theme; a site's `Templates/` overrides it file by file.
    public var defaultTheme: URL?
    /// Check links in the new output before swapping it in; a broken link fails the build.
    public var linkCheck: LinkCheckMode?
    /// Where external link results are remembered between runs.
    public var linkCacheFile: URL?
    /// Reuse the previous output's cache to re-read and re-render only what changed.
    public var incremental = true

    /// Make the anthologies' PDFs with WeasyPrint (`--no-pdf` turns it off).
    public var anthologyPDF: Bool
    /// Also write each anthology's screen PDF (`<name>.proof.pdf`: RGB, no bleed, no marks; `--proof`).
    public var anthologyProof = false
    /// Images too coarse for the press fail the build (`--strict`).
    public var anthologyStrict = false
    /// Leave changed books' PDFs for later: the build returns them as `BuildResult.pdfJobs`, keeps the previous
    /// PDF (or none) and marks the book's record as unfinished (`qpress serve`, which makes them in the background).
    public var deferPDFs = false

    public init(source: URL, output: URL? = nil, includeDrafts: Bool = false, baseURL: String? = nil,
                defaultTheme: URL? = DefaultTheme.locate(), linkCheck: LinkCheckMode? = nil, linkCacheFile: URL? = nil,
                anthologyPDF: Bool = true) {
        self.source = source.standardizedFileURL
        self.output = output?.standardizedFileURL
        self.includeDrafts = includeDrafts
        self.baseURL = baseURL
        self.defaultTheme = defaultTheme
        self.linkCheck = linkCheck
        self.linkCacheFile = linkCacheFile
        self.anthologyPDF = anthologyPDF
    }

    public var outputFolder: URL { output ?? source.appendingPathComponent("Output") }
}

public struct BuildResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var pagesWritten: Int
    public var filesCopied: Int
    /// Document pages taken unchanged from the previous output.
    public var pagesReused = 0
    /// Image variant files made by this build, and taken from the previous output without decoding.
    public var imageFilesMade = 0
    public var imageFilesReused = 0
    public var seconds: Double
    public var output: URL
    /// The render report of a successful build (pages, link origins, search records).
    public var report: SiteRenderReport?
    /// Seconds spent in each step, in order (`qpress build --timings`).
    public var timings: [(step: String, seconds: Double)] = []
    /// Present when links were checked.
    public var linkReport: LinkReport?
    /// One per anthology built, with its files and the time our HTML and WeasyPrint took.
    public var anthologies: [AnthologyReport] = []
    /// The PDFs left for later (`BuildOptions.deferPDFs`), one job per book; install them with `installPDF`.
    public var pdfJobs: [PDFJob] = []
    /// The build's large values (the previous cache, the site, the renderer), handed to the caller
    /// rather than freed object by object as `build` returns: a command about to exit need not free
    /// them at all (a few hundredths of a second for 10,000 pages).
    public var workingSet: [any Sendable] = []

    public var succeeded: Bool { !diagnostics.hasErrors }
}

/// The driver: load → templates → render into a staging folder → swap into the output folder.
/// On any error the staging folder is thrown away and the previous output stays as it was.
public struct SiteBuilder: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) { self.options = options }

    public func build(progress: (@Sendable (Int) -> Void)? = nil) async -> BuildResult {
        let clock = ContinuousClock()
        let start = clock.now
        var result = BuildResult(diagnostics: [], pagesWritten: 0, filesCopied: 0, seconds: 0, output: options.outputFolder, report: nil)
        var stepStart = start
        func step(_ name: String) {
            let now = clock.now
            result.timings.append((name, Self.seconds(now - stepStart)))
            stepStart = now
        }

        if let problem = baseURLProblem() {
            result.diagnostics.append(problem)
            return finish(result, start: start, clock: clock)
        }
        // Content/ is walked, and the theme loaded, while the cache is read.
        let outputFolder = options.outputFolder, incremental = options.incremental
        let loader = ContentLoader(siteRoot: options.source, includeDrafts: options.includeDrafts)
        async let contentScan = loader.scan()
        // A folder left by an interrupted patch may mix two builds: it is rebuilt in full.
        async let cached = incremental && !OutputPatch.isInterrupted(outputFolder) ? BuildCache.load(from: outputFolder) : nil
        let (theme, themeProblems) = loadTheme()
        result.diagnostics += themeProblems
        // The previous build's cache counts only if nothing every page depends on has changed.
        let fingerprint = theme.map { BuildCache.fingerprint(theme: $0, options: options) }
        let previousCache = await cached
        let previous = previousCache.flatMap { $0.fingerprint == fingerprint ? $0 : nil }
        // Books are compared input by input (`BookFingerprint`), so their records count even when the site's do not.
        let previousBooks = previousCache?.books ?? [:]

        step("theme and build cache")
        // The previous output's search index and list of files are read while the content is loaded,
        // which keeps one core busy: read alongside the cache, they slowed it down.
        let reusing = previous != nil, patching = reusing && options.linkCheck == nil
        async let storedSearch = reusing ? SearchStore.load(from: outputFolder) : nil
        async let outputFiles = patching ? OutputManifest.read(from: outputFolder) : nil
        let loaded = await loader.load(await contentScan, reusing: previous?.content)
        result.diagnostics += loaded.diagnostics
        step("content")

        guard var site = loaded.site, let theme, let fingerprint else { return finish(result, start: start, clock: clock) }
        let contentCache = loaded.cache
        async let encodedContent = contentCache.encoded()
        if let baseURL = options.baseURL { site.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/" }
        let routes = site.routesBySource
        var reusable: ReusableOutput?
        // With the previous build's list of files, unchanged files stay where they are and only the
        // rest is moved in; the link checker needs a complete folder to read, so it gets the full swap.
        let previousFiles: Set<String>? = previous != nil ? await outputFiles : nil
        let staging: StagingDirectory
        do {
            staging = try StagingDirectory(output: options.outputFolder, protecting: options.source)
        } catch {
            result.diagnostics.append(.error(options.outputFolder.path, error.description))
            return finish(result, start: start, clock: clock)
        }
        var writer = OutputWriter(root: staging.staging)
        writer.reusesInPlace = previousFiles != nil
        let images = await processImages(of: site, writer: writer)
        result.diagnostics += images.diagnostics
        (result.imageFilesMade, result.imageFilesReused) = (images.written.count, images.reused.count)
        step("images")
        if let previous {
            var dirty = previous.dirtyDocuments(site: site, routes: routes, readSources: loaded.readSources)
            dirty.formUnion(previous.documentsShowing(imagesChangedIn: images.hashes))
            let stored = site.config.search ? await storedSearch : nil
            reusable = ReusableOutput(folder: options.outputFolder, pages: previous.pages, dirty: [],
                                      indexFingerprints: previous.indexFingerprints, searchStore: stored)
            // A page is reused with its entry in the search index; one without is rendered again.
            if site.config.search, let searchPaths = reusable?.searchPaths {
                for (source, page) in previous.pages where !searchPaths.contains(page.outputPath) { dirty.insert(source) }
            }
            // Documents that come from the cache have no body; read the few that must be rendered again,
            // and those the anthologies print.
            let inBooks = Set(site.anthologies.flatMap(\.documents).map { "Content/" + $0 })
            site = loader.withBodies(site, for: dirty.union(inBooks).subtracting(loaded.readSources))
            reusable?.dirty = dirty
            step("changes since the last build")
        }

        let renderer = SiteRenderer(site: site, theme: theme, routes: routes, images: images.images)
        // The search index is made while pages are written: in an incremental build by updating the
        // previous build's index with the few documents rendered again, in a clean one from the pages' records.
        let searchEnabled = site.config.search, searchReusing = searchEnabled && reusable?.searchStore != nil ? reusable : nil
        async let searchAhead = Self.writeSearchIndex(renderer, reusing: searchReusing, writer: writer)
        var report = await renderer.render(to: writer, reusing: reusable, progress: progress)
        report.sources.templateLinks = Self.literalLinks(in: theme)
        step("pages")
        let searchRecords = report.searchRecords
        async let searchAfter = searchEnabled && searchReusing == nil ? renderer.writeSearchIndex(searchRecords, writer: writer) : nil
        result.diagnostics += report.diagnostics
        result.pagesWritten = report.pagesWritten
        result.pagesReused = report.pagesReused
        result.filesCopied = report.filesCopied
        report.reusedFiles += images.reused
        var bookRecords: [String: BookRecord] = [:]
        if !site.anthologies.isEmpty && !result.diagnostics.hasErrors {
            // Into the same staging folder: a book that fails fails the build and leaves Output/ as it was.
            var bookOptions = AnthologyRenderer.Options(pdf: options.anthologyPDF, proof: options.anthologyProof, strict: options.anthologyStrict)
            bookOptions.deferPDF = options.deferPDFs
            let anthologies = AnthologyRenderer(site: site, theme: theme, options: bookOptions)
            let books = await buildBooks(anthologies, site: site, previous: previousBooks, writer: writer, staging: staging.staging)
            result.anthologies = books.reports
            result.pdfJobs = books.pdfJobs
            bookRecords = books.records
            report.reusedFiles += books.reusedFiles
            let known = Set(result.diagnostics)
            result.diagnostics += result.anthologies.flatMap(\.diagnostics).filter { !known.contains($0) }
            step("anthologies")
        }
        if !result.diagnostics.hasErrors {
            var cache = BuildCache(fingerprint: fingerprint, content: contentCache, pages: report.pages,
                                   indexFingerprints: report.indexFingerprints, routes: routes,
                                   staticPaths: site.staticFiles.map(\.outputPath), templates: report.sources.templates,
                                   templateLinks: report.sources.templateLinks)
            cache.imageHashes = images.hashes
            cache.books = bookRecords
            do {
                try cache.write(into: staging.staging, encodedContent: await encodedContent, previous: previous)
            } catch {
                result.diagnostics.append(.error(options.outputFolder.path, "cannot write the build cache: \(error.localizedDescription)"))
            }
            step("build cache")
        }
        let (ahead, after) = (await searchAhead, await searchAfter)
        if let searchIndex = ahead ?? after {
            result.diagnostics += searchIndex.diagnostics
            report.reusedFiles += searchIndex.reusedFiles
            step("search index (made alongside the steps above)")
        }
        if !result.diagnostics.hasErrors {
            if let mode = options.linkCheck {
                let linkReport = await LinkChecker(folder: staging.staging, options: linkCheckOptions(site.config, mode: mode),
                                                   sources: report.sources).check()
                result.linkReport = linkReport
                result.diagnostics += linkReport.broken.map { .init($0.source, "broken link '\($0.url)': \($0.reason)") }
                step("link check")
            }
        }
        if result.diagnostics.hasErrors {
            staging.discard()
            return finish(result, start: start, clock: clock)
        }
        do {
            if let previousFiles {
                var patch = await OutputPatch(staging: staging.staging, kept: report.reusedFiles, previous: previousFiles)
                // The list changes only when files come or go; an edit keeps the previous one.
                let files = Set(patch.written).union(report.reusedFiles)
                if files != previousFiles {
                    try writeManifest(files, into: staging)
                    patch.written.append(OutputManifest.fileName)
                }
                try await staging.commit(patch)
            } else {
                try writeManifest(Set(await OutputManifest.files(below: staging.staging.path)), into: staging)
                try await staging.commit()
            }
        } catch {
            staging.discard()
            result.diagnostics.append(.error(options.outputFolder.path, error.description))
        }
        step("swap into the output folder")
        result.report = report
        result.workingSet += [previous, loaded, site, reusable, renderer] as [any Sendable]
        return finish(result, start: start, clock: clock)
    }

    private static func writeSearchIndex(_ renderer: SiteRenderer, reusing previous: ReusableOutput?, writer: OutputWriter) async -> SiteRenderReport? {
        guard let previous, let stored = previous.searchStore else { return nil }
        return await renderer.writeSearchIndex(await renderer.updatedSearchIndex(reusing: previous, from: stored), writer: writer, previous: previous)
    }

    private func writeManifest(_ files: Set<String>, into staging: StagingDirectory) throws(StagingDirectory.Problem) {
        let path = staging.staging.appendingPathComponent(OutputManifest.fileName)
        do { try Data(OutputManifest.encoded(files).utf8).write(to: path) } catch {
            throw .io("cannot write '\(path.path)': \(error.localizedDescription)")
        }
    }

    /// Builds one anthology into `output/anthologies/<name>/`, replacing only that folder, and only on success.
    public func buildAnthology(_ name: String) async -> BuildResult {
        let clock = ContinuousClock()
        let start = clock.now
        let folder = options.outputFolder.appendingPathComponent(AnthologyRenderer.folder(name))
        var result = BuildResult(diagnostics: [], pagesWritten: 0, filesCopied: 0, seconds: 0, output: folder, report: nil)
        if let problem = baseURLProblem() {
            result.diagnostics.append(problem)
            return finish(result, start: start, clock: clock)
        }
        let loaded = await ContentLoader(siteRoot: options.source, includeDrafts: options.includeDrafts).load()
        result.diagnostics += loaded.diagnostics
        let (theme, themeProblems) = loadTheme()
        result.diagnostics += themeProblems
        guard var site = loaded.site, let theme, !result.diagnostics.hasErrors else { return finish(result, start: start, clock: clock) }
        if let baseURL = options.baseURL { site.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/" }
        guard let manifest = site.anthologies.first(where: { $0.name == name }) else {
            let known = site.anthologies.map(\.name).sorted().joined(separator: ", ")
            result.diagnostics.append(.error("Content/anthologies/\(name).yml", "no anthology '\(name)' (known: \(known.isEmpty ? "none" : known))"))
            return finish(result, start: start, clock: clock)
        }
        let staging: StagingDirectory
        do {
            staging = try StagingDirectory(output: folder, protecting: options.source)
        } catch {
            result.diagnostics.append(.error(folder.path, error.description))
            return finish(result, start: start, clock: clock)
        }
        let renderer = AnthologyRenderer(site: site, theme: theme, options: .init(pdf: options.anthologyPDF, proof: options.anthologyProof, strict: options.anthologyStrict))
        let report = await renderer.render(manifest, folder: staging.staging)
        result.anthologies = [report]
        result.diagnostics += report.diagnostics
        if result.diagnostics.hasErrors {
            staging.discard()
        } else {
            do {
                try await staging.commit()
                // The site's list of files no longer matches: the next build swaps the whole folder.
                unlink(options.outputFolder.appendingPathComponent(OutputManifest.fileName).path)
            } catch {
                staging.discard()
                result.diagnostics.append(.error(folder.path, error.description))
            }
        }
        return finish(result, start: start, clock: clock)
    }

    private func finish(_ result: BuildResult, start: ContinuousClock.Instant, clock: ContinuousClock) -> BuildResult {
        var result = result
        result.seconds = Self.seconds(clock.now - start)
        result.diagnostics = result.diagnostics.sortedForReport()
        return result
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// URLs written as they are in template files, found with the HTML parser, so a broken
    /// footer link is reported at its template line rather than on every page.
    static func literalLinks(in theme: Theme) -> [String: SourceLocation] {
        var links: [String: SourceLocation] = [:]
        for (path, text) in theme.sources {
            for link in HTMLScanner.scan(Data(text.utf8)).links where !link.url.contains("{{") && links[link.url] == nil {
                links[link.url] = SourceLocation(file: path, line: link.line)
            }
        }
        return links
    }

    func linkCheckOptions(_ config: SiteConfig, mode: LinkCheckMode) -> LinkCheckOptions {
        Self.linkCheckOptions(config.linkCheck, baseURL: config.baseURL, offline: mode == .offline, cacheFile: options.linkCacheFile)
    }

    /// The link checker's options from `site.yml`'s `link_check` section.
    /// `--base-url` is checked as `base_url` is: it ends up in every `href`.
    private func baseURLProblem() -> Diagnostic? {
        guard let baseURL = options.baseURL, let problem = BaseURL.problem(baseURL) else { return nil }
        return .error("--base-url", problem)
    }

    public static func linkCheckOptions(_ check: LinkCheckConfig, baseURL: String?, offline: Bool, cacheFile: URL?) -> LinkCheckOptions {
        LinkCheckOptions(offline: offline, baseURL: baseURL, exclude: check.exclude,
                         external: ExternalCheckOptions(timeout: .seconds(check.timeout), acceptedStatus: Set(check.accept),
                                                        cacheFile: cacheFile, cacheLifetime: .seconds(check.cacheHours * 3600)))
    }

    private func loadTheme() -> (Theme?, [Diagnostic]) {
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
        return Theme.load(folders: folders) { url in
            let path = url.standardizedFileURL.path
            return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
        }
    }
}

public enum LinkCheckMode: Sendable {
    /// Internal links and fragments only.
    case offline
    /// External links too, over HTTP.
    case online
}
