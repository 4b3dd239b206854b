import Foundation
import PressAnthology
import PressCore
import PressImages
import PressIncremental
import PressModel
import PressSearch
import PressSite
import PressTemplates

/// What every renderer is given: the documents, what their links resolve to, what of the previous
/// output the plan lets it take unchanged (never the build cache itself), and the staging folder.
struct RenderInput: Sendable {
    /// The documents; those to render again have their bodies.
    let site: Site
    let theme: Theme
    /// What links resolve to: content path → route, and the images' web variants.
    /// Nil when unchanged (`ResolveStage.Output.routes`).
    let routes: [String: String]?
    let images: [String: WebImage]
    /// The previous output's pages and search index that may be reused, and the documents to render again.
    let reuse: ReusableOutput?
    /// Writes into the staging folder.
    let writer: OutputWriter
}

/// What a renderer wrote: its problems, the previous output's files it took unchanged, and what
/// the stages after it read (the site's pages for the link check and the cache, the books' records).
struct RenderReport: Sendable {
    var diagnostics: [Diagnostic] = []
    var reusedFiles: [String] = []
    var site: SiteRenderReport?
    var books: SiteBuilder.BookOutcome?
}

/// One kind of output made from the documents: the site's pages, its search index, the anthologies.
/// The render stage runs them all at the same time.
protocol Renderer: Sendable {
    /// The step `--timings` names.
    var name: String { get }
    /// `diagnosed` holds the stages' diagnostics before rendering.
    func render(_ input: RenderInput, diagnosed: [Diagnostic]) async -> RenderReport
}

/// The site: a page per document (unchanged ones taken from the previous output), lists, tags, feeds, static files.
/// Each page rendered hands its text to `searchText`, which is finished when the pages are.
struct SitePages: Renderer {
    let renderer: SiteRenderer
    let searchText: SearchRecordFeed?
    let progress: (@Sendable (Int) -> Void)?
    var name: String { "pages" }

    func render(_ input: RenderInput, diagnosed: [Diagnostic]) async -> RenderReport {
        defer { searchText?.finish() } // when the site renders no document page
        var report = await renderer.render(to: input.writer, reusing: input.reuse, searchText: searchText, progress: progress)
        report.sources.templateLinks = input.reuse?.templateLinks ?? RenderStage.literalLinks(in: input.theme)
        return RenderReport(diagnostics: report.diagnostics, reusedFiles: report.reusedFiles, site: report)
    }
}

/// The search index, gathered while the pages are rendered from the records their texts become:
/// a clean build's from every page's, an incremental build's from the previous index with the
/// pages rendered again in place of theirs. Both write the same bytes for the same documents.
struct SearchIndexRenderer: Renderer {
    let feed: SearchRecordFeed
    /// Every document page's output path: the pages the index lists. Made on this renderer's task,
    /// beside the pages, rather than before any renderer starts.
    let documentPaths: @Sendable () -> Set<String>
    var name: String { "search index" }

    func render(_ input: RenderInput, diagnosed: [Diagnostic]) async -> RenderReport {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard let previous = input.reuse, let stored = previous.searchStore else {
            return await Self.write(await feed.grouped(), parts: cores, writer: input.writer, previous: nil)
        }
        // With the previous build's routes, the pages are the stored index's: 10,000 paths neither made nor hashed.
        let (paths, fresh) = (previous.routesUnchanged ? nil : documentPaths(), await feed.collect())
        let known = await previous.previousPostings?.value ?? nil
        if let patch = SearchIndexPatch(updating: stored, keeping: paths, adding: fresh, known: known), let report = await Self.write(patch, writer: input.writer, previous: previous) {
            return report
        }
        let index = SearchIndex(updating: stored, keeping: paths ?? documentPaths(), adding: fresh)
        return await Self.write(index, parts: cores, writer: input.writer, previous: previous)
    }

