import Foundation
import PressLinks
import PressTestSupport
import Testing
@testable import PressDeploy

/// The `sync` strategy end to end: `qpress deploy` to `rclone serve webdav` on loopback.
@Suite struct SyncTests {
    static let storyCount = 12

    /// Version 1 pages show `v1.svg`; version 2 pages show `v2.svg`, and `v1.svg` and one story are gone.
    static func site(version: Int) -> [String: String] {
        var files: [String: String] = [:]
        for number in 1...storyCount {
            let padding = String(repeating: "质量第一，用户至上。", count: 40)
            files["Content/stories/故事\(number).md"] = TemporarySite.story(
                title: "质量故事\(number)", date: "2020-09-\(String(format: "%02d", number))",
                body: "## 概述\n\n![示意图](/assets/img/v\(version).svg)\n\n第\(version)版。\(padding)\n")
        }
        files["Content/assets/img/v\(version).svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>v\(version)</title></svg>"
        if version == 1 { files["Content/stories/旧闻.md"] = TemporarySite.story(title: "旧闻", date: "2019-01-01") }
        return files
    }

    /// What the target should hold: the published output plus the manifest.
    static func expected(_ site: TemporarySite) throws -> [String: Data] {
        var files = try contents(of: site.root.appendingPathComponent("Output"))
        files[Manifest.fileName] = nil
        return files
    }

    /// The served folder, manifest left out (uploads reach the disk a moment after rclone reports them).
    static func served(_ folder: URL, matches expected: [String: Data]) async throws -> Bool {
        for _ in 0..<100 {
            if try contents(of: folder) == expected && FileManager.default.fileExists(atPath: folder.appendingPathComponent(Manifest.fileName).path) {
                return true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// `rclone` processes started by `pid`.
    static func children(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }.filter { child in
            let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(child)/cmdline"))) ?? Data()
            return String(decoding: command, as: UTF8.self).hasPrefix("rclone\u{0}copy")
                || String(decoding: command, as: UTF8.self).contains("/rclone\u{0}copy")
        }
    }

    /// Polls `served` every 10 ms on a dedicated thread until a version 2 page is live, then kills the
    /// rclone transfer that qpress runs. True when it killed one.
    static func killTransfer(of pid: Int32, once served: URL) async -> Bool {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var killed = false
                for _ in 0..<3000 where !killed && isAlive(pid) {
                    let pages = ((try? contents(of: served)) ?? [:]).filter { $0.key.hasSuffix(".html") }
                    if pages.values.contains(where: { String(decoding: $0, as: UTF8.self).contains("v2.svg") }) {
                        for child in children(of: pid) {
                            kill(child, SIGKILL)
                            killed = true
                        }
                    }
                    usleep(10_000)
                }
                continuation.resume(returning: killed)
            }
            thread.start()
        }
    }

    /// Running, not a zombie waiting to be reaped.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(end, offsetBy: 2)] != "Z"
    }

