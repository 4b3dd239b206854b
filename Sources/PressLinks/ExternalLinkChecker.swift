import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

public struct ExternalCheckOptions: Sendable {
    /// Per request, connect included.
    public var timeout: Duration
    public var maxRedirects: Int
    /// Requests in flight to one host, and in all.
    public var perHostConcurrency: Int
    public var totalConcurrency: Int
    /// Retries after 429 or 503, waiting for `Retry-After` (capped) or doubling from one second.
    public var retries: Int
    public var maxRetryWait: Duration
    /// Status codes taken as success besides 2xx.
    public var acceptedStatus: Set<Int>
    /// Results file shared between runs, and how long a success stays valid.
    public var cacheFile: URL?
    public var cacheLifetime: Duration

    public init(timeout: Duration = .seconds(10), maxRedirects: Int = 5, perHostConcurrency: Int = 4, totalConcurrency: Int = 32,
                retries: Int = 2, maxRetryWait: Duration = .seconds(30), acceptedStatus: Set<Int> = [],
                cacheFile: URL? = nil, cacheLifetime: Duration = .seconds(24 * 3600)) {
        self.timeout = timeout
        self.maxRedirects = maxRedirects
        self.perHostConcurrency = perHostConcurrency
        self.totalConcurrency = totalConcurrency
        self.retries = retries
        self.maxRetryWait = maxRetryWait
        self.acceptedStatus = acceptedStatus
        self.cacheFile = cacheFile
        self.cacheLifetime = cacheLifetime
    }
}

/// Checks each distinct external URL once: HEAD first, GET when HEAD is refused, redirects
/// followed by hand so loops are caught, a few requests per host at a time.
struct ExternalLinkChecker: Sendable {
    let options: ExternalCheckOptions

    /// URL → nil when it works, or why not.
    func check(_ urls: [String]) async -> [String: BrokenReason?] {
        var cache = LinkCache(file: options.cacheFile, lifetime: options.cacheLifetime)
        var results: [String: BrokenReason?] = [:]
        var pending: [String] = []
        for url in urls.sorted() {
            if cache.isFresh(url) { results[url] = .some(nil) } else { pending.append(url) }
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .init(options.timeout), read: .init(options.timeout))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.perHostConcurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)

