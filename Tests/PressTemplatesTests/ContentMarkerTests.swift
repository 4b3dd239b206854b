import Foundation
import PressTestSupport
import Testing
@testable import PressTemplates

/// A page's body spliced in after rendering (`ContentMarker`) must give the very bytes the template
/// gives with the body in its view, for every way a theme may print it; where it cannot prove that,
/// `splice` gives nil and the page renders the plain way.
@Suite struct ContentMarkerTests {
    static let bodies = [
        "<p>正文 &amp; <code>&lt;x&gt;</code></p>\n<p>二</p>\n",
        "<p>没有换行</p>",
        "<pre>a\u{1}qP123&\u{1}b</pre>\n",  // the body may hold anything, even a marker's bytes
        "\n",
        "<p>'引号' \"双\"</p>\n\n",
    ]

    func theme(_ files: [String: String]) throws -> Theme {
        let site = try TemporarySite(files, includeSiteConfig: false)
        defer { site.remove() }
        let (theme, diagnostics) = Theme.load(folders: [site.root.appendingPathComponent("Templates")], required: []) { url in
            "Templates/" + url.lastPathComponent
        }
        #expect(diagnostics.map(\.description) == [])
        return try #require(theme)
    }

    func view(content: TemplateText, title: String = "题<目>") -> [String: Any] {
        ["page": ["title": TemplateText(title)], "doc": ["title": TemplateText(title), "content": content] as [String: Any]]
    }

