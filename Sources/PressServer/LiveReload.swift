import Foundation
public import PressCore

/// The state of the last build and the browser pages listening for the next one (Server-Sent Events).
public actor LiveReload {
    /// Increases with every successful build; pages reload when it changes.
    public private(set) var build = 0
    /// Errors of the last build, when it failed, and of the background PDFs that failed since their book
    /// changed: the pages show them over the last good output.
    public var failure: [Diagnostic]? {
        let all = (buildErrors ?? []) + pdfErrors
        return all.isEmpty ? nil : all
    }
    private var buildErrors: [Diagnostic]?
    private var pdfErrors: [Diagnostic] = []
    private var listeners: [UUID: AsyncStream<String>.Continuation] = [:]

    public init() {}

    public var listenerCount: Int { listeners.count }

    /// A new page's stream: the current state first, then every build's outcome.
    public func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(16))
        continuation.onTermination = { [weak self] _ in
            Task { await self?.remove(id) }
        }
        continuation.yield("retry: 1000\n\n" + Self.event("hello", "{\"build\":\(build)}"))
        if let failure { continuation.yield(Self.failedEvent(failure)) }
        listeners[id] = continuation
        return stream
    }

    private func remove(_ id: UUID) {
        listeners[id] = nil
    }

    /// A build succeeded (or a PDF was put in place): pages reload. `pdfErrors`, the errors of the PDFs that
    /// still fail, show over the new pages.
    public func succeeded(pdfErrors: [Diagnostic] = []) {
        build += 1
        buildErrors = nil
        self.pdfErrors = pdfErrors
        broadcast(Self.event("reload", "{\"build\":\(build)}"))
    }

    /// A build failed: pages show the errors; the last good output is still served.
    public func failed(_ diagnostics: [Diagnostic]) {
        buildErrors = diagnostics
        broadcast(Self.failedEvent(failure ?? []))
    }

    /// A background PDF failed: `pdfErrors` are the errors of every PDF that fails now; the pages show them.
    public func pdfFailed(_ pdfErrors: [Diagnostic]) {
        self.pdfErrors = pdfErrors
        broadcast(Self.failedEvent(failure ?? []))
    }

    /// Keeps idle connections open through proxies.
    public func ping() {
        broadcast(": ping\n\n")
    }

    public func finishAll() {
        for continuation in listeners.values { continuation.finish() }
        listeners.removeAll()
    }

    private func broadcast(_ text: String) {
        for continuation in listeners.values { continuation.yield(text) }
    }

    static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\ndata: \(data)\n\n"
    }

    static func failedEvent(_ diagnostics: [Diagnostic]) -> String {
        let items = diagnostics.filter { $0.severity == .error }.map { diagnostic -> [String: Any] in
            var item: [String: Any] = ["file": diagnostic.location.file, "message": diagnostic.message, "text": diagnostic.description]
            if let line = diagnostic.location.line { item["line"] = line }
            if let column = diagnostic.location.column { item["column"] = column }
            return item
        }
        let data = (try? JSONSerialization.data(withJSONObject: ["diagnostics": items], options: [.sortedKeys])) ?? Data("{}".utf8)
        return event("failed", String(decoding: data, as: UTF8.self))
    }
}
