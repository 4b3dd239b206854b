import Foundation
import PressCore
import PressModel
import PressTestSupport
import Testing
@testable import PressLoader

@Suite struct ContentLoaderTests {
    func load(_ files: [String: String], drafts: Bool = false) async throws -> (ContentLoader.Result, TemporarySite) {
        let site = try TemporarySite(files)
        return (await ContentLoader(siteRoot: site.root, includeDrafts: drafts).load(), site)
    }

    func messages(_ result: ContentLoader.Result) -> [String] { result.diagnostics.map(\.description) }

    @Test func loadsAllContentTypes() async throws {
        let (result, site) = try await load([
            "Content/site.yml": """
            title: 协会
            base_url: https://example.org/quality
            icp: 京ICP备1号
            per_page: 3
            navigation:
              - title: 首页
                url: /
            """,
            "Content/stories/gear.md": TemporarySite.story(extra: "tags: [工匠精神, 质量改进]\ncover: /assets/g.svg"),
            "Content/stories/精益求精.md": TemporarySite.story(title: "精益", date: "2020-10-01"),
            "Content/papers/p.md": TemporarySite.paper(),
            "Content/pages/notice.md": "---\ntitle: 通知\ndoc_number: 国市监质〔2020〕133号\nissuers: [市场监管总局, 中央宣传部]\n---\n正文\n",
            "Content/slogans.yml": "title: 口号\nyear: 2020\ntheme: 建设质量强国 决胜全面小康\nslogans:\n  - 中国质量 共创共享\n  - 共建中国质量 共享质量成果\n",
            "Content/assets/g.svg": "<svg/>",
        ])
        defer { site.remove() }
        #expect(messages(result) == [])
        let loaded = try #require(result.site)
        #expect(loaded.config.basePath == "/quality/")
        #expect(loaded.config.origin == "https://example.org")
        #expect(loaded.config.icp == "京ICP备1号")
        #expect(loaded.config.perPage == 3)
        #expect(loaded.stories.map(\.header.slug) == ["精益求精", "gear"]) // newest first
        #expect(loaded.stories[1].header.tags == ["工匠精神", "质量改进"])
        #expect(loaded.stories[1].cover == "/assets/g.svg")
        #expect(loaded.stories[1].header.bodyFirstLine == 11)
        #expect(loaded.papers[0].authors == [PaperAuthor(name: "李华", affiliation: "示例液压件厂")])
        #expect(loaded.pages[0].documentNumber == "国市监质〔2020〕133号")
        #expect(loaded.pages[0].issuers == ["市场监管总局", "中央宣传部"])
        #expect(loaded.slogans.first?.slogans.count == 2)
        #expect(loaded.staticFiles.map(\.outputPath) == ["assets/g.svg"])
        #expect(loaded.routesBySource["stories/精益求精.md"] == "/stories/精益求精/")
    }

