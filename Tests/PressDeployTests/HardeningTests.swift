import Foundation
import PressCore
import PressTestSupport
import Testing
@testable import PressDeploy

/// Issue #20, "Deploy hardening": each test reproduces one finding of the security review.
@Suite struct HardeningTests {
    /// An output folder holding `files`.
    static func output(_ files: [String: String], in folder: TemporaryFolder) throws -> URL {
        let output = folder.url.appendingPathComponent("Output")
        try write(files, into: output)
        return output
    }

    static func write(_ files: [String: String], into folder: URL) throws {
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    /// The error a deploy throws, or nil when it succeeded.
    static func failure(_ deploy: () async throws(DeployError) -> DeployReport) async -> DeployError? {
        do {
            _ = try await deploy()
            return nil
        } catch {
            return error
        }
    }

    static func current(_ root: URL) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("current").path)
    }

    static func listing(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    // MARK: 1. Control characters and links in the output

    @Test func aFileNameWithANewlineIsRefusedAndNamed() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let output = try Self.output(["index.html": "首页", "z\nindex.html": "split me", ".qpress-cache": "{}"], in: folder)
        let root = folder.url.appendingPathComponent("site")
        let target = try DeployTarget(name: "local", url: "file://\(root.path)")
        let error = await Self.failure { () throws(DeployError) in try await Deployer(target: target, output: output).deploy() }
        #expect(error?.message.contains("a file whose name has a control character, 'z\\nindex.html'") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("releases").path), "something was sent")

        // The lists handed to rsync and rclone never hold such a name, whatever their source.
        let session = try DeploySession(secrets: Secrets(environment: [:]))
        defer { session.close() }
        #expect(throws: DeployError.self) { try session.list(["a.html", "z\nindex.html"], name: "x.list", separator: "\n") }
        #expect(throws: DeployError.self) { try session.list(["../etc/passwd"], name: "y.list", separator: "\0") }
    }

    @Test func anOutputFolderHoldingASymbolicLinkIsRefused() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let output = try Self.output(["index.html": "首页"], in: folder)
        try FileManager.default.createSymbolicLink(atPath: output.appendingPathComponent("secrets.html").path, withDestinationPath: "/etc/hostname")
        let root = folder.url.appendingPathComponent("site")
        let target = try DeployTarget(name: "local", url: "file://\(root.path)")
        let error = await Self.failure { () throws(DeployError) in try await Deployer(target: target, output: output).deploy() }
        #expect(error?.message.contains("the output folder holds a symbolic link, 'secrets.html' → '/etc/hostname'") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }

    // MARK: 2. A tampered manifest

    /// A `sync` target on a local rclone remote (an alias of a folder).
    static func store(_ folder: TemporaryFolder) throws -> (target: DeployTarget, files: URL, environment: [String: String]) {
        let environment = ProcessInfo.processInfo.environment.merging([
            "RCLONE_CONFIG_QPTEST_TYPE": "alias", "RCLONE_CONFIG_QPTEST_REMOTE": folder.url.appendingPathComponent("store").path,
        ]) { $1 }
        return (try DeployTarget(name: "store", url: "rclone://qptest/site"), folder.url.appendingPathComponent("store/site"), environment)
    }

    static func tamper(_ files: URL, file: String = Manifest.fileName, _ change: (inout [String: Any]) -> Void) throws {
        let url = files.appendingPathComponent(file)
        var json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var entries = try #require(json["files"] as? [String: Any])
        change(&entries)
        json["files"] = entries
        try JSONSerialization.data(withJSONObject: json).write(to: url)
    }

    @Test func aTamperedManifestDeletesNothingItShouldNot() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (target, files, environment) = try Self.store(folder)
        let output = try Self.output(["index.html": "首页", "assets/a.css": "a{}"], in: folder)
        let deployer = Deployer(target: target, output: output, environment: environment)
        _ = try await deployer.deploy()
        #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("assets/a.css").path))

        // A name slipped into the manifest, for a file someone else put there, stays.
        try Data("不要删除".utf8).write(to: files.appendingPathComponent("keepme.txt"))
        try Self.tamper(files) { $0["keepme.txt"] = ["size": 1, "hash": String(repeating: "0", count: 64)] }
        try Data("a{color:red}".utf8).write(to: output.appendingPathComponent("assets/a.css"))
        let report = try await deployer.deploy()
        #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("keepme.txt").path), "keepme.txt was deleted")
        #expect(report.warnings.contains { $0.contains("keepme.txt") }, "\(report.warnings)")

        // Names no deploy writes stop the deploy, which says how to rebuild the manifest.
        for bad in ["z\nindex.html", "../outside.txt", ".qpress-cache/blocks", "/index.html"] {
            try Self.tamper(files) { $0[bad] = ["size": 6, "hash": "af63dc4c8601ec8c"] }
            let error = await Self.failure { () throws(DeployError) in try await deployer.deploy() }
            #expect(error?.message.contains("cannot be trusted: it names '\(Manifest.escaped(bad))'") == true, "\(String(describing: error))")
            #expect(error?.published.joined().contains("--force") == true)
            #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("index.html").path), "index.html was deleted")
            try Self.tamper(files) { $0[bad] = nil }
        }
        try Data("not json".utf8).write(to: files.appendingPathComponent(Manifest.fileName))
        let unreadable = await Self.failure { () throws(DeployError) in try await deployer.deploy() }
        #expect(unreadable?.message.contains("it does not parse") == true, "\(String(describing: unreadable))")

        // --force sends every file, deletes nothing and writes a manifest that can be trusted again.
        let forced = try await deployer.deploy(force: true)
        #expect(forced.plan.toSend.count == 2 && forced.plan.deleted.isEmpty)
        let manifest = try Manifest.read(Data(contentsOf: files.appendingPathComponent(Manifest.fileName))).get()
        #expect(manifest.files.keys.sorted() == ["assets/a.css", "index.html"])
        #expect(try await deployer.deploy().plan.isUpToDate)
    }

    @Test func aTamperedReleaseManifestStopsTheDeploy() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.url.appendingPathComponent("site")
        let output = try Self.output(["index.html": "首页"], in: folder)
        let target = try DeployTarget(name: "local", url: "file://\(root.path)")
        _ = try await Deployer(target: target, output: output).deploy()
        let live = try #require(Self.current(root)).dropFirst("releases/".count)
        try Self.tamper(root.appendingPathComponent("manifests"), file: "\(live).json") { $0["../../etc/passwd"] = ["size": 1, "hash": "af63dc4c8601ec8c"] }
        try Data("第二版".utf8).write(to: output.appendingPathComponent("index.html"))
        let error = await Self.failure { () throws(DeployError) in try await Deployer(target: target, output: output).deploy() }
        #expect(error?.message == "the manifest on file://\(root.path) (manifests/\(live).json) cannot be trusted: "
            + "it names '../../etc/passwd', which no deploy publishes: it has an empty, '.' or '..' part", "\(String(describing: error))")
        #expect(Self.current(root) == "releases/\(live)")
        let forced = try await Deployer(target: target, output: output).deploy(force: true)
        #expect(Self.current(root) == "releases/\(forced.release ?? "")" && forced.release != String(live))
    }

    // MARK: 4. Release names after the clock went back

    @Test func releasesAreOrderedByNumberWhenTheClockWentBack() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.url.appendingPathComponent("site")
        let ahead = "20991231T235959.999Z"
        try Self.write(["releases/\(ahead)/index.html": "未来"], into: root)
        try Self.write(["manifests/\(ahead).json": String(decoding: Manifest(files: [:], release: ahead).encoded(), as: UTF8.self)], into: root)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("current").path, withDestinationPath: "releases/\(ahead)")
        let target = try DeployTarget(name: "local", url: "file://\(root.path)", keep: 2)
        var made: [String] = []
        for version in 1...11 {
            let output = try Self.output(["index.html": "第\(version)版"], in: folder)
            let before = Self.current(root)
            let report = try await Deployer(target: target, output: output).deploy()
            let release = try #require(report.release)
            made.append(release)
            #expect(Self.current(root) == "releases/\(release)", "deploy \(version) is not live")
            if let before { #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(before).path), "the release live before deploy \(version) was pruned") }
        }
        #expect(ReleaseID.ordered(made) == made)
        #expect(Self.listing(root.appendingPathComponent("releases")) == made.suffix(2).sorted())
        let back = try await Deployer(target: target, output: folder.url).rollback()
        #expect(back.to == made[9] && back.from == made[10])
        #expect(ReleaseID.sequence(made[0]) == 1 && made[0].hasSuffix("Z") && ReleaseID.isValid(ahead))
    }

    // MARK: 5. Two deploys at once

    @Test func aReleasesTargetIsLockedWhileADeployRuns() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.url.appendingPathComponent("site")
        let lock = root.appendingPathComponent(".qpress-lock")
        try Self.write([".qpress-lock/owner": "since 2026-01-01T00:00:00Z by ci@runner (pid 4242)\n"], into: root)
        let output = try Self.output(["index.html": "首页"], in: folder)
        let target = try DeployTarget(name: "local", url: "file://\(root.path)")
        let held = await Self.failure { () throws(DeployError) in try await Deployer(target: target, output: output).deploy() }
        #expect(held?.message == "another deploy is running on file://\(root.path) (since 2026-01-01T00:00:00Z by ci@runner (pid 4242)); remove '\(lock.path)' if it died")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("releases").path))
        #expect(FileManager.default.fileExists(atPath: lock.path), "another deploy's lock was removed")

        try FileManager.default.removeItem(at: lock)
        _ = try await Deployer(target: target, output: output).deploy()
        #expect(Self.current(root) != nil)
        #expect(!FileManager.default.fileExists(atPath: lock.path), "the lock stayed after the deploy")
    }

    @Test func anUnfinishedReleaseYoungerThanStaleAfterIsKept() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.url.appendingPathComponent("site")
        let output = try Self.output(["index.html": "首页"], in: folder)
        _ = try await Deployer(target: try DeployTarget(name: "local", url: "file://\(root.path)"), output: output).deploy()
        // Another deploy's upload, under way (no manifest yet).
        let uploading = "000007-20260101T000000.000Z"
        try Self.write(["releases/\(uploading)/index.html": "上传中"], into: root)
        try Data("第二版".utf8).write(to: output.appendingPathComponent("index.html"))
        let report = try await Deployer(target: try DeployTarget(name: "local", url: "file://\(root.path)"), output: output).deploy()
        #expect(!report.pruned.contains(uploading))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("releases/\(uploading)").path))
        #expect(ReleaseID.sequence(report.release ?? "") == 8, "the new release is not numbered after the unfinished one")
        // Older than stale_after: left by a deploy that died, and pruned.
        try Data("第三版".utf8).write(to: output.appendingPathComponent("index.html"))
        let stale = try await Deployer(target: try DeployTarget(name: "local", url: "file://\(root.path)", staleAfter: 0), output: output).deploy()
        #expect(stale.pruned.contains(uploading))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("releases/\(uploading)").path))
    }

    @Test func aSyncTargetIsLockedWhileADeployRuns() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (target, files, environment) = try Self.store(folder)
        let output = try Self.output(["index.html": "首页"], in: folder)
        let lock = files.appendingPathComponent(".qpress-lock")
        let now = Int(Date().timeIntervalSince1970)
        try Self.write([".qpress-lock": "\(now - 60)\nsince 2026-01-01T00:00:00Z by ci@runner (pid 4242)\ntoken\n"], into: files)
        let held = await Self.failure { () throws(DeployError) in try await Deployer(target: target, output: output, environment: environment).deploy() }
        #expect(held?.message.hasPrefix("another deploy is running on rclone://qptest/site (since 2026-01-01T00:00:00Z by ci@runner (pid 4242)); remove .qpress-lock") == true,
                "\(String(describing: held))")
        #expect(!FileManager.default.fileExists(atPath: files.appendingPathComponent("index.html").path))

        // A lock older than stale_after was left by a deploy that died.
        try Self.write([".qpress-lock": "\(now - 3 * 3600)\nsince long ago by ci@runner (pid 4242)\ntoken\n"], into: files)
        _ = try await Deployer(target: target, output: output, environment: environment).deploy()
        #expect(FileManager.default.fileExists(atPath: files.appendingPathComponent("index.html").path))
        #expect(!FileManager.default.fileExists(atPath: lock.path), "the lock stayed after the deploy")
    }

    // MARK: 6. Tampering on the server

    @Test func aLiveFileAlteredOnTheServerIsNotCarriedIntoTheNextRelease() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.url.appendingPathComponent("site")
        let output = try Self.output(["index.html": "<p>good</p>", "about.html": "v1"], in: folder)
        let target = try DeployTarget(name: "local", url: "file://\(root.path)")
        _ = try await Deployer(target: target, output: output).deploy()
        // Same size, other content, written in place on the server.
        let live = try FileHandle(forWritingTo: root.appendingPathComponent("current/index.html"))
        try live.write(contentsOf: Data("<p>evil</p>".utf8))
        try live.close()
        try Data("v2".utf8).write(to: output.appendingPathComponent("about.html"))
        _ = try await Deployer(target: target, output: output).deploy()
        #expect(try String(contentsOf: root.appendingPathComponent("current/index.html"), encoding: .utf8) == "<p>good</p>")
    }

    // MARK: 7. Smaller items

    @Test func symbolicLinksOnTheTargetAreNotFollowed() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.url.appendingPathComponent("site")
        let elsewhere = folder.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let output = try Self.output(["index.html": "首页"], in: folder)
        let target = try DeployTarget(name: "local", url: "file://\(root.path)")
        for name in ["releases", "manifests"] {
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(name).path, withDestinationPath: elsewhere.path)
            let error = await Self.failure { () throws(DeployError) in try await Deployer(target: target, output: output).deploy() }
            #expect(error?.message.contains("'\(root.path)/\(name)' on file://\(root.path) is a symbolic link") == true, "\(String(describing: error))")
            #expect(Self.listing(elsewhere).isEmpty)
            try FileManager.default.removeItem(at: root.appendingPathComponent(name))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".qpress-lock").path), "a refused deploy kept its lock")

        // `current` must name a release qpress made before it is used in --link-dest.
        try Self.write(["releases/evil/index.html": "x"], into: root)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("current").path, withDestinationPath: "releases/evil")
        let error = await Self.failure { () throws(DeployError) in try await Deployer(target: target, output: output).deploy() }
        #expect(error?.message.contains("points to 'releases/evil', not to a release qpress made") == true, "\(String(describing: error))")
    }

    @Test func valuesHandedToRcloneAndQueryStringsAreMasked() {
        let secrets = Secrets(environment: [
            "RCLONE_CONFIG_X_URL": "https://dav.example.org/site?access_token=tok3n-value", "RCLONE_CONFIG_X_TYPE": "webdav",
            "QPRESS_SSH_KNOWN_HOSTS": "/etc/qpress/known_hosts", "RCLONE_BWLIMIT": "40k",
        ])
        #expect(secrets.scrub("webdav error at https://dav.example.org/site?access_token=tok3n-value: 40k")
            == "webdav error at ***: 40k")
        #expect(secrets.scrub("reading /etc/qpress/known_hosts") == "reading ***")
        #expect(secrets.scrub("GET https://oss.example.cn/a.css?X-Amz-Signature=abc123&X-Amz-Credential=k failed: 403")
            == "GET https://oss.example.cn/a.css?*** failed: 403")
        #expect(ReleaseHost.sshConfigQuote("/tmp/a b/known_hosts") == "\"/tmp/a b/known_hosts\"")
    }
}

