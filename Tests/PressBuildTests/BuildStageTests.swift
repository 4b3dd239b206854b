import Foundation
import PressBuild
import PressCore
import PressTestSupport
import Testing

/// A build is six named stages: the timings name them in order, and each diagnostic its stage.
@Suite struct BuildStageTests {
    func build(_ site: TemporarySite, check: Bool = false) async -> BuildResult {
        var options = BuildOptions(source: site.root, output: site.root.appendingPathComponent("Output"),
                                   defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)
        if check { options.linkCheck = .offline }
        return await SiteBuilder(options: options).build()
    }

    @Test func timingsNameEveryStageInOrder() async throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        let result = await build(site, check: true)
        #expect(result.succeeded)
        // A clean build plans nothing: there is no previous build to compare with.
        var stages: [BuildStage] = []
        for timing in result.timings where stages.last != timing.stage { stages.append(timing.stage) }
        #expect(stages == [.load, .resolve, .render, .check, .commit])
        #expect(result.timings.map(\.stage) == result.timings.map(\.stage).sorted())
        #expect(result.timingLines.first?.hasSuffix("  load") == true)
        #expect(result.timingLines.contains { $0.hasSuffix("    link check") })
        let again = await build(site)
        #expect(again.timings.contains { $0.stage == .plan && $0.step == "changes since the last build" })
    }

    @Test func diagnosticsSayWhichStageFoundThem() async throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story(body: "## 概述\n\n[断链](/nowhere/)\n"),
                                      "Content/stories/b.md": "---\ntitle: 无日期\n---\n正文\n"])
        defer { site.remove() }
        let loaded = await build(site)
        #expect(!loaded.succeeded)
        #expect(loaded.diagnostics.contains { $0.stage == .load && $0.location.file.hasSuffix("b.md") })
        #expect(loaded.diagnostics.allSatisfy { $0.stage != nil })
        try site.write(TemporarySite.story(title: "另一篇"), to: "Content/stories/b.md")
        let checked = await build(site, check: true)
        #expect(!checked.succeeded)
        #expect(checked.diagnostics.contains { $0.stage == .check && $0.message.contains("/nowhere/") })
        // The stage is not part of what a diagnostic is: the same problem from two stages is one.
        var other = try #require(checked.diagnostics.first)
        other.stage = .render
        #expect(other == checked.diagnostics.first)
    }
}