    /// The spliced page for `body`, or nil when the marker cannot prove itself; `#expect`s it equals the plain page.
    @discardableResult
    func spliced(_ theme: Theme, body: String, title: String = "题<目>") throws -> [UInt8]? {
        let marker = ContentMarker()
        let plain = theme.render(view(content: TemplateText(body), title: title), template: "page")
        guard let placeholder = marker.placeholder(for: body) else { return nil }
        let page = marker.splice(theme.render(view(content: placeholder, title: title), template: "page"), body: body)
        if let page { #expect(String(decoding: page, as: UTF8.self) == plain, "\(body.debugDescription)") }
        return page
    }

    @Test func splicedPagesEqualPlainOnesForEveryVariableUse() throws {
        let themes: [[String: String]] = [
            ["Templates/page.mustache": "<main>{{#doc}}\n{{{content}}}\n{{/doc}}</main>\n"],
            ["Templates/page.mustache": "{{#doc}}<pre>{{content}}</pre>{{&content}}|{{doc.content}}{{/doc}}{{{doc.content}}}\n"],
            ["Templates/page.mustache": "{{% CONTENT_TYPE: TEXT }}\n{{#doc}}{{content}}{{/doc}}\n"],
            [
                "Templates/layout.mustache": "<body>\n  {{$main}}{{/main}}\n  {{> partials/foot}}\n</body>\n",
                "Templates/partials/body.mustache": "<div>\n{{{content}}}\n  {{content}}\n</div>\n",
                "Templates/partials/foot.mustache": "<i>{{page.title}}</i>\n",
                "Templates/page.mustache": "{{<layout}}{{$main}}\n{{#doc}}\n    {{> partials/body}}\n  {{{content}}}\n{{/doc}}\n{{/main}}{{/layout}}\n",
            ],
        ]
        for files in themes {
            let theme = try theme(files)
            #expect(theme.splicesContent(from: ["page"]), "\(files)")
            for body in Self.bodies { #expect(try spliced(theme, body: body) != nil, "\(files) \(body.debugDescription)") }
        }
    }

    /// The overloads for a body held as bytes (`RenderedMarkdown.htmlBytes`) give what the String ones give.
    @Test func bytesOfABodyAreSplicedAsItsText() throws {
        let theme = try theme(["Templates/page.mustache": "{{#doc}}<pre>{{content}}</pre>{{{content}}}\n{{/doc}}\n"])
        let marker = ContentMarker()
        for body in Self.bodies + ["", "a\r\n", "\r\n", "\r", "x\n", "\n\n", "质\r"] {
            let placeholder = marker.placeholder(for: body)
            #expect(marker.placeholder(for: Array(body.utf8))?.value == placeholder?.value, "\(body.debugDescription)")
            guard let placeholder else { continue }
            let page = theme.render(view(content: placeholder), template: "page")
            let spliced = marker.splice(page, body: Array(body.utf8))
            #expect(spliced != nil && spliced == marker.splice(page, body: body), "\(body.debugDescription)")
        }
    }

    @Test func aPageThatDoesNotPrintTheBodyNeedsNoSplice() throws {
        let theme = try theme(["Templates/page.mustache": "<h1>{{doc.title}}</h1>\n"])
        #expect(try spliced(theme, body: Self.bodies[0]) != nil)
    }

    /// The marker's own mentions are checked: U+0001 in another value, a marker changed by a transform
    /// of another name, or a view printed whole all fall back to the plain page.
    @Test func unprovenMarkersFallBack() throws {
        let plain = try theme(["Templates/page.mustache": "{{page.title}}{{#doc}}{{{content}}}{{/doc}}"])
        #expect(try spliced(plain, body: "<p>a</p>\n", title: "a\u{1}b") == nil)
        let marker = ContentMarker(digits: 1_234_567_890_123)
        let forged = String(decoding: [1] + Array("qP1234567890123&".utf8) + [1], as: UTF8.self)
        #expect(marker.splice("x" + forged + "y", body: "B") == Array("xBy".utf8))
        #expect(marker.splice("x" + forged.uppercased() + "y", body: "B") == nil)
        #expect(marker.splice("x1234567890123" + forged, body: "B") == nil)
        #expect(marker.placeholder(for: "") == nil)
        #expect(marker.placeholder(for: "a\r\n") == nil)
        let enumerated = try theme(["Templates/page.mustache": "{{#enumerated(doc)}}{{uppercased(value)}}{{/enumerated(doc)}}"])
        #expect(try spliced(enumerated, body: "<p>a</p>\n") == nil)
    }

    /// A theme using `content` in a section or a transform renders every page the plain way.
    @Test func sectionsAndTransformsOfContentTurnSplicingOff() throws {
        for text in ["{{#content}}{{.}}{{/content}}", "{{^doc.content}}none{{/doc.content}}", "{{uppercased(content)}}",
                     "{{#empty(content)}}E{{/empty(content)}}", "{{=<% %>=}}<%#content%>x<%/content%>"] {
            let theme = try theme(["Templates/page.mustache": text, "Templates/other.mustache": "{{{content}}}"])
            #expect(!theme.splicesContent(from: ["page"]), "\(text)")
        }
        let unreached = try theme(["Templates/page.mustache": "{{> partials/a}}", "Templates/partials/a.mustache": "{{{content}}}",
                                   "Templates/book.mustache": "{{#content}}{{{content}}}{{/content}}"])
        #expect(unreached.splicesContent(from: ["page"]))
        #expect(!unreached.splicesContent(from: ["page", "book"]))
        let throughPartial = try theme(["Templates/page.mustache": "{{<layout}}{{/layout}}", "Templates/layout.mustache": "{{> partials/a}}",
                                        "Templates/partials/a.mustache": "{{^content}}none{{/content}}"])
        #expect(!throughPartial.splicesContent(from: ["page"]))
        let dynamic = try theme(["Templates/page.mustache": "{{>*name}}{{{content}}}"])
        #expect(!dynamic.splicesContent(from: ["page"]))
        for text in ["{{{content}}}{{content}}{{& doc.content }}", "{{$content}}{{/content}}{{> partials/content}}{{! {{#content}} }}",
                     "{{#contents}}{{/contents}}{{#content_note}}{{/content_note}}"] {
            let theme = try theme(["Templates/page.mustache": text, "Templates/partials/content.mustache": ""])
            #expect(theme.splicesContent(from: ["page"]), "\(text)")
        }
    }
}
