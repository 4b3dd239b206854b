import Foundation
import PressCore
import PressModel
import PressTestSupport
import Testing
@testable import PressLoader

/// `Content/anthologies/*.yml`: whole diagnostics, with the manifest's line and column.
@Suite struct AnthologyManifestTests {
    static let content: [String: String] = [
        "Content/stories/a.md": TemporarySite.story(title: "甲", date: "2020-09-01", extra: "tags: [工匠精神]"),
        "Content/stories/b.md": TemporarySite.story(title: "乙", date: "2020-09-03", extra: "tags: [品牌建设]"),
        "Content/stories/c.md": TemporarySite.story(title: "丙", date: "2020-09-02", extra: "tags: [品牌建设, 工匠精神]"),
        "Content/stories/d.md": TemporarySite.story(title: "草稿", extra: "draft: true"),
        "Content/papers/p.md": TemporarySite.paper(),
        "Content/pages/about.md": "---\ntitle: 关于\n---\n正文\n",
        "Content/slogans.yml": "title: 口号\nyear: 2020\ntheme: 主题\nslogans: [一, 二]\n",
        "Content/anthologies/preface.md": "---\ntitle: 序\nsignature: 协会\ndate: 2020年10月\n---\n\n序言正文。\n",
    ]

    func load(_ manifest: String, name: String = "x") async throws -> (ContentLoader.Result, [String]) {
        var files = Self.content
        files["Content/anthologies/\(name).yml"] = manifest
        let site = try TemporarySite(files)
        defer { site.remove() }
        let result = await ContentLoader(siteRoot: site.root).load()
        return (result, result.diagnostics.map(\.description))
    }

