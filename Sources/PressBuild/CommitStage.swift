import Foundation
import PressCore
import PressIncremental
import PressModel
import PressSite

/// Stage 6, commit: the build cache written for the next build, then the staging folder swapped in,
/// or, when the previous output's files are known, only what changed moved in under a journal.
/// On any error the staging folder is thrown away and the previous output stays as it was.
struct CommitStage {
    let options: BuildOptions

    func run(_ loaded: LoadStage.Output, _ resolved: ResolveStage.Output, _ rendered: RenderStage.Output, _ run: inout BuildRun) async {
        let staging = resolved.staging
        if Task.isCancelled { run.report([.error(options.outputFolder.path, Self.stopped)], from: .commit) }
        if !run.failed { await writeCache(loaded, resolved, rendered, &run) }
        if run.failed {
            staging.discard()
            return
        }
        do {
            try await swap(staging, reused: rendered.report.reusedFiles, previousFiles: resolved.previousFiles)
        } catch {
            staging.discard()
            run.report([.error(options.outputFolder.path, error.description)], from: .commit)
        }
        run.step(.commit, "swap into the output folder")
    }

    /// Why a build that was cancelled (`qpress build` stopped by a signal) keeps the previous output.
    static let stopped = "stopped before the new output was moved in; the folder is as it was"

    private func writeCache(_ loaded: LoadStage.Output, _ resolved: ResolveStage.Output, _ rendered: RenderStage.Output,
                            _ run: inout BuildRun) async {
        let problems = if let written = rendered.cacheWritten {
            written
        } else {
            await Self.cacheProblems(loaded, resolved, site: rendered.report, books: rendered.books, options: options)
        }
        run.report(problems, from: .commit)
        run.step(.commit, "build cache")
    }

    /// Writes the build cache into the staging folder and returns its problems, if any. Also called by the render
    /// stage as soon as the pages are done, while the search index is still being made.
    static func cacheProblems(_ loaded: LoadStage.Output, _ resolved: ResolveStage.Output, site report: SiteRenderReport,
                           books: [String: BookRecord], options: BuildOptions) async -> [Diagnostic] {
        let site = resolved.site
        var cache = BuildCache(fingerprint: loaded.fingerprint, content: loaded.content.cache, pages: report.pages,
                               indexFingerprints: report.indexFingerprints, routes: await resolved.routes?.value ?? [:],
                               staticPaths: site.staticFiles.map(\.outputPath), templates: report.sources.templates,
                               templateLinks: report.sources.templateLinks)
        cache.reusedPages = report.reusedPages
        cache.imageHashes = resolved.images.hashes
        cache.routesUnchanged = resolved.routesUnchanged
        cache.books = books
        do {
            try await cache.write(into: resolved.staging.staging, encodedContent: await loaded.encodedContent.value, previous: loaded.previous)
            return []
        } catch {
            return [.error(options.outputFolder.path, "cannot write the build cache: \(error.localizedDescription)")]
        }
    }

    /// With the previous output's files, unchanged ones stay where they are; without, the whole folder is swapped.
    private func swap(_ staging: StagingDirectory, reused: [String], previousFiles: Set<String>?) async throws(StagingDirectory.Problem) {
        if let previousFiles {
            var patch = await OutputPatch(staging: staging.staging, kept: reused, previous: previousFiles)
            // The list changes only when files come or go; an edit keeps the previous one.
            if patch.changesList {
                try writeManifest(patch.files, into: staging)
                patch.written.append(OutputManifest.fileName)
            }
            try await staging.commit(patch)
        } else {
            try writeManifest(Set(await OutputManifest.files(below: staging.staging.path)), into: staging)
            try await staging.commit()
        }
    }

    private func writeManifest(_ files: Set<String>, into staging: StagingDirectory) throws(StagingDirectory.Problem) {
        let path = staging.staging.appendingPathComponent(OutputManifest.fileName)
        do { try Data(OutputManifest.encoded(files).utf8).write(to: path) } catch {
            throw .io("cannot write '\(path.path)': \(error.localizedDescription)")
        }
    }
}
