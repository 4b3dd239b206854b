import Foundation
import Mustache
import PressCore
import PressTestSupport
import Testing
@testable import PressTemplates

/// The compiled templates (`CompiledTemplate`) render byte for byte what swift-mustache renders: the default
/// theme's templates, random templates over random views with hostile strings, and templates it leaves to
/// swift-mustache (each checked to be left to it, and rendered as swift-mustache renders it).
@Suite struct CompiledTemplateTests {
    static func load(_ templates: [String: String]) throws -> Theme {
        let site = try TemporarySite(Dictionary(uniqueKeysWithValues: templates.map { ("Templates/\($0.key).mustache", $0.value) }),
                                     includeSiteConfig: false)
        defer { site.remove() }
        let (theme, diagnostics) = Theme.load(folders: [site.root.appendingPathComponent("Templates")], required: []) { url in
            url.lastPathComponent
        }
        #expect(diagnostics.map(\.description) == [])
        return try #require(theme)
    }

    /// Both engines on `view`: the compiled one must render it, and render what swift-mustache renders.
    func expectSame(_ theme: Theme, _ view: Any, template: String, _ comment: Comment? = nil) {
        let reference = theme.renderWithSwiftMustache(view, template: template)
        let compiled = theme.renderCompiled(view, template: template)
        #expect(compiled == reference, comment)
    }

    @Test func basicsMatchSwiftMustache() throws {
        let theme = try Self.load([
            "page": """
            <h1>{{title}}</h1>{{{raw}}}{{&raw}}
              {{#items}}
              <li class="{{#first()}}first{{/first()}}{{^last()}} more{{/last()}}">{{index()}}: {{name}} {{title}}</li>
              {{/items}}
            {{^items}}none{{/items}}{{^empty(items)}} some{{/empty(items)}}
            {{! comment }}
              {{> line}}
            {{#flag}}[{{title}}]{{/flag}}{{^flag}}no{{/flag}}{{#count}}{{.}}{{/count}}{{.missing}}{{nested.inner.name}}
            """,
            "line": "  <p>{{title}}</p>\n{{#nested}}\n  <i>{{.name}}|{{name}}</i>\n{{/nested}}\n",
        ])
        let view: [String: Any] = [
            "title": TemplateText("A <&> \"'\u{1} 中"), "raw": "<b>", "flag": true, "count": TemplateNumber(3),
            "items": [TemplateFields(dictionaryLiteral: ("name", TemplateText("x"))), ["name": "y"] as TemplateFields, TemplateFields()],
            "nested": ["inner": ["name": TemplateText("deep")] as TemplateFields] as TemplateFields,
        ]
        expectSame(theme, view, template: "page")
        expectSame(theme, ["items": [TemplateFields](), "flag": false] as [String: Any], template: "page")
        #expect(theme.renderCompiled(view, template: "page")?.contains("<p>A &lt;&amp;&gt; &quot;&#39;\u{1} 中</p>") == true)
    }

    /// Every template of the default theme compiles.
    @Test func theDefaultThemeCompiles() throws {
        let (theme, diagnostics) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.lastPathComponent }
        #expect(diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        let loaded = try #require(theme)
        for name in loaded.templateNames.sorted() { #expect(loaded.isCompiled(name), "\(name)") }
    }

    /// Constructs and values the compiled templates leave to swift-mustache: they are left to it, and the
    /// theme renders what swift-mustache renders.
    static let unsupported: [(template: String, view: @Sendable () -> [String: Any])] = [
        ("{{>*which}}", { [:] }),
        ("{{% CONTENT_TYPE: TEXT}}{{s}}", { ["s": "<>"] }),
        ("{{reversed(s)}}", { ["s": "abc"] }),
        ("{{#reversed(list)}}{{.}}{{/reversed(list)}}", { ["list": ["a", "b"]] }),
        ("{{x}}", { ["x": 1.5] }),
        ("{{x}}", { ["x": String?.none as Any] }),
        ("{{#x}}{{y}}{{/x}}", { ["x": Point(y: 2)] }),
        ("{{x}}", { ["x": MustacheLambda { "<lambda>" }] }),
        ("{{#x}}in{{/x}}", { ["x": MustacheLambda { (text: String) in text + "!" }] }),
        ("{{#x}}{{.}}{{/x}}", { ["x": Set(["a"])] }),
    ]

    @Test(arguments: unsupported.indices)
    func unsupportedIsLeftToSwiftMustache(index: Int) throws {
        let template = Self.unsupported[index].template, view = Self.unsupported[index].view()
        let theme = try Self.load(["page": template, "other": "{{s}}"])
        #expect(theme.renderCompiled(view, template: "page") == nil)
        let rendered = theme.renderReporting(view, template: "page")
        #expect(!rendered.compiled)
        #expect(rendered.text == theme.renderWithSwiftMustache(view, template: "page"))
    }

    /// A partial that is not compiled makes a page reaching it go to swift-mustache; a page not reaching it does not.
    @Test func anUnsupportedPartialIsLeftToSwiftMustacheWhereItIsUsed() throws {
        let theme = try Self.load(["page": "a{{#show}}{{> odd}}{{/show}}b", "odd": "{{>*which}}"])
        #expect(!theme.isCompiled("odd"))
        let shown = theme.renderReporting(["show": true], template: "page")
        #expect(!shown.compiled)
        #expect(shown.text == theme.renderWithSwiftMustache(["show": true], template: "page"))
        let hidden = theme.renderReporting(["show": false], template: "page")
        #expect(hidden.compiled && hidden.text == "ab")
    }

    /// Delimiter changes are resolved by swift-mustache's parser, which the compiler reads: they render the same.
    @Test func delimiterChangesRenderTheSame() throws {
        let theme = try Self.load(["page": "{{=<% %>=}}\n<%a%> {{a}}\n  <%#l%>\n  [<%.%>]\n  <%/l%>\n<%={{ }}=%>{{a}}"])
        expectSame(theme, ["a": TemplateText("<x>"), "l": ["1", "2"]] as [String: Any], template: "page")
        #expect(theme.renderCompiled(["a": "x"], template: "page") != nil)
    }

    /// Cached partials (rendered once, kept as literal templates) are compiled as well.
    @Test func cachedPartialsAreCompiled() throws {
        let theme = try Self.load(["page": "<{{> head}}>{{t}}", "head": "{{! cached }}\n{{site}} {{{x}}}\n"])
        let cached = theme.withCachedPartials(renderedFrom: ["site": "S{{&}}", "x": "<y>"])
        let view: [String: Any] = ["t": "<t>", "site": "other"]
        #expect(cached.renderCompiled(view, template: "page") == cached.renderWithSwiftMustache(view, template: "page"))
        #expect(cached.renderCompiled(view, template: "page") == "<S{{&amp;}} <y>\n>&lt;t&gt;")
    }

    @Test(arguments: 0..<8)
    func randomTemplatesMatchSwiftMustache(seed: Int) throws {
        var random = SeededGenerator(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        for round in 0..<40 {
            var generator = TemplateGenerator(random: random)
            let templates = generator.templates()
            random = generator.random
            let theme = try Self.load(templates)
            for _ in 0..<4 {
                let view = ViewGenerator.view(&random)
                let reference = theme.renderWithSwiftMustache(view, template: "root")
                let compiled = theme.renderCompiled(view, template: "root")
                #expect(compiled == reference, "seed \(seed) round \(round): \(templates)")
                if compiled != reference { return }
            }
        }
    }
}

struct Point { var y: Int }

