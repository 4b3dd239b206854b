import Foundation
import PressCore
import PressTestSupport
import Testing
@testable import PressTemplates

@Suite struct ThemeTests {
    func load(_ files: [String: String], required: [String] = [], books: Bool = true) throws -> (Theme?, [String]) {
        let site = try TemporarySite(files, includeSiteConfig: false)
        defer { site.remove() }
        let (theme, diagnostics) = Theme.load(folders: [site.root.appendingPathComponent("Templates")], required: required, books: books) { url in
            "Templates/" + url.lastPathComponent
        }
        return (theme, diagnostics.map(\.description))
    }

    @Test func rendersWithInheritanceAndPartials() throws {
        let (theme, problems) = try load([
            "Templates/layout.mustache": "<main>{{$main}}{{/main}}</main>",
            "Templates/partials/item.mustache": "<li>{{name}}</li>",
            "Templates/list.mustache": "{{<layout}}{{$main}}<ul>{{#items}}{{> partials/item}}{{/items}}</ul>{{/main}}{{/layout}}",
            "Templates/assets/css/site.css": "body{}",
        ])
        #expect(problems == [])
        let rendered = try #require(theme).render(["items": [["name": "质量<月>"]]], template: "list")
        #expect(rendered == "<main><ul><li>质量&lt;月&gt;</li></ul></main>")
        let quoted = try #require(theme).render(["items": [["name": "\"A&B\" 'c'"]]], template: "list")
        #expect(quoted == "<main><ul><li>&quot;A&amp;B&quot; &#39;c&#39;</li></ul></main>")
        #expect(theme?.assets.map(\.outputPath) == ["assets/css/site.css"])
    }

    /// Views hold strings as `TemplateText` (two casts in swift-mustache instead of six): it must render,
    /// escape, test and transform exactly as a `String`, also as a section's context and in a partial.
    @Test func templateTextRendersAsItsString() throws {
        let (loaded, problems) = try load([
            "Templates/layout.mustache": "<main>\n  {{$main}}{{/main}}\n</main>",
            "Templates/partials/line.mustache": "[{{v}}|{{{v}}}|{{&v}}]\n{{#v}}({{.}}/{{outer}}/{{missing}}){{/v}}\n",
            "Templates/page.mustache": """
            {{<layout}}{{$main}}
              {{> partials/line}}
            {{#empty(v)}}E{{/empty(v)}}{{^empty(v)}}F{{/empty(v)}}{{^v}}none{{/v}}{{lowercased(v)}}{{uppercased(v)}}{{#e}}<{{.}}>{{/e}}{{^e}}not{{/e}}{{#empty(e)}}empty{{/empty(e)}}
            {{/main}}{{/layout}}
            """,
        ])
        #expect(problems == [])
        let theme = try #require(loaded)
        let strings: [String: Any] = ["v": "Ab<\"质量\">&'", "e": "", "outer": "外"]
        let texts: [String: Any] = ["v": TemplateText("Ab<\"质量\">&'"), "e": TemplateText(""), "outer": TemplateText("外")]
        let expected = """
        <main>
          [Ab&lt;&quot;质量&quot;&gt;&amp;&#39;|Ab<"质量">&'|Ab<"质量">&']
          (Ab&lt;&quot;质量&quot;&gt;&amp;&#39;/外/)
          Fab&lt;&quot;质量&quot;&gt;&amp;&#39;AB&lt;&quot;质量&quot;&gt;&amp;&#39;<>empty

        </main>
        """
        #expect(theme.render(strings, template: "page") == expected)
        #expect(theme.render(texts, template: "page") == expected)
    }