    /// Writes an edit's index: keeps the files it did not change, writes the others and `.qpress-search`.
    /// Nil, having written nothing, when a file to keep is missing (removed by hand): every file is then made.
    static func write(_ patch: SearchIndexPatch, writer: OutputWriter, previous: ReusableOutput) async -> RenderReport? {
        var report = RenderReport()
        for path in patch.unchanged {
            do { try writer.reuse(previous.file(path), as: path, found: previous.searchFilesFound) } catch { return nil }
            report.reusedFiles.append(path)
        }
        report.merge(await write(patch.files, writer: writer, previous: previous))
        do { try writer.write(to: SearchStore.fileName) { try patch.store.write(to: $0) } } catch {
            report.diagnostics.append(.error(SearchStore.fileName, "cannot write output file: \(error)"))
        }
        return report
    }

    /// Writes `search/…` as the index makes it, a batch of files at a time, then `.qpress-search`.
    /// `index` is consumed: its terms are freed as soon as their shards are written.
    static func write(_ index: consuming SearchIndex, parts: Int, writer: OutputWriter, previous: ReusableOutput?) async -> RenderReport {
        var report = RenderReport()
        let store = await (consume index).write(parts: parts) { files in
            report.merge(await write(files, writer: writer, previous: previous))
        }
        do { try writer.write(to: SearchStore.fileName) { try store.write(to: $0) } } catch {
            report.diagnostics.append(.error(SearchStore.fileName, "cannot write output file: \(error)"))
        }
        return report
    }

    /// Writes `files`. With `previous`, in an output patched in place, a file equal to the previous
    /// build's stays where it is: an edit changes a few dozen of the index's hundreds of files.
    static func write(_ files: [(path: String, data: Data)], writer: OutputWriter, previous: ReusableOutput?) async -> RenderReport {
        let parts = await ParallelSlices.map(files, sliceSize: ParallelSlices.size(for: files.count, slicesPerCore: 1, minimum: 16)) { slice in
            var report = RenderReport()
            for file in slice {
                if writer.reusesInPlace, let previous, writer.file(previous.file(file.path), holds: file.data) {
                    report.reusedFiles.append(file.path)
                    continue
                }
                do { try writer.write(file.data, to: file.path) } catch { report.diagnostics.append(.error(file.path, "cannot write output file: \(error)")) }
            }
            return report
        }
        return parts.reduce(into: RenderReport()) { $0.merge($1) }
    }
}

private extension RenderReport {
    mutating func merge(_ other: RenderReport) {
        diagnostics += other.diagnostics
        reusedFiles += other.reusedFiles
    }
}

/// The anthologies: web edition, EPUB and PDF of each book whose inputs changed, the others' files reused.
/// Into the same staging folder: a book that fails fails the build and leaves Output/ as it was.
struct Books: Renderer {
    let options: BuildOptions
    /// The records of the previous build's books, by name (books are compared input by input).
    let previous: [String: BookRecord]
    let staging: URL
    /// The site's web variants, which the books' screen editions take their image copies from.
    var siteVariants: SiteVariants?
    var name: String { "anthologies" }

    /// The render stage drops this report when the site's pages have errors: the build fails anyway.
    func render(_ input: RenderInput, diagnosed: [Diagnostic]) async -> RenderReport {
        // Content with errors is not worth its books' time.
        guard !input.site.anthologies.isEmpty, !diagnosed.hasErrors else { return RenderReport() }
        var bookOptions = AnthologyRenderer.Options(pdf: options.anthologyPDF, proof: options.anthologyProof, strict: options.anthologyStrict)
        bookOptions.deferPDF = options.deferPDFs
        bookOptions.siteVariants = siteVariants
        let anthologies = AnthologyRenderer(site: input.site, theme: input.theme, options: bookOptions)
        let books = await SiteBuilder(options: options).buildBooks(anthologies, site: input.site, previous: previous,
                                                                   writer: input.writer, staging: staging)
        // A book renders the site's documents again: problems of the stages before were reported once already
        // (and the render stage drops those the site's pages report too).
        let known = Set(diagnosed)
        return RenderReport(diagnostics: books.reports.flatMap(\.diagnostics).filter { !known.contains($0) },
                            reusedFiles: books.reusedFiles, books: books)
    }
}
