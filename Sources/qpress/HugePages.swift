import Foundation

/// Transparent huge pages for glibc's malloc heaps, which only the `GLIBC_TUNABLES` read at start-up
/// turns on (`glibc.malloc.hugetlb=1`; `mallopt` has no such option). An edit of 10,000 pages touches
/// about 100 MB once: 14,000 page faults, an eighth of its time; with huge pages, 1,300. So the process
/// starts itself again once with the tunable set, where the kernel hands out huge pages only on request
/// (`madvise` mode), and then restores the environment its own children see.
enum HugePages {
    static let tunables = "GLIBC_TUNABLES"
    static let setting = "glibc.malloc.hugetlb=1"
    /// Set across the one re-execution: that it happened, and the caller's own tunables.
    static let marker = "QPRESS_HUGE_PAGES", saved = "QPRESS_SAVED_TUNABLES"

    /// Returns when this process already runs with huge pages, cannot have them, or the exec fails.
    static func enable() {
        if getenv(marker) != nil { return restoreEnvironment() }
        let current = getenv(tunables).map { String(cString: $0) }
        guard current?.contains("glibc.malloc.hugetlb") != true, kernelGrantsOnRequest else { return }
        if let current { setenv(saved, current, 1) }
        setenv(marker, "1", 1)
        setenv(tunables, current.map { "\($0):\(setting)" } ?? setting, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the exec failed (no /proc), and this process carries on as it is.
        restoreEnvironment()
    }

    /// Whether the kernel's THP mode is `madvise`: with `always` every process has them, with `never` none does.
    private static var kernelGrantsOnRequest: Bool {
        let mode = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
        return mode?.contains("[madvise]") == true
    }

    private static func restoreEnvironment() {
        if let original = getenv(saved) {
            setenv(tunables, original, 1)
            unsetenv(saved)
        } else {
            unsetenv(tunables)
        }
        unsetenv(marker)
    }
}
