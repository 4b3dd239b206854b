import Foundation
import PressBuild
import PressTestSupport
import Testing

/// The index pages and feeds are taken unplanned when no value they show changed (`IndexPlanKey`):
/// an edit of any such value must still reach them, exactly as a clean build makes them, and an edit
/// of a page's text only must leave them unplanned.
extension IncrementalBuildTests {
    /// Each kind of input of the lists, the home page, the tag pages, the slogans page, the feeds and the sitemap.
    enum IndexInput: String, CaseIterable, Sendable {
        case title, date, tags, industry, summary, company, author, cover, coverImage, paperAuthor, paperAbstract, keywords
        case documentNumber, issuers
        case newDocument, renamedDocument, slogans, anthology, perPage

        /// The books read the anthology manifests: only that edit needs them.
        var needsBooks: Bool { self == .anthology }
    }

    /// A page's issuers show in lists only when it has no document number: one such, on a tag page.
    static let listedIssuers = ("Content/pages/about.md", "title: 关于本站\n", "title: 关于本站\ntags: [本站]\nissuers:\n  - 示例协会\n")

    func apply(_ input: IndexInput, to site: TemporarySite) throws {
        func replace(_ old: String, _ new: String, in path: String) throws {
            let text = try #require(site.read(path))
            #expect(text.contains(old), "\(path) does not hold \(old)")
            try site.write(text.replacingOccurrences(of: old, with: new), to: path)
        }
        let (paper, notice) = ("Content/papers/reliability-growth.md", "Content/pages/quality-month-2020.md")
        switch input {
        case .title: try replace("title: 一颗齿轮的三十年", "title: 一颗齿轮的四十年", in: Self.story)
        case .date: try replace("date: 2020-09-15", "date: 2020-09-16", in: Self.story)
        case .tags: try replace("tags: [工匠精神, 质量改进, 品牌建设]", "tags: [工匠精神, 质量改进]", in: Self.story)
        case .industry: try replace("industry: 通用机械", "industry: 专用机械", in: Self.story)
        case .summary: try replace("summary: 从手工修配到", "summary: 从手工到", in: Self.story)
        case .company: try replace("company: 华东精密齿轮有限公司", "company: 华东齿轮有限公司", in: Self.story)
        case .author: try replace("author: 张明", "author: 张明明", in: Self.story)
        case .cover: try replace("cover: /assets/images/gear-workshop.jpg", "cover: /assets/images/pump-test-bench.jpg", in: Self.story)
        case .coverImage:
            let images = site.root.appendingPathComponent("Content/assets/images")
            try FileManager.default.removeItem(at: images.appendingPathComponent("gear-workshop.jpg"))
            try FileManager.default.copyItem(at: images.appendingPathComponent("bearing-inspection.jpg"), to: images.appendingPathComponent("gear-workshop.jpg"))
        case .paperAuthor: try replace("name: 李华", "name: 李华华", in: paper)
        case .paperAbstract: try replace("abstract: 针对某型", "abstract: 关于某型", in: paper)
        case .keywords: try replace("keywords: [可靠性增长, 液压泵, 故障模式]", "keywords: [可靠性增长, 液压泵]", in: paper)
        case .documentNumber: try replace("〔2020〕10号", "〔2020〕11号", in: notice)
        case .issuers: try replace("  - 示例协会", "  - 示例学会", in: Self.listedIssuers.0)
        case .newDocument: try site.write(TemporarySite.story(title: "新故事", date: "2026-01-02", extra: "tags: [新标签]"), to: "Content/stories/new.md")
        case .renamedDocument:
            try FileManager.default.moveItem(at: site.root.appendingPathComponent("Content/pages/about.md"),
                                             to: site.root.appendingPathComponent("Content/pages/about-us.md"))
        case .slogans: try replace("中国质量 共创共享", "中国质量 共创共赢", in: "Content/slogans.yml")
        case .anthology: try replace("subtitle: 2020年全国“质量月”活动成果", "subtitle: 2020年活动成果", in: "Content/anthologies/story-collection.yml")
        case .perPage: try replace("per_page: 5", "per_page: 3", in: "Content/site.yml")
        }
    }

    @Test(arguments: IndexInput.allCases)
    func anEditOfAnIndexInputIsPlannedAsACleanBuildIs(_ input: IndexInput) async throws {
        let site = try input.needsBooks ? sampleCopy() : sampleWithoutBooks()
        defer { site.remove() }
        if input == .issuers {
            let (page, old, new) = Self.listedIssuers
            try site.write(try #require(site.read(page)).replacingOccurrences(of: old, with: new), to: page)
        }
        #expect(await build(site, into: "Output").succeeded)
        try apply(input, to: site)
        let second = await build(site, into: "Output")
        #expect(second.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        #expect(second.succeeded && !second.indexPlanReused, "\(input): the lists were not planned again")
        try await expectSameAsCleanBuild(site)
    }

    @Test func anEditOfAPagesTextOnlyTakesEveryListUnplanned() async throws {
        let site = try sampleWithoutBooks()
        defer { site.remove() }
        let first = await build(site, into: "Output")
        #expect(first.succeeded && !first.indexPlanReused)
        let kept = ["index.html", "stories/index.html", "tags/index.html", "404.html", "slogans/index.html", "sitemap.xml", "atom.xml"]
        let before = kept.map { site.inode("Output/" + $0) }
        try site.write(try #require(site.read(Self.story)) + "\n新增的一段。\n", to: Self.story)
        let second = await build(site, into: "Output")
        #expect(second.succeeded && second.indexPlanReused)
        #expect(second.pagesWritten == first.pagesWritten)
        #expect(kept.map { site.inode("Output/" + $0) } == before)
        #expect(site.read("Output/stories/gear-30-years/index.html")?.contains("新增的一段。") == true)
        try await expectSameAsCleanBuild(site)

        // And again: the key the unplanned build left is the one the next build compares with.
        try site.write(try #require(site.read(Self.story)) + "\n又一段。\n", to: Self.story)
        #expect(await build(site, into: "Output").indexPlanReused)
        try await expectSameAsCleanBuild(site)
    }

    /// A list page or feed deleted from the output by hand is made again: the lists are then planned.
    @Test(arguments: ["stories/index.html", "sitemap.xml"])
    func anIndexFileDeletedByHandIsMadeAgain(_ file: String) async throws {
        let site = try sampleWithoutBooks()
        defer { site.remove() }
        #expect(await build(site, into: "Output").succeeded)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Output/" + file))
        try site.write(try #require(site.read(Self.story)) + "\n新增的一段。\n", to: Self.story)
        let second = await build(site, into: "Output")
        #expect(second.succeeded && !second.indexPlanReused)
        #expect(site.exists("Output/" + file))
        try await expectSameAsCleanBuild(site)
    }
}