    /// Numbers are `TemplateNumber` (printed at swift-mustache's second cast, not after `String(describing:)`):
    /// it must print, escape, test and transform exactly as an `Int`, also as a section's context and in a partial.
    @Test func templateNumberRendersAsItsInt() throws {
        let (loaded, problems) = try load([
            "Templates/partials/line.mustache": "[{{n}}|{{{n}}}|{{&n}}]\n{{#n}}({{.}}/{{outer}}/{{missing}}){{/n}}\n",
            "Templates/page.mustache": """
            {{> partials/line}}
            {{^n}}none{{/n}}{{#z}}<{{.}}>{{/z}}{{^z}}not{{/z}}{{plusone(n)}}/{{minusone(z)}}{{#equalzero(z)}}zero{{/equalzero(z)}}\
            {{^equalzero(n)}}nonzero{{/equalzero(n)}}{{#odd(n)}}odd{{/odd(n)}}{{#even(z)}}even{{/even(z)}}{{uppercased(n)}}|{{#n.x}}x{{/n.x}}
            """,
        ])
        #expect(problems == [])
        let theme = try #require(loaded)
        let ints: [String: Any] = ["n": 41, "z": 0, "outer": TemplateText("外")]
        let numbers: [String: Any] = ["n": TemplateNumber(41), "z": TemplateNumber(0), "outer": TemplateText("外")]
        let expected = """
        [41|41|41]
        (41/外/)
        <0>42/-1zerononzerooddeven|
        """
        #expect(theme.render(ints, template: "page") == expected)
        #expect(theme.render(numbers, template: "page") == expected)
    }

    /// Views made per page are `TemplateFields`: a template must see them as it sees a dictionary (fields,
    /// dotted names, names climbing to enclosing contexts, sections, inverted sections, transforms).
    @Test func templateFieldsRenderAsADictionary() throws {
        let (loaded, problems) = try load([
            "Templates/partials/item.mustache": "<{{name}}|{{.name}}|{{outer}}|{{.outer}}|{{missing}}>",
            "Templates/page.mustache": """
            {{#doc}}{{title}}/{{doc.title}}/{{nested.name}}/{{#nested}}{{> partials/item}}{{/nested}}{{/doc}}
            {{#doc.items}}{{> partials/item}}{{/doc.items}}{{^doc.none}}no{{/doc.none}}{{#doc.none}}yes{{/doc.none}}
            {{count(doc)}}|{{#empty(doc)}}e{{/empty(doc)}}{{^empty(doc)}}f{{/empty(doc)}}|{{#empty(blank)}}e{{/empty(blank)}}|{{^blank}}b{{/blank}}{{#blank}}B{{/blank}}
            """,
        ])
        #expect(problems == [])
        let theme = try #require(loaded)
        func view(_ make: ([(String, Any)]) -> Any) -> [String: Any] {
            let nested = make([("name", TemplateText("里"))])
            let items = [make([("name", TemplateText("一"))]), make([("outer", TemplateText("自己的"))])]
            let doc = make([("title", TemplateText("题<目>")), ("nested", nested), ("items", items)])
            return ["doc": doc, "outer": TemplateText("外"), "blank": make([])]
        }
        let dictionaries = view { Dictionary(uniqueKeysWithValues: $0) }
        let fields = view { pairs in
            var fields = TemplateFields()
            for (key, value) in pairs { fields[key] = value }
            return fields
        }
        let expected = """
        题&lt;目&gt;/题&lt;目&gt;/里/<里|里|外||>
        <一|一|外||><||自己的|自己的|>no
        3|f|e|B
        """
        #expect(theme.render(dictionaries, template: "page") == expected)
        #expect(theme.render(fields, template: "page") == expected)
        var changed = TemplateFields()
        changed["a"] = TemplateText("1")
        changed["a"] = TemplateText("2")
        changed["b"] = TemplateText("3")
        changed["b"] = nil
        #expect(changed.dictionary.keys.sorted() == ["a"])
        #expect((changed["a"] as? TemplateText)?.value == "2")
        let literal: TemplateFields = ["name": TemplateText("名"), "number": TemplateNumber(2)]
        #expect(theme.render(["doc": ["nested": literal] as TemplateFields], template: "page").hasPrefix("//名/<名|名|||>"))
    }

