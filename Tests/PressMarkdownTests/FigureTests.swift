import Testing
@testable import PressMarkdown

@Suite struct FigureTests {
    let renderer = MarkdownRenderer()

    @Test func imageAloneInItsParagraphBecomesAFigureWithItsAltAsCaption() {
        let (rendered, _) = renderer.render("正文。\n\n![图1　齿轮车间](/assets/images/factory.jpg)\n\n后文 ![图标](/i.png) 在行内。\n", file: "x.md")
        #expect(rendered.html.contains("<figure class=\"figure\">\n<img src=\"/assets/images/factory.jpg\" alt=\"图1　齿轮车间\" /><figcaption>图1　齿轮车间</figcaption>\n</figure>"))
        #expect(rendered.html.contains(#"<p>后文 <img src="/i.png" alt="图标" /> 在行内。</p>"#))
        #expect(rendered.html.components(separatedBy: "<figure").count == 2)
    }

    /// `{width=50%}` after an image sizes its figure; other braces stay text.
    @Test func aWidthAttributeSizesTheFigure() {
        let (rendered, _) = renderer.render("![图1　半幅](/a.jpg){width=50%}\n\n![图2](/b.jpg){width=half}\n", file: "x.md")
        #expect(rendered.html.contains("<figure class=\"figure\" style=\"width: 50%\">\n<img src=\"/a.jpg\" alt=\"图1　半幅\" /><figcaption>图1　半幅</figcaption>\n</figure>"))
        #expect(!rendered.html.contains("{width=50%}"))
        #expect(rendered.html.contains(#"<p><img src="/b.jpg" alt="图2" />{width=half}</p>"#))
        #expect(Figures.widthAttribute("{width=120%}") == nil && Figures.widthAttribute("{width=35%} 后文") == 35)
    }

    @Test func markupHookGetsResolvedURLAndOrder() {
        let options = MarkdownRenderer.DocumentOptions(imageMarkup: { image in
            "<img src=\"\(image.url)\" data-first=\"\(image.isFirst)\" data-figure=\"\(image.isFigure)\">"
        })
        let (rendered, _) = renderer.render("![图1 <甲>](a.jpg)\n\n文 ![b](b.jpg)\n", file: "x.md", document: options) { written in
            .replace("/img/" + written)
        }
        #expect(rendered.html.contains("<figure class=\"figure\">\n<img src=\"/img/a.jpg\" data-first=\"true\" data-figure=\"true\"><figcaption>图1 &lt;甲&gt;</figcaption>\n</figure>"))
        #expect(rendered.html.contains(#"<p>文 <img src="/img/b.jpg" data-first="false" data-figure="false"></p>"#))
        #expect(rendered.links.map(\.kind) == [.image, .image])
    }
}
