import Foundation
import PressBuild
import PressCore
import PressTestSupport
import Testing

/// End to end: real folders in, real files out.
@Suite struct SampleSiteBuildTests {
    /// Builds the repository's sample content into a temporary output folder.
    static func buildSample(drafts: Bool = false) async throws -> (BuildResult, URL) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-sample-\(UUID().uuidString)")
        // The anthologies' PDFs are checked in PressAnthologyTests; WeasyPrint is too slow to run per build here.
        let options = BuildOptions(source: TemporarySite.repositoryRoot, output: output, includeDrafts: drafts,
                                   defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)
        return (await SiteBuilder(options: options).build(), output)
    }

    func read(_ output: URL, _ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func buildsTheSampleSite() async throws {
        let (result, output) = try await Self.buildSample()
        defer { try? FileManager.default.removeItem(at: output) }
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.succeeded)
        for path in ["index.html", "404.html", "sitemap.xml", "atom.xml", "robots.txt", "slogans/index.html",
                     "stories/index.html", "papers/index.html", "tags/index.html", "tags/可靠性/index.html",
                     "stories/gear-30-years/index.html", "stories/精益求精的轴承人/index.html",
                     "papers/reliability-growth/index.html", "pages/quality-month-2020-national/index.html",
                     "assets/css/site.css", "assets/images/gear.svg"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path), "missing \(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("stories/draft-example/index.html").path))

        let story = try read(output, "stories/hydraulic-pump-reliability/index.html")
        #expect(story.contains("<meta charset=\"utf-8\">"))
        #expect(story.contains("<html lang=\"zh-CN\">"))
        // A content link with a Chinese anchor, rewritten at the source and percent-encoded.
        #expect(story.contains("href=\"/papers/reliability-growth/#%E8%AF%95%E9%AA%8C%E6%96%B9%E6%A1%88\""))
        #expect(story.contains("<time datetime=\"2020-09-22\">2020年9月22日</time>"))
        #expect(story.contains("<meta property=\"og:url\" content=\"https://quality.example.org/stories/hydraulic-pump-reliability/\">"))
        #expect(story.contains("京ICP备00000000号-1"))

        let paper = try read(output, "papers/reliability-growth/index.html")
        #expect(paper.contains("<h2 id=\"试验方案\">试验方案</h2>"))
        // Its references come from the site-wide Content/references.bib.
        #expect(paper.contains("<section class=\"references\" id=\"references\">"))
        #expect(paper.contains("摘　要："))

        let national = try read(output, "pages/quality-month-2020-national/index.html")
        #expect(national.contains("国市监质〔2020〕133号"))
        let slogans = try read(output, "slogans/index.html")
        #expect(slogans.contains("建设质量强国 决胜全面小康"))
        #expect(slogans.contains("<li>加强全面质量管理 推动经济高质量发展</li>"))

        let stories = try read(output, "stories/index.html") + read(output, "stories/page/2/index.html")
        #expect(stories.contains("href=\"/stories/%E7%B2%BE%E7%9B%8A%E6%B1%82%E7%B2%BE%E7%9A%84%E8%BD%B4%E6%89%BF%E4%BA%BA/\""))
        let sitemap = try read(output, "sitemap.xml")
        #expect(sitemap.contains("<loc>https://quality.example.org/stories/%E7%B2%BE%E7%9B%8A%E6%B1%82%E7%B2%BE%E7%9A%84%E8%BD%B4%E6%89%BF%E4%BA%BA/</loc>"))
        let feed = try read(output, "atom.xml")
        #expect(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">"))
        #expect(try read(output, "robots.txt").contains("Sitemap: https://quality.example.org/sitemap.xml"))
    }

    @Test func draftsAreBuiltWhenAsked() async throws {
        let (result, output) = try await Self.buildSample(drafts: true)
        defer { try? FileManager.default.removeItem(at: output) }
        #expect(result.succeeded)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("stories/draft-example/index.html").path))
    }

    @Test func sameInputGivesByteIdenticalOutput() async throws {
        let (first, firstOutput) = try await Self.buildSample()
        let (second, secondOutput) = try await Self.buildSample()
        defer {
            try? FileManager.default.removeItem(at: firstOutput)
            try? FileManager.default.removeItem(at: secondOutput)
        }
        #expect(first.succeeded && second.succeeded)
        let files = try #require(FileManager.default.subpaths(atPath: firstOutput.path)).sorted()
        #expect(files == FileManager.default.subpaths(atPath: secondOutput.path)?.sorted())
        for file in files {
            let a = FileManager.default.contents(atPath: firstOutput.appendingPathComponent(file).path)
            let b = FileManager.default.contents(atPath: secondOutput.appendingPathComponent(file).path)
            #expect(a == b, "\(file) differs between builds")
        }
    }
}

