import Foundation
import PressTestSupport
import Testing
@testable import PressDeploy

/// The `releases` strategy end to end through the `qpress` binary: to a local folder (`file://`) and
/// to Debian's OpenSSH server on loopback, with nginx serving `current`.
@Suite struct ReleasesTests {
    static let story = "Content/stories/精益求精的轴承人.md"
    static func storyText(_ version: String) -> String {
        TemporarySite.story(title: "精益求精的轴承人", extra: "cover: /assets/images/bearing.svg", body: "## 概述\n\n\(version)。\n")
    }

    static let siteFiles = [
        story: storyText("第一版正文"),
        "Content/stories/gear.md": TemporarySite.story(title: "齿轮", date: "2020-09-01"),
        "Content/papers/reliability.md": TemporarySite.paper(),
        "Content/assets/images/bearing.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    ]

    /// What the test checks after each deploy, besides the folders (nginx, for the SSH target).
    typealias Check = @Sendable (_ storyVersion: String) async throws -> Void

    /// Deploys three times with `keep: 2` and rolls back once, checking the target folder `root` after each step.
    static func scenario(url: String, root: URL, environment: [String: String] = [:], secrets: [String] = [],
                         check: Check = { _ in }) async throws {
        let site = try deploySite(url: url, keep: 2, files: siteFiles)
        defer { site.remove() }
        let output = site.root.appendingPathComponent("Output")
        var outputs: [String] = []
        func qpress(_ arguments: [String]) async throws -> QPressRun {
            let run = try await QPress.run(arguments + ["--source", site.root.path], environment: environment)
            outputs.append(run.all)
            return run
        }
        func current() throws -> String {
            try FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("current").path)
        }
        func listing(_ folder: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []).sorted()
        }

        // A dry run reads the (empty) target and changes nothing.
        let dry = try await qpress(["deploy", "--dry-run"])
        #expect(dry.status == 0, "\(dry.all)")
        #expect(dry.stdout.contains("  + stories/精益求精的轴承人/index.html\n"))
        #expect(dry.stdout.contains("dry run: nothing was sent or changed"))
        #expect(!FileManager.default.fileExists(atPath: root.path))

        // First deploy: everything is sent, current points at the new release.
        let first = try await qpress(["deploy"])
        #expect(first.status == 0, "\(first.all)")
        let release1 = try current()
        #expect(release1.hasPrefix("releases/"))
        #expect(try contents(of: root.appendingPathComponent("current")) == contents(of: output))
        try await check("第一版正文")

        // One edit: exactly the story page, and what changed with it, travels; the rest is hard-linked.
        let before = try contents(of: output)
        try site.write(storyText("第二版正文"), to: story)
        let plan = try await qpress(["deploy", "--dry-run"])
        #expect(plan.stdout.contains("  ~ stories/精益求精的轴承人/index.html\n"), "\(plan.all)")
        #expect(try current() == release1 && listing("releases").count == 1)
        let second = try await qpress(["deploy"])
        #expect(second.status == 0, "\(second.all)")
        let after = try contents(of: output)
        let changed = Set(after.keys.filter { before[$0] != after[$0] })
        #expect(changed.filter { $0.hasSuffix(".html") } == ["stories/精益求精的轴承人/index.html"])
        let release2 = try current()
        #expect(release2 != release1 && release2 > release1)
        let releaseFolder = root.appendingPathComponent(release2).path
        let sent = Set(after.keys.filter { linkCount(releaseFolder + "/" + $0) == 1 })
        #expect(sent == changed)
        #expect(second.stdout.contains("0 added, \(changed.count) changed, 0 deleted, \(after.count - changed.count) unchanged; sent \(changed.count) file"))
        #expect(second.stdout.contains("current → \(release2) (was \(release1))"))
        #expect(try contents(of: root.appendingPathComponent("current")) == after)
        try await check("第二版正文")

