import AsyncHTTPClient
import Foundation
import PressBuild
import PressServer
import PressTestSupport
import Testing

/// A small site with a Chinese slug, built into its Output/.
func builtSite() async throws -> TemporarySite {
    let site = try TemporarySite([
        "Content/stories/a.md": TemporarySite.story(title: "齿轮", extra: "slug: 精益求精", body: "## 概述\n\n旧的正文。\n"),
        "Content/assets/data.json": "{}\n",
    ])
    let result = await SiteBuilder(options: BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)).build()
    #expect(result.succeeded, "\(result.diagnostics)")
    return site
}

/// In-process: the request path → file mapping, without HTTP.
@Suite struct PreviewFilesTests {
    @Test func mapsPathsLikeAStaticHost() async throws {
        let site = try await builtSite()
        defer { site.remove() }
        let output = site.root.appendingPathComponent("Output").standardizedFileURL
        let files = PreviewFiles(root: output)
        #expect(files.resolve("/") == .file(output.appendingPathComponent("index.html"), status: 200, contentType: "text/html; charset=utf-8"))
        #expect(files.resolve("/stories/%E7%B2%BE%E7%9B%8A%E6%B1%82%E7%B2%BE/?from=home")
                == .file(output.appendingPathComponent("stories/精益求精/index.html"), status: 200, contentType: "text/html; charset=utf-8"))
        #expect(files.resolve("/stories") == .redirect("/stories/"))
        #expect(files.resolve("/assets/css/site.css") == .file(output.appendingPathComponent("assets/css/site.css"), status: 200, contentType: "text/css; charset=utf-8"))
        #expect(files.resolve("/assets/data.json") == .file(output.appendingPathComponent("assets/data.json"), status: 200, contentType: "application/json; charset=utf-8"))
        let notFound = PreviewFiles.Resolution.file(output.appendingPathComponent("404.html"), status: 404, contentType: "text/html; charset=utf-8")
        #expect(files.resolve("/no/such/page/") == notFound)
        #expect(files.resolve("/.qpress-cache.json") == notFound)
        for escape in ["/../Content/site.yml", "/stories/../../x", "/%2E%2E/Content/site.yml", "/stories/%2e%2e/%2e%2e/x", "/a%00b", "/%ZZ"] {
            #expect(files.resolve(escape) == .forbidden, "\(escape)")
        }
    }

    @Test func servesBelowTheBasePath() async throws {
        let site = try await builtSite()
        defer { site.remove() }
        let output = site.root.appendingPathComponent("Output").standardizedFileURL
        let files = PreviewFiles(root: output, basePath: "/quality/")
        #expect(files.resolve("/") == .redirect("/quality/"))
        #expect(files.resolve("/quality/") == .file(output.appendingPathComponent("index.html"), status: 200, contentType: "text/html; charset=utf-8"))
        if case .file(_, let status, _) = files.resolve("/stories/") { #expect(status == 404) } else { Issue.record("expected the 404 page") }
    }

    @Test func theLiveReloadScriptGoesBeforeTheBodyEnds() {
        let html = PreviewFiles.injectingLiveReload(into: Data("<html><body><p>x</p></body></html>".utf8))
        let text = String(decoding: html, as: UTF8.self)
        #expect(text.hasPrefix("<html><body><p>x</p><script data-qpress-live>"))
        #expect(text.hasSuffix("</script>\n</body></html>"))
        #expect(text.contains("var first = null,"))
        // Served after build 7: a later build announced when its stream connects reloads it.
        let served = String(decoding: PreviewFiles.injectingLiveReload(into: Data("<body></body>".utf8), build: 7), as: UTF8.self)
        #expect(served.contains("var first = 7,") && !served.contains("QPRESS_BUILD"))
    }
}