@Suite struct BrokenSiteBuildTests {
    func build(_ site: TemporarySite, baseURL: String? = nil) async -> BuildResult {
        await SiteBuilder(options: BuildOptions(source: site.root, baseURL: baseURL, defaultTheme: TemporarySite.defaultTheme)).build()
    }

    @Test func failedBuildLeavesPreviousOutputUntouched() async throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        let first = await build(site)
        #expect(first.succeeded)
        let before = site.read("Output/stories/a/index.html")
        #expect(before?.contains("一颗齿轮") == true)

        try site.write(TemporarySite.story(title: "新标题", body: "见[论文](../papers/missing.md)。\n"), to: "Content/stories/a.md")
        try site.write("---\ntitle: 缺字段\n---\n", to: "Content/stories/b.md")
        let second = await build(site)
        #expect(!second.succeeded)
        #expect(second.diagnostics.map(\.description) == [
            "Content/stories/a.md:10:2: error: link '../papers/missing.md' points to a content file that does not exist (Content/papers/missing.md)",
            "Content/stories/b.md:2: error: missing required field 'author'",
            "Content/stories/b.md:2: error: missing required field 'company'",
            "Content/stories/b.md:2: error: missing required field 'date'",
            "Content/stories/b.md:2: error: missing required field 'industry'",
            "Content/stories/b.md:2: error: missing required field 'summary'",
        ])
        #expect(site.read("Output/stories/a/index.html") == before)
        let stray = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix(".Output") }
        #expect(stray.isEmpty)
    }

    @Test func siteTemplatesOverrideTheThemeAndMissingPartialsAreErrors() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(),
            "Templates/story.mustache": "<p>{{#story}}{{title}}{{/story}}</p>\n{{> partials/missing}}\n",
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [
            "Templates/story.mustache:2:1: error: missing partial 'partials/missing' (no partials/missing.mustache in the site's Templates/ or the default theme)",
        ])
        try site.write("<p>{{#story}}{{title}}{{/story}}</p>\n", to: "Templates/story.mustache")
        #expect(await build(site).succeeded)
        #expect(site.read("Output/stories/a/index.html") == "<p>一颗齿轮</p>\n")
    }

    /// A site's own page template and partial override the theme's and see every kind of value
    /// (site, nav, page, labels, the story's fields, lists and transforms) as the README lists them.
    @Test func overriddenPageTemplateAndPartialSeeEveryKindOfValue() async throws {
        let site = try TemporarySite([
            "Content/site.yml": "title: 站<名>\nbase_url: https://e.org/\nnavigation:\n  - {title: 故事, url: /stories/}\n",
            "Content/stories/a.md": TemporarySite.story(title: "甲&乙", extra: "tags: [齿轮, 质量]", body: "## 一\n\n正文。\n\n## 二\n\n再。\n"),
            "Templates/story.mustache": """
            {{site.title}}|{{#nav}}{{title}}{{#.current}}*{{/.current}}{{/nav}}|{{page.title}}|{{page.og_type}}|{{labels.home}}
            {{#story}}{{title}}|{{lowercased(company)}}|{{date}}|{{word_count}}|{{#summary}}{{.}}/{{site.title}}{{/summary}}{{^empty(toc)}}|{{#toc}}{{level}}{{text}}{{href}};{{/toc}}{{/empty(toc)}}
              {{> partials/tags}}
            {{/story}}
            """,
            "Templates/partials/tags.mustache": "{{#tags}}<{{name}}={{url}}>{{/tags}}{{^empty(tags)}}!{{/empty(tags)}}\n",
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(site.read("Output/stories/a/index.html") == """
            站&lt;名&gt;|故事*|甲&amp;乙 - 站&lt;名&gt;|article|首页
            甲&amp;乙|示例齿轮厂（示例企业）|2020年9月15日|5|一个关于齿轮的故事。/站&lt;名&gt;|2一#%E4%B8%80;2二#%E4%BA%8C;
              <齿轮=/tags/%E9%BD%BF%E8%BD%AE/><质量=/tags/%E8%B4%A8%E9%87%8F/>!

            """)
    }

    @Test func listAndTagPagesShowEachEntryRenderedOnceWithTheSitesPartial() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲<一>", extra: "tags: [齿轮]"),
            "Templates/partials/entry.mustache": "<li data-entry>{{title}}|{{url}}</li>",
        ])
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let entry = "<li data-entry>甲&lt;一&gt;|/stories/a/</li>"
        #expect(try #require(site.read("Output/stories/index.html")).contains(entry))
        #expect(try #require(site.read("Output/tags/齿轮/index.html")).contains(entry))
    }

    /// Tags are told apart by their bytes first (`UTF8Key`), then merged as `String` merges them: a tag
    /// written decomposed in one story and composed in another is one tag, with one page both link to.
    @Test func aTagSpelledTwoCanonicallyEqualWaysHasOnePage() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(title: "甲", date: "2020-09-16", extra: "tags: [\"Cafe\u{301}\", 齿轮]"),
            "Content/stories/b.md": TemporarySite.story(title: "乙", date: "2020-09-15", extra: "tags: [\"Caf\u{e9}\", 齿轮]"),
        ])
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let tagPages = try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("Output/tags").path)
            .filter { $0 != "index.html" }
        #expect(tagPages.count == 2, "\(tagPages)")
        let links = try ["a", "b"].map { story in
            let page = try #require(site.read("Output/stories/\(story)/index.html")?.removingPercentEncoding)
            return tagPages.filter { page.contains("/tags/\($0)/") }.count
        }
        #expect(links == [2, 2])
    }

    @Test func aCachedHeaderIsRenderedOncePerStateOfTheNavigation() async throws {
        let site = try TemporarySite([
            "Content/site.yml": "title: 站\nnavigation:\n  - {title: 首页, url: /}\n  - {title: 故事, url: /stories/}\n  - {title: 论文, url: /papers/}\n",
            "Content/stories/a.md": TemporarySite.story(title: "甲"),
            "Content/papers/p.md": TemporarySite.paper(),
            "Templates/partials/header.mustache": "{{! cached }}\n<nav>{{#nav}}{{#current}}[{{title}}]{{/current}}{{/nav}}</nav><i>{{page.title}}</i>\n",
        ])
        defer { site.remove() }
        let result = await build(site)
        #expect(result.diagnostics.map(\.description) == [])
        for (path, current) in [("index.html", "[首页]"), ("stories/a/index.html", "[故事]"), ("stories/index.html", "[故事]"),
                                ("papers/p/index.html", "[论文]"), ("tags/index.html", "")] {
            // Only `site` and `nav` are seen by a cached partial: never one page's title on every page.
            #expect(try #require(site.read("Output/" + path)).contains("<nav>\(current)</nav><i></i>\n"), "\(path)")
        }
    }

    @Test func baseURLPrefixesEveryLink() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(body: "见[首页](/slogans/)与[b](b.md)。\n"),
            "Content/stories/b.md": TemporarySite.story(title: "乙"),
        ])
        defer { site.remove() }
        let result = await build(site, baseURL: "https://www.example.org/quality")
        #expect(result.succeeded)
        let page = try #require(site.read("Output/stories/a/index.html"))
        #expect(page.contains("href=\"/quality/slogans/\""))
        #expect(page.contains("href=\"/quality/stories/b/\""))
        #expect(page.contains("href=\"/quality/assets/css/site.css\""))
        #expect(page.contains("content=\"https://www.example.org/quality/stories/a/\""))
    }

    @Test func paginatesLists() async throws {
        var files = ["Content/site.yml": "title: 站\nbase_url: https://e.org/\nper_page: 2\n"]
        for day in 1...5 { files["Content/stories/s\(day).md"] = TemporarySite.story(title: "故事\(day)", date: "2020-09-0\(day)") }
        let site = try TemporarySite(files)
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let first = try #require(site.read("Output/stories/index.html"))
        let third = try #require(site.read("Output/stories/page/3/index.html"))
        #expect(first.contains("故事5") && first.contains("故事4") && !first.contains("故事3"))
        #expect(first.contains("rel=\"next\" href=\"/stories/page/2/\""))
        #expect(third.contains("故事1") && third.contains("rel=\"prev\" href=\"/stories/page/2/\""))
        #expect(!site.exists("Output/stories/page/4/index.html"))
    }

    @Test func aSiteLabelsFileRenamesTitlesPaginationAndTheCachedFooter() async throws {
        var labels = try String(contentsOf: TemporarySite.defaultTheme.appendingPathComponent("labels/zh-CN.yml"), encoding: .utf8)
        labels = labels.replacingOccurrences(of: "list_page: \"{title}（第{number}页）\"", with: "list_page: \"{title}·{number}\"")
            .replacingOccurrences(of: "next_page: 下一页", with: "next_page: 往后")
            .replacingOccurrences(of: "all_tags: 全部标签", with: "all_tags: 标签一览")
        var files = ["Content/site.yml": "title: 站\nbase_url: https://e.org/\nper_page: 2\n", "Templates/labels/zh-CN.yml": labels]
        for day in 1...3 { files["Content/stories/s\(day).md"] = TemporarySite.story(title: "故事\(day)", date: "2020-09-0\(day)") }
        let site = try TemporarySite(files)
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let first = try #require(site.read("Output/stories/index.html"))
        let second = try #require(site.read("Output/stories/page/2/index.html"))
        #expect(second.contains("<title>质量品牌故事·2 - 站</title>"))
        #expect(first.contains("rel=\"next\" href=\"/stories/page/2/\">往后</a>") && !first.contains("下一页"))
        #expect(first.contains("tags/\">标签一览</a>") && !first.contains("全部标签"))
        #expect(try #require(site.read("Output/tags/index.html")).contains("<title>标签一览 - 站</title>"))
    }

    @Test func longListsLinkAWindowOfPages() async throws {
        var files = ["Content/site.yml": "title: 站\nbase_url: https://e.org/\nper_page: 1\n"]
        for day in 1...9 { files["Content/stories/s\(day).md"] = TemporarySite.story(title: "故事\(day)", date: "2020-09-0\(day)") }
        let site = try TemporarySite(files)
        defer { site.remove() }
        #expect(await build(site).succeeded)
        let fifth = try #require(site.read("Output/stories/page/5/index.html"))
        for shown in [1, 3, 4, 6, 7, 9] { #expect(fifth.contains("<a href=\"\(shown == 1 ? "/stories/" : "/stories/page/\(shown)/")\">\(shown)</a>")) }
        #expect(fifth.contains("<span aria-current=\"page\">5</span>"))
        #expect(!fifth.contains("/stories/page/2/\">2<") && !fifth.contains("/stories/page/8/\">8<"))
        #expect(fifth.components(separatedBy: "pagination__gap").count == 3)
    }
}