        // One lane per host, each with at most `perHostConcurrency` requests; lanes share a global limit.
        let byHost = Dictionary(grouping: pending) { URLComponents(string: $0)?.host?.lowercased() ?? "" }
        let hostLanes = max(1, options.totalConcurrency / max(1, options.perHostConcurrency))
        let checked = await withTaskGroup(of: [(String, BrokenReason?)].self) { group in
            var hosts = byHost.keys.sorted().makeIterator()
            func addLane(_ host: String) {
                let urls = byHost[host] ?? []
                group.addTask { await checkLane(urls, client: client) }
            }
            for _ in 0..<hostLanes { if let host = hosts.next() { addLane(host) } }
            var all: [(String, BrokenReason?)] = []
            for await lane in group {
                all += lane
                if let host = hosts.next() { addLane(host) }
            }
            return all
        }
        try? await client.shutdown()
        for (url, reason) in checked {
            results[url] = .some(reason)
            if reason == nil { cache.recordSuccess(url) }
        }
        cache.save()
        return results
    }

    private func checkLane(_ urls: [String], client: HTTPClient) async -> [(String, BrokenReason?)] {
        await withTaskGroup(of: (String, BrokenReason?).self) { group in
            var iterator = urls.makeIterator()
            for _ in 0..<options.perHostConcurrency {
                if let url = iterator.next() { group.addTask { (url, await checkURL(url, client: client)) } }
            }
            var results: [(String, BrokenReason?)] = []
            for await result in group {
                results.append(result)
                if let url = iterator.next() { group.addTask { (url, await checkURL(url, client: client)) } }
            }
            return results
        }
    }

    func checkURL(_ url: String, client: HTTPClient) async -> BrokenReason? {
        var current = url
        var visited: Set<String> = [url]
        for _ in 0...options.maxRedirects {
            let outcome = await fetch(current, client: client)
            switch outcome {
            case .failed(let reason): return reason
            case .status(let status, let location):
                if (300...399).contains(status), status != 304, let location {
                    guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString else {
                        return .malformed("redirect to '\(location)'")
                    }
                    if visited.contains(next) { return .redirectLoop }
                    visited.insert(next)
                    current = next
                    continue
                }
                return (200...299).contains(status) || options.acceptedStatus.contains(status) ? nil : .httpStatus(status)
            }
        }
        return .tooManyRedirects(options.maxRedirects)
    }

    enum Outcome {
        case status(Int, location: String?)
        case failed(BrokenReason)
    }

    /// One URL, one hop: HEAD, then GET if the server will not answer HEAD; retries on 429 and 503.
    private func fetch(_ url: String, client: HTTPClient) async -> Outcome {
        var attempt = 0
        var method: HTTPMethod = .HEAD
        while true {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "User-Agent", value: "qpress-link-checker/0.1")
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: .init(options.timeout))
            } catch {
                return .failed(Self.classify(error))
            }
            let status = Int(response.status.code)
            if method == .GET {
                // Read a little of the body and stop: we need the status, not the page.
                var received = 0
                do {
                    for try await chunk in response.body {
                        received += chunk.readableBytes
                        if received > 64 * 1024 { break }
                    }
                } catch {}
            }
            if method == .HEAD && [405, 501, 400, 403, 404].contains(status) {
                method = .GET
                continue
            }
            if (status == 429 || status == 503) && attempt < options.retries {
                attempt += 1
                try? await Task.sleep(for: retryDelay(response.headers.first(name: "Retry-After"), attempt: attempt))
                continue
            }
            return .status(status, location: response.headers.first(name: "Location"))
        }
    }

    func retryDelay(_ retryAfter: String?, attempt: Int) -> Duration {
        var delay = Duration.seconds(1 << min(attempt - 1, 5))
        if let retryAfter {
            if let seconds = Int(retryAfter.trimmingCharacters(in: .whitespaces)) {
                delay = .seconds(max(0, seconds))
            } else if let date = Self.httpDate(retryAfter) {
                delay = .seconds(max(0, Int(date.timeIntervalSinceNow.rounded(.up))))
            }
        }
        return min(delay, options.maxRetryWait)
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    /// NIO reports network failures as several error types; their descriptions are stable enough to sort them.
    static func classify(_ error: Error) -> BrokenReason {
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout: return .timeout
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") { return .connectionRefused }
        if text.contains("dnsAError") || text.contains("unknown(host") || text.contains("Name or service not known")
            || text.contains("getaddrinfo") || text.contains("NXDOMAIN") { return .dnsFailure }
        if text.lowercased().contains("timeout") || text.contains("timedOut") { return .timeout }
        return .network(text)
    }
}

/// Successful results from earlier runs, so repeated CI runs do not hammer the same hosts.
struct LinkCache {
    let file: URL?
    let lifetime: Duration
    private var checked: [String: Double] = [:]
    private let now = Date().timeIntervalSince1970

    init(file: URL?, lifetime: Duration) {
        self.file = file
        self.lifetime = lifetime
        if let file, let data = try? Data(contentsOf: file),
           let stored = try? JSONDecoder().decode([String: Double].self, from: data) {
            checked = stored
        }
    }

    func isFresh(_ url: String) -> Bool {
        guard let time = checked[url] else { return false }
        return now - time < Double(lifetime.components.seconds)
    }

    mutating func recordSuccess(_ url: String) { checked[url] = now }

    func save() {
        guard let file else { return }
        let live = checked.filter { now - $0.value < Double(lifetime.components.seconds) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(live) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: file, options: .atomic)
    }
}
