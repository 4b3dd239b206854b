import Foundation
import PressCore
import PressTestSupport
import Testing
@testable import PressLinks

@Suite struct HTMLScannerTests {
    @Test func collectsLinksAndAnchorsWithAnHTML5Parser() {
        let html = """
        <!DOCTYPE html><html><head><link rel=stylesheet href="/a.css"><script src="/s.js"></script></head>
        <body><h2 id="试验方案">x</h2><a name="old">
        <a href="/stories/%E7%B2%BE/#%E8%AF%95">y</a><img src="i.png" srcset="i1.png 1x, i2.png 2x">
        <picture><source srcset="w.webp 100w"></picture><iframe src="https://v.example/x"></iframe>
        <!-- <a href="/commented-out">no</a> --><p>&lt;a href="/text"&gt;</p>
        """
        let page = HTMLScanner.scan(Data(html.utf8))
        #expect(page.anchors == ["试验方案", "old"])
        #expect(page.links.map(\.url) == ["/a.css", "/s.js", "/stories/%E7%B2%BE/#%E8%AF%95", "i.png", "i1.png", "i2.png", "w.webp", "https://v.example/x"])
        #expect(page.links.map(\.line) == [1, 1, 3, 3, 3, 3, 4, 4])
    }

    @Test func findsURLsInCSSButNotInCommentsOrStrings() {
        let css = "/* url(/no.png) */\nbody { background: url(\"/bg.png\"); }\n.a::after { content: \"url(/nope)\" }\n@font-face { src: url( fonts/x.woff2 ) }"
        #expect(CSSScanner.urls(in: css).map(\.url) == ["/bg.png", "fonts/x.woff2"])
        #expect(CSSScanner.urls(in: css).map(\.line) == [2, 4])
    }
}

@Suite struct LinkTargetTests {
    @Test func resolvesRelativeRootRelativeAndBaseURLLinks() {
        func classify(_ url: String, base: String = "/") -> LinkTarget {
            LinkTarget.classify(url, page: "stories/a/index.html", basePath: base, baseOrigin: base == "/" ? "https://q.org/" : "https://q.org/quality/")
        }
        #expect(classify("../b/") == .internal(file: "stories/b/", fragment: nil))
        #expect(classify("/papers/%E8%AE%BA/#%E5%BC%95") == .internal(file: "papers/论/", fragment: "引"))
        #expect(classify("#top") == .internal(file: "stories/a/index.html", fragment: "top"))
        #expect(classify("https://q.org/slogans/") == .internal(file: "slogans/", fragment: nil))
        #expect(classify("/quality/slogans/", base: "/quality/") == .internal(file: "slogans/", fragment: nil))
        #expect(classify("/other/", base: "/quality/") == .outsideBase("/other/"))
        #expect(classify("https://www.example.org/x") == .external("https://www.example.org/x"))
        #expect(classify("mailto:caiyugang@samr.gov.cn") == .ignored)
        #expect(classify("mailto:nobody") == .malformed("'mailto:nobody' is not an e-mail address"))
        #expect(classify("tel:010-82262033") == .ignored)
        #expect(classify("tel:call-me") == .malformed("'tel:call-me' is not a telephone number"))
        #expect(classify("javascript:void(0)") == .ignored)
    }

    @Test func wildcards() {
        #expect(Wildcard.matches(pattern: "https://*.gov.cn/*", "https://beian.miit.gov.cn/x"))
        #expect(!Wildcard.matches(pattern: "https://*.gov.cn/*", "https://example.org/"))
        #expect(Wildcard.matches(pattern: "https://example.org/", "https://example.org/"))
    }
}

