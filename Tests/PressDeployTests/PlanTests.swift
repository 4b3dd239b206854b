import Foundation
import PressCore
import PressTestSupport
import Testing
@testable import PressDeploy

@Suite struct DeployLocationTests {
    @Test func parsesEveryKindOfTarget() throws {
        #expect(try DeployLocation.parse("ssh://deploy@www.example.org/var/www/quality/").get()
            == .ssh(user: "deploy", host: "www.example.org", port: nil, path: "/var/www/quality"))
        #expect(try DeployLocation.parse("ssh://127.0.0.1:2222/~/www").get() == .ssh(user: nil, host: "127.0.0.1", port: 2222, path: "www"))
        #expect(try DeployLocation.parse("file:///srv/www/质量月").get() == .local(path: "/srv/www/质量月"))
        #expect(try DeployLocation.parse("s3://quality-site/www/").get() == .s3(bucket: "quality-site", prefix: "www"))
        #expect(try DeployLocation.parse("webdav://127.0.0.1:8080/site").get() == .webdav(url: "http://127.0.0.1:8080/site/"))
        #expect(try DeployLocation.parse("webdavs://dav.example.org").get() == .webdav(url: "https://dav.example.org/"))
        #expect(try DeployLocation.parse("rclone://oss/quality").get() == .rclone(remote: "oss", path: "quality"))
        #expect(try DeployLocation.parse("webdav://127.0.0.1:8080/site").get().description == "webdav://127.0.0.1:8080/site/")
    }

    @Test func refusesCredentialsAndDangerousFolders() {
        #expect(throws: DeployURLError.self) { try DeployLocation.parse("ssh://deploy:hunter22@host/var/www").get() }
        #expect(throws: DeployURLError.self) { try DeployLocation.parse("webdav://user@host/x").get() }
        #expect(throws: DeployURLError.self) { try DeployLocation.parse("ssh://host/").get() }
        #expect(throws: DeployURLError.self) { try DeployLocation.parse("file:///").get() }
        #expect(throws: DeployURLError.self) { try DeployLocation.parse("ftp://host/x").get() }
        #expect(throws: DeployURLError.self) { try DeployLocation.parse("www.example.org").get() }
    }
}

@Suite struct PlanTests {
    func manifest(_ files: [String: String]) -> Manifest {
        Manifest(files: files.mapValues { Manifest.Entry(size: Int64($0.utf8.count), hash: Manifest.sha256(Data($0.utf8))) })
    }

    @Test func comparesHashesWithTheLastDeploy() {
        let old = manifest(["index.html": "a", "assets/v1.css": "x", "stories/旧/index.html": "o", "robots.txt": "r"])
        let new = manifest(["index.html": "b", "assets/v2.css": "y", "robots.txt": "r", "sitemap.xml": "s"])
        let plan = DeployPlan(local: new, remote: RemoteState(manifest: old))
        #expect(plan.added == ["assets/v2.css", "sitemap.xml"])
        #expect(plan.changed == ["index.html"])
        #expect(plan.deleted == ["assets/v1.css", "stories/旧/index.html"])
        #expect(plan.unchanged == ["robots.txt"])
        #expect(plan.toSend == ["assets/v2.css", "index.html", "sitemap.xml"])
        #expect(plan.bytesToSend == 3)
        #expect(!plan.isUpToDate)
        #expect(DeployPlan(local: new, remote: RemoteState(manifest: new)).isUpToDate)
        #expect(DeployPlan(local: new, remote: RemoteState(manifest: new), force: true).toSend.count == 4)
    }

