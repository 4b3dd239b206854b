import CVips
public import Foundation
public import PressCore

/// The build's image step: every image of the site made into its web variants, in parallel, each
/// source read and decoded once. Variant names carry a content hash, so files the previous output
/// already holds are reused without decoding: an unchanged photo costs a read, a hash and a header.
public struct ImageStage: Sendable {
    public struct Source: Sendable {
        /// Path inside the output folder the file would have had, e.g. `assets/images/factory.jpg`.
        public var outputPath: String
        /// The file to read.
        public var file: String
        /// How messages name it, e.g. `Content/assets/images/factory.jpg`.
        public var displayPath: String
        /// An SVG that is also drawn as a JPEG: a story's cover, whose `og:image` WeChat cannot show as SVG.
        public var rasterized: Bool
        public init(outputPath: String, file: String, displayPath: String, rasterized: Bool = false) {
            self.outputPath = outputPath
            self.file = file
            self.displayPath = displayPath
            self.rasterized = rasterized
        }
    }

    public struct Outcome: Sendable {
        /// By the source's output path.
        public var images: [String: WebImage] = [:]
        /// The content hash of each image, by output path: a page showing an image whose hash changed is rendered again.
        public var hashes: [String: String] = [:]
        public var diagnostics: [Diagnostic] = []
        /// Variant files made, and taken from the previous output.
        public var written: [String] = []
        public var reused: [String] = []

        public init() {}

        mutating func merge(_ other: Outcome) {
            images.merge(other.images) { a, _ in a }
            hashes.merge(other.hashes) { a, _ in a }
            diagnostics += other.diagnostics
            written += other.written
            reused += other.reused
        }
    }

    /// Where the stage puts its files: `write` a new one, `reuse` one the previous output holds.
    public struct Output: Sendable {
        public var previousFolder: String?
        public var write: @Sendable (String, Data) throws -> Void
        public var reuse: @Sendable (_ previousFile: String, _ path: String) throws -> Void
        public init(previousFolder: String?, write: @escaping @Sendable (String, Data) throws -> Void,
                    reuse: @escaping @Sendable (String, String) throws -> Void) {
            self.previousFolder = previousFolder
            self.write = write
            self.reuse = reuse
        }
    }

    public let processor: WebImageProcessor

    public init(processor: WebImageProcessor = WebImageProcessor()) { self.processor = processor }