/// On loopback: a real server on 127.0.0.1, real HTTP requests.
@Suite(.serialized) struct PreviewServerTests {
    /// Runs a preview server for `site` on a free port while `body` runs.
    func withServer(_ site: TemporarySite, _ body: @Sendable (String, PreviewServer) async throws -> Void) async throws {
        var options = BuildOptions(source: site.root, defaultTheme: TemporarySite.defaultTheme)
        options.incremental = true
        var server = PreviewServer(options: options, host: "127.0.0.1", port: 0)
        server.watcher.interval = .milliseconds(100)
        server.watcher.quiet = .milliseconds(100)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let running = Task { [server] in try await server.run { portContinuation.yield($0) } }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        try await body("http://127.0.0.1:\(port)", server)
    }

    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    func get(_ url: String) async throws -> (status: UInt, type: String?, location: String?, body: String) {
        let response = try await Self.client.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 10 << 20)
        return (response.status.code, response.headers.first(name: "content-type"), response.headers.first(name: "location"),
                String(decoding: body.readableBytesView, as: UTF8.self))
    }

    @Test func servesFilesWithTheirTypesAndTheSite404() async throws {
        let site = try await builtSite()
        defer { site.remove() }
        try await withServer(site) { origin, _ in
            let home = try await get(origin + "/")
            #expect(home.status == 200)
            #expect(home.type == "text/html; charset=utf-8")
            #expect(home.body.contains("<script data-qpress-live>"))
            // The script is added when serving, never written into the output.
            #expect(site.read("Output/index.html")?.contains("data-qpress-live") == false)

            let story = try await get(origin + "/stories/%E7%B2%BE%E7%9B%8A%E6%B1%82%E7%B2%BE/")
            #expect(story.status == 200)
            #expect(story.body.contains("旧的正文。"))
            #expect(try await get(origin + "/stories").location == "/stories/")
            let css = try await get(origin + "/assets/css/site.css")
            #expect(css.status == 200 && css.type == "text/css; charset=utf-8")
            #expect(try await get(origin + "/search/index.json").type == "application/json; charset=utf-8")

            let missing = try await get(origin + "/no/such/page/")
            #expect(missing.status == 404)
            #expect(missing.body.contains("页面未找到"))
            #expect(try await get(origin + "/%2E%2E/Content/site.yml").status == 403)
            // Clients tidy `..` away; a raw request keeps it.
            #expect(try rawStatusLine(origin, path: "/../Content/site.yml") == "HTTP/1.1 403 Forbidden")
        }
    }

    @Test func editsReloadPagesAndErrorsShowUntilFixed() async throws {
        let site = try await builtSite()
        defer { site.remove() }
        try await withServer(site) { origin, _ in
            let events = try await EventReader(url: origin + PreviewServer.eventsPath)
            try await events.next(containing: "event: hello")

            try site.write(TemporarySite.story(title: "齿轮", extra: "slug: 精益求精", body: "## 概述\n\n新的正文。\n"), to: "Content/stories/a.md")
            try await events.next(containing: "event: reload")
            #expect(try await get(origin + "/stories/%E7%B2%BE%E7%9B%8A%E6%B1%82%E7%B2%BE/").body.contains("新的正文。"))

            // A broken file: the overlay names file and line, the last good page is still served.
            try site.write("---\ntitle: 坏\ndate: 2020-13-45\n---\n", to: "Content/stories/a.md")
            let failed = try await events.next(containing: "event: failed")
            #expect(failed.contains("\"file\":\"Content\\/stories\\/a.md\"") || failed.contains("\"file\":\"Content/stories/a.md\""))
            #expect(failed.contains("\"line\":3"))
            let page = try await get(origin + "/stories/%E7%B2%BE%E7%9B%8A%E6%B1%82%E7%B2%BE/")
            #expect(page.status == 200 && page.body.contains("新的正文。"))
            // A page opened now learns of the failure at once.
            let late = try await EventReader(url: origin + PreviewServer.eventsPath)
            try await late.next(containing: "event: failed")

            try site.write(TemporarySite.story(title: "齿轮", extra: "slug: 精益求精", body: "## 概述\n\n修好了。\n"), to: "Content/stories/a.md")
            try await events.next(containing: "event: reload")
            #expect(try await get(origin + "/stories/%E7%B2%BE%E7%9B%8A%E6%B1%82%E7%B2%BE/").body.contains("修好了。"))
        }
    }

    /// Sends one request over a plain socket, so the path reaches the server exactly as written.
    func rawStatusLine(_ origin: String, path: String) throws -> String {
        let port = UInt16(origin.split(separator: ":").last!)!
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, 0)
        let text = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        return String(text.split(separator: "\r\n").first ?? "")
    }
}

/// Reads a Server-Sent Events stream, event by event.
final class EventReader: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var buffer = ""

    init(url: String) async throws {
        let response = try await PreviewServerTests.client.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
        #expect(response.headers.first(name: "content-type") == "text/event-stream; charset=utf-8")
        iterator = response.body.makeAsyncIterator()
    }

    /// The next event containing `text`, waiting at most 15 s.
    @discardableResult
    func next(containing text: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            while let end = buffer.range(of: "\n\n") {
                let event = String(buffer[..<end.lowerBound])
                buffer.removeSubrange(..<end.upperBound)
                if event.contains(text) { return event }
            }
            guard let chunk = try await iterator.next() else { break }
            buffer += String(decoding: chunk.readableBytesView, as: UTF8.self)
        }
        Issue.record("no event containing '\(text)'")
        throw CancellationError()
    }
}