    @Test func marginsAreFourMillimetreLengths() async throws {
        let parts = "parts:\n  - type: section\n    title: 一\n    files: [stories/a.md]\n"
        let (good, _) = try await load("title: 书\npublisher: 协会\nmargins: 25 18 20 30mm\n" + parts)
        #expect(good.site?.anthologies.first?.margins == PageMargins(top: 25, outside: 18, bottom: 20, inside: 30))
        let (_, messages) = try await load("title: 书\npublisher: 协会\nmargins: 25 18\n" + parts)
        #expect(messages == ["Content/anthologies/x.yml:3:10: error: field 'margins' must be four lengths in millimetres, top, outside, "
            + "bottom and inside (gutter), each 5–80, e.g. '22 18 20 22', not '25 18'"])
    }

    @Test func readsAFullManifest() async throws {
        let (result, messages) = try await load("""
        title: 故事集
        subtitle: 副题
        editor: 协会 编
        publisher: 协会
        year: 2020
        isbn: 978-7-5000-0001-3
        cip: |
          故事集 / 协会编.
        trim: 185×260
        bleed: 2.5
        crop_marks: false
        notes: end
        parts:
          - cover
          - half_title
          - copyright
          - type: preface
            file: anthologies/preface.md
          - contents
          - type: section
            title: 第一篇
            files: [stories/b.md, stories/a.md]
          - type: section
            title: 第二篇
            select: {type: stories, tags: [品牌建设, 工匠精神], sort: -date}
          - type: appendix
            title: 附录
            slogans: 2020
          - author_index
        """, name: "book")
        #expect(messages == [])
        let manifest = try #require(result.site?.anthologies.first)
        #expect(manifest.name == "book")
        #expect(manifest.sourcePath == "Content/anthologies/book.yml")
        #expect(manifest.trim == TrimSize(name: "185×260 mm", width: 185, height: 260))
        #expect(manifest.bleed == 2.5 && !manifest.cropMarks && manifest.notes == .end)
        #expect(manifest.cip == "故事集 / 协会编.")
        // Explicit order kept; the selector leaves out what an earlier section took, and drafts.
        #expect(manifest.sections.map(\.documents) == [["stories/b.md", "stories/a.md"], ["stories/c.md"]])
        #expect(manifest.parts.count == 9)
        guard case .preface(let preface) = manifest.parts[3] else { Issue.record("no preface"); return }
        #expect(preface.title == "序" && preface.signature == "协会" && preface.date == "2020年10月")
        #expect(preface.body == "\n序言正文。\n" && preface.bodyFirstLine == 6)
    }

    @Test func namedTrimSizesAndDefaults() async throws {
        let (result, messages) = try await load("title: 书\npublisher: 协会\ntrim: 16开\nparts:\n  - type: section\n    title: 一\n    files: [stories/a.md]\n")
        #expect(messages == [])
        let manifest = try #require(result.site?.anthologies.first)
        #expect(manifest.trim.width == 185 && manifest.trim.height == 260)
        #expect(manifest.bleed == 3 && manifest.cropMarks && manifest.notes == .page && manifest.language == "zh-CN")
    }

    @Test func unknownFieldsFilesAndEmptySectionsNameTheManifestLine() async throws {
        let (result, messages) = try await load("""
        title: 书
        publisher: 协会
        trim: 16开
        parts:
          - cover
          - type: section
            title: 第一篇
            colour: red
            files:
              - stories/a.md
              - stories/nope.md
              - stories/d.md
              - pages/about.md
              - stories/a.md
          - type: section
            title: 第二篇
            select:
              type: papers
              tags: [没有这个标签]
          - type: section
            title: 第三篇
            files: []
          - frontispiece
          - type: appendix
            title: 附录
            file: anthologies/missing.md
        colour: blue
        """)
        #expect(result.site?.anthologies.isEmpty == true)
        #expect(messages == [
            "Content/anthologies/x.yml:8:5: error: unknown field 'colour' (known fields: files, select, title, type)",
            "Content/anthologies/x.yml:11:9: error: file 'stories/nope.md' does not exist (Content/stories/nope.md); paths are relative to Content/",
            "Content/anthologies/x.yml:12:9: error: file 'stories/d.md' is a draft (draft: true); remove it from the section or publish it",
            "Content/anthologies/x.yml:13:9: error: file 'pages/about.md' is a 页面; a section holds stories and papers",
            "Content/anthologies/x.yml:14:9: error: file 'stories/a.md' is already in section '第一篇'",
            "Content/anthologies/x.yml:18:7: error: section '第二篇' is empty: it selects no documents (those chosen by earlier sections are left out)",
            "Content/anthologies/x.yml:22:12: error: section '第三篇' is empty: it lists no files",
            "Content/anthologies/x.yml:23:5: error: unknown part 'frontispiece' (known parts: cover, half_title, copyright, preface, contents, section, appendix, author_index)",
            "Content/anthologies/x.yml:26:11: error: file 'anthologies/missing.md' does not exist (Content/anthologies/missing.md); paths are relative to Content/",
            "Content/anthologies/x.yml:27:1: error: unknown field 'colour' (known fields: bleed, body_font, cip, citation_style, color_profile, cover, crop_marks, edition, editor, heading_font, isbn, language, margins, notes, parts, publisher, signature, strict, subtitle, title, trim, year)",
        ])
    }

    @Test func printSettingsHaveDefaultsAndAreChecked() async throws {
        let section = "parts:\n  - type: section\n    title: 一\n    files: [stories/a.md]\n"
        let (result, messages) = try await load("title: 书\npublisher: 协会\n" + section)
        #expect(messages == [])
        let manifest = try #require(result.site?.anthologies.first)
        #expect(manifest.signature == 4 && manifest.colorProfile == AnthologyManifest.defaultColorProfile)
        #expect(manifest.bodyFont == "Noto Serif CJK SC" && manifest.headingFont == "Noto Sans CJK SC")

        let (custom, customMessages) = try await load("title: 书\npublisher: 协会\nsignature: 16\nbody_font: Noto Serif CJK SC Light\n" + section)
        #expect(customMessages == [])
        #expect(custom.site?.anthologies.first?.signature == 16)
        #expect(custom.site?.anthologies.first?.bodyFont == "Noto Serif CJK SC Light")

        let (_, bad) = try await load("title: 书\npublisher: 协会\nsignature: 100\ncolor_profile: press.icc\nheading_font: 'A\"; }'\n" + section)
        #expect(bad.count == 3)
        #expect(bad.contains("Content/anthologies/x.yml:3:12: error: field 'signature' must be a whole number between 1 and 64"))
        #expect(bad.contains { $0.hasPrefix("Content/anthologies/x.yml:4:16: error: the CMYK colour profile ") && $0.contains("/press.icc does not exist") })
        #expect(bad.contains { $0.hasPrefix("Content/anthologies/x.yml:5:15: error: field 'heading_font' must be a font family name") })
    }

    @Test func badValuesAndMissingFields() async throws {
        let (_, messages) = try await load("""
        subtitle: 无题
        isbn: 978-7-5000-0001-4
        trim: 巨幅
        bleed: 30
        notes: side
        parts: []
        """)
        #expect(messages == [
            "Content/anthologies/x.yml:1:1: error: missing required field 'publisher'",
            "Content/anthologies/x.yml:1:1: error: missing required field 'title'",
            "Content/anthologies/x.yml:2:7: error: ISBN '978-7-5000-0001-4' has a wrong check digit",
            "Content/anthologies/x.yml:3:7: error: field 'trim' must be one of 16开, 32开, A4, A5, B5, 大16开, 大32开 or width×height in millimetres (e.g. 185×260), not '巨幅'",
            "Content/anthologies/x.yml:4:8: error: field 'bleed' must be a number between 0 and 10",
            "Content/anthologies/x.yml:5:8: error: field 'notes' must be 'page' (foot of the page) or 'end' (end of each article), not 'side'",
            "Content/anthologies/x.yml:6:8: error: field 'parts' must not be empty",
        ])
    }

    @Test func prefacesAreNotPagesAndTheirProblemsNameTheirFile() async throws {
        var files = Self.content
        files["Content/anthologies/preface.md"] = "---\ntitle: 序\nauthor: 某\n---\n正文\n"
        files["Content/anthologies/x.yml"] = "title: 书\npublisher: 协会\nparts:\n  - type: preface\n    file: anthologies/preface.md\n  - type: section\n    title: 一\n    files: [stories/a.md]\n"
        let site = try TemporarySite(files)
        defer { site.remove() }
        let result = await ContentLoader(siteRoot: site.root).load()
        #expect(result.diagnostics.map(\.description) == [
            "Content/anthologies/preface.md:3: error: unknown field 'author' (known fields: date, signature, title)",
        ])
        #expect(result.site?.pages.map(\.header.sourcePath) == ["Content/pages/about.md"])
    }

    @Test func theSampleManifestsLoad() async throws {
        let result = await ContentLoader(siteRoot: TemporarySite.repositoryRoot).load()
        #expect(result.diagnostics.map(\.description) == [])
        let books = try #require(result.site?.anthologies).sorted { $0.name < $1.name }
        #expect(books.map(\.name) == ["paper-collection", "story-collection"])
        #expect(books[1].sections.map(\.documents.count) == [2, 2, 2])
        #expect(books[0].documents.count == 5)
    }
}
