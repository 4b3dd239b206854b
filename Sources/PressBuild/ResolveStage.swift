import Foundation
import PressCore
import PressImages
import PressModel
import PressSite

/// Stage 2, resolve: what every link of the site resolves to — the documents' routes, the static
/// files, and the names of the images' web variants (the previous output's taken into the staging
/// folder; the rest are made in the render stage, beside the books, before the pages that show them).
struct ResolveStage {
    let options: BuildOptions

    struct Output: Sendable {
        var site: Site
        /// Content path → route, made beside this stage and the plan; nil when they are the previous build's
        /// (`routesUnchanged`): a page rendered again then makes them only if it links to a document (`RouteTable`).
        var routes: Task<[String: String], Never>?
        /// Whether `routes` are the previous build's, as the content loader found (`ContentLoader.Result.routesUnchanged`).
        var routesUnchanged: Bool
        var staging: StagingDirectory
        var writer: OutputWriter
        /// Every image's hash, the variants reused and the SVGs published; not yet those still to make.
        var images: ImageStage.Outcome
        var pendingImages: PendingImages
        /// The previous output's files, when the output is patched in place rather than swapped.
        var previousFiles: Set<String>?
        /// The site's distinct tags (`SiteRenderer.distinctTags`), made beside this stage and the plan.
        var tags: Task<[String], Never>
    }

    func run(_ loaded: LoadStage.Output, _ run: inout BuildRun) async -> Output? {
        var site = loaded.site
        if let baseURL = options.baseURL { site.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/" }
        let routes = loaded.content.routesUnchanged ? nil : loaded.content.routes ?? Task { [site] in site.routesBySource }
        let tags = Task { [site] in SiteRenderer.distinctTags(of: site) }
        // With the previous build's list of files, unchanged files stay where they are and only the
        // rest is moved in; the link checker needs a complete folder to read, so it gets the full swap.
        let previousFiles: Set<String>? = loaded.previous != nil ? await loaded.outputFiles.value : nil
        let staging: StagingDirectory
        do {
            staging = try StagingDirectory(output: options.outputFolder, protecting: options.source)
        } catch {
            run.report([.error(options.outputFolder.path, error.description)], from: .resolve)
            return nil
        }
        var writer = OutputWriter(root: staging.staging)
        if previousFiles != nil { writer.reuseInPlace(from: options.outputFolder) }
        let pending = pendingImages(of: site, writer: writer)
        let prepared = await pending.stage.prepare(pending.sources, into: pending.output)
        run.report(prepared.outcome.diagnostics, from: .resolve)
        (run.result.imageFilesMade, run.result.imageFilesReused) = (prepared.outcome.written.count, prepared.outcome.reused.count)
        run.step(.resolve, "images")
        var left = pending
        left.sources = prepared.pending
        return Output(site: site, routes: routes, routesUnchanged: loaded.content.routesUnchanged, staging: staging, writer: writer,
                      images: prepared.outcome, pendingImages: left, previousFiles: previousFiles, tags: tags)
    }

    /// The site's images (static files libvips reads), to be made into web variants in the staging folder;
    /// variants the previous output holds already are reused, not made again.
    private func pendingImages(of site: Site, writer: OutputWriter) -> PendingImages {
        let root = options.source.path + "/"
        // Story covers, as output paths: an SVG one is also drawn as a JPEG for `og:image`.
        let covers = Set(site.stories.compactMap(\.cover).map { cover in
            let path = String(cover.drop(while: { $0 == "/" }))
            return path.removingPercentEncoding ?? path
        })
        let sources = site.staticFiles.filter { ImageStage.handles($0.outputPath) }.map { file in
            ImageStage.Source(outputPath: file.outputPath, file: file.sourceFile,
                              displayPath: file.sourceFile.hasPrefix(root) ? String(file.sourceFile.dropFirst(root.count)) : file.sourceFile,
                              rasterized: covers.contains(file.outputPath))
        }
        var settings = WebImageSettings()
        settings.pixelLimit = site.config.imagePixelLimit
        let previous = options.outputFolder.path
        let output = ImageStage.Output(
            previousFolder: FileManager.default.fileExists(atPath: previous) ? previous : nil,
            write: { path, data in try writer.write(data, to: path) },
            reuse: { file, path in try writer.reuse(file, as: path) })
        return PendingImages(stage: ImageStage(processor: WebImageProcessor(settings: settings)), sources: sources, output: output)
    }
}

/// Images whose web variants are still to be made, and where they go.
struct PendingImages: Sendable {
    let stage: ImageStage
    var sources: [ImageStage.Source]
    let output: ImageStage.Output

    func process() async -> ImageStage.Outcome {
        sources.isEmpty ? ImageStage.Outcome() : await stage.process(sources, into: output)
    }
}