    @Test func reportsEveryFieldProblemWithItsLine() async throws {
        let (result, site) = try await load([
            "Content/stories/bad.md": """
            ---
            title: 坏故事
            author: 张明
            date: 2020-13-01
            industry: 通用机械
            summary: 摘要
            colour: red
            tags: {a: 1}
            ---
            正文
            """,
        ])
        defer { site.remove() }
        #expect(messages(result) == [
            "Content/stories/bad.md:2: error: missing required field 'company'",
            "Content/stories/bad.md:4: error: field 'date' must be a date written YYYY-MM-DD, not '2020-13-01'",
            "Content/stories/bad.md:7: error: unknown field 'colour' (known fields: author, company, cover, date, draft, industry, slug, summary, tags, title)",
            "Content/stories/bad.md:8: error: field 'tags' must be a list",
        ])
    }

    @Test func reportsMalformedYAMLAndMissingFrontMatter() async throws {
        let (result, site) = try await load([
            "Content/stories/broken.md": "---\ntitle: 好\nsummary: [未闭合\ncompany: x\n---\n正文\n",
            "Content/stories/none.md": "# 只有正文\n",
            "Content/stories/open.md": "---\ntitle: 没有结尾\n",
        ])
        defer { site.remove() }
        let lines = messages(result)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("Content/stories/broken.md:4:"))
        #expect(lines[0].contains("invalid YAML"))
        #expect(lines[1] == "Content/stories/none.md:1: error: missing front matter: the file must start with a line '---', the fields, and another '---'")
        #expect(lines[2] == "Content/stories/open.md:1: error: front matter is not closed: add a line '---' after the last field")
    }

    @Test func paperAuthorsAreChecked() async throws {
        let (result, site) = try await load([
            "Content/papers/p.md": "---\ntitle: 论文\ndate: 2020-10-01\nabstract: 摘要\nauthors:\n  - name: 李华\n  - affiliation: 某大学\n    email: x@y\n---\n正文\n",
        ])
        defer { site.remove() }
        #expect(messages(result) == [
            "Content/papers/p.md:6: error: missing required field 'affiliation'",
            "Content/papers/p.md:7: error: missing required field 'name'",
            "Content/papers/p.md:8: error: unknown field 'email' (known fields: affiliation, name)",
        ])
    }

    @Test func gbkFilesAreExplained() async throws {
        let site = try TemporarySite([:])
        defer { site.remove() }
        try site.write(Data(Array("---\ntitle: ".utf8) + [0xD6, 0xCA, 0xC1, 0xBF, 0x0A] + Array("---\n".utf8)), to: "Content/stories/old.md")
        let result = await ContentLoader(siteRoot: site.root).load()
        #expect(messages(result).count == 1)
        #expect(messages(result).first?.hasPrefix("Content/stories/old.md:2: error: file is not UTF-8; it looks like GBK") == true)
        #expect(messages(result).first?.contains("iconv -f GBK -t UTF-8 'Content/stories/old.md'") == true)
    }

    @Test func unknownTypesBadSlugsAndCollisions() async throws {
        let (result, site) = try await load([
            "Content/news/x.md": "---\ntitle: x\n---\n",
            "Content/stories/a.md": TemporarySite.story(extra: "slug: same"),
            "Content/stories/b.md": TemporarySite.story(extra: "slug: same"),
            "Content/stories/c.md": TemporarySite.story(extra: "slug: ../../etc"),
        ])
        defer { site.remove() }
        #expect(messages(result) == [
            "Content/news/x.md: error: unknown content type: Markdown files belong in one of the folders stories, papers, pages",
            "Content/stories/b.md: error: writes the same page /stories/same/ as Content/stories/a.md; give one of them another slug",
            "Content/stories/c.md:8: error: slug '../../etc' contains a path separator; a slug may hold only letters, digits, '-', '_' and '.'",
        ])
    }

    @Test func draftsAreLeftOutUnlessAsked() async throws {
        let files = [
            "Content/stories/a.md": TemporarySite.story(),
            "Content/stories/d.md": TemporarySite.story(title: "草稿", extra: "draft: true"),
        ]
        let (without, site1) = try await load(files)
        defer { site1.remove() }
        #expect(without.site?.stories.map(\.header.title) == ["一颗齿轮"])
        let (with, site2) = try await load(files, drafts: true)
        defer { site2.remove() }
        #expect(with.site?.stories.count == 2)
    }

    @Test func missingSiteConfigIsAnError() async throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story()], includeSiteConfig: false)
        defer { site.remove() }
        let result = await ContentLoader(siteRoot: site.root).load()
        #expect(result.site == nil)
        #expect(messages(result) == ["Content/site.yml: error: missing site configuration file Content/site.yml"])
    }

    @Test func frontMatterSplitKeepsLineNumbers() throws {
        let split = try FrontMatter.split("---\na: 1\nb: 2\n---\n正文\n")
        #expect(split.yaml == "a: 1\nb: 2\n")
        #expect(split.body == "正文\n")
        #expect(split.bodyFirstLine == 5)
    }
}