        // Nothing changed: nothing is sent and no release is made.
        let same = try await qpress(["deploy"])
        #expect(same.status == 0 && same.stdout.contains("is up to date"), "\(same.all)")
        #expect(listing("releases").count == 2)

        // A third release prunes the first (keep: 2), manifests included.
        try site.write(storyText("第三版正文"), to: story)
        let third = try await qpress(["deploy"])
        #expect(third.status == 0, "\(third.all)")
        let release3 = try current()
        #expect(third.stdout.contains("pruned \(release1)"))
        #expect(listing("releases") == [release2, release3].map { String($0.dropFirst("releases/".count)) })
        #expect(listing("manifests") == [release2, release3].map { String($0.dropFirst("releases/".count)) + ".json" })
        try await check("第三版正文")

        // Rollback switches back to the release before.
        let back = try await qpress(["deploy", "--rollback"])
        #expect(back.status == 0, "\(back.all)")
        #expect(back.stdout.contains("current → \(release2) (was \(release3))"))
        #expect(try current() == release2)
        #expect(try contents(of: root.appendingPathComponent("current")) == after)
        try await check("第二版正文")

        for secret in secrets {
            for output in outputs { #expect(!output.contains(secret), "a credential was printed") }
        }
    }

    @Test func localFolder() async throws {
        let www = try TemporaryFolder()
        defer { www.remove() }
        let root = www.url.appendingPathComponent("质量月 site")
        try await Self.scenario(url: "file://\(root.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)", root: root)
    }

    @Test(.enabled(if: getuid() == 0, "sshd runs as root, as in CI"))
    func sshServerWithNginx() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let ssh = try await SSHServer.start(in: folder.url)
        let root = folder.url.appendingPathComponent("www 质量/quality")
        let nginx = try await NginxServer.start(root: root.appendingPathComponent("current").path,
                                                prefix: folder.url.appendingPathComponent("nginx"))
        do {
            // A TMPDIR with a space: the known_hosts file written there must still be one file to ssh.
            let temporary = folder.url.appendingPathComponent("tmp 临时")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            let environment = ["QPRESS_SSH_KEY": ssh.userKey, "QPRESS_SSH_KNOWN_HOSTS": ssh.knownHosts, "TMPDIR": temporary.path]
            let keyLines = ssh.userKey.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") }
            let path = root.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
            try await Self.scenario(url: "ssh://root@127.0.0.1:\(ssh.port)\(path)", root: root,
                                    environment: environment, secrets: keyLines) { version in
                let home = try await nginx.get("/")
                #expect(home.status == 200 && home.body.contains("精益求精的轴承人"))
                let story = try await nginx.get("/stories/精益求精的轴承人/")
                #expect(story.status == 200 && story.body.contains(version), "story page: \(story.status)")
                let asset = try await nginx.get("/assets/images/bearing.svg")
                #expect(asset.status == 200 && asset.contentType == "image/svg+xml")
                #expect(try await nginx.get("/.qpress-output").status == 404)
            }
            // A wrong host key is refused before anything is sent.
            let other = try deploySite(url: "ssh://root@127.0.0.1:\(ssh.port)\(folder.path)/other", files: Self.siteFiles)
            defer { other.remove() }
            let refused = try await QPress.run(["deploy", "--source", other.root.path], environment: [
                "QPRESS_SSH_KEY": ssh.userKey, "QPRESS_SSH_KNOWN_HOSTS": "[127.0.0.1]:\(ssh.port) ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDx0bqKcyaHcQvdVvUVLx1Fb0KRdgD52Fq2LNUYmr4uO",
            ])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("error: deploy to production failed: reading the state of ssh://root@127.0.0.1"), "\(refused.all)")
            #expect(!FileManager.default.fileExists(atPath: folder.path + "/other"))
            for line in keyLines { #expect(!refused.all.contains(line)) }
        } catch {
            await nginx.stop()
            await ssh.stop()
            throw error
        }
        await nginx.stop()
        await ssh.stop()
    }
}
