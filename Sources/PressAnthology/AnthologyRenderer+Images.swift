import Foundation
import PressCore
import PressImages
import PressModel

extension AnthologyRenderer {
    /// Resolution of print images: more than `maximumPPI` at their placed size is resampled to `targetPPI`,
    /// less than `minimumPPI` is a warning (an error with `--strict` or `strict: true`); the proof gets `proofPPI`.
    static let minimumPPI = 300.0, maximumPPI = 450.0, targetPPI = 350.0, proofPPI = 150.0

    /// The body pages' margins: the manifest's `margins`, else those of the print stylesheet in use.
    func margins(_ manifest: AnthologyManifest) -> PageMargins {
        manifest.margins ?? PageMargins.of(css: theme.resourceText("print/print.css") ?? "")
    }

    /// A figure's image is at most this tall (mm), so that it and a two-line caption fit on one page.
    static func figureMaxHeight(_ manifest: AnthologyManifest, margins: PageMargins) -> Double {
        margins.textBlock(manifest.trim).height - 20
    }

    /// The per-book rules print.css cannot know: how tall a figure may be on this trim, and the cover's
    /// photo as the cover page's background, which covers the bleed too. WeasyPrint sizes a page's
    /// `background-size: cover` to the trim alone, leaving the bleed white at two edges, so a photo of
    /// known size (`coverSize`, upright pixels) is given its width in mm, centred on the trim.
    static func imageRules(_ manifest: AnthologyManifest, margins: PageMargins, coverSize: (width: Int, height: Int)? = nil) -> String {
        let tallest = TrimSize.format(figureMaxHeight(manifest, margins: margins))
        var rules = ".prose figure.figure img, .article-cover img { max-height: \(tallest)mm; }"
        if let cover = manifest.cover, manifest.parts.contains(where: { if case .cover = $0 { return true } else { return false } }) {
            let url = URLPath.encode(BookImages.file(cover, format: .print))
            let size = coverSize.map { "\(TrimSize.format(coverWidth(manifest, width: $0.width, height: $0.height)))mm auto" } ?? "cover"
            rules += "\n@page cover { background: url(\"\(url)\") center / \(size) no-repeat; image-rendering: crisp-edges; }"
        }
        return rules
    }

    /// The cover photo's upright size in pixels, read from its header; nil for a drawing or a missing file.
    static func coverSize(_ images: [BookImage]) -> (width: Int, height: Int)? {
        guard let cover = images.first(where: \.fullBleed), !BookImages.isVector(cover.contentPath),
              let data = FileManager.default.contents(atPath: cover.file), let header = ImageHeader.read(data) else { return nil }
        return header.upright
    }

    /// Width in mm of the cover's photo: scaled to cover the trim and its bleed on every side.
    static func coverWidth(_ manifest: AnthologyManifest, width: Int, height: Int) -> Double {
        let across = manifest.trim.width + 2 * manifest.bleed, down = manifest.trim.height + 2 * manifest.bleed
        guard width > 0, height > 0 else { return across }
        return Double(width) * max(across / Double(width), down / Double(height))
    }

    /// Width in mm an image of `width`×`height` px takes: the text block's width, less when it is so tall
    /// that the figure's height limit scales it down (print.css: `object-fit: contain`).
    static func placedWidth(_ manifest: AnthologyManifest, margins: PageMargins, width: Int, height: Int, share: Double = 1) -> Double {
        let block = margins.textBlock(manifest.trim).width * share
        guard width > 0, height > 0 else { return block }
        return min(block, figureMaxHeight(manifest, margins: margins) * Double(width) / Double(height))
    }

    /// Writes the print copies of `images` below `work` (`images/…`, as the print HTML links them) for the
    /// press (CMYK or grey, resampled to 350 ppi when finer than 450) or the screen proof (sRGB, 150 ppi).
    /// Returns what the press should know (coarse images, CMYK without a profile, animations) and a hash of
    /// the files made, for the PDF's identifier.
    func writePrintImages(_ images: [BookImage], manifest: AnthologyManifest, medium: Medium, into work: URL) async
        -> (diagnostics: [Diagnostic], digest: String) {
        var settings = WebImageSettings()
        settings.pixelLimit = site.config.imagePixelLimit
        // One image a task, on every core; the digest then takes them in order of placement.
        let made = await ParallelSlices.flatMap(BookImages.unique(images), sliceSize: 1) { [self, settings] image in
            (image, printCopy(image, manifest: manifest, medium: medium, settings: settings, into: work))
        }
        var digest = Fingerprint()
        var diagnostics: [Diagnostic] = []
        for (image, result) in made {
            switch result {
            case .success(let copy):
                diagnostics += copy.notes
                digest.add(image.contentPath)
                digest.add(bytes: copy.data)
            case .failure(let problem):
                diagnostics.append(problem.diagnostic)
            }
        }
        return (diagnostics, images.isEmpty ? "" : digest.hex)
    }

