public import PressCore

/// Turns each page's text into its `SearchRecord` on the task that rendered the page, and hands the
/// record to the task building the index: the text is dropped as soon as its terms are counted, and
/// the index is gathered while the pages are still being rendered (`grouped()`).
public struct SearchRecordFeed: PageTextSink {
    private let continuation: AsyncStream<SearchRecord>.Continuation
    /// The records, in the order the pages were rendered; ends at `finish()`.
    public let records: AsyncStream<SearchRecord>

    public init() {
        (records, continuation) = AsyncStream.makeStream(of: SearchRecord.self)
    }

    public func take(_ text: PageText) {
        continuation.yield(SearchRecord(text))
    }

    /// No more pages: the index can be written. Again, it does nothing.
    public func finish() {
        continuation.finish()
    }

    /// The index of every record, grouped as the records come.
    public func grouped() async -> SearchIndex {
        var grouping = SearchRecordGrouping()
        for await record in records { grouping.add(record) }
        return grouping.index()
    }

    /// Every record, once the pages are all rendered.
    public func collect() async -> [SearchRecord] {
        var all: [SearchRecord] = []
        for await record in records { all.append(record) }
        return all
    }
}