    @Test func webdavInOrderInterruptedAndCompleted() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let davRoot = folder.url.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: davRoot, withIntermediateDirectories: true)
        let server = try await WebDAVServer.start(serving: davRoot, cache: folder.url.appendingPathComponent("cache"))
        // A target folder two levels below the server's root, not made yet (rclone 1.60 answered 409 Conflict).
        let served = davRoot.appendingPathComponent("质量/www")
        let site = try deploySite(url: server.url + "%E8%B4%A8%E9%87%8F/www", files: Self.site(version: 1))
        defer { site.remove() }
        var outputs: [String] = []
        do {
            let environment = try await WebDAVServer.environment()

            // First deploy: everything, manifest last.
            let first = try await QPress.run(["deploy", "--source", site.root.path], environment: environment)
            outputs.append(first.all)
            #expect(first.status == 0, "\(first.all)")
            #expect(first.stdout.contains("sent \(try Self.expected(site).count) files"))
            #expect(try await Self.served(served, matches: Self.expected(site)), "the served folder is not the output")

            // Version 2, sent slowly, one file at a time; the transfer is killed once a new page is live.
            site.remove(path: "Content/stories/旧闻.md")
            site.remove(path: "Content/assets/img/v1.svg")
            for (path, text) in Self.site(version: 2) { try site.write(text, to: path) }
            // A dry run lists the plan in sending order and changes nothing.
            let before = try contents(of: served)
            let dry = try await QPress.run(["deploy", "--source", site.root.path, "--dry-run"], environment: environment)
            outputs.append(dry.all)
            let lines = dry.stdout.split(separator: "\n").map(String.init)
            let steps = lines.filter { $0.hasPrefix("  1.") || $0.hasPrefix("  2.") || $0.hasPrefix("  3.") || $0.hasPrefix("  4.") }
            #expect(steps.map { $0.split(separator: "(")[0].trimmingCharacters(in: .whitespaces) }
                == ["1. assets", "2. pages", "3. sitemap and feeds", "4. deletions, last"], "\(dry.all)")
            #expect(lines.suffix(3).prefix(2) == ["     - assets/img/v1.svg", "     - stories/旧闻/index.html"])
            #expect(try contents(of: served) == before)

            let deploy = try QPress.start(["deploy", "--source", site.root.path],
                                          environment: environment.merging(["RCLONE_BWLIMIT": "40k", "RCLONE_TRANSFERS": "1"]) { $1 })
            // Watched from a thread of its own: other suites' tests may block the cooperative pool for seconds.
            let killed = await Self.killTransfer(of: deploy.pid, once: served)
            let interrupted = await deploy.wait()
            outputs.append(interrupted.output + interrupted.errorOutput)
            #expect(killed, "the transfer ended before it could be interrupted")
            #expect(interrupted.status == 1)
            let report = interrupted.errorOutput
            #expect(report.contains("error: deploy to production failed: sending pages (rclone) failed: rclone was killed by signal 9"), "\(report)")
            // Every changed asset (the image, search files) was sent before the first page.
            #expect(report.range(of: #"\npublished: [0-9]+ assets?\n"#, options: .regularExpression) != nil)
            #expect(report.contains("partly published: "))
            #expect(report.contains("not published: 1 sitemap or feed file\n") || report.contains("not published: 2 sitemap and feed files\n"))
            #expect(report.contains("not deleted: 2 files removed from the site (deletions come last)"))
            #expect(report.contains("run the same deploy again to complete it"))

            // Halfway: some pages are new, some old, and every one of them finds its assets.
            try await Task.sleep(for: .milliseconds(300))
            let halfway = try contents(of: served)
            let pages = halfway.filter { $0.key.hasPrefix("stories/故事") }.map { String(decoding: $0.value, as: UTF8.self) }
            #expect(pages.contains { $0.contains("v2.svg") } && pages.contains { $0.contains("v1.svg") })
            #expect(halfway["assets/img/v1.svg"] != nil && halfway["stories/旧闻/index.html"] != nil)
            let check = await LinkChecker(folder: served, options: .init(offline: true)).check()
            let missingAssets = check.broken.filter { !$0.url.hasSuffix("/") && !$0.url.hasSuffix(".html") }
            #expect(missingAssets.isEmpty, "pages without their assets: \(missingAssets.map { "\($0.page) → \($0.url)" })")

            // Running the same deploy again completes it: new pages, feeds, then the deletions.
            let rerun = try await QPress.run(["deploy", "--source", site.root.path], environment: environment)
            outputs.append(rerun.all)
            #expect(rerun.status == 0, "\(rerun.all)")
            #expect(rerun.stdout.contains("deleted"))
            #expect(try await Self.served(served, matches: Self.expected(site)), "the rerun did not complete the deploy")
            #expect(!FileManager.default.fileExists(atPath: served.appendingPathComponent("stories/旧闻").path), "the emptied folder stays")
            let same = try await QPress.run(["deploy", "--source", site.root.path, "--dry-run"], environment: environment)
            #expect(same.stdout.contains("0 added, 0 changed, 0 deleted"), "\(same.all)")

            // A wrong password fails before anything is sent, and no credential is printed.
            let wrong = try await WebDAVServer.environment(password: "wrong-password-123")
            let refused = try await QPress.run(["deploy", "--source", site.root.path, "--force"], environment: wrong)
            outputs.append(refused.all)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("401 Unauthorized"), "\(refused.all)")
            let secrets = [WebDAVServer.password, environment["RCLONE_WEBDAV_PASS"]!, "wrong-password-123", wrong["RCLONE_WEBDAV_PASS"]!]
            for output in outputs {
                for secret in secrets { #expect(!output.contains(secret), "a credential was printed") }
            }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}

extension TemporarySite {
    func remove(path: String) {
        try? FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }
}
