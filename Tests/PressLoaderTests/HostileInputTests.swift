import Foundation
import PressCore
import PressModel
import PressTestSupport
import Testing
@testable import PressLoader

/// Issue #21, "Hostile input", and the foundation issue's §4: each case a minimal site whose
/// `site.yml` holds `title: t`. Every problem names its file; nothing crashes or hangs.
// A hang fails after five minutes instead of blocking the run; speed is asserted on thread CPU time.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HostileInputTests {
    /// Loads a minimal site.
    func load(_ files: [String: String]) async throws -> (messages: [String], site: Site?) {
        var all = files
        if all["Content/site.yml"] == nil { all["Content/site.yml"] = "title: t\n" }
        let site = try TemporarySite(all)
        defer { site.remove() }
        let result = await ContentLoader(siteRoot: site.root).load()
        return (result.diagnostics.map(\.description), result.site)
    }

    /// The CPU time of reading one document, which must stay well under a second (the code before took
    /// from 16 s to minutes). Thread CPU time, so a machine busy with other suites does not count.
    func parseTime(_ text: String, kind: ContentKind = .page) -> Duration {
        threadCPUTime { _ = DocumentReader.parse(Data(text.utf8), relativePath: "Content/pages/a.md", kind: kind) }
    }

    static func page(_ front: String, body: String = "正文\n") -> String { "---\ntitle: p\n\(front)---\n\(body)" }

    /// Case 1: a file that is exactly `---` moved four bytes into a three-byte string (SIGILL).
    @Test func aFileOfOnlyThreeDashesIsAnUnclosedFrontMatter() async throws {
        #expect(throws: FrontMatter.Problem.unterminated) { try FrontMatter.split("---") }
        #expect(throws: FrontMatter.Problem.missing) { try FrontMatter.split("--") }
        let loaded = try await load(["Content/pages/a.md": "---"])
        #expect(loaded.messages == ["Content/pages/a.md:1: error: front matter is not closed: add a line '---' after the last field"])
    }

    /// Case 2: a date part beyond `Int.max` (SIGILL in `CalendarDate.init(iso:)`).
    @Test func hugeDatePartsAreFieldErrors() async throws {
        let loaded = try await load([
            "Content/pages/a.md": Self.page("date: 9999999999999999999\n"),
            "Content/pages/b.md": Self.page("date: 2020-01-9999999999999999999\n"),
        ])
        #expect(loaded.messages == [
            "Content/pages/a.md:3: error: field 'date' must be a date written YYYY-MM-DD, not '9999999999999999999'",
            "Content/pages/b.md:3: error: field 'date' must be a date written YYYY-MM-DD, not '2020-01-9999999999999999999'",
        ])
    }

    static let billionLaughs = (["title: t", "a0: &a0 \"lol\""]
        + (1...9).map { i in "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]" }
        + ["? *a9", ": x", ""]).joined(separator: "\n")

    /// Case 7: an alias used as a key made Yams hash the whole alias tree (billion laughs). The 519-byte
    /// file is refused before Yams composes it: its aliases expand beyond the bound at `a6`.
    @Test func billionLaughsAreRefusedBeforeComposing() async throws {
        #expect(Self.billionLaughs.utf8.count == 519)
        let loaded = try await load([
            "Content/site.yml": Self.billionLaughs,
            "Content/pages/a.md": "---\n" + Self.billionLaughs + "---\n",
            "Content/anthologies/b.yml": Self.billionLaughs,
        ])
        let expands = "error: aliases expand this document to more than 100000 values; write the values out or use fewer aliases"
        #expect(loaded.messages == ["Content/anthologies/b.yml:8:15: \(expands)", "Content/pages/a.md:9:15: \(expands)", "Content/site.yml:8:15: \(expands)"])
        #expect(parseTime("---\n" + Self.billionLaughs + "---\n") < .seconds(1))
        #expect(threadCPUTime { _ = SiteConfigReader.read(data: Data(Self.billionLaughs.utf8), relativePath: "Content/site.yml") } < .seconds(1))
    }

    /// Case 7: any alias used as a key is refused, however small, in `site.yml`, front matter and manifests.
    @Test func anAliasUsedAsAKeyIsRefused() async throws {
        let yaml = "title: t\nx: &a lol\n? *a\n: y\n"
        let loaded = try await load(["Content/site.yml": yaml, "Content/pages/a.md": "---\n" + yaml + "---\n", "Content/anthologies/b.yml": yaml])
        let alias = "error: an alias (*a) cannot be a field name; write the name as text"
        #expect(loaded.messages == ["Content/anthologies/b.yml:3:3: \(alias)", "Content/pages/a.md:4:3: \(alias)", "Content/site.yml:3:3: \(alias)"])
    }

    /// Case 7: aliases as values are bounded too, where something walks the expanded tree.
    @Test func aliasExpansionIsBounded() async throws {
        let yaml = Self.billionLaughs.replacingOccurrences(of: "? *a9\n: x", with: "tags: *a9")
        let loaded = try await load(["Content/pages/a.md": "---\n" + yaml + "\n---\n"])
        #expect(loaded.messages.count == 1)
        #expect(loaded.messages.first?.hasPrefix("Content/pages/a.md:") == true)
        #expect(loaded.messages.first?.contains("aliases expand this document to more than 100000 values") == true)
        #expect(parseTime("---\n" + yaml + "\n---\n") < .seconds(1))
        // A few aliases are fine.
        let few = try await load(["Content/pages/a.md": "---\ntitle: &t 标题\nsummary: *t\n---\n"])
        #expect(few.messages == [])
    }

    /// Yams' message for a duplicate key held the whole document; ours names the field.
    @Test func duplicateFieldsAreNamedWithoutTheDocument() async throws {
        let loaded = try await load(["Content/pages/a.md": "---\ntitle: p\ndate: 2020-01-01\ntitle: q\n---\n"])
        #expect(loaded.messages == ["Content/pages/a.md:2: error: field 'title' is written more than once"])
    }

    /// Found by fuzzing: libyaml's reader errors came with Yams' snippet of the line and a caret, over three lines.
    @Test func yamlReaderErrorsAreOneLine() async throws {
        let loaded = try await load(["Content/pages/a.md": "---\ntitle: p\nsummary: a\u{1}b\n---\n", "Content/site.yml": "title: t\n\u{7}: x\n"])
        #expect(loaded.messages == [
            "Content/pages/a.md:3: error: invalid YAML: control characters are not allowed",
            "Content/site.yml:2: error: invalid YAML: control characters are not allowed",
        ])
    }

    /// Found by fuzzing: a manifest's values were quoted whole, newlines and all.
    @Test func manifestValuesAreQuotedOnOneLine() async throws {
        let title = "一\\n二" + String(repeating: "长", count: 100)
        let loaded = try await load(["Content/anthologies/b.yml": "title: b\npublisher: p\nparts:\n  - type: section\n    title: \"\(title)\"\n"])
        #expect(loaded.messages.count == 1)
        #expect(loaded.messages.first?.hasPrefix("Content/anthologies/b.yml:4:5: error: section '一\\n二长") == true)
        #expect(loaded.messages.allSatisfy { !$0.contains("\n") && $0.count < 400 })
    }

    /// Case 13: non-scalar keys were silently ignored.
    @Test func nonScalarKeysAreErrors() async throws {
        let loaded = try await load([
            "Content/site.yml": "title: t\n? [a]\n: b\n",
            "Content/pages/a.md": "---\ntitle: p\n{x: 1}: y\n---\n",
        ])
        #expect(loaded.messages == [
            "Content/pages/a.md:3:1: error: a field name must be text, not a list or a mapping",
            "Content/site.yml:2:3: error: a field name must be text, not a list or a mapping",
        ])
    }

    /// Plain front matter skips the event walk (libyaml would parse it twice); whatever could make the walk
    /// object still gets it: a flow list closed before a key's `:`, even inside a value, `?`, `{`, an alias.
    @Test func onlyFrontMatterThatCouldHaveAProblemIsWalked() async throws {
        #expect(!YAMLShape.mayHaveProblem("title: 标题\ntags: [质量, \"a]\"]\ndate: 2020-01-01\n"))
        for yaml in ["[a]: b\n", "tags: [[x]  : 1]\n", "? a\n: b\n", "x: {a: 1}\n", "a: &x 1\nb: *x\n"] {
            #expect(YAMLShape.mayHaveProblem(yaml), "\(yaml)")
        }
        #expect(YAMLShape.mayHaveProblem("tags: [" + Array(repeating: "a", count: 50_000).joined(separator: ",") + "]\n"))
        let loaded = try await load(["Content/pages/a.md": "---\ntitle: p\n[x]: y\n---\n", "Content/pages/b.md": "---\ntitle: q\ntags: [[x]: 1]\n---\n"])
        #expect(loaded.messages.count == 2)
        #expect(loaded.messages.first == "Content/pages/a.md:3:1: error: a field name must be text, not a list or a mapping")
        #expect(loaded.messages.last?.hasPrefix("Content/pages/b.md:3:") == true)
    }

    /// Case 13: a base URL with spaces was accepted and ended up in `href`s.
    @Test func baseURLWithSpacesIsAFieldError() async throws {
        let loaded = try await load(["Content/site.yml": "title: t\nbase_url: https://a b/c d/\n"])
        #expect(loaded.messages == ["Content/site.yml:2: error: field 'base_url': base URL 'https://a b/c d/' contains ' '; write spaces and other special characters percent-encoded (%20)"])
        let fine = try await load(["Content/site.yml": "title: t\nbase_url: https://example.org/质量\n"])
        #expect(fine.messages == [])
        #expect(fine.site?.config.baseURL == "https://example.org/质量/")
    }

    /// Case 10: a slug that would break out of an attribute is refused at load, with file and line.
    @Test func unsafeSlugsAreRefusedAtLoad() async throws {
        let loaded = try await load(["Content/stories/s.md": TemporarySite.story(extra: "slug: 'x\"><script>alert(1)<!--'")])
        #expect(loaded.messages == ["Content/stories/s.md:8: error: slug 'x\"><script>alert(1)<!--' contains the character '\"'; a slug may hold only letters, digits, '-', '_' and '.'"])
        #expect(loaded.site?.stories.isEmpty == true)
    }

    /// Case 12 and §4: an over-long slug failed at write time, naming only the output path; a 10 MB
    /// slug made a 20 MB error line.
    @Test func overlongSlugsAreRefusedAtLoadWithShortMessages() async throws {
        let chinese = String(repeating: "长", count: 86) // 258 bytes: longer than a file name may be
        let loaded = try await load([
            "Content/stories/a.md": TemporarySite.story(extra: "slug: " + String(repeating: "x", count: 256)),
            "Content/stories/b.md": TemporarySite.story(extra: "slug: " + chinese),
            "Content/stories/c.md": TemporarySite.story(extra: "slug: " + String(repeating: "y", count: 1_000_000)),
            "Content/stories/" + String(repeating: "文", count: 84) + ".md": TemporarySite.story(),
        ])
        #expect(loaded.messages.count == 4)
        #expect(loaded.messages[0] == "Content/stories/a.md:8: error: slug '\(String(repeating: "x", count: 80))…' (256 bytes) is 256 bytes long; a slug may have at most 240 bytes in UTF-8 (80 Chinese characters)")
        #expect(loaded.messages[1].hasPrefix("Content/stories/b.md:8: error: slug '\(String(repeating: "长", count: 80))…' (258 bytes) is 258 bytes long"))
        #expect(loaded.messages[2].hasPrefix("Content/stories/c.md:8: error: slug 'yyyy"))
        #expect(loaded.messages[2].count < 300)
        #expect(loaded.messages[3].hasPrefix("Content/stories/\(String(repeating: "文", count: 84)).md:1: error: the file name makes a slug of 252 bytes"))
        // 10 MB, as in the issue: refused in well under a second.
        #expect(parseTime(TemporarySite.story(extra: "slug: " + String(repeating: "y", count: 10_000_000)), kind: .story) < .seconds(1))
    }

    @Test func overlongTagsAreRefusedAtLoad() async throws {
        let loaded = try await load(["Content/stories/a.md": TemporarySite.story(extra: "tags: [" + String(repeating: "长", count: 81) + "]")])
        #expect(loaded.messages.count == 1)
        #expect(loaded.messages.first?.hasPrefix("Content/stories/a.md:8: error: tag '") == true)
    }

    /// §4: users from Hugo type `baseURL`, `languageCode` and `organization`.
    @Test func unknownFieldsSuggestTheNearestKnownOne() async throws {
        let loaded = try await load([
            "Content/site.yml": "title: t\nbaseURL: /\nlanguageCode: zh-CN\norganization: 协会\nfoo: 1\n",
            "Content/pages/a.md": Self.page("titel: x\n"),
        ])
        let known = "base_url, citation_style, deploy, description, icp, image_pixel_limit, language, link_check, navigation, organisation, per_page, search, title, unsafe_html"
        #expect(loaded.messages.contains("Content/site.yml:2: error: unknown field 'baseURL'; did you mean 'base_url'? (known fields: \(known))"))
        #expect(loaded.messages.contains("Content/site.yml:3: error: unknown field 'languageCode'; did you mean 'language'? (known fields: \(known))"))
        #expect(loaded.messages.contains("Content/site.yml:4: error: unknown field 'organization'; did you mean 'organisation'? (known fields: \(known))"))
        #expect(loaded.messages.contains("Content/site.yml:5: error: unknown field 'foo' (known fields: \(known))"))
        #expect(loaded.messages.contains { $0.hasPrefix("Content/pages/a.md:3: error: unknown field 'titel'; did you mean 'title'?") })
        #expect(FieldNameHint.nearest(to: "publsher", among: ["publisher", "parts"]) == "publisher")
        #expect(FieldNameHint.nearest(to: "colour", among: ["cover", "color_profile"]) == nil)
    }

    /// Case 9: a table row of 65,000 cells took libcmark-gfm's table extension seconds, four times in a book.
    @Test func giantTableRowsAreRefusedAtLoad() async throws {
        let body = String(repeating: "|", count: 65_000) + "\n" + String(repeating: "|-", count: 65_000) + "\n"
        let loaded = try await load(["Content/stories/a.md": TemporarySite.story(body: "正文\n\n" + body)])
        #expect(loaded.messages == ["Content/stories/a.md:12: error: this line holds more than 256 '|': more cells than a table row may have"])
        #expect(parseTime(TemporarySite.story(body: "正文\n\n" + body), kind: .story) < .seconds(1))
    }

    /// Deploy issue: a file whose output name would hold a control character is refused, by name.
    @Test func controlCharactersInFileNamesAreRefused() async throws {
        let loaded = try await load([
            "Content/assets/a\nb.txt": "x",
            "Content/stories/c\td.md": TemporarySite.story(),
        ])
        #expect(loaded.messages == [
            "Content/assets/a\\nb.txt: error: file name contains a control character; rename it (output file names must not hold one)",
            "Content/stories/c\\td.md: error: file name contains a control character; rename it (output file names must not hold one)",
        ])
    }
}
