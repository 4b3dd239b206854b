import Foundation
import Logging
import Hummingbird
import PressAnthology
public import PressBuild
import PressCore
import PressLoader
import PressModel

/// `qpress serve`: builds the site, serves the output folder on 127.0.0.1 with Hummingbird,
/// watches `Content/` and the templates, rebuilds (incrementally) on change and tells open pages
/// to reload over Server-Sent Events. A failed build keeps the last good output and shows its
/// errors over the page.
public struct PreviewServer: Sendable {
    public var options: BuildOptions
    public var host: String
    public var port: Int
    public var watcher: FileWatcher
    public let live = LiveReload()
    /// The PDFs builds leave for later (`BuildOptions.deferPDFs`), made in the background.
    public let pdfs = PDFQueue()
    private let outputLock = OutputLock()
    /// One line per build and per problem, for the terminal.
    public var log: @Sendable (String) -> Void

    public static let eventsPath = "/__qpress/events"

    public init(options: BuildOptions, host: String = "127.0.0.1", port: Int = 8000,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        // Pages, web editions and EPUBs are reloaded at once; the PDFs follow (`pdfs`).
        self.options.deferPDFs = true
        self.host = host
        self.port = port
        var folders = [options.source.appendingPathComponent("Content"), options.source.appendingPathComponent("Templates")]
        if let theme = options.defaultTheme, !folders.contains(theme.standardizedFileURL) { folders.append(theme.standardizedFileURL) }
        watcher = FileWatcher(folders: folders)
        self.log = log
    }

    /// Builds once; reports the outcome to the pages and hands the PDFs it left to `pdfs`.
    @discardableResult
    public func rebuild() async -> BuildResult {
        await outputLock.exclusively { await buildAndReport() }
    }

    private func buildAndReport() async -> BuildResult {
        let result = await SiteBuilder(options: options).build()
        if result.succeeded {
            let reused = result.pagesReused > 0 ? " (\(result.pagesReused) unchanged)" : ""
            log("built \(result.pagesWritten) pages\(reused) in \(String(format: "%.2f", result.seconds)) s")
            // Books take seconds to make: say which were made again and why (the others were reused).
            let pending = Set(result.pdfJobs.map(\.book))
            for book in result.anthologies where !book.reused {
                let pdf = pending.contains(book.name) ? "; its PDF follows" : ""
                log("built anthology \(book.name)\(book.reason.map { " (\($0))" } ?? "") in \(String(format: "%.2f", book.htmlSeconds + book.pdfSeconds)) s\(pdf)")
            }
            await pdfs.submit(result.pdfJobs)
            // A PDF that failed is being made again; its errors stay over the pages until it succeeds.
            await live.succeeded(pdfErrors: await pdfs.failures)
        } else {
            for diagnostic in result.diagnostics { log(diagnostic.description) }
            log("build failed; still serving the last good output")
            await live.failed(result.diagnostics)
        }
        return result
    }

    /// Makes the PDFs builds leave, one at a time, until cancelled: each finished one is put in place between builds
    /// and the pages reload; a failure shows over the pages like a build error.
    func makePDFs() async {
        await pdfs.work({ job, work, diagnostics, seconds in
            await outputLock.exclusively { await install(job, from: work, diagnostics: diagnostics, seconds: seconds) }
        }, cancelled: { job in log("stopped making anthology \(job.book)'s PDF: a newer edit replaces it") })
    }

    private func install(_ job: PDFJob, from work: URL, diagnostics: [Diagnostic], seconds: Double) async {
        guard await pdfs.isLatest(job) else { return }
        var problems = diagnostics
        if !diagnostics.hasErrors {
            do {
                guard try SiteBuilder.installPDF(job, from: work, output: options.outputFolder) else { return }
                log("made anthology \(job.book)'s PDF in \(String(format: "%.2f", seconds)) s")
                for warning in diagnostics { log(warning.description) }
                await pdfs.installed(job)
                await live.succeeded(pdfErrors: await pdfs.failures)
                return
            } catch {
                problems.append(.error(job.sourcePath, "\(error)"))
            }
        }
        for diagnostic in problems { log(diagnostic.description) }
        log("anthology \(job.book)'s PDF failed; the next build tries again")
        await pdfs.failed(job, problems.filter { $0.severity == .error })
        await live.pdfFailed(await pdfs.failures)
    }