/// The feed lists the 20 newest stories and papers as a stable sort of all of them would: by date, then
/// title, then stories before papers in the site's order. It picks them in one pass.
@Suite struct FeedOrderTests {
    @Test func theFeedHoldsTheNewestTwentyInSortOrder() async throws {
        var files: [String: String] = [:]
        var expected: [(date: String, title: String, paper: Bool, path: String)] = []
        for number in 0..<30 {
            // Five dates and three titles: many ties, broken by title and then by path.
            let date = "2020-0\(1 + number % 5)-10", title = ["乙", "甲", "丙"][number % 3]
            let slug = String(format: "s%02d", (number * 7) % 30)
            files["Content/stories/\(slug).md"] = TemporarySite.story(title: title, date: date)
            expected.append((date, title, false, "/stories/\(slug)/"))
        }
        for number in 0..<4 {
            files["Content/papers/p\(number).md"] = TemporarySite.paper(title: "甲", date: "2020-05-10")
            expected.append(("2020-05-10", "甲", true, "/papers/p\(number)/"))
        }
        let site = try TemporarySite(files)
        defer { site.remove() }
        #expect(await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build().succeeded)
        let order = expected.sorted { a, b in
            if a.date != b.date { return a.date > b.date }
            if a.title != b.title { return a.title < b.title }
            return a.paper != b.paper ? !a.paper : a.path < b.path
        }
        let feed = try #require(site.read("Output/atom.xml"))
        let links = feed.components(separatedBy: "<entry>").dropFirst().compactMap { entry in
            entry.components(separatedBy: "<link href=\"https://example.org").dropFirst().first?.components(separatedBy: "\"").first
        }
        #expect(links == order.prefix(20).map(\.path))
    }
}

