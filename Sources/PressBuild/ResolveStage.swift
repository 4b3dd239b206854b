import Foundation
import PressCore
import PressImages
import PressModel
import PressSite

/// Stage 2, resolve: what every link of the site resolves to — the documents' routes, the static
/// files, and the images' web variants (made here, into the staging folder, since pages link to them).
struct ResolveStage {
    let options: BuildOptions

    struct Output: Sendable {
        var site: Site
        /// Content path → route.
        var routes: [String: String]
        var staging: StagingDirectory
        var writer: OutputWriter
        var images: ImageStage.Outcome
        /// The previous output's files, when the output is patched in place rather than swapped.
        var previousFiles: Set<String>?
    }

    func run(_ loaded: LoadStage.Output, _ run: inout BuildRun) async -> Output? {
        var site = loaded.site
        if let baseURL = options.baseURL { site.config.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/" }
        let routes = site.routesBySource
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
        writer.reusesInPlace = previousFiles != nil
        let images = await processImages(of: site, writer: writer)
        run.report(images.diagnostics, from: .resolve)
        (run.result.imageFilesMade, run.result.imageFilesReused) = (images.written.count, images.reused.count)
        run.step(.resolve, "images")
        return Output(site: site, routes: routes, staging: staging, writer: writer, images: images, previousFiles: previousFiles)
    }

    /// The site's images (static files libvips reads) made into web variants in the staging folder;
    /// variants the previous output holds already are reused, not made again.
    private func processImages(of site: Site, writer: OutputWriter) async -> ImageStage.Outcome {
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
        guard !sources.isEmpty else { return ImageStage.Outcome() }
        var settings = WebImageSettings()
        settings.pixelLimit = site.config.imagePixelLimit
        let previous = options.outputFolder.path
        let output = ImageStage.Output(
            previousFolder: FileManager.default.fileExists(atPath: previous) ? previous : nil,
            write: { path, data in try writer.write(data, to: path) },
            reuse: { file, path in try writer.reuse(file, as: path) })
        return await ImageStage(processor: WebImageProcessor(settings: settings)).run(sources, into: output)
    }
}
