import Foundation
import PressBuild
import PressTestSupport
import Testing

/// Document pages whose body is spliced in after rendering (`ContentMarker`) are byte for byte the pages
/// rendered with the body in the view: the same site is built with hostile theme overrides, once as it
/// is and once with a partial that turns splicing off (`{{#content}}` in a section).
@Suite struct ContentSpliceBuildTests {
    static let overrides = [
        "Templates/layout.mustache": "<html><title>{{page.title}}</title>{{> partials/off}}\n{{> partials/header}}\n  {{$main}}{{/main}}\n</html>\n",
        "Templates/partials/header.mustache": "<header>{{page.title}}|{{#nav}}{{title}}{{/nav}}</header>\n",
        "Templates/partials/off.mustache": "",
        "Templates/partials/body.mustache": "<div>\n{{{content}}}\n</div>\n",
        "Templates/story.mustache": """
        {{<layout}}{{$main}}{{#story}}
          {{> partials/body}}
        <pre>{{content}}</pre>{{{content}}}{{title}}
        {{/story}}{{/main}}{{/layout}}
        """,
        "Templates/paper.mustache": "{{#paper}}<meta content=\"{{content}}\">{{{paper.content}}}{{/paper}}\n",
        "Templates/page.mustache": "<h1>{{doc.title}}</h1>\n",
    ]

    static let content = [
        "Content/site.yml": "title: 站<名>\nnavigation:\n  - {title: 故事, url: /stories/}\n",
        "Content/stories/a.md": TemporarySite.story(title: "甲&乙", body: "## 一\n\n正文 <b>&</b> 'x' \"y\"。\n\n    code < 1\n"),
        "Content/stories/b.md": TemporarySite.story(title: "乙", body: "末尾没有换行"),
        "Content/papers/p.md": TemporarySite.paper(),
        "Content/pages/n.md": "---\ntitle: 通知\n---\n正文。\n",
    ]

    func build(_ files: [String: String], spliced: Int) async throws -> [String: String] {
        let site = try TemporarySite(files)
        defer { site.remove() }
        let result = await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.pagesSpliced == spliced)
        var pages: [String: String] = [:]
        for path in ["stories/a/index.html", "stories/b/index.html", "papers/p/index.html", "pages/n/index.html"] {
            pages[path] = site.read("Output/" + path)
        }
        return pages
    }

    @Test func splicedPagesEqualPlainPages() async throws {
        let files = Self.overrides.merging(Self.content) { first, _ in first }
        let spliced = try await build(files, spliced: 4)
        // The same pages with `content` in a section of a partial the layout includes (it renders nothing here).
        let plain = try await build(files.merging(["Templates/partials/off.mustache": "{{#content}}{{/content}}"]) { _, new in new }, spliced: 0)
        #expect(spliced.count == 4)
        #expect(spliced == plain)
        let story = try #require(spliced["stories/a/index.html"])
        #expect(story.contains("<pre>&lt;h2 id=&quot;"))
        #expect(story.contains("<header>甲&amp;乙 - 站&lt;名&gt;|故事</header>"))
    }

    /// The default theme's pages are spliced, and equal the pages rendered with the body in the view.
    @Test func theDefaultThemeSplicesEveryDocumentPage() async throws {
        let spliced = try await build(Self.content, spliced: 4)
        let toc = try String(contentsOf: TemporarySite.defaultTheme.appendingPathComponent("partials/toc.mustache"), encoding: .utf8)
        let plain = try await build(Self.content.merging(["Templates/partials/toc.mustache": "{{#content}}{{/content}}" + toc]) { _, new in new },
                                    spliced: 0)
        #expect(spliced == plain)
        let story = try #require(spliced["stories/a/index.html"])
        #expect(story.contains("<div class=\"prose\">\n<h2 id=") && story.contains("<pre><code>code &lt; 1\n</code></pre>\n"))
    }
}