    /// One image's print copy, written below `work`: a drawing with its paint in the press's CMYK, a photo
    /// converted and resampled for the page. With what the press should know about it.
    private func printCopy(_ image: BookImage, manifest: AnthologyManifest, medium: Medium, settings: WebImageSettings,
                           into work: URL) -> Result<(data: Data, notes: [Diagnostic]), ImageProblem> {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: image.file))
            let made: (data: Data, notes: [Diagnostic])
            if BookImages.isVector(image.contentPath) {
                // Vector stays vector: only its paint changes, to the press's CMYK.
                made = (medium == .press
                    ? Data(try PressSVG.converting(String(decoding: data, as: UTF8.self), profile: manifest.colorProfile).utf8) : data, [])
            } else {
                made = try printRaster(image, data: data, manifest: manifest, medium: medium, settings: settings)
            }
            let file = work.appendingPathComponent(BookImages.file(image.contentPath, format: .print))
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try made.data.write(to: file)
            return .success(made)
        } catch let error as ImageError {
            return .failure(ImageProblem(.error(image.sourcePath, line: image.line, "\(image.contentPath): \(error.description)")))
        } catch {
            return .failure(ImageProblem(.error(image.sourcePath, line: image.line,
                                                "cannot prepare \(image.contentPath) for print: \(error.localizedDescription)")))
        }
    }

    /// A raster image for the page: CMYK or grey for the press, resampled to 350 ppi at its placed size when
    /// finer than 450; sRGB at 150 ppi for the proof. With what the press should know about it.
    private func printRaster(_ image: BookImage, data: Data, manifest: AnthologyManifest, medium: Medium,
                             settings: WebImageSettings) throws(ImageError) -> (data: Data, notes: [Diagnostic]) {
        let header = try WebImageProcessor(settings: settings).checkedHeader(data)
        let (width, height) = header.upright
        let placed = image.fullBleed ? Self.coverWidth(manifest, width: width, height: height)
            : Self.placedWidth(manifest, margins: margins(manifest), width: width, height: height, share: image.share)
        let ppi = Double(width) / (placed / 25.4)
        var target: Int?
        var notes: [Diagnostic] = []
        if medium == .screen {
            if ppi > Self.proofPPI * 1.2 { target = Int((placed / 25.4 * Self.proofPPI).rounded()) }
        } else {
            if ppi > Self.maximumPPI { target = Int((placed / 25.4 * Self.targetPPI).rounded()) }
            notes = pressNotes(image, header: header, ppi: ppi, placed: placed, strict: manifest.strict || options.strict)
        }
        let profile = medium == .press ? manifest.colorProfile : nil
        return (try BookImageProcessor(settings: settings).print(data, profile: profile, width: target).data, notes)
    }

    /// The web edition's copies of the book's images, written below `folder` (`images/…`) and listed in the
    /// report before `index.html`, as a reused book lists its files (sorted); the same bytes go into the EPUB.
    /// nil when an image cannot be made (the report holds the error).
    func writeScreenImages(_ images: [BookImage], folder: URL, report: inout AnthologyReport) async throws -> [String: Data]? {
        var settings = WebImageSettings()
        settings.pixelLimit = site.config.imagePixelLimit
        let (copies, problems) = await BookImages.screenCopies(images, settings: settings, shared: options.siteVariants)
        report.diagnostics += problems
        if problems.hasErrors { return nil }
        for (file, data) in copies.map({ (BookImages.file($0.key, format: .web), $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
            report.files.append(Self.folder(report.name) + "/" + file)
        }
        return copies
    }

    /// `Content/stories/x.md:14: warning: 图5 prints at 96 ppi (400 px across 106 mm); the press needs 1252 px`.
    private func pressNotes(_ image: BookImage, header: ImageHeader, ppi: Double, placed: Double, strict: Bool) -> [Diagnostic] {
        let location = SourceLocation(file: image.sourcePath, line: image.line)
        var notes: [Diagnostic] = []
        if ppi < Self.minimumPPI {
            let needed = Int((placed / 25.4 * Self.minimumPPI).rounded(.up))
            notes.append(Diagnostic(location, "\(image.label) prints at \(Int(ppi)) ppi (\(header.upright.width) px across "
                                    + "\(Int(placed.rounded())) mm); the press needs \(needed) px", severity: strict ? .error : .warning))
        }
        if header.isCMYK && !header.hasICCProfile {
            notes.append(Diagnostic(location, "\(image.label) (\(image.contentPath)) is CMYK without an embedded colour profile; "
                                    + "taken to be in the press profile (color_profile)", severity: .warning))
        }
        if header.pages > 1 {
            notes.append(Diagnostic(location, "\(image.label) (\(image.contentPath)) is animated; the printed book shows its first frame",
                                    severity: .warning))
        }
        return notes
    }
}
