import PressCore
import Testing
@testable import PressMarkdown

@Suite struct MarkdownRendererTests {
    let renderer = MarkdownRenderer()

    @Test func chineseHeadingsGetUniqueIDs() {
        let (rendered, diagnostics) = renderer.render("# 质量 管理\n\n## 试验方案\n\n## 试验方案\n\n## Hello, World!\n", file: "x.md")
        #expect(diagnostics.isEmpty)
        #expect(rendered.headings.map(\.id) == ["质量-管理", "试验方案", "试验方案-1", "hello-world"])
        #expect(rendered.html.contains("<h2 id=\"试验方案\">试验方案</h2>"))
        #expect(rendered.html.contains("<h2 id=\"试验方案-1\">试验方案</h2>"))
        #expect(rendered.headings.map(\.line) == [1, 3, 5, 7])
    }

    @Test func taskListCheckboxesHaveAnAccessibleName() {
        let (rendered, _) = renderer.render("- [x] 平面度检测\n- [ ] 用户现场复检\n", file: "x.md")
        #expect(rendered.html.contains("<li><input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"已完成\" /> 平面度检测</li>"))
        #expect(rendered.html.contains("<li><input type=\"checkbox\" disabled=\"\" aria-label=\"未完成\" /> 用户现场复检</li>"))
    }

    @Test func headingKeepsInlineMarkup() {
        let (rendered, _) = renderer.render("## 使用 `cmark` 的*方法*\n", file: "x.md")
        #expect(rendered.html.contains("<h2 id=\"使用-cmark-的方法\">使用 <code>cmark</code> 的<em>方法</em></h2>"))
    }

    @Test func gfmExtensions() {
        let markdown = """
        | 指标 | 改进前 |
        |---|---|
        | 不良率 | 3% |

        ~~旧~~ 新，见 https://www.example.org 。

        - [x] 已完成
        - [ ] 未完成

        正文[^1]。

        [^1]: 张三. 可靠性[M]. 2018.
        """
        let (rendered, _) = renderer.render(markdown, file: "x.md")
        #expect(rendered.html.contains("<table>"))
        #expect(rendered.html.contains("<del>旧</del>"))
        #expect(rendered.html.contains("<a href=\"https://www.example.org\">https://www.example.org</a>"))
        #expect(rendered.html.contains("type=\"checkbox\" checked=\"\" disabled=\"\""))
        #expect(rendered.html.contains("class=\"footnotes\""))
        #expect(rendered.plainText.contains("不良率"))
        #expect(rendered.plainText.contains("可靠性"))
    }

    @Test func rawHTMLIsEscapedByDefault() {
        let (rendered, _) = renderer.render("<div class=\"x\">块</div>\n\n文字<b>粗</b>\n", file: "x.md")
        #expect(rendered.html.contains("&lt;div class=&quot;x&quot;&gt;块&lt;/div&gt;"))
        #expect(rendered.html.contains("文字&lt;b&gt;粗&lt;/b&gt;"))
        #expect(!rendered.html.contains("<b>"))
    }

    @Test func rawHTMLPassesWhenAllowed() {
        let unsafe = MarkdownRenderer(options: .init(allowRawHTML: true))
        let (rendered, _) = unsafe.render("文字<b>粗</b>\n\n<script>x()</script>\n", file: "x.md")
        #expect(rendered.html.contains("<b>粗</b>"))
        // tagfilter still disarms script tags.
        #expect(rendered.html.contains("&lt;script>"))
    }

    @Test func linksAreResolvedWithTheirSourceLines() {
        let markdown = "第一段。\n\n参见[论文](../papers/a.md#引言)和\n[缺失](../papers/missing.md)。\n"
        let (rendered, diagnostics) = renderer.render(markdown, file: "Content/stories/s.md", firstLine: 6) { url in
            if url.hasPrefix("../papers/a.md") { return .replace("/papers/a/#%E5%BC%95%E8%A8%80") }
            if url.hasSuffix("missing.md") { return .broken("link to missing content file 'papers/missing.md'") }
            return .keep
        }
        #expect(rendered.html.contains("<a href=\"/papers/a/#%E5%BC%95%E8%A8%80\">论文</a>"))
        #expect(rendered.links.map(\.line) == [8, 9])
        #expect(diagnostics.map(\.description) == ["Content/stories/s.md:9:1: error: link to missing content file 'papers/missing.md'"])
    }
}

@Suite struct BookRenderingTests {
    let renderer = MarkdownRenderer()
    let markdown = "## 引言\n\n正文[^a]，再引[^b]。\n\n## 引言\n\n[^b]: 李四. 文[J]. 2019.\n[^a]: 张三. 书[M]. 北京: [出版社](https://example.org), 2018.\n"

    @Test func idsCarryTheDocumentPrefix() {
        let (rendered, _) = renderer.render(markdown, file: "x.md", document: .init(idPrefix: "gear--"))
        #expect(rendered.headings.map(\.id) == ["gear--引言", "gear--引言-1"])
        #expect(rendered.html.contains("<h2 id=\"gear--引言\">引言</h2>"))
    }

    @Test func endnotesAreNumberedInCallOrderWithPrefixedIDs() {
        let (rendered, _) = renderer.render(markdown, file: "x.md", document: .init(idPrefix: "p--", footnotes: .endnotes))
        #expect(rendered.html.contains("正文<sup class=\"footnote-ref\"><a href=\"#p--fn-1\" id=\"p--fnref-1\">1</a></sup>，再引<sup class=\"footnote-ref\"><a href=\"#p--fn-2\" id=\"p--fnref-2\">2</a></sup>。"))
        #expect(rendered.html.contains("<section class=\"footnotes\">\n<ol>\n<li id=\"p--fn-1\"><p>张三. 书[M]. 北京: <a href=\"https://example.org\">出版社</a>, 2018.</p></li>\n<li id=\"p--fn-2\"><p>李四. 文[J]. 2019.</p></li>\n</ol>\n</section>"))
        #expect(!rendered.html.contains("data-footnote"))
    }

    @Test func tableCaptionsAreMarked() {
        let (rendered, _) = renderer.render("表1　测评得分\n\n| 维度 | 得分 |\n|---|---|\n| 质量 | 80 |\n\n对比如下：\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", file: "x.md")
        #expect(rendered.html.contains("<p class=\"table-caption\">表1　测评得分</p>"))
        #expect(rendered.html.contains("<p>对比如下：</p>"))
    }

    @Test func inlineNotesStandAtTheirCall() {
        let (rendered, _) = renderer.render(markdown, file: "x.md", document: .init(footnotes: .inline))
        #expect(rendered.html.contains("正文<span class=\"footnote\">张三. 书[M]. 北京: <a href=\"https://example.org\">出版社</a>, 2018.</span>，再引<span class=\"footnote\">李四. 文[J]. 2019.</span>。"))
        #expect(!rendered.html.contains("class=\"footnotes\""))
    }

    @Test func documentsRenderedInParallelKeepTheirExtensions() async {
        let renderer = self.renderer
        // The extensions' special characters (`~`…) are set in a global table only while a document's
        // inline parsing runs: one parsed while another cleared them would lose its strikethrough or links.
        let markdown = String(repeating: "段落~~删去~~与 https://www.example.org 和 www.example.com 。\n\n", count: 50)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let html = renderer.render(markdown, file: "x.md").0.html
                    return html.components(separatedBy: "<del>删去</del>").count == 51
                        && html.components(separatedBy: "<a href=\"http://www.example.com\">www.example.com</a>").count == 51
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.allSatisfy { $0 })
    }
}