@Suite struct InternalLinkTests {
    @Test func reportsExactlyTheBrokenLinksOfAFixtureSite() async throws {
        let site = try TemporarySite([
            "out/index.html": """
            <a href="stories/">ok</a> <a href="stories/%E7%B2%BE%E7%9B%8A/">ok 中文</a>
            <a href="stories/精益/#%E6%A6%82%E8%BF%B0">ok anchor</a> <a href="/papers/gone/">gone</a>
            <a href="stories/精益/#缺失">bad anchor</a> <a href="#main">own anchor ok</a> <a href="#nowhere">own missing</a>
            <a href="/stories">dir without slash ok</a> <img src="/assets/missing.png" alt=""> <a href="page.html#sec">ok</a>
            <main id="main"></main>
            """,
            "out/stories/index.html": "<p>list</p>",
            "out/stories/精益/index.html": "<h2 id=\"概述\">概述</h2>",
            "out/page.html": "<a name=\"sec\"></a>",
            "out/assets/site.css": "body { background: url(../img/bg.png) } .x { background: url(/assets/site.css) }",
        ], includeSiteConfig: false)
        defer { site.remove() }
        let report = await LinkChecker(folder: site.root.appendingPathComponent("out"), options: .init(offline: true)).check()
        let found = Set(report.broken.map { "\($0.page) \($0.url) \($0.reason)" })
        #expect(found == [
            "index.html /papers/gone/ missing file (papers/gone/index.html)",
            "index.html stories/精益/#缺失 missing anchor #缺失",
            "index.html #nowhere missing anchor #nowhere",
            "index.html /assets/missing.png missing file (assets/missing.png)",
            "assets/site.css ../img/bg.png missing file (img/bg.png)",
        ])
        #expect(report.pagesChecked == 5)
        #expect(report.summary.hasPrefix("5 broken links in 2 files"))
    }

    @Test func reportsAtTheMarkdownLineWhenTheBuildSaysWhere() async throws {
        let site = try TemporarySite(["out/a/index.html": "<p><a href=\"/b/#%E7%BC%BA\">x</a> <a href=\"/c/\">y</a></p>"], includeSiteConfig: false)
        defer { site.remove() }
        let sources = LinkSourceMap(
            links: ["a/index.html": [LinkOrigin(href: "/b/#%E7%BC%BA", location: SourceLocation(file: "Content/stories/a.md", line: 12, column: 3))]],
            templates: ["a/index.html": "Templates/story.mustache"])
        let report = await LinkChecker(folder: site.root.appendingPathComponent("out"), options: .init(offline: true), sources: sources).check()
        #expect(report.humanReadable() == """
        Content/stories/a.md
          12:3: /b/#%E7%BC%BA: missing file (b/index.html) (in a/index.html)
        Templates/story.mustache
          -: /c/: missing file (c/index.html) (in a/index.html)
        2 broken links in 2 files (2 links in 1 files checked, 0 external URLs checked)

        """)
        #expect(report.junit().contains("<failure type=\"missing-file\" message=\"Content/stories/a.md:12:3: /b/#%E7%BC%BA: missing file (b/index.html)\">"))
        #expect(report.json().contains("\"file\" : \"Content/stories/a.md\""))
    }
}

/// Against a real HTTP server on 127.0.0.1.
@Suite(.serialized) struct ExternalLinkTests {
    final class TestServer: Sendable {
        let process: Process
        let input: Pipe
        let port: Int

        init() throws {
            let script = try #require(Bundle.module.url(forResource: "link_server", withExtension: "py", subdirectory: "Fixtures"))
            process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path]
            input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            var line = Data()
            while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
            port = try #require(Int(String(decoding: line, as: UTF8.self)))
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

        /// The server's request counts, fetched by a separate client so the checker's connections are not reused.
        func hits() throws -> String {
            let client = Process()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            client.arguments = ["python3", "-c", "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().decode())", url("/hits")]
            let output = Pipe()
            client.standardOutput = output
            try client.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            client.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    static func closedPort() -> Int {
        // A port that was just free: binding then closing gives one nothing listens on.
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) } }
        close(socketFD)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func classifiesEveryKindOfExternalFailure() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let refused = "http://127.0.0.1:\(Self.closedPort())/"
        let links = ["/ok", "/missing", "/chain/1", "/loop/a", "/busy", "/always-busy", "/slow", "/no-head"]
            .map { "<a href=\"\(server.url($0))\">x</a>" }.joined(separator: "\n")
        let site = try TemporarySite([
            "out/index.html": links + "\n<a href=\"\(refused)\">r</a> <a href=\"\(server.url("/ok"))\">again</a>",
            "out/other.html": "<a href=\"\(server.url("/ok"))\">same URL, another page</a> <a href=\"http://nonexistent.invalid/\">dns</a>",
        ], includeSiteConfig: false)
        defer { site.remove() }
        let options = LinkCheckOptions(external: ExternalCheckOptions(timeout: .seconds(1), retries: 2, maxRetryWait: .seconds(2)))
        let report = await LinkChecker(folder: site.root.appendingPathComponent("out"), options: options).check()
        let found = Set(report.broken.map { "\($0.url.replacingOccurrences(of: server.url(""), with: "")) \($0.reason)" })
        #expect(found == [
            "/missing HTTP 404",
            "/loop/a redirect loop",
            "/always-busy HTTP 503",
            "/slow timeout",
            "\(refused) connection refused",
            "http://nonexistent.invalid/ DNS failure",
        ])
        #expect(report.externalChecked == 10)
        // Each distinct URL was requested once per method, however many pages link to it; /busy was retried.
        let hits = try server.hits()
        #expect(hits.contains("/ok 2"))   // HEAD from the page links, HEAD from the redirect chain's end
        #expect(hits.contains("/busy 2"))
        #expect(hits.contains("/always-busy 3"))
        #expect(hits.contains("/no-head 2")) // HEAD refused, then GET
    }

    @Test func cachedSuccessesAreNotRequestedAgain() async throws {
        let server = try TestServer()
        defer { server.stop() }
        let site = try TemporarySite(["out/index.html": "<a href=\"\(server.url("/ok"))\">x</a>"], includeSiteConfig: false)
        defer { site.remove() }
        let cache = site.root.appendingPathComponent("cache/links.json")
        let options = LinkCheckOptions(external: ExternalCheckOptions(cacheFile: cache))
        for _ in 0..<3 {
            let report = await LinkChecker(folder: site.root.appendingPathComponent("out"), options: options).check()
            #expect(report.isClean)
        }
        let hits = try server.hits()
        #expect(hits == "/ok 1")
        #expect(FileManager.default.fileExists(atPath: cache.path))
    }
}
