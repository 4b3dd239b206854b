import Foundation
import PressTestSupport
import Testing

/// Runs the real `qpress` binary, as editors and CI do, and checks exit codes and output.
@Suite struct CommandTests {
    static let binary = TemporarySite.repositoryRoot.appendingPathComponent(".build/debug/qpress")

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func qpress(_ arguments: [String], environment more: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.merging(more) { $1 }
        environment["QPRESS_THEME"] = TemporarySite.defaultTheme.path
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func successPrintsASummary() throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        let run = try qpress(["build", "--source", site.root.path])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("built 7 pages and copied 3 files into \(site.root.path)/Output in "))
    }

    /// libvips and the hundred libraries it loads are opened by the first image, not at start: the glibc
    /// loader's own log (`LD_DEBUG=files`) names every library the process opens. The log goes to a file
    /// (`LD_DEBUG_OUTPUT`, suffixed with the process id): on stderr it would fill the pipe this test reads last.
    @Test func libvipsIsOpenedOnlyForASiteWithImages() throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story(body: "正文。\n")])
        defer { site.remove() }
        let plain = try loaderLog(of: ["build", "--source", site.root.path], in: site, named: "plain")
        #expect(plain.status == 0)
        #expect(plain.log.contains("file=libswiftCore.so"))
        #expect(!plain.log.contains("libvips"))
        let images = site.root.appendingPathComponent("Content/assets/images")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        _ = try ImageFixtures.make("chart", in: images, name: "chart.png")
        try site.write(TemporarySite.story(body: "![图1　不良率](/assets/images/chart.png)\n"), to: "Content/stories/a.md")
        let pictured = try loaderLog(of: ["build", "--source", site.root.path], in: site, named: "pictured")
        #expect(pictured.status == 0)
        #expect(pictured.log.contains("file=libvips.so"))
    }

    /// Runs qpress with the loader's log of opened libraries written beside the site; its status and the log.
    private func loaderLog(of arguments: [String], in site: TemporarySite, named name: String) throws -> (status: Int32, log: String) {
        let prefix = site.root.appendingPathComponent("ld-\(name)")
        let run = try qpress(arguments, environment: ["LD_DEBUG": "files", "LD_DEBUG_OUTPUT": prefix.path])
        let logs = try FileManager.default.contentsOfDirectory(atPath: site.root.path).filter { $0.hasPrefix("ld-\(name).") }
        let log = try logs.map { try String(contentsOf: site.root.appendingPathComponent($0), encoding: .utf8) }.joined()
        return (run.status, log)
    }

    /// `qpress build --strict`: a book image coarser than 300 ppi fails the build (exit 1) at its Markdown line.
    @Test func strictMakesACoarseBookImageAnError() throws {
        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(extra: "slug: a", body: "正文。\n\n![图2　旧照](/assets/images/small.jpg)\n"),
            "Content/anthologies/book.yml": "title: 图片书\npublisher: 协会\nparts:\n  - type: section\n    title: 第一篇\n    files: [stories/a.md]\n",
        ])
        defer { site.remove() }
        let folder = site.root.appendingPathComponent("Content/assets/images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        _ = try ImageFixtures.make("small", in: folder, name: "small.jpg")
        let run = try qpress(["build", "--strict", "--source", site.root.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("Content/stories/a.md:") && run.stderr.contains("error: 图2 prints at 52 ppi"), "\(run.stderr)")
        #expect(!site.exists("Output/anthologies/book/book.pdf"))
    }

    @Test func contentErrorsExitOneWithFileAndLine() throws {
        let site = try TemporarySite(["Content/stories/a.md": "---\ntitle: x\nsummary: [\n---\n"])
        defer { site.remove() }
        let run = try qpress(["build", "--source", site.root.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("Content/stories/a.md:4:"))
        #expect(run.stderr.contains("build failed with 1 error; \(site.root.path)/Output was left unchanged"))
    }

    @Test func badUsageExitsTwo() throws {
        #expect(try qpress(["build", "--no-such-flag"]).status == 2)
        #expect(try qpress(["build", "--source", "/nonexistent/qpress"]).status == 2)
        #expect(try qpress(["frobnicate"]).status == 2)
        #expect(try qpress(["--help"]).status == 0)
    }
}

@Suite struct CheckCommandTests {
    let commands = CommandTests()

    @Test func checkReportsMarkdownLinesAndExitsOne() throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story(body: "见[缺](#缺失)。\n")])
        defer { site.remove() }
        #expect(try commands.qpress(["build", "--source", site.root.path]).status == 0)
        let human = try commands.qpress(["check", "--source", site.root.path, "--offline"])
        #expect(human.status == 1)
        #expect(human.stdout.hasPrefix("Content/stories/a.md\n  10:2: #%E7%BC%BA%E5%A4%B1: missing anchor #缺失 (in stories/a/index.html)\n1 broken link in 1 file"))
        let json = try commands.qpress(["check", site.root.appendingPathComponent("Output").path, "--offline", "--format", "json"])
        #expect(json.status == 1)
        #expect(json.stdout.contains("\"code\" : \"missing-anchor\""))
        let junit = try commands.qpress(["check", site.root.appendingPathComponent("Output").path, "--offline", "--format", "junit"])
        #expect(junit.stdout.contains("<failure type=\"missing-anchor\""))
    }

    @Test func cleanSiteExitsZeroAndUsageErrorsExitTwo() throws {
        let site = try TemporarySite(["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        let build = try commands.qpress(["build", "--source", site.root.path, "--check", "--offline"])
        #expect(build.status == 0)
        #expect(build.stdout.hasPrefix("no broken links"))
        #expect(try commands.qpress(["check", "--source", site.root.path, "--offline"]).status == 0)
        #expect(try commands.qpress(["check", "/nonexistent/folder"]).status == 2)
        #expect(try commands.qpress(["check", "--format", "xml", site.root.path]).status == 2)
    }
}

@Suite struct ScaffoldCommandTests {
    let commands = CommandTests()

    @Test func initThenNewThenBuild() throws {
        let parent = try TemporarySite([:], includeSiteConfig: false)
        defer { parent.remove() }
        let folder = parent.root.appendingPathComponent("site").path
        let created = try commands.qpress(["init", folder])
        #expect(created.status == 0)
        #expect(created.stdout.hasPrefix("created a site in \(folder)"))
        #expect(try commands.qpress(["init", folder]).status == 1)

        let story = try commands.qpress(["new", "story", "精益求精的轴承人", "--source", folder])
        #expect(story.status == 0)
        #expect(story.stdout.hasPrefix("created Content/stories/精益求精的轴承人.md"))
        let again = try commands.qpress(["new", "story", "精益求精的轴承人", "--source", folder])
        #expect(again.status == 1)
        #expect(again.stderr == "error: Content/stories/精益求精的轴承人.md already exists; not overwriting it (choose another title or --slug)\n")
        #expect(try commands.qpress(["new", "poem", "x", "--source", folder]).status == 2)

        let build = try commands.qpress(["build", "--source", folder, "--drafts", "--check", "--offline"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.hasPrefix("no broken links"))
    }
}
