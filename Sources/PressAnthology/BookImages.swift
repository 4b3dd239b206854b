import Foundation
import PressCore
import PressImages
import PressMarkdown
import PressModel

/// An image a book places, where its Markdown places it.
struct BookImage: Sendable, Hashable {
    /// Below `Content/`: `assets/images/factory.jpg`.
    var contentPath: String
    /// The file on disk.
    var file: String
    /// Where it is placed first: `Content/stories/x.md`, line 14.
    var sourcePath: String
    var line: Int?
    /// A figure in the text block, or the cover, which fills the page and its bleed.
    var fullBleed = false
    /// The share of the text block's width it is given (`{width=50%}`: 0.5).
    var share = 1.0
    /// How a message names it: the figure number of its caption (`图5`), else its file name.
    var label: String

    /// `图5　齿轮车间` → `图5`; no figure number → the file's name.
    static func label(alt: String, contentPath: String) -> String {
        let first = alt.split(whereSeparator: { $0.isWhitespace || $0 == "：" || $0 == ":" }).first.map(String.init) ?? ""
        return first.hasPrefix("图") || first.hasPrefix("Fig") ? first : (contentPath as NSString).lastPathComponent
    }

    /// `![…](…){width=50%}` on line `line` of `body` → 0.5; 1 without one.
    static func share(in body: String, line: Int, firstLine: Int) -> Double {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.indices.contains(line - firstLine), let start = lines[line - firstLine].range(of: "){width=") else { return 1 }
        return Double(Figures.widthAttribute(lines[line - firstLine][lines[line - firstLine].index(after: start.lowerBound)...]) ?? 100) / 100
    }

    /// The alt text of the first `![…](` on line `line` of `body`, whose first line is `firstLine`.
    static func alt(in body: String, line: Int, firstLine: Int) -> String {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        let index = line - firstLine
        guard lines.indices.contains(index), let start = lines[index].range(of: "!["),
              let end = lines[index][start.upperBound...].range(of: "](") else { return "" }
        return String(lines[index][start.upperBound..<end.lowerBound])
    }
}

/// Where each format puts a book's images, and how they are made: the print PDF gets CMYK (or grey)
/// JPEGs sized for the page, the EPUB and the web edition JPEGs or PNGs of at most 1600 px. An SVG stays
/// vector in all three: as it is on screens, its colours in the press's CMYK for print.
enum BookImages {
    /// Raster images (processed with libvips) and SVG drawings (which stay vector).
    static func isImage(_ path: String) -> Bool { ImageStage.handles(path) || isVector(path) }

    /// An SVG: WeasyPrint draws it as paths, EPUB readers and browsers show it as it is.
    static func isVector(_ path: String) -> Bool { (path as NSString).pathExtension.lowercased() == "svg" }

    /// PNG and GIF (charts, drawings) stay lossless in the EPUB and web edition; photos become JPEG.
    static func isLossless(_ path: String) -> Bool { ["png", "gif"].contains((path as NSString).pathExtension.lowercased()) }

    /// The name of the book's copy: the source's, with `.jpg` or `.png` appended when it is not already that
    /// type (`anim.gif` → `anim.gif.png`), so no two sources share a copy.
    static func file(_ contentPath: String, format: BookFormat) -> String {
        let ext = (contentPath as NSString).pathExtension.lowercased()
        if isVector(contentPath) { return format == .epub ? EPUBWriter.resourceFile(contentPath) : "images/" + contentPath }
        switch format {
        case .print:
            return "images/" + (["jpg", "jpeg"].contains(ext) ? contentPath : contentPath + ".jpg")
        case .web, .epub:
            let kept = isLossless(contentPath) ? ext == "png" : ["jpg", "jpeg"].contains(ext)
            let name = kept ? contentPath : contentPath + (isLossless(contentPath) ? ".png" : ".jpg")
            return format == .epub ? EPUBWriter.resourceFile(name) : "images/" + name
        }
    }

    /// The book's images in order of first placement, once each.
    static func unique(_ images: [BookImage]) -> [BookImage] {
        var seen: Set<String> = []
        return images.filter { seen.insert($0.contentPath).inserted }
    }

    /// The EPUB's and web edition's copies, by content path; a file that cannot be made is an error where it is placed.
    /// Those the site publishes (`shared`) are its largest fallback variants, taken as they are; the rest are made here.
    static func screenCopies(_ images: [BookImage], settings: WebImageSettings, shared: SiteVariants? = nil) async -> ([String: Data], [Diagnostic]) {
        var copies: [String: Data] = [:]
        var left: [BookImage] = []
        for image in unique(images) {
            if let data = await sharedCopy(image, settings: settings, shared: shared) { copies[image.contentPath] = data } else { left.append(image) }
        }
        // One image a task: a book's photos differ tenfold in size, and each is decoded on its own core.
        let processor = BookImageProcessor(settings: settings)
        let made = await ParallelSlices.flatMap(left, sliceSize: 1) { image in (image.contentPath, screenCopy(image, processor: processor)) }
        var diagnostics: [Diagnostic] = []
        for (path, result) in made {
            switch result {
            case .success(let data): copies[path] = data
            case .failure(let problem): diagnostics.append(problem.diagnostic)
            }
        }
        return (copies, diagnostics)
    }

    /// The site's largest fallback of a raster image when it is what `BookImageProcessor.epub` would make: the
    /// same widths reach 1600 px and the same format (JPEG for a photo, PNG for a chart) by the book's rule.
    private static func sharedCopy(_ image: BookImage, settings: WebImageSettings, shared: SiteVariants?) async -> Data? {
        guard let shared, !isVector(image.contentPath), settings.widths.max() == BookImageProcessor.epubMaxWidth,
              let (variant, data) = await shared.largestFallback(image.contentPath),
              variant.width <= BookImageProcessor.epubMaxWidth, variant.format == (isLossless(image.contentPath) ? .png : .jpeg)
        else { return nil }
        return data
    }

    /// One image's EPUB and web-edition copy: a drawing as it is, a raster image at most 1600 px across.
    private static func screenCopy(_ image: BookImage, processor: BookImageProcessor) -> Result<Data, ImageProblem> {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: image.file))
            if isVector(image.contentPath) { return .success(data) }
            return .success(try processor.epub(data, lossless: isLossless(image.contentPath)).data)
        } catch let error as ImageError {
            return .failure(ImageProblem(.error(image.sourcePath, line: image.line, "\(image.contentPath): \(error.description)")))
        } catch {
            return .failure(ImageProblem(.error(image.sourcePath, line: image.line, "cannot read \(image.contentPath): \(error.localizedDescription)")))
        }
    }
}

/// A book image that could not be made, as the diagnostic that says so where it is placed.
struct ImageProblem: Error {
    let diagnostic: Diagnostic
    init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }
}
