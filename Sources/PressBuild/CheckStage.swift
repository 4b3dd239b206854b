import Foundation
import PressCore
import PressIncremental
import PressLinks
import PressModel

/// Stage 5, check: the links of the staging folder, when asked for; a broken link fails the build.
struct CheckStage {
    let options: BuildOptions

    func run(_ site: Site, _ resolved: ResolveStage.Output, _ rendered: RenderStage.Output, _ run: inout BuildRun) async {
        guard !run.failed, let mode = options.linkCheck else { return }
        let checkOptions = SiteBuilder.linkCheckOptions(site.config.linkCheck, baseURL: site.config.baseURL,
                                                        offline: mode == .offline, cacheFile: options.linkCacheFile)
        // Reused pages' links are decoded from their records only now, when a check needs them.
        let sources = rendered.report.linkSources
        let linkReport = await LinkChecker(folder: resolved.staging.staging, options: checkOptions, sources: sources).check()
        run.result.linkReport = linkReport
        run.report(linkReport.broken.map { .init($0.source, "broken link '\($0.url)': \($0.reason)") }, from: .check)
        run.step(.check, "link check")
    }
}
