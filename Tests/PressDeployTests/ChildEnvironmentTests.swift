import Foundation
import PressTestSupport
import Testing
@testable import PressDeploy

/// qpress starts itself again once with glibc's huge pages (`qp_huge_pages.c`, before the Swift runtime) where the
/// kernel gives them on request; the tools it runs must see the environment qpress was given, not its own.
@Suite struct ChildEnvironmentTests {
    /// Runs a deploy whose `rsync` is a script that records its environment and the initial environment of
    /// its parent (qpress, as started last), then fails; returns both, one variable per line. `tunables`
    /// is qpress's `GLIBC_TUNABLES`, nil for none.
    func environments(tunables: String?) async throws -> (child: [String], parent: [String]) {
        let www = try TemporaryFolder()
        defer { www.remove() }
        let site = try deploySite(url: "file://\(www.url.path)/site", files: ["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        let bin = site.root.appendingPathComponent("bin"), dump = site.root.appendingPathComponent("env")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try site.write("#!/bin/sh\nenv > '\(dump.path)'\ntr '\\0' '\\n' < /proc/$PPID/environ > '\(dump.path).parent'\nexit 3\n", to: "bin/rsync")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("rsync").path)
        var environment = QPress.environment(["PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        environment["GLIBC_TUNABLES"] = tunables
        let run = try await RunningTool(QPress.binary, ["deploy", "--source", site.root.path], environment: environment).wait()
        #expect(run.status != 0, "the fake rsync fails: \(run.output)\(run.errorOutput)")
        let child = try String(contentsOf: dump, encoding: .utf8), parent = try String(contentsOf: dump.appendingPathExtension("parent"), encoding: .utf8)
        return (child.split(separator: "\n").map(String.init), parent.split(separator: "\n").map(String.init))
    }

    var kernelGivesHugePagesOnRequest: Bool {
        (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8))?.contains("[madvise]") == true
    }

    @Test func toolsSeeTheEnvironmentQPressWasGiven() async throws {
        let unset = try await environments(tunables: nil)
        #expect(!unset.child.contains { $0.hasPrefix("GLIBC_TUNABLES=") || $0.hasPrefix("QPRESS_HUGE_PAGES=") || $0.hasPrefix("QPRESS_SAVED_TUNABLES=") })
        #expect(unset.parent.contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=1") == kernelGivesHugePagesOnRequest, "\(unset.parent)")

        let own = try await environments(tunables: "glibc.malloc.arena_max=4")
        #expect(own.child.filter { $0.hasPrefix("GLIBC_TUNABLES=") } == ["GLIBC_TUNABLES=glibc.malloc.arena_max=4"])
        #expect(!own.child.contains { $0.hasPrefix("QPRESS_") && !$0.hasPrefix("QPRESS_THEME=") })
        // (glibc rewrites the variable in place as it reads it: the markers show the second start.)
        #expect(own.parent.contains("QPRESS_HUGE_PAGES=1") == kernelGivesHugePagesOnRequest, "\(own.parent)")
        #expect(own.parent.contains("QPRESS_SAVED_TUNABLES=glibc.malloc.arena_max=4") == kernelGivesHugePagesOnRequest)

        // A caller who sets the tunable, to either value, is left as it is: no second start.
        let off = try await environments(tunables: "glibc.malloc.hugetlb=0")
        #expect(off.parent.contains("GLIBC_TUNABLES=glibc.malloc.hugetlb=0") && !off.parent.contains { $0.hasPrefix("QPRESS_HUGE_PAGES=") })
        #expect(off.child.filter { $0.hasPrefix("GLIBC_TUNABLES=") } == ["GLIBC_TUNABLES=glibc.malloc.hugetlb=0"])
    }
}
