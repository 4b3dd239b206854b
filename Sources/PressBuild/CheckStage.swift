import Foundation
import PressCore
import PressLinks
import PressModel

/// Stage 5, check: the links of the staging folder, when asked for; a broken link fails the build.
struct CheckStage {
    let options: BuildOptions

    func run(_ site: Site, _ resolved: ResolveStage.Output, _ rendered: RenderStage.Output, _ run: inout BuildRun) async {
        guard !run.failed, let mode = options.linkCheck else { return }
        let checkOptions = SiteBuilder.linkCheckOptions(site.config.linkCheck, baseURL: site.config.baseURL,
                                                        offline: mode == .offline, cacheFile: options.linkCacheFile)
        let linkReport = await LinkChecker(folder: resolved.staging.staging, options: checkOptions, sources: rendered.report.sources).check()
        run.result.linkReport = linkReport
        run.report(linkReport.broken.map { .init($0.source, "broken link '\($0.url)': \($0.reason)") }, from: .check)
        run.step(.check, "link check")
    }
}
