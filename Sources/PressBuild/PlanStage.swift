import Foundation
import PressCore
import PressIncremental
import PressModel
import PressSearch
import PressSite

/// Stage 3, plan: against the previous build, which documents changed and must be rendered again,
/// and what of the previous output may be reused. A clean build plans to render everything.
struct PlanStage {
    let options: BuildOptions

    struct Output: Sendable {
        /// The site, with the bodies of the documents to render read back from disk.
        var site: Site
        var reusable: ReusableOutput?
    }

    func run(_ loaded: LoadStage.Output, _ resolved: ResolveStage.Output, _ run: inout BuildRun) async -> Output {
        guard let previous = loaded.previous else { return Output(site: resolved.site, reusable: nil) }
        let site = resolved.site
        // Unchanged, the routes are not compared.
        let routes = await resolved.routes?.value ?? [:]
        var dirty = previous.dirtyDocuments(site: site, routes: routes, routesUnchanged: resolved.routesUnchanged,
                                              readSources: loaded.content.readSources)
        dirty.formUnion(previous.documentsShowing(imagesChangedIn: resolved.images.hashes))
        // A bibliography the walk does not see (hidden, or outside the papers) is not in the fingerprint: its papers are rendered again.
        for index in site.papers.indices where site.papers[index].bibliography.contains(where: { !loaded.bibliographyFiles.contains($0.path) }) {
            dirty.insert(site.papers[index].header.sourcePath)
        }
        // A page deleted from the output by hand is made again, and so is one without its entry in the search index.
        let unusable = await loaded.unusablePages.value
        dirty.formUnion(unusable?.missing ?? [])
        if site.config.search { dirty.formUnion(unusable?.unindexed ?? []) }
        let stored = site.config.search ? await loaded.storedSearch.value : nil
        var reusable = ReusableOutput(folder: options.outputFolder, pages: previous.pages, dirty: [],
                                      indexFingerprints: previous.indexFingerprints, searchStore: stored)
        // Documents that come from the cache have no body; read the few that must be rendered again,
        // and those the anthologies print.
        let inBooks = Set(site.anthologies.flatMap(\.documents).map { "Content/" + $0 })
        let withBodies = loaded.loader.withBodies(site, for: dirty.union(inBooks).subtracting(loaded.content.readSources))
        reusable.dirty = dirty
        if let stored {
            // The postings an edit's search patch takes out, looked for in the whole store beside the rendering, not after it.
            let paths = dirty.compactMap { previous.pages[$0]?.outputPath }
            reusable.previousPostings = Task { SearchIndexPatch.previousPostings(in: stored, of: paths) }
        }
        reusable.templates = previous.templates
        reusable.templateLinks = previous.templateLinks
        reusable.routesUnchanged = resolved.routesUnchanged
        reusable.fieldsUnchanged = loaded.content.fieldsUnchanged
        reusable.pagesFound = unusable != nil
        reusable.searchFilesFound = unusable?.indexFilesFound ?? false
        run.step(.plan, "changes since the last build")
        return Output(site: withBodies, reusable: reusable)
    }
}
