import Foundation
public import PressCore

/// Turns each page's text into its `SearchRecord` on the task that rendered the page: the text is
/// dropped as soon as its terms are counted. A clean build's index (`grouped()`) takes each record
/// into its grouping there and then, so no record waits for a busy index task, and the terms of
/// every page are never held twice; an incremental build's (`collect()`) keeps the records.
public struct SearchRecordFeed: PageTextSink {
    private let state = State()
    /// Ends at `finish()`.
    private let done: AsyncStream<Never>
    private let continuation: AsyncStream<Never>.Continuation

    public init() {
        (done, continuation) = AsyncStream.makeStream(of: Never.self)
    }

    public func take(_ text: PageText) {
        state.take(SearchRecord(text))
    }

    /// No more pages: the index can be written. Again, it does nothing.
    public func finish() {
        continuation.finish()
    }

    /// The index of every record, grouped as the records come.
    public func grouped() async -> SearchIndex {
        state.startGrouping()
        for await _ in done {}
        return state.takeGrouping().index()
    }

    /// Every record, once the pages are all rendered.
    public func collect() async -> [SearchRecord] {
        for await _ in done {}
        return state.takeRecords()
    }

    /// The records kept, or their grouping once `grouped()` asked for it, behind a lock: pages are
    /// rendered on many tasks at once.
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var records: [SearchRecord] = []
        private var grouping: SearchRecordGrouping?

        func take(_ record: SearchRecord) {
            lock.withLock {
                if grouping != nil { grouping?.add(record) } else { records.append(record) }
            }
        }

        /// Groups the records kept so far, and from now on each as it comes.
        func startGrouping() {
            lock.withLock {
                var started = SearchRecordGrouping()
                for record in records { started.add(record) }
                records = []
                grouping = started
            }
        }

        func takeGrouping() -> SearchRecordGrouping {
            lock.withLock {
                defer { grouping = SearchRecordGrouping() }
                return grouping ?? SearchRecordGrouping()
            }
        }

        func takeRecords() -> [SearchRecord] {
            lock.withLock {
                defer { records = [] }
                return records
            }
        }
    }
}