    @Test func syncSendsAssetsThenPagesThenFeedsAndDeletesLast() {
        let old = manifest(["index.html": "a", "assets/v1.css": "x"])
        let new = manifest(["index.html": "b", "assets/v2.css": "y", "atom.xml": "f", "sitemap.xml": "s",
                            "stories/新/index.html": "n", "assets/data.xml": "d"])
        let plan = DeployPlan(local: new, remote: RemoteState(manifest: old))
        #expect(plan.lines(strategy: .sync) == [
            "1. assets (2)", "   + assets/data.xml", "   + assets/v2.css",
            "2. pages (2)", "   ~ index.html", "   + stories/新/index.html",
            "3. sitemap and feeds (2)", "   + atom.xml", "   + sitemap.xml",
            "4. deletions, last (1)", "   - assets/v1.css",
        ])
    }

    @Test func headersStateUTF8AndCacheFingerprintedAssetsLong() {
        let cache = CacheControlConfig()
        #expect(UploadHeaders.of("stories/一/index.html", cacheControl: cache) == UploadHeaders(contentType: "text/html; charset=utf-8", cacheControl: "public, max-age=300"))
        #expect(UploadHeaders.of("assets/site.3f2a9c1e.css", cacheControl: cache) == UploadHeaders(contentType: "text/css; charset=utf-8", cacheControl: "public, max-age=31536000, immutable"))
        #expect(UploadHeaders.of("assets/app.js", cacheControl: cache).cacheControl == "public, max-age=3600")
        #expect(UploadHeaders.of("atom.xml", cacheControl: cache).contentType == "application/atom+xml; charset=utf-8")
        #expect(UploadHeaders.of("assets/x.unknown", cacheControl: cache).contentType == nil)
        #expect(!UploadHeaders.isFingerprinted("deadline.css"))
        // The image step's variants, and an SVG cover's og:image JPEG, are cached for a year.
        #expect(UploadHeaders.of("assets/images/factory-960.3f2a9c1e5b.webp", cacheControl: cache).cacheControl == cache.fingerprinted)
        #expect(UploadHeaders.isFingerprinted("gear-1200.0d2a9c1e5b.jpg"))
    }

    @Test func scanSkipsDotfilesButKeepsWellKnown() async throws {
        let site = try TemporarySite([
            "out/index.html": "<p>首页</p>", "out/.qpress-output": "{}", "out/.qpress-cache.json": "{}",
            "out/assets/.hidden/x.css": "x", "out/.well-known/security.txt": "Contact: a@b.cn", "out/故事/index.html": "故事",
        ], includeSiteConfig: false)
        defer { site.remove() }
        let scanned = try await Manifest.scan(site.root.appendingPathComponent("out"))
        #expect(scanned.files.keys.sorted() == [".well-known/security.txt", "index.html", "故事/index.html"])
        #expect(scanned.files["故事/index.html"] == Manifest.Entry(size: 6, hash: Manifest.sha256(Data("故事".utf8))))
        #expect(Manifest.decode(scanned.encoded()) == scanned)
        // The published SHA-256 test vectors (FIPS 180-2's "abc", and the empty file).
        #expect(Manifest.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Manifest.sha256(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(String(decoding: scanned.encoded(), as: UTF8.self).contains("\"algorithm\":\"sha256\""))
    }

    /// A manifest of an older qpress (format 1, FNV-1a 64) is still read: its names decide deletions as before,
    /// and since no FNV hash equals a SHA-256 one, the first deploy after the change sends every file once.
    @Test func aManifestWithTheOlderHashIsReadAndEveryFileIsSentOnce() throws {
        let legacy = #"{"algorithm":"fnv1a64","files":{"gone.html":{"hash":"af63dc4c8601ec8c","size":1},"index.html":{"hash":"af63dc4c8601ec8c","size":1}},"format":1}"#
        let old = try Manifest.read(Data(legacy.utf8)).get()
        let plan = DeployPlan(local: manifest(["index.html": "a", "new.html": "n"]), remote: RemoteState(manifest: old))
        #expect(plan.changed == ["index.html"] && plan.added == ["new.html"] && plan.deleted == ["gone.html"] && plan.unchanged.isEmpty)
        // Verifying against it would call every file changed: it says to deploy first.
        let target = try DeployTarget(name: "local", url: "file:///srv/www/site")
        #expect(throws: DeployError.self) { try VerifyReport.compare(old, live: plan.local, target: target, release: nil) }
        let current = try VerifyReport.compare(plan.local, live: plan.local, target: target, release: nil)
        #expect(current.isClean && current.matching == 2)
        // A hash of the wrong length for its format, or an unknown algorithm, is not trusted.
        let short = legacy.replacingOccurrences(of: #""format":1"#, with: #""format":2"#).replacingOccurrences(of: "fnv1a64", with: "sha256")
        #expect(throws: ManifestProblem.self) { try Manifest.read(Data(short.utf8)).get() }
        #expect(throws: ManifestProblem.self) { try Manifest.read(Data(legacy.replacingOccurrences(of: "fnv1a64", with: "md5").utf8)).get() }
    }

    @Test func releaseNamesCarryANumberThatOnlyGrows() {
        let date = Date(timeIntervalSince1970: 1_764_088_200.123)
        let first = ReleaseID.make(after: [], now: date)
        #expect(first == "000001-20251125T163000.123Z")
        #expect(ReleaseID.isValid(first) && ReleaseID.sequence(first) == 1)
        // The same millisecond, or a clock set back: the number still grows, and orders the releases.
        let second = ReleaseID.make(after: [first], now: date)
        #expect(second == "000002-20251125T163000.123Z")
        let third = ReleaseID.make(after: [first, second], now: date.addingTimeInterval(-86_400))
        #expect(third == "000003-20251124T163000.123Z")
        #expect(ReleaseID.ordered([third, "20991231T235959.999Z", second, first, "20251125T163000.123Z-2"])
            == ["20251125T163000.123Z-2", "20991231T235959.999Z", first, second, third])
        #expect(ReleaseID.precedes(second, third) && !ReleaseID.precedes(third, second))
        #expect(ReleaseID.make(after: ["000999-20251125T163000.123Z", "20991231T235959.999Z"], now: date).hasPrefix("001000-"))
        for name in ["current", "", "20251125T163000.123Z-x", "20251125T163000.123Z-1", "01-20251125T163000.123Z",
                     "000001-20251125T163000.123Z-2", "../000001-20251125T163000.123Z", "+00001-20251125T163000.123Z"] {
            #expect(!ReleaseID.isValid(name), "\(name)")
        }
    }

    @Test func secretsAreScrubbedFromEverythingPrinted() {
        let secrets = Secrets(environment: [
            "RCLONE_WEBDAV_PASS": "obscured-Pa55word", "RCLONE_S3_SECRET_ACCESS_KEY": "AKsecretKEY123",
            "QPRESS_SSH_KEY": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----",
            "RCLONE_S3_ENV_AUTH": "true", "HOME": "/root",
        ])
        #expect(secrets.scrub("auth failed for obscured-Pa55word and AKsecretKEY123 at /root: true")
            == "auth failed for *** and *** at /root: true")
        #expect(secrets.scrub("key line b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ") == "key line ***")
    }
}

