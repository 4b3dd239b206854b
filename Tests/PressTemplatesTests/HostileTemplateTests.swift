import Foundation
import PressCore
import PressTestSupport
import Testing
@testable import PressTemplates

/// Issue #21, "Hostile input": templates that crashed swift-mustache or took it minutes.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HostileTemplateTests {
    func load(_ files: [String: String]) throws -> (theme: Theme?, messages: [String], elapsed: Duration) {
        let site = try TemporarySite(files, includeSiteConfig: false)
        defer { site.remove() }
        let root = site.root.appendingPathComponent("Templates").standardizedFileURL.path + "/"
        var loaded: (Theme?, [Diagnostic]) = (nil, [])
        // Thread CPU time: a machine busy with other suites does not count.
        let elapsed = threadCPUTime {
            loaded = Theme.load(folders: [site.root.appendingPathComponent("Templates")], required: []) { url in
                "Templates/" + url.standardizedFileURL.path.dropFirst(root.count)
            }
        }
        return (loaded.0, loaded.1.map(\.description), elapsed)
    }

    /// Case 3: partials that include themselves recursed until the stack overflowed (SIGSEGV).
    @Test func partialCyclesAreReportedWithTheirChain() throws {
        let direct = try load(["Templates/partials/footer.mustache": "<footer>\n  {{> partials/footer}}</footer>"])
        #expect(direct.theme == nil)
        #expect(direct.messages == ["Templates/partials/footer.mustache:2:3: error: partials include themselves without end: Templates/partials/footer.mustache:2:3 includes 'partials/footer'"])

        let mutual = try load([
            "Templates/partials/a.mustache": "{{> partials/b}}",
            "Templates/partials/b.mustache": "x\n{{> partials/a}}",
            "Templates/home.mustache": "{{> partials/a}}",
        ])
        #expect(mutual.messages == ["Templates/partials/a.mustache:1:1: error: partials include themselves without end: Templates/partials/a.mustache:1:1 includes 'partials/b' → Templates/partials/b.mustache:2:1 includes 'partials/a'"])

        let tag = try load(["Templates/tag.mustache": "{{> tag}}"])
        #expect(tag.messages == ["Templates/tag.mustache:1:1: error: partials include themselves without end: Templates/tag.mustache:1:1 includes 'tag'"])

        let guarded = try load(["Templates/partials/tags.mustache": "{{#tags}}{{> partials/tags}}{{/tags}}"])
        #expect(guarded.messages == ["Templates/partials/tags.mustache:1:10: error: partials include themselves without end: Templates/partials/tags.mustache:1:10 includes 'partials/tags'"])

        // A partial used twice, and a chain without a cycle, are fine.
        let fine = try load([
            "Templates/partials/a.mustache": "{{> partials/b}}{{> partials/b}}",
            "Templates/partials/b.mustache": "b",
            "Templates/home.mustache": "{{> partials/a}}{{> partials/b}}",
        ])
        #expect(fine.messages == [])
        #expect(fine.theme?.render([:], template: "home") == "bbb")
    }

    /// Found by fuzzing: a partial name spanning lines made a message of several lines.
    @Test func missingPartialMessagesAreOneLine() throws {
        let loaded = try load(["Templates/x.mustache": "{{> a\n" + String(repeating: "b", count: 100) + "}}"])
        #expect(loaded.messages.contains { $0.hasPrefix("Templates/x.mustache:1:1: error: missing partial 'a\\nbbbb") })
        #expect(loaded.messages.allSatisfy { !$0.contains("\n") && $0.count < 400 })
    }

    /// Case 4: 3,000 nested sections overflowed swift-mustache's recursive parser.
    @Test func deepNestingIsRefusedBeforeParsing() throws {
        let deep = try load(["Templates/partials/x.mustache": String(repeating: "{{#a}}", count: 3000) + String(repeating: "{{/a}}", count: 3000)])
        #expect(deep.theme == nil)
        #expect(deep.messages == [
            "Templates/partials/x.mustache:1:601: error: sections nest more than 100 levels deep here; a template may nest at most 100",
            "Templates/partials/x.mustache: error: template is 36000 bytes; a template may have at most 16384 bytes (16 KB): split it into partials",
        ])
        // Changing the delimiters does not hide the nesting.
        let hidden = try load(["Templates/x.mustache": "{{=<% %>=}}" + String(repeating: "<%#a%>", count: 101) + String(repeating: "<%/a%>", count: 101)])
        #expect(hidden.messages.count == 1)
        #expect(hidden.messages.first?.contains("nest more than 100 levels") == true)
        let allowed = try load(["Templates/x.mustache": String(repeating: "{{#a}}", count: 100) + "y" + String(repeating: "{{/a}}", count: 100)])
        #expect(allowed.messages == [])
    }

    /// Case 5: the partial scan copied the rest of the text for every `{{` (quadratic), and swift-mustache's
    /// parser is quadratic in the size of a template.
    @Test func hugeTemplatesAreLoadedOrRefusedQuickly() throws {
        let opens = try load(["Templates/x.mustache": String(repeating: "{{", count: 30_000)])
        #expect(opens.theme == nil)
        #expect(opens.messages.count == 1)
        #expect(opens.messages.first?.hasPrefix("Templates/x.mustache") == true)
        #expect(opens.elapsed < .seconds(1))

        let valid = try load(["Templates/x.mustache": String(repeating: "{{x}}", count: 40_000)])
        #expect(valid.messages == ["Templates/x.mustache: error: template is 200000 bytes; a template may have at most 16384 bytes (16 KB): split it into partials"])
        #expect(valid.elapsed < .seconds(1))

        var references: [PartialReference] = []
        let scan = threadCPUTime { references = PartialReference.scan(String(repeating: "{{", count: 30_000) + "{{> p}}") }
        #expect(scan < .milliseconds(200))
        #expect(references == [])
        #expect(PartialReference.scan("a\n  {{> p}} {{<q}}{{/q}}") == [PartialReference(name: "p", line: 2, column: 3), PartialReference(name: "q", line: 2, column: 11)])
    }

    /// The largest template allowed parses in well under a second (0.3 s alone, in a debug build).
    @Test func theLargestTemplateAllowedParsesQuickly() throws {
        let text = String(repeating: "{{x}}", count: TemplateLimits.maxBytes / 5)
        let loaded = try load(["Templates/x.mustache": text])
        #expect(loaded.messages == [])
        #expect(loaded.elapsed < .seconds(1))
    }
}
