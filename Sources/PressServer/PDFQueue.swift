import Foundation
public import PressAnthology
public import PressCore

/// The PDFs that `serve`'s builds leave for later, made one at a time: WeasyPrint takes seconds per book
/// and most of two cores, and only the newest version of a book is worth making.
///
/// A failed PDF is tried again by the next build, whatever that build was for: the book's record stays
/// unfinished, so the build renders the book again and submits its job. Its errors stay in `failures`
/// (the overlay) until a PDF of that book is put in place, or the build no longer asks for one.
public actor PDFQueue {
    private var waiting: [PDFJob] = []
    private var running: (job: PDFJob, task: Task<[Diagnostic], Never>)?
    /// Book → the key of the newest build's job: what a finished PDF must match to be installed.
    private var latest: [String: String] = [:]
    /// Book → the errors of its last PDF, until one is put in place.
    private var failing: [String: [Diagnostic]] = [:]
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    public init() {
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The jobs of the newest build replace every waiting one. The running one goes on only if the build asked
    /// for the same version of the same book again; otherwise it is cancelled (WeasyPrint is terminated).
    public func submit(_ jobs: [PDFJob]) {
        latest = Dictionary(jobs.map { ($0.book, $0.key) }) { $1 }
        // A book the build no longer leaves unfinished (removed, or finished by `qpress build`) has no PDF to fail.
        failing = failing.filter { latest[$0.key] != nil }
        if let running, latest[running.job.book] != running.job.key { running.task.cancel() }
        waiting = jobs.filter { job in !(running.map { $0.job.book == job.book && $0.job.key == job.key } ?? false) }
        if !waiting.isEmpty { wake.yield() }
    }

    /// Whether `job` is still what the newest build wants.
    public func isLatest(_ job: PDFJob) -> Bool { latest[job.book] == job.key }

    /// The book's PDF is in place (or failed): a later build asks again if it must.
    public func finished(_ job: PDFJob) {
        if latest[job.book] == job.key { latest[job.book] = nil }
        if running?.job.book == job.book { running = nil }
    }

    /// The book's PDF failed: its errors show until a PDF of the book is put in place.
    public func failed(_ job: PDFJob, _ diagnostics: [Diagnostic]) { failing[job.book] = diagnostics }

    /// The book's PDF is in place: its earlier errors are gone.
    public func installed(_ job: PDFJob) { failing[job.book] = nil }

    /// The errors of every book whose last PDF failed, by book.
    public var failures: [Diagnostic] { failing.sorted { $0.key < $1.key }.flatMap(\.value) }

    /// Whether a job waits or runs (for tests and the log).
    public var isIdle: Bool { waiting.isEmpty && running == nil }

    /// Starts the next job, rendering into `work`; nil when none waits.
    func startNext(in work: URL) -> (PDFJob, Task<[Diagnostic], Never>)? {
        guard !waiting.isEmpty else { return nil }
        let job = waiting.removeFirst()
        let task = Task { await job.render(into: work) }
        running = (job, task)
        return (job, task)
    }

    /// Runs jobs as they come until the calling task is cancelled. `done` gets each job that was not cancelled,
    /// with the folder holding its PDFs and WeasyPrint's diagnostics, while the folder still exists.
    func work(_ done: @Sendable (PDFJob, URL, [Diagnostic], Double) async -> Void, cancelled: @Sendable (PDFJob) -> Void) async {
        for await _ in wakeups {
            while !Task.isCancelled {
                let work = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-pdf-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: work) }
                guard (try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)) != nil,
                      let next = startNext(in: work) else { break }
                let (job, task) = next
                let start = ContinuousClock.now
                let diagnostics = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
                if task.isCancelled {
                    finished(job)
                    cancelled(job)
                    continue
                }
                let elapsed = ContinuousClock.now - start
                await done(job, work, diagnostics, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                finished(job)
            }
        }
    }
}

/// Lets one thing at a time change the output folder: a build, or a PDF being put in place.
actor OutputLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func exclusively<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        let result = await body()
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
        return result
    }
}