    @Test func reportsSyntaxErrorsMissingPartialsAndTemplates() throws {
        let (theme, problems) = try load([
            "Templates/story.mustache": "<h1>{{title}}</h1>\n<p>{{/open}}</p>\n",
            "Templates/page.mustache": "<p>\n  {{> partials/nowhere}}</p>\n",
        ], required: ["story", "page", "home"])
        #expect(theme == nil)
        #expect(problems.count == 3)
        #expect(problems.contains("Templates/page.mustache:2:3: error: missing partial 'partials/nowhere' (no partials/nowhere.mustache in the site's Templates/ or the default theme)"))
        #expect(problems.contains("Templates/home.mustache: error: missing template 'home' (not in the site's Templates/ nor in the default theme)"))
        // Line numbers are the file's own, whatever the theme puts before its first line.
        #expect(problems.contains { $0.hasPrefix("Templates/story.mustache:2:") && $0.contains("template syntax error") })
    }

    /// A site without anthologies never renders the books' templates: they are not parsed, so their
    /// mistakes are not its errors, but they still count for the fingerprints.
    @Test func booksTemplatesAreParsedOnlyForBooks() throws {
        let files = [
            "Templates/page.mustache": "<p>{{title}}</p>",
            "Templates/print/book.mustache": "<h1>{{title}}</h1>\n{{/open}}",
            "Templates/web/partials/toc.mustache": "{{#open}}",
        ]
        let (withBooks, problems) = try load(files)
        #expect(withBooks == nil)
        #expect(problems.count == 2)
        #expect(problems.contains { $0.hasPrefix("Templates/book.mustache:2:") && $0.contains("template syntax error") })
        let (loaded, none) = try load(files, books: false)
        #expect(none == [])
        let theme = try #require(loaded)
        #expect(theme.templateNames == ["page", "print/book", "web/partials/toc"])
        #expect(theme.sources.contains { $0.text.contains("{{/open}}") })
        #expect(theme.render(["title": "质量月"], template: "page") == "<p>质量月</p>")
        #expect(Theme.isBookTemplate("epub/page") && !Theme.isBookTemplate("page") && !Theme.isBookTemplate("partials/web/x"))
    }

    @Test func cachedPartialsAreRenderedOnceAndKeptAsText() throws {
        let (loaded, problems) = try load([
            "Templates/partials/head.mustache": "{{! cached }}\n<p>{{site}}|{{page}}</p>\n",
            "Templates/partials/odd.mustache": "{{!cached}}\n\u{1}{{site}}",
            "Templates/home.mustache": "{{> partials/head}}<h1>{{page}}</h1>{{> partials/odd}}",
            "Templates/lines.mustache": "{{! cached }}\n<a>\n<b>{{site}}</b>\n",
            "Templates/indented.mustache": "<div>\n  {{> lines}}\n</div>\n",
        ])
        #expect(problems == [])
        let theme = try #require(loaded)
        #expect(theme.cachedPartials == ["lines", "partials/head", "partials/odd"])
        let view: [String: Any] = ["site": "别站", "page": "页"]
        #expect(theme.render(view, template: "home") == "<p>别站|页</p>\n<h1>页</h1>\u{1}别站")
        // Rendered from the values given once; text that looks like a tag stays text.
        let cached = theme.withCachedPartials(renderedFrom: ["site": "站{{page}}<"])
        #expect(cached.render(view, template: "home") == "<p>站{{page}}&lt;|</p>\n<h1>页</h1>\u{1}别站")
        // Included on an indented line, each of its lines is indented as a template's would be.
        #expect(theme.withCachedPartials(renderedFrom: ["site": "x"]).render([:], template: "indented") == "<div>\n  <a>\n  <b>x</b>\n</div>\n")
    }

    @Test func laterFoldersOverrideEarlierOnes() throws {
        let site = try TemporarySite([
            "theme/home.mustache": "theme",
            "theme/partials/footer.mustache": "theme footer",
            "site/home.mustache": "site {{> partials/footer}}",
        ], includeSiteConfig: false)
        defer { site.remove() }
        let (theme, problems) = Theme.load(folders: [site.root.appendingPathComponent("theme"), site.root.appendingPathComponent("site")],
                                           required: ["home"]) { $0.path }
        #expect(problems.isEmpty)
        #expect(theme?.render([:], template: "home") == "site theme footer")
    }

    @Test func theDefaultThemeHasEveryTemplate() throws {
        let (theme, problems) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.lastPathComponent }
        #expect(problems == [])
        #expect(theme != nil)
    }
}
