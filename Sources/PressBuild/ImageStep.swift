import Foundation
import PressCore
import PressImages
import PressModel
import PressSite

extension SiteBuilder {
    /// The site's images (static files libvips reads) made into web variants in the staging folder;
    /// variants the previous output holds already are reused, not made again.
    func processImages(of site: Site, writer: OutputWriter) async -> ImageStage.Outcome {
        let root = options.source.path + "/"
        let sources = site.staticFiles.filter { ImageStage.handles($0.outputPath) }.map { file in
            ImageStage.Source(outputPath: file.outputPath, file: file.sourceFile,
                              displayPath: file.sourceFile.hasPrefix(root) ? String(file.sourceFile.dropFirst(root.count)) : file.sourceFile)
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
