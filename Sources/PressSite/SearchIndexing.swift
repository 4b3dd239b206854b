import Foundation
import PressCore
public import PressIncremental
import PressModel
public import PressSearch

/// The site's side of search: what of each document is indexed, and writing the index
/// (`search/…`) and what the next build updates (`.qpress-search`).
extension SiteRenderer {
    /// A document's search record: its title (boosted), the fields shown on its page, and its text.
    func searchRecord(_ job: Document, outputPath: String, plainText: String) -> SearchRecord {
        let header = job.header
        var fields: [String] = []
        var summary = header.summary
        switch job {
        case .story(let story):
            fields = [story.company, story.author, story.industry]
        case .paper(let paper):
            fields = paper.authors.flatMap { [$0.name, $0.affiliation] } + [paper.abstract] + paper.keywords
            if summary == nil { summary = paper.abstract }
        case .page(let page):
            fields = [page.documentNumber ?? ""] + page.issuers
        }
        if let own = header.summary { fields.append(own) }
        fields += header.tags
        return SearchRecord(path: outputPath, url: urls.href(header.route), title: header.title, kind: header.kind.displayName,
                            date: header.date?.chinese ?? "", summary: summary, fields: fields, body: plainText)
    }

    /// Writes `search/…` and `.qpress-search` from every document's record (`SiteRenderReport.searchRecords`), on all cores.
    public func writeSearchIndex(_ records: [SearchRecord], writer: OutputWriter) async -> SiteRenderReport {
        await writeSearchIndex(SearchIndex(records: records), writer: writer)
    }

    /// With `previous`, in an output patched in place, a file equal to the previous build's stays
    /// where it is: an edit changes a few dozen of the index's hundreds of files.
    public func writeSearchIndex(_ index: SearchIndex, writer: OutputWriter, previous: ReusableOutput? = nil) async -> SiteRenderReport {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let output = await index.output(parts: cores)
        let files = output.files + [(SearchStore.fileName, output.store)]
        let size = max(64, files.count / cores + 1)
        return await withTaskGroup(of: SiteRenderReport.self) { group in
            for start in stride(from: 0, to: files.count, by: size) {
                group.addTask {
                    var report = SiteRenderReport()
                    for file in files[start..<min(start + size, files.count)] {
                        if writer.reusesInPlace, let previous, writer.file(previous.file(file.path), holds: file.data) {
                            report.reusedFiles.append(file.path)
                            continue
                        }
                        do { try writer.write(file.data, to: file.path) } catch { report.diagnostics.append(.error(file.path, "cannot write output file: \(error)")) }
                    }
                    return report
                }
            }
            return await group.reduce(into: SiteRenderReport()) { $0.merge($1) }
        }
    }

    /// For an incremental build, without waiting for its pages: the previous build's index with
    /// new records for the documents not reused, made from their Markdown.
    public func updatedSearchIndex(reusing previous: ReusableOutput, from stored: SearchStore.Contents) async -> SearchIndex {
        var fresh: [Document] = []
        var current = Set<String>(minimumCapacity: documents.count)
        for job in documents {
            // A document not rendered again keeps its page, and its entry in the index.
            let source = job.header.sourcePath
            if !previous.dirty.contains(source), let page = previous.pages[source], previous.searchPaths.contains(page.outputPath) {
                current.insert(page.outputPath)
            } else {
                current.insert(SiteURLs.outputPath(job.header.route))
                fresh.append(job)
            }
        }
        let size = max(8, fresh.count / (ProcessInfo.processInfo.activeProcessorCount * 4))
        let records = await withTaskGroup(of: [SearchRecord].self) { group in
            for start in stride(from: 0, to: fresh.count, by: size) {
                let slice = fresh[start..<min(start + size, fresh.count)]
                group.addTask {
                    slice.map { job in
                        searchRecord(job, outputPath: SiteURLs.outputPath(job.header.route), plainText: renderMarkdown(of: job).0.plainText)
                    }
                }
            }
            return await group.reduce(into: [SearchRecord]()) { $0 += $1 }
        }
        return SearchIndex(updating: stored, keeping: current, adding: records)
    }
}