    /// Where the site's links start: the path of `base_url` (or of `--base-url`).
    func basePath() -> String {
        if let baseURL = options.baseURL {
            return SiteConfig(title: "", baseURL: baseURL.hasSuffix("/") ? baseURL : baseURL + "/").basePath
        }
        let (config, _) = ContentLoader(siteRoot: options.source).loadConfig()
        return config?.basePath ?? "/"
    }

    /// Internal: Hummingbird's types stay inside PressServer.
    var responder: PreviewResponder {
        PreviewResponder(files: PreviewFiles(root: options.outputFolder, basePath: basePath()), live: live)
    }

    /// Builds, then serves and watches until the task is cancelled (or the process ends).
    /// `onReady` gets the port the server listens on (useful with port 0).
    public func run(onReady: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let initialStamps = watcher.snapshot()
        await rebuild()
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: port), serverName: "qpress"),
            onServerRunning: { channel in onReady(channel.localAddress?.port ?? port) },
            logger: {
                var logger = Logger(label: "qpress.serve")
                logger.logLevel = .critical
                return logger
            }()
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            // A stop signal ends the group, so the PDF job is cancelled and WeasyPrint killed, not orphaned.
            group.addTask { if let number = await StopSignal.next() { log("stopped by \(StopSignal.name(number))") } }
            group.addTask { await makePDFs() }
            group.addTask {
                var stamps = initialStamps
                var lastPing = ContinuousClock.now
                while !Task.isCancelled {
                    let changed = try await watcher.nextChange(after: &stamps)
                    if !changed.isEmpty {
                        let names = changed.prefix(3).map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
                        log("changed: \(names)\(changed.count > 3 ? " and \(changed.count - 3) more" : "")")
                        await rebuild()
                    }
                    if ContinuousClock.now - lastPing > .seconds(15) {
                        await live.ping()
                        lastPing = .now
                    }
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
        await live.finishAll()
    }
}

/// Answers every request: the live-reload event stream, else a file of the output folder.
/// HTML pages get the live-reload script; nothing is cached.
struct PreviewResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let files: PreviewFiles
    let live: LiveReload

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return Self.text(.methodNotAllowed, "method not allowed\n")
        }
        if request.uri.path == PreviewServer.eventsPath {
            let stream = await live.subscribe()
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                for await event in stream {
                    try await writer.write(ByteBuffer(string: event))
                }
                try await writer.finish(nil)
            })
        }
        switch files.resolve(request.uri.path) {
        case .forbidden:
            return Self.text(.forbidden, "forbidden: the path leaves the site\n")
        case .redirect(let location):
            var headers = HTTPFields()
            headers[.location] = location
            return Response(status: .movedPermanently, headers: headers)
        case .notFound:
            // No output yet (the first build failed): a page that shows the errors and reloads when fixed.
            let page = Data("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>qpress</title></head><body><p>尚无构建结果。</p></body></html>\n".utf8)
            return Self.data(.notFound, PreviewFiles.injectingLiveReload(into: page), contentType: "text/html; charset=utf-8")
        case .file(let url, let status, let contentType):
            // Asked before the file is read: a build in between makes the page reload, never miss it.
            let build = await live.build
            guard var data = try? Data(contentsOf: url) else {
                return Self.text(.notFound, "not found\n")
            }
            if contentType.hasPrefix("text/html") { data = PreviewFiles.injectingLiveReload(into: data, build: build) }
            return Self.data(status == 404 ? .notFound : .ok, data, contentType: contentType)
        }
    }

    static func data(_ status: HTTPResponse.Status, _ data: Data, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        data(status, Data(text.utf8), contentType: "text/plain; charset=utf-8")
    }
}
