import Foundation

/// Threads of their own for the site's image work. Each libvips call decodes or encodes for up to hundreds of
/// milliseconds; on Swift's cooperative threads (one per core) it would hold them, and the books' tasks, which
/// start WeasyPrint, would queue behind every photo. Here the OS shares the cores between this work, WeasyPrint
/// and the other tasks, so the image work overlaps them. One thread per core: libvips' memory grows per thread.
final class ImageThreads: TaskExecutor, @unchecked Sendable {
    static let shared = ImageThreads(count: ProcessInfo.processInfo.activeProcessorCount)

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(count: Int) {
        for index in 0..<max(1, count) {
            let thread = Thread { [unowned self] in self.serve() }
            thread.name = "qpress images \(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
