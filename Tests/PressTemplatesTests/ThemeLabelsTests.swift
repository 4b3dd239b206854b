import Foundation
import PressCore
import PressTestSupport
import Testing
@testable import PressTemplates

/// The theme's words (`labels/<language>.yml`): read with Yams, overridden by a site's file, checked for what the renderer needs.
@Suite struct ThemeLabelsTests {
    static let complete = ThemeLabels.required.map { "\($0): 词\($0)" }.joined(separator: "\n") + "\n"

    func load(_ folders: [String: [String: String]]) throws -> (Theme?, [String]) {
        var files: [String: String] = [:]
        for (folder, contents) in folders { for (path, text) in contents { files["\(folder)/\(path)"] = text } }
        let site = try TemporarySite(files, includeSiteConfig: false)
        defer { site.remove() }
        let (theme, diagnostics) = Theme.load(folders: folders.keys.sorted().map { site.root.appendingPathComponent($0) }, required: []) { url in
            url.pathComponents.suffix(3).joined(separator: "/")
        }
        return (theme, diagnostics.map(\.description))
    }

    @Test func theDefaultThemeHasEveryLabelTheRendererNeeds() throws {
        let (theme, problems) = Theme.load(folders: [TemporarySite.defaultTheme]) { $0.lastPathComponent }
        #expect(problems == [])
        let labels = try #require(theme).labels(for: "zh-CN")
        for name in ThemeLabels.required { #expect(labels.values[name] != nil, "\(name)") }
        #expect(labels.text("list_page", ["title": "质量品牌故事", "number": "2"]) == "质量品牌故事（第2页）")
        #expect(labels.text("tag_page", ["name": "可靠性"]) == "标签：可靠性")
        // A language without a labels file gets the theme's own language's.
        #expect(try #require(theme).labels(for: "en").values == labels.values)
    }

    @Test func aSiteLabelsFileReplacesTheThemesAndTemplatesShowIt() throws {
        let (theme, problems) = try load([
            "a-theme": ["labels/zh-CN.yml": Self.complete + "next_page: 下一页\n", "list.mustache": "{{labels.next_page}}|{{labels.stories}}"],
            "b-site": ["labels/zh-CN.yml": Self.complete + "next_page: 后一页\n"],
        ])
        #expect(problems == [])
        let theme_ = try #require(theme)
        #expect(theme_.render(["labels": theme_.labels(for: "zh-CN").values as [String: Any]], template: "list") == "后一页|词stories")
        // The build cache sees the labels file among the theme's sources: editing it renders every page again.
        #expect(theme_.sources.contains { $0.path == "b-site/labels/zh-CN.yml" && $0.text.contains("后一页") })
    }

    @Test func aLabelsFileWithoutALabelTheRendererNeedsIsAnError() throws {
        let (theme, problems) = try load(["site": ["labels/en.yml": "stories: Stories\n"]])
        #expect(theme == nil)
        #expect(problems == ["site/labels/en.yml:1: error: missing label 'papers' (the site renderer needs \(ThemeLabels.required.joined(separator: ", ")))"])
    }

    @Test func aLabelMustBeText() throws {
        let (_, list) = try load(["site": ["labels/zh-CN.yml": Self.complete + "next_page:\n  - 下\n  - 页\n"]])
        #expect(list == ["site/labels/zh-CN.yml:\(ThemeLabels.required.count + 1): error: a label must be a name with a text, like 'next_page: 下一页'"])
        let (_, scalar) = try load(["site": ["labels/zh-CN.yml": "just words\n"]])
        #expect(scalar == ["site/labels/zh-CN.yml:1: error: a labels file must be a mapping of 'name: text' lines"])
        let (_, broken) = try load(["site": ["labels/zh-CN.yml": "a: [\n"]])
        #expect(broken.count == 1 && broken[0].hasPrefix("site/labels/zh-CN.yml:2:1: error: invalid YAML"), "\(broken)")
    }

    /// Labels are read without resolving tags: what looks like a boolean, a number or null is the text it is.
    @Test func aLabelThatLooksLikeAnotherTypeIsItsText() throws {
        let (theme, problems) = try load(["site": ["labels/zh-CN.yml": Self.complete + "yes_word: yes\nten: 10.0\nnothing: ~\nday: 2024-01-02\n"]])
        #expect(problems == [])
        let values = try #require(theme).labels(for: "zh-CN").values
        #expect(values["yes_word"] == "yes" && values["ten"] == "10.0" && values["nothing"] == "~" && values["day"] == "2024-01-02")
    }
}