/// `qpress deploy --verify` reads the live site back and reports every file that differs from the manifest.
@Suite struct VerifyTests {
    @Test func reportsEveryFileAlteredOnAReleasesTarget() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let root = folder.url.appendingPathComponent("site")
        let output = try HardeningTests.output(["index.html": "<p>good</p>", "about/index.html": "关于", "a.css": "a{}"], in: folder)
        let target = try DeployTarget(name: "local", url: "file://\(root.path)")
        let deployer = Deployer(target: target, output: output)
        _ = try await deployer.deploy()
        let clean = try await deployer.verify()
        #expect(clean.isClean && clean.matching == 3)

        let live = root.appendingPathComponent("current")
        let handle = try FileHandle(forWritingTo: live.appendingPathComponent("index.html"))
        try handle.write(contentsOf: Data("<p>evil</p>".utf8))
        try handle.close()
        try FileManager.default.removeItem(at: live.appendingPathComponent("a.css"))
        try Data("x".utf8).write(to: live.appendingPathComponent("extra.html"))
        let report = try await deployer.verify()
        #expect(report.lines == ["- a.css (missing)", "+ extra.html (not in the manifest)", "~ index.html (differs from the manifest)"])
        #expect(report.matching == 1 && report.release == HardeningTests.current(root).map { String($0.dropFirst("releases/".count)) })
    }

    @Test func reportsEveryFileAlteredOnASyncTarget() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let (target, files, environment) = try HardeningTests.store(folder)
        let output = try HardeningTests.output(["index.html": "首页", "assets/a.css": "a{}"], in: folder)
        let deployer = Deployer(target: target, output: output, environment: environment)
        _ = try await deployer.deploy()
        #expect(try await deployer.verify().isClean)
        try Data("首页!".utf8).write(to: files.appendingPathComponent("index.html"))
        let report = try await deployer.verify()
        #expect(report.lines == ["~ index.html (differs from the manifest)"] && report.matching == 1)
    }

    @Test func theCommandExitsOneAndListsTheFiles() async throws {
        let www = try TemporaryFolder()
        defer { www.remove() }
        let site = try deploySite(url: "file://\(www.path)/site", files: ["Content/stories/a.md": TemporarySite.story()])
        defer { site.remove() }
        #expect(try await QPress.run(["deploy", "--source", site.root.path]).status == 0)
        let clean = try await QPress.run(["deploy", "--source", site.root.path, "--verify"])
        #expect(clean.status == 0 && clean.stdout.contains("verified production (file://\(www.path)/site, releases) (current → releases/"), "\(clean.all)")
        let page = "\(www.path)/site/current/stories/a/index.html"
        try Data((try String(contentsOfFile: page, encoding: .utf8) + "<!-- altered -->").utf8).write(to: URL(fileURLWithPath: page))
        let altered = try await QPress.run(["deploy", "--source", site.root.path, "--verify"])
        #expect(altered.status == 1, "\(altered.all)")
        #expect(altered.stdout.contains("differs from its manifest: 1 changed, 0 missing, 0 not in the manifest"), "\(altered.all)")
        #expect(altered.stdout.contains("  ~ stories/a/index.html (differs from the manifest)\n"))
        #expect(try await QPress.run(["deploy", "--source", site.root.path, "--verify", "--force"]).status == 2)
    }
}
