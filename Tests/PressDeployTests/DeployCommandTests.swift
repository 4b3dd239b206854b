import Foundation
import PressTestSupport
import Testing
@testable import PressDeploy

/// `qpress deploy`'s refusals and usage errors, on fast local targets.
@Suite struct DeployCommandTests {
    @Test func aBrokenLinkIsRefusedBeforeAnythingIsSent() async throws {
        let www = try TemporaryFolder()
        defer { www.remove() }
        let target = www.url.appendingPathComponent("site")
        let site = try deploySite(url: "file://\(target.path)", files: [
            "Content/stories/a.md": TemporarySite.story(body: "见[缺失的一节](#缺失)。\n"),
        ])
        defer { site.remove() }
        let refused = try await QPress.run(["deploy", "--source", site.root.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("Content/stories/a.md:10:2: error: broken link '#%E7%BC%BA%E5%A4%B1': missing anchor #缺失"), "\(refused.all)")
        #expect(refused.stderr.hasSuffix("deploy refused: the build failed with 1 error; nothing was sent\n"))
        #expect(!FileManager.default.fileExists(atPath: target.path))

        // An output built earlier is checked too.
        #expect(try await QPress.run(["build", "--source", site.root.path]).status == 0)
        let unbuilt = try await QPress.run(["deploy", "--source", site.root.path, "--no-build"])
        #expect(unbuilt.status == 1)
        #expect(unbuilt.stderr.contains("Content/stories/a.md\n  10:2: #%E7%BC%BA%E5%A4%B1: missing anchor #缺失"), "\(unbuilt.all)")
        #expect(unbuilt.stderr.hasSuffix("deploy refused: 1 broken link; nothing was sent\n"))
        #expect(!FileManager.default.fileExists(atPath: target.path))

        // --skip-check publishes anyway.
        let skipped = try await QPress.run(["deploy", "--source", site.root.path, "--skip-check"])
        #expect(skipped.status == 0, "\(skipped.all)")
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("current/stories/a/index.html").path))
    }

    @Test func usageErrorsExitTwo() async throws {
        let plain = try TemporarySite(["Content/stories/a.md": TemporarySite.story()])
        defer { plain.remove() }
        let none = try await QPress.run(["deploy", "--source", plain.root.path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("site.yml has no deploy targets"))

        let site = try TemporarySite([
            "Content/stories/a.md": TemporarySite.story(),
            "Content/site.yml": """
            title: 协会
            deploy:
              targets:
                - name: staging
                  url: file:///tmp/qpress-never-written/staging
                - name: oss
                  url: s3://bucket/site
            """,
        ])
        defer { site.remove() }
        let several = try await QPress.run(["deploy", "--source", site.root.path])
        #expect(several.status == 2)
        #expect(several.stderr.contains("site.yml names several deploy targets (staging, oss); choose one with --target"))
        let unknown = try await QPress.run(["deploy", "--source", site.root.path, "--target", "production"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no deploy target named 'production' in site.yml (targets: staging, oss)"))
        let rollbackSync = try await QPress.run(["deploy", "--source", site.root.path, "--target", "oss", "--rollback"])
        #expect(rollbackSync.status == 2)
        #expect(rollbackSync.stderr.contains("only releases targets can be rolled back"))
        #expect(try await QPress.run(["deploy", "--source", site.root.path, "--rollback", "--force"]).status == 2)
        #expect(try await QPress.run(["deploy", "--source", site.root.path, "--frobnicate"]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/qpress-never-written"))
    }

    @Test func configErrorsExitOneWithTheirLine() async throws {
        let site = try TemporarySite([
            "Content/site.yml": "title: 协会\ndeploy:\n  targets:\n    - name: web\n      url: ftp://host/www\n",
        ])
        defer { site.remove() }
        let run = try await QPress.run(["deploy", "--source", site.root.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("Content/site.yml:5: error: field 'url': unknown scheme 'ftp://'"), "\(run.all)")
    }

    @Test func rollbackNeedsAnEarlierRelease() async throws {
        let www = try TemporaryFolder()
        defer { www.remove() }
        let site = try deploySite(url: "file://\(www.path)/site", files: ["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        let nothing = try await QPress.run(["deploy", "--source", site.root.path, "--rollback"])
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("has no live release to roll back from"), "\(nothing.all)")
        #expect(try await QPress.run(["deploy", "--source", site.root.path]).status == 0)
        let one = try await QPress.run(["deploy", "--source", site.root.path, "--rollback", "--dry-run"])
        #expect(one.status == 1)
        #expect(one.stderr.contains("keeps no release older than"), "\(one.all)")
        // --force makes a new release even when nothing changed; then there is one to go back to.
        let forced = try await QPress.run(["deploy", "--source", site.root.path, "--force"])
        #expect(forced.status == 0 && forced.stdout.contains("(--force: every file)"), "\(forced.all)")
        let dry = try await QPress.run(["deploy", "--source", site.root.path, "--rollback", "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("would switch"), "\(dry.all)")
        let releases = try FileManager.default.contentsOfDirectory(atPath: "\(www.path)/site/releases").sorted()
        #expect(releases.count == 2)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(www.path)/site/current") == "releases/\(releases[1])")
    }

    @Test func aFailedTransferLeavesTheLiveSiteAsItWas() async throws {
        let www = try TemporaryFolder()
        defer { www.remove() }
        let site = try deploySite(url: "file://\(www.path)/site", files: ["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        #expect(try await QPress.run(["deploy", "--source", site.root.path]).status == 0)
        let current = try FileManager.default.destinationOfSymbolicLink(atPath: "\(www.path)/site/current")

        // An rsync that loses its connection halfway, first in PATH.
        let bin = www.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let fake = bin.appendingPathComponent("rsync")
        try "#!/bin/sh\necho 'rsync: connection unexpectedly closed (0 bytes received so far) [sender]' >&2\nexit 12\n"
            .write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        try site.write(TemporarySite.story(body: "## 概述\n\n改过的正文。\n"), to: "Content/stories/a.md")
        let failed = try await QPress.run(["deploy", "--source", site.root.path],
                                          environment: ["PATH": "\(bin.path):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("error: deploy to production failed: linking unchanged files (rsync) failed: rsync exited with status 12: rsync: connection unexpectedly closed"), "\(failed.all)")
        #expect(failed.stderr.contains("the live site is unchanged: current still points to \(current)\nrun the same deploy again to complete it\n"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(www.path)/site/current") == current)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(www.path)/site/releases").count == 1, "the unfinished release was not removed")

        let rerun = try await QPress.run(["deploy", "--source", site.root.path])
        // The story page and what lists it (index pages, search files) changed; nothing was added or removed.
        #expect(rerun.status == 0 && rerun.stdout.contains(": 0 added, ") && rerun.stdout.contains(" changed, 0 deleted"), "\(rerun.all)")
        #expect(try String(contentsOfFile: "\(www.path)/site/current/stories/a/index.html", encoding: .utf8).contains("改过的正文"))
    }
}