@Suite struct LinkCheckedBuildTests {
    @Test func brokenAnchorFailsTheBuildAtItsMarkdownLine() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(body: "## 概述\n\n见[乙](b.md#不存在)和[乙](b.md#概述)。\n"),
            "Content/stories/b.md": TemporarySite.story(title: "乙"),
        ])
        defer { site.remove() }
        let options = BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme, linkCheck: .offline)
        let result = await SiteBuilder(options: options).build()
        #expect(result.diagnostics.map(\.description) == [
            "Content/stories/a.md:12:2: error: broken link '/stories/b/#%E4%B8%8D%E5%AD%98%E5%9C%A8': missing anchor #不存在",
        ])
        #expect(!site.exists("Output/index.html"))

        try site.write(TemporarySite.story(body: "## 概述\n\n见[乙](b.md#概述)。\n"), to: "Content/stories/a.md")
        let fixed = await SiteBuilder(options: options).build()
        #expect(fixed.succeeded)
        #expect(fixed.linkReport?.isClean == true)
        #expect(fixed.linkReport?.externalSkipped == 0) // no ICP number in this site.yml, so no external link
    }

    /// A reused page's links stay encoded in its cache record until a check asks for them: they are
    /// still checked, and reported at their Markdown line.
    @Test func aReusedPagesBrokenLinkIsReportedAtItsLine() async throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(body: "## 概述\n\n见[乙](b.md#概述)。\n"),
            "Content/stories/b.md": TemporarySite.story(title: "乙"),
        ])
        defer { site.remove() }
        #expect(await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build().succeeded)
        try site.write(TemporarySite.story(title: "乙", body: "## 背景\n\n正文。\n"), to: "Content/stories/b.md")
        let checked = await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme, linkCheck: .offline)).build()
        #expect(checked.pagesReused == 1)
        #expect(checked.diagnostics.map(\.description) == [
            "Content/stories/a.md:12:2: error: broken link '/stories/b/#%E6%A6%82%E8%BF%B0': missing anchor #概述",
        ])
    }

    @Test func theSampleSiteHasNoBrokenInternalLinks() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-checked-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let options = BuildOptions(source: TemporarySite.repositoryRoot, output: output, defaultTheme: TemporarySite.defaultTheme,
                                   linkCheck: .offline, anthologyPDF: false)
        let result = await SiteBuilder(options: options).build()
        #expect(result.diagnostics.map(\.description) == [])
        #expect((result.linkReport?.linksChecked ?? 0) > 500)
    }
}
