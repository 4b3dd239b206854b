import Foundation
import PressCore
import Testing
@testable import PressMarkdown

/// Issue #21, "Hostile input": the Markdown renderer's cases.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HostileMarkdownTests {
    let renderer = MarkdownRenderer()
    /// Thread CPU time: "well under a second" holds however busy the machine is with other suites.
    func cpuTime(_ body: () -> Void) -> Duration {
        func now() -> Duration {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
        }
        let start = now()
        body()
        return now() - start
    }

    /// Case 11: `strlen` stopped the text at the first NUL byte and dropped the rest.
    @Test func aNULByteDoesNotEndTheDocument() {
        let (rendered, diagnostics) = renderer.render("前\u{0}后\n\n第二段\n", file: "x.md")
        #expect(diagnostics.isEmpty)
        #expect(rendered.html == "<p>前\u{FFFD}后</p>\n<p>第二段</p>\n")
    }

    /// Found by fuzzing (AddressSanitizer): raw HTML in a heading was read after the heading, whose buffer
    /// its text pointed into, was freed.
    @Test func rawHTMLInAHeadingIsReadBeforeTheHeadingIsFreed() {
        for _ in 0..<50 {
            let (rendered, _) = renderer.render("## 概x\"><script>--述\n\n## a<b>c</b>d\n", file: "x.md")
            #expect(rendered.html == "<h2 id=\"概x--述\">概x&quot;&gt;&lt;script&gt;--述</h2>\n<h2 id=\"acd\">a&lt;b&gt;c&lt;/b&gt;d</h2>\n")
        }
    }

    /// Case 6: repeated headings made anchors quadratic.
    @Test func repeatedHeadingsRenderInLinearTime() {
        var rendered: RenderedMarkdown?
        let empty = cpuTime { rendered = renderer.render(String(repeating: "#\n", count: 25_000), file: "x.md").0 }
        #expect(rendered?.headings.last?.id == "section-24999")
        #expect(empty < .seconds(1))
        let chinese = cpuTime { rendered = renderer.render(String(repeating: "## 概述\n", count: 20_000), file: "x.md").0 }
        #expect(rendered?.headings.last?.id == "概述-19999")
        #expect(chinese < .seconds(1))
    }

    /// Links on one long line: each link's column was counted from the line's start (quadratic).
    @Test func manyLinksOnOneLineRenderInLinearTime() {
        let line = String(repeating: "见[文](a.md) ", count: 10_000)
        var count = 0
        let elapsed = cpuTime { count = renderer.render(line + "\n", file: "x.md").0.links.count }
        #expect(count == 10_000)
        #expect(elapsed < .seconds(1))
    }

    /// Case 10: the slug prefix went into footnote ids unescaped, in every footnote style.
    @Test func footnoteIdsAreEscaped() {
        for style in [MarkdownRenderer.FootnoteStyle.endnotes, .inline, .gfm] {
            let options = MarkdownRenderer.DocumentOptions(idPrefix: "x\"><script>alert(1)<!----", footnotes: style)
            let (rendered, _) = renderer.render("## 标题\n\na[^1]\n\n[^1]: n\n", file: "x.md", document: options)
            #expect(!rendered.html.contains("<script>"), "\(style)")
        }
        let options = MarkdownRenderer.DocumentOptions(idPrefix: "x\"><script>--", footnotes: .endnotes)
        let (rendered, _) = renderer.render("a[^1]\n\n[^1]: n\n", file: "x.md", document: options)
        #expect(rendered.html.contains("<a href=\"#x&quot;&gt;&lt;script&gt;--fn-1\" id=\"x&quot;&gt;&lt;script&gt;--fnref-1\">1</a>"))
        #expect(rendered.html.contains("<li id=\"x&quot;&gt;&lt;script&gt;--fn-1\">"))
    }

    /// Case 9: the guard on table rows, with the file's line.
    @Test func tableRowsAreLimited() {
        let row = "|" + String(repeating: " a |", count: 255) // 256 '|'
        #expect(MarkdownLimits.problem(in: row + "\n", file: "x.md", firstLine: 5) == nil)
        let problem = MarkdownLimits.problem(in: "正文\n\n" + row + " b |\n", file: "x.md", firstLine: 5)
        #expect(problem?.description == "x.md:7: error: this line holds more than 256 '|': more cells than a table row may have")
        // The largest row allowed renders quickly.
        let table = row + "\n" + "|" + String(repeating: "-|", count: 255) + "\n" + row + "\n"
        var html = ""
        let elapsed = cpuTime { html = renderer.render(table, file: "x.md").0.html }
        #expect(html.contains("<table>"))
        #expect(elapsed < .seconds(1))
    }
}