@Suite struct SyncGroupingTests {
    @Test func objectStoresGetHeadersPerGroupAndWebDAVOneRun() throws {
        let session = try DeploySession(secrets: Secrets(environment: [:]))
        defer { session.close() }
        let files = ["index.html", "stories/一/index.html", "assets/site.css", "assets/app.3f2a9c1e.js", "assets/logo.svg"]
        let s3 = try SyncPublisher(target: DeployTarget(name: "oss", url: "s3://bucket/site"), output: URL(fileURLWithPath: "/tmp"),
                                   session: session, environment: [:])
        #expect(s3.root == ":s3:bucket/site" && s3.path("index.html") == ":s3:bucket/site/index.html")
        let groups = s3.groups(files)
        #expect(groups.count == 4)
        #expect(groups.first { $0.files.contains("index.html") }?.files == ["index.html", "stories/一/index.html"])
        #expect(groups.first { $0.files.contains("index.html") }?.headers == UploadHeaders(contentType: "text/html; charset=utf-8", cacheControl: "public, max-age=300"))
        #expect(groups.first { $0.files == ["assets/app.3f2a9c1e.js"] }?.headers?.cacheControl == "public, max-age=31536000, immutable")

        let dav = try SyncPublisher(target: DeployTarget(name: "dav", url: "webdav://127.0.0.1:8080/site"), output: URL(fileURLWithPath: "/tmp"),
                                    session: session, environment: [:])
        #expect(dav.root == ":webdav:site" && dav.environment["RCLONE_WEBDAV_URL"] == "http://127.0.0.1:8080/")
        #expect(dav.path(".qpress-manifest.json") == ":webdav:site/.qpress-manifest.json")
        let nested = try SyncPublisher(target: DeployTarget(name: "dav", url: "webdavs://dav.example.org/%E8%B4%A8%E9%87%8F/www/"),
                                       output: URL(fileURLWithPath: "/tmp"), session: session, environment: [:])
        #expect(nested.root == ":webdav:质量/www" && nested.environment["RCLONE_WEBDAV_URL"] == "https://dav.example.org/")
        #expect(dav.groups(files).count == 1 && dav.groups(files)[0].headers == nil)
        let named = try SyncPublisher(target: DeployTarget(name: "cos", url: "rclone://cos/www"), output: URL(fileURLWithPath: "/tmp"),
                                      session: session, environment: [:])
        #expect(named.path(".qpress-manifest.json") == "cos:www/.qpress-manifest.json")
    }
}
