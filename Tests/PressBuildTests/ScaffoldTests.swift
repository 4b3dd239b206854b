import Foundation
import PressBuild
import PressScaffold
import PressTestSupport
import Testing

@Suite struct ScaffoldTests {
    @Test func newDocumentsHaveTheirTypesFrontMatterAndBuild() async throws {
        let site = try TemporarySite()
        defer { site.remove() }
        let day = try #require(ISO8601DateFormatter().date(from: "2020-09-15T04:00:00Z"))
        #expect(try Scaffold.newDocument(.story, title: "精益求精的轴承人", in: site.root, date: day) == "Content/stories/精益求精的轴承人.md")
        #expect(try Scaffold.newDocument(.paper, title: "Reliability Growth: 试验", in: site.root, date: day) == "Content/papers/reliability-growth-试验.md")
        #expect(try Scaffold.newDocument(.page, title: "关于本站", slug: "about", in: site.root, date: day) == "Content/pages/about.md")

        let story = try #require(site.read("Content/stories/精益求精的轴承人.md"))
        #expect(story.hasPrefix("---\ntitle: 精益求精的轴承人\ncompany: 企业名称\nauthor: 作者姓名\ndate: 2020-09-15\nindustry: 所属行业\nsummary: "))
        #expect(story.contains("draft: true\n---\n"))
        #expect(site.read("Content/papers/reliability-growth-试验.md")?.hasPrefix("---\ntitle: \"Reliability Growth: 试验\"\nauthors:\n  - name: ") == true)

        // Drafts are left out of a normal build and built with --drafts, without errors.
        let output = site.root.appendingPathComponent("Output")
        let plain = await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
        #expect(plain.diagnostics.map(\.description) == [])
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("stories/精益求精的轴承人/index.html").path))
        let drafts = await SiteBuilder(options: BuildOptions(source: site.root, includeDrafts: true, defaultTheme: TemporarySite.defaultTheme)).build()
        #expect(drafts.diagnostics.map(\.description) == [])
        for path in ["stories/精益求精的轴承人/index.html", "papers/reliability-growth-试验/index.html", "pages/about/index.html"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path), "missing \(path)")
        }
    }

    @Test func neverOverwrites() throws {
        let site = try TemporarySite(["Content/stories/齿轮.md": "mine\n"])
        defer { site.remove() }
        #expect(throws: Scaffold.Problem.self) { try Scaffold.newDocument(.story, title: "齿轮", in: site.root) }
        #expect(site.read("Content/stories/齿轮.md") == "mine\n")
        #expect(throws: Scaffold.Problem.self) { try Scaffold.newDocument(.story, title: "x", slug: "../x", in: site.root) }
        #expect(throws: Scaffold.Problem.self) { try Scaffold.newDocument(.story, title: "  ", in: site.root) }
        // Not a site folder.
        #expect(throws: Scaffold.Problem.self) { try Scaffold.newDocument(.story, title: "齿轮", in: site.root.appendingPathComponent("Content")) }
        #expect(throws: Scaffold.Problem.self) { try Scaffold.initSite(at: site.root) }
    }

    @Test func initCreatesASiteThatBuildsCleanlyAndChecksClean() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let created = try Scaffold.initSite(at: folder)
        #expect(created.contains("Content/site.yml") && created.contains("Templates/README.md"))
        var options = BuildOptions(source: folder, defaultTheme: TemporarySite.defaultTheme)
        options.linkCheck = .offline
        let result = await SiteBuilder(options: options).build()
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.linkReport?.isClean == true)
        for path in ["index.html", "stories/first-story/index.html", "papers/first-paper/index.html", "pages/about/index.html",
                     "slogans/index.html", "search/index.html", "search/index.json"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Output/\(path)").path), "missing \(path)")
        }
    }
}