    /// File extensions the stage takes. An SVG stays vector: it is published as it is, under its own name,
    /// and only its size is read, for the `width` and `height` of its `<img>`.
    public static let extensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "heic", "heif", "svg"]

    public static func handles(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        return extensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// What `prepare` finds without decoding a pixel: every image's hash, the images whose variants the
    /// previous output holds (and SVGs), and the sources left to `process`.
    public struct Prepared: Sendable {
        public var outcome = Outcome()
        /// Raster images whose variants must be made, in the order given.
        public var pending: [Source] = []
    }

    /// Every image made into its variants: `prepare` and then `process`.
    public func run(_ sources: [Source], into output: Output) async -> Outcome {
        let prepared = await prepare(sources, into: output)
        var outcome = prepared.outcome
        outcome.merge(await process(prepared.pending, into: output))
        outcome.written.sort()
        outcome.reused.sort()
        return outcome
    }

    /// Reads and hashes each image and checks its header; takes the variants the previous output holds and
    /// publishes SVGs. The names and sizes of what is left are then known; its pixels are `process`'s work.
    public func prepare(_ sources: [Source], into output: Output) async -> Prepared {
        var prepared = Prepared()
        for (source, part) in await ParallelSlices.flatMap(sources, sliceSize: 1, { ($0, prepareOne($0, into: output)) }) {
            prepared.outcome.merge(part.outcome)
            if part.pending { prepared.pending.append(source) }
        }
        prepared.outcome.written.sort()
        prepared.outcome.reused.sort()
        return prepared
    }

    /// Decodes each image once and writes its variants, on every core.
    public func process(_ sources: [Source], into output: Output) async -> Outcome {
        // One image a slice: images differ a hundredfold in size, so the cores take them one at a time.
        var outcome = Outcome()
        let parts = await withTaskExecutorPreference(ImageThreads.shared) {
            await ParallelSlices.flatMap(sources, sliceSize: 1, { made($0, into: output) })
        }
        for part in parts { outcome.merge(part) }
        outcome.written.sort()
        return outcome
    }

    /// One image, as far as it goes without decoding: `pending` when its variants are still to be made.
    private func prepareOne(_ source: Source, into output: Output) -> (outcome: Outcome, pending: Bool) {
        var outcome = Outcome()
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: source.file))
            if source.outputPath.lowercased().hasSuffix(".svg") { return (try vector(source, data: data, into: output), false) }
            let header = try processor.checkedHeader(data)
            let plan = processor.plan(sourcePath: source.outputPath, data: data, header: header)
            outcome.hashes[source.outputPath] = plan.hash
            guard let reused = try reuse(plan, from: output) else { return (outcome, true) }
            outcome.images[source.outputPath] = reused
            outcome.reused = reused.variants.map(\.path)
        } catch {
            outcome.diagnostics.append(Self.diagnostic(error, source: source))
        }
        return (outcome, false)
    }

    /// One image's variants, made and written: read again (the file is in the page cache by now) rather
    /// than held in memory between the two steps, which for a site of phone photos would be gigabytes.
    private func made(_ source: Source, into output: Output) -> Outcome {
        var outcome = Outcome()
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: source.file))
            let result = try processor.process(sourcePath: source.outputPath, data: data)
            defer { qp_release_memory() }
            for (path, bytes) in result.files { try output.write(path, bytes) }
            outcome.images[source.outputPath] = result.image
            outcome.written = result.image.variants.map(\.path)
        } catch {
            outcome.diagnostics.append(Self.diagnostic(error, source: source))
        }
        return outcome
    }

    private static func diagnostic(_ error: any Error, source: Source) -> Diagnostic {
        if let error = error as? ImageError { return .error(source.displayPath, error.description) }
        return .error(source.displayPath, "cannot publish the image: \(error.localizedDescription)")
    }

    /// An SVG, published as it is (taken from the previous output when that holds the same bytes), with
    /// its size from its `width`/`height` or `viewBox`. No pixel limit: it is never rasterized here.
    /// One whose size cannot be read (`<svg/>`: no width, height or viewBox) is left to be copied as a plain
    /// file, its `<img>` as the Markdown wrote it.
    private func vector(_ source: Source, data: Data, into output: Output) throws -> Outcome {
        var outcome = Outcome()
        guard let header = ImageHeader.read(data) else { return outcome }
        outcome.hashes[source.outputPath] = processor.contentHash(data)
        let variant = ImageVariant(path: source.outputPath, width: header.width, height: header.height, format: .svg)
        var image = WebImage(sourcePath: source.outputPath, variants: [variant])
        if let folder = output.previousFolder, FileManager.default.contents(atPath: folder + "/" + source.outputPath) == data {
            try output.reuse(folder + "/" + source.outputPath, source.outputPath)
            outcome.reused = [source.outputPath]
        } else {
            try output.write(source.outputPath, data)
            outcome.written = [source.outputPath]
        }
        if source.rasterized { image.raster = try raster(source, data: data, into: output, outcome: &outcome) }
        outcome.images[source.outputPath] = image
        return outcome
    }

    /// An SVG's JPEG for `og:image`: the previous output's when it holds one of that name (its hash is the SVG's).
    private func raster(_ source: Source, data: Data, into output: Output, outcome: inout Outcome) throws -> ImageVariant {
        let path = processor.rasterPath(sourcePath: source.outputPath, data: data)
        if let folder = output.previousFolder, let previous = FileManager.default.contents(atPath: folder + "/" + path),
           let header = ImageHeader.read(previous) {
            try output.reuse(folder + "/" + path, path)
            outcome.reused.append(path)
            return ImageVariant(path: path, width: header.width, height: header.height, format: .jpeg)
        }
        let (variant, bytes) = try processor.rasterize(sourcePath: source.outputPath, data: data)
        try output.write(path, bytes)
        outcome.written.append(path)
        return variant
    }

    /// The image from the previous output's variants, when every one is there: their sizes come from their headers.
    private func reuse(_ plan: WebImageProcessor.Plan, from output: Output) throws -> WebImage? {
        guard let folder = output.previousFolder else { return nil }
        var variants: [ImageVariant] = []
        for (_, format, path) in plan.paths {
            let file = folder + "/" + path
            guard let data = FileManager.default.contents(atPath: file), let header = ImageHeader.read(data) else { return nil }
            variants.append(ImageVariant(path: path, width: header.width, height: header.height, format: format))
        }
        for variant in variants { try output.reuse(folder + "/" + variant.path, variant.path) }
        return WebImage(sourcePath: plan.sourcePath, variants: variants)
    }
}
