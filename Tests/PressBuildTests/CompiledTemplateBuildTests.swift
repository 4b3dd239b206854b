import Foundation
import PressBuild
import PressCore
import PressTestSupport
import Testing

/// Pages rendered by the theme's compiled templates are byte for byte the pages swift-mustache renders:
/// the sample site and generated content with hostile values are built both ways and every file compared.
@Suite struct CompiledTemplateBuildTests {
    /// Builds `source` into a fresh folder; the files written (the build cache aside) by path.
    func build(_ source: URL, compiled: Bool) async throws -> (result: BuildResult, files: [String: Data]) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-compiled-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var options = BuildOptions(source: source, output: output, defaultTheme: TemporarySite.defaultTheme, anthologyPDF: false)
        options.compiledTemplates = compiled
        let result = await SiteBuilder(options: options).build()
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: output, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let path = String(url.standardizedFileURL.path.dropFirst(output.standardizedFileURL.path.count + 1))
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true, !path.hasPrefix(".qpress") else { continue }
            files[path] = try Data(contentsOf: url)
        }
        return (result, files)
    }

    func expectSameOutput(_ source: URL) async throws {
        let compiled = try await build(source, compiled: true)
        let reference = try await build(source, compiled: false)
        #expect(compiled.result.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        #expect(reference.result.pagesCompiled == 0)
        // Every page the site renderer writes is rendered by the compiled templates.
        #expect(compiled.result.pagesCompiled == compiled.result.pagesWritten)
        #expect(compiled.result.pagesCompiled > 0)
        #expect(compiled.files.keys.sorted() == reference.files.keys.sorted())
        for (path, data) in compiled.files.sorted(by: { $0.key < $1.key }) where reference.files[path] != data {
            Issue.record("\(path) differs from swift-mustache's")
        }
    }

    @Test func theSampleSiteIsTheSame() async throws {
        try await expectSameOutput(TemporarySite.repositoryRoot)
    }

    @Test func generatedContentWithHostileValuesIsTheSame() async throws {
        let hostile = ["<b>&amp;</b>", "\"引号\" 'x'", "中文标题", "a\\b{{x}}", "‘’ & <>"]
        // YAML's double-quoted scalars: quotes and backslashes escaped.
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var files: [String: String] = [
            "Content/site.yml": "title: 站<名>&\nbase_url: https://example.org/\nnavigation:\n  - {title: 故事, url: /stories/}\n  - {title: \"<论文>\", url: /papers/}\n",
        ]
        for (index, title) in hostile.enumerated() {
            files["Content/stories/s\(index).md"] = TemporarySite.story(
                title: quoted(title), date: "2020-0\(index + 1)-15", extra: "tags: [\(quoted(title)), 可靠性]",
                body: index == 0 ? "" : "## 一 \(title)\n\n正文 <i>\(title)</i>\n\n### 二\n\n    code < 1\n" + (index == 2 ? "" : "\n"))
            files["Content/papers/p\(index).md"] = TemporarySite.paper(title: quoted(title), date: "2021-0\(index + 1)-08")
            files["Content/pages/n\(index).md"] = "---\ntitle: \(quoted(title))\nsummary: \(quoted(title))\n---\n正文 \(title)\n"
        }
        let site = try TemporarySite(files)
        defer { site.remove() }
        try await expectSameOutput(site.root)
    }
}
