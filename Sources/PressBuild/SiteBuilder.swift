public import Foundation
public import PressAnthology
public import PressCore
import PressIncremental
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
    /// Render with the theme's compiled templates where they can (`CompiledTemplate`); false: with
    /// swift-mustache alone, as before they were compiled (to compare the two).
    public var compiledTemplates = true

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
    /// Document pages whose body was spliced in after rendering (`ContentMarker`).
    public var pagesSpliced = 0
    /// Pages rendered by the theme's compiled templates rather than by swift-mustache.
    public var pagesCompiled = 0
    /// Whether the index pages and feeds were taken from the previous output unplanned, no value they show having changed.
    public var indexPlanReused = false
    /// Image variant files made by this build, and taken from the previous output without decoding.
    public var imageFilesMade = 0
    public var imageFilesReused = 0
    public var seconds: Double
    public var output: URL
    /// The render report of a successful build (pages, link origins, search records).
    public var report: SiteRenderReport?
    /// Seconds spent in each step, in order, with its stage (`qpress build --timings`, `timingLines`).
    public var timings: [StepTiming] = []
    /// Present when links were checked.
    public var linkReport: LinkReport?
    /// One per anthology built, with its files and the time our HTML and WeasyPrint took.
    public var anthologies: [AnthologyReport] = []
    /// The PDFs left for later (`BuildOptions.deferPDFs`), one job per book; install them with `installPDF`.
    public var pdfJobs: [PDFJob] = []
    /// The build's large values (the previous cache, the site, the renderer), handed to the caller
    /// rather than freed object by object as `build` returns: a command about to exit need not free
    /// them at all (a few hundredths of a second for 10,000 pages).
    package var workingSet: [any Sendable] = []

    public var succeeded: Bool { !diagnostics.hasErrors }
}

/// The driver: a build is six named stages, each taking the values of those before it.
/// On any error the staging folder is thrown away and the previous output stays as it was.
public struct SiteBuilder: Sendable {
    public let options: BuildOptions

    public init(options: BuildOptions) { self.options = options }

    /// load → resolve → plan → render → check → commit (`BuildStage`).
    public func build(progress: (@Sendable (Int) -> Void)? = nil) async -> BuildResult {
        var run = BuildRun(output: options.outputFolder)
        guard let loaded = await LoadStage(options: options).run(&run),
              let resolved = await ResolveStage(options: options).run(loaded, &run) else { return run.finished() }
        let plan = await PlanStage(options: options).run(loaded, resolved, &run)
        let rendered = await RenderStage(options: options, progress: progress).run(loaded, resolved, plan, &run)
        await CheckStage(options: options).run(resolved.site, resolved, rendered, &run)
        if !run.failed { run.result.report = rendered.report }
        await CommitStage(options: options).run(loaded, resolved, rendered, &run)
        run.result.workingSet += [loaded, resolved, plan, rendered] as [any Sendable]
        return run.finished()
    }

    /// Builds one anthology into `output/anthologies/<name>/`, replacing only that folder, and only on success.
    public func buildAnthology(_ name: String) async -> BuildResult {
        let folder = options.outputFolder.appendingPathComponent(AnthologyRenderer.folder(name))
        var run = BuildRun(output: folder)
        guard let loaded = await loadForAnthology(&run) else { return run.finished() }
        let (site, theme) = loaded
        guard let manifest = site.anthologies.first(where: { $0.name == name }) else {
            let known = site.anthologies.map(\.name).sorted().joined(separator: ", ")
            run.report([.error("Content/anthologies/\(name).yml", "no anthology '\(name)' (known: \(known.isEmpty ? "none" : known))")], from: .load)
            return run.finished()
        }
        let staging: StagingDirectory
        do {
            staging = try StagingDirectory(output: folder, protecting: options.source)
        } catch {
            run.report([.error(folder.path, error.description)], from: .resolve)
            return run.finished()
        }
        let renderer = AnthologyRenderer(site: site, theme: theme, options: .init(pdf: options.anthologyPDF, proof: options.anthologyProof, strict: options.anthologyStrict))
        let report = await renderer.render(manifest, folder: staging.staging)
        run.result.anthologies = [report]
        run.report(report.diagnostics, from: .render)
        if Task.isCancelled { run.report([.error(folder.path, CommitStage.stopped)], from: .commit) }
        if run.failed {
            staging.discard()
            return run.finished()
        }
        do {
            try await staging.commit()
            // The site's list of files no longer matches: the next build swaps the whole folder.
            unlink(options.outputFolder.appendingPathComponent(OutputManifest.fileName).path)
        } catch {
            staging.discard()
            run.report([.error(folder.path, error.description)], from: .commit)
        }
        return run.finished()
    }

    /// The site and theme for one anthology, read in full (no cache); nil after any error.
    private func loadForAnthology(_ run: inout BuildRun) async -> (Site, Theme)? {
        if let baseURL = options.baseURL, let problem = BaseURL.problem(baseURL) {
            run.report([.error("--base-url", problem)], from: .load)
            return nil
        }
        let loaded = await ContentLoader(siteRoot: options.source, includeDrafts: options.includeDrafts).load()
        run.report(loaded.diagnostics, from: .load)
        let (theme, themeProblems) = ThemeLoader(options: options).load()
        run.report(themeProblems, from: .load)
        guard var site = loaded.site, let theme, !run.failed else { return nil }
        if let baseURL = options.baseURL { site.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/" }
        return (site, theme)
    }

    /// The link checker's options from `site.yml`'s `link_check` section.
    public static func linkCheckOptions(_ check: LinkCheckConfig, baseURL: String?, offline: Bool, cacheFile: URL?) -> LinkCheckOptions {
        LinkCheckOptions(offline: offline, baseURL: baseURL, exclude: check.exclude,
                         external: ExternalCheckOptions(timeout: .seconds(check.timeout), acceptedStatus: Set(check.accept),
                                                        cacheFile: cacheFile, cacheLifetime: .seconds(check.cacheHours * 3600)))
    }
}

public enum LinkCheckMode: Sendable {
    /// Internal links and fragments only.
    case offline
    /// External links too, over HTTP.
    case online
}
