import Foundation
import PressCore

/// The `sync` strategy for object stores and WebDAV, through rclone. There is no atomic switch, so
/// the order keeps the live site consistent at every moment: new and changed assets first, then the
/// pages that use them, then the sitemap and feeds that point at the pages, and deletions last. The
/// manifest (`.qpress-manifest.json` at the target's root) is replaced only after all of that, so a
/// deploy that stops halfway is completed by running it again.
///
/// Credentials come from rclone's own environment variables, never from `site.yml`:
/// `s3://` uses `RCLONE_S3_PROVIDER`, `RCLONE_S3_ENDPOINT`, `RCLONE_S3_ACCESS_KEY_ID`,
/// `RCLONE_S3_SECRET_ACCESS_KEY` (and `RCLONE_S3_REGION` where needed); `webdav://` uses
/// `RCLONE_WEBDAV_USER` and `RCLONE_WEBDAV_PASS` (obscured with `rclone obscure`);
/// `rclone://NAME/path` uses a remote defined by `RCLONE_CONFIG_NAME_TYPE` and its companions.
struct SyncPublisher: Sendable {
    let target: DeployTarget
    let output: URL
    let session: DeploySession
    /// `:webdav:www/site`, `:s3:bucket/prefix`, `name:path`
    let root: String
    let environment: [String: String]
    /// WebDAV servers choose `Content-Type` from the file name and ignore `Cache-Control` on upload.
    let setsHeaders: Bool

    init(target: DeployTarget, output: URL, session: DeploySession, environment: [String: String]) throws(DeployError) {
        self.target = target
        self.output = output
        self.session = session
        var environment = environment
        switch target.location {
        case .webdav(let url):
            // rclone makes missing folders only below its WebDAV URL, taken to exist: into a target
            // folder not made yet, every upload failed with `409 Conflict`. So rclone gets the
            // server's origin, and the target's folder is the path below it.
            var origin = URLComponents(string: url) ?? URLComponents()
            let folder = origin.path.split(separator: "/").joined(separator: "/")
            origin.path = "/"
            root = ":webdav:" + folder
            environment["RCLONE_WEBDAV_URL"] = origin.string ?? url
            setsHeaders = false
        case .s3(let bucket, let prefix):
            root = ":s3:" + bucket + (prefix.isEmpty ? "" : "/" + prefix)
            setsHeaders = true
        case .rclone(let remote, let path):
            root = remote + ":" + path
            setsHeaders = true
        case .ssh, .local:
            throw DeployError("the sync strategy is for object stores and WebDAV; \(target.location) uses the releases strategy")
        }
        self.environment = environment
    }

    func path(_ relative: String) -> String {
        root.hasSuffix(":") || root.hasSuffix("/") ? root + relative : root + "/" + relative
    }

    func rclone(_ arguments: [String], step: String, input: Data? = nil) async throws(DeployError) -> ToolResult {
        try await session.run("rclone", arguments + ["--log-level", "ERROR"], environment: environment, input: input, step: step)
    }

    // MARK: State

    /// The lock object a deploy writes at the target's root while it runs.
    static let lockName = ".qpress-lock"

    /// Reads the manifest; with `lock`, first takes the target's lock.
    func readState(lock: Bool) async throws(DeployError) -> RemoteState {
        if lock { try await takeLock() }
        do {
            guard let data = try await read(Manifest.fileName) else { return RemoteState() }
            switch Manifest.read(data) {
            case .success(let manifest): return RemoteState(manifest: manifest)
            case .failure(let problem): return RemoteState(manifestProblem: problem.description)
            }
        } catch {
            if lock { await unlock() }
            throw error
        }
    }

    /// A file at the target's root, or nil when there is none.
    func read(_ name: String) async throws(DeployError) -> Data? {
        let result: ToolResult
        do {
            result = try await RunningTool.run("rclone", ["cat", path(name), "--log-level", "ERROR"], environment: environment)
        } catch {
            throw DeployError(error.message)
        }
        if result.succeeded { return result.stdout }
        // rclone: 3 directory not found, 4 file not found: a first deploy.
        if !result.signalled && (result.status == 3 || result.status == 4) { return nil }
        throw DeployError("reading \(name) from \(target.location) failed: \(DeploySession.explain(result, tool: "rclone"))")
    }

    /// Object stores offer rclone no "create unless it exists", so the lock is an object written when
    /// none younger than `stale_after` is there, then read back: a deploy that started at the same
    /// moment finds the other's token and stops. Its first line is the time it was taken (seconds).
    func takeLock() async throws(DeployError) {
        if let held = try await read(Self.lockName) {
            let lines = String(decoding: held, as: UTF8.self).split(separator: "\n").map(String.init)
            let since = lines.first.flatMap { Double($0) } ?? 0
            if Date().timeIntervalSince1970 - since < Double(target.staleAfter * 60) {
                throw heldError(lines.dropFirst().first)
            }
        }
        let token = UUID().uuidString
        let owner = ReleasesPublisher.owner()
        let text = "\(Int(Date().timeIntervalSince1970))\n\(owner)\n\(token)\n"
        let file = try session.write(Data(text.utf8), name: "lock")
        _ = try await rclone(["copyto", file.path, path(Self.lockName)], step: "taking the lock \(Self.lockName) (rclone)")
        let readBack = try await read(Self.lockName).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard readBack.contains(token) else {
            throw heldError(readBack.split(separator: "\n").dropFirst().first.map(String.init))
        }
    }

    private func heldError(_ owner: String?) -> DeployError {
        DeployError("another deploy is running on \(target.location) (\(owner.map(Manifest.escaped) ?? "owner unknown")); "
            + "remove \(Self.lockName) at the target's root if it died (a lock older than \(target.staleAfter) minutes is ignored)")
    }

    /// Removes the lock; runs even after Ctrl-C.
    func unlock() async {
        _ = try? await session.run("rclone", ["deletefile", path(Self.lockName), "--log-level", "ERROR"], environment: environment,
                                   step: "releasing the lock", cleanup: true)
    }

    // MARK: Deploy

    func publish(_ plan: DeployPlan, dryRun: Bool, progress: @Sendable (String) -> Void) async throws(DeployError) -> DeployReport {
        var report = DeployReport(target: target, plan: plan, dryRun: dryRun)
        if dryRun || plan.isUpToDate { return report }

        var finished: [FileRole] = []
        for role in FileRole.allCases {
            let files = plan.toSend(role)
            guard !files.isEmpty else { continue }
            progress("sending \(role.count(files.count))")
            do {
                for (index, group) in groups(files).enumerated() {
                    let list = try session.list(group.files, name: "\(role.title.prefix(5))-\(index).list", separator: "\n")
                    var arguments = ["copy", output.path, root, "--files-from-raw", list.path, "--no-check-dest", "--no-traverse"]
                    if let headers = group.headers {
                        if let type = headers.contentType { arguments += ["--header-upload", "Content-Type: \(type)"] }
                        arguments += ["--header-upload", "Cache-Control: \(headers.cacheControl)"]
                    }
                    _ = try await rclone(arguments, step: "sending \(role.title) (rclone)")
                }
            } catch {
                throw DeployError(error.message, published: state(plan, finished: finished, stoppedIn: role))
            }
            finished.append(role)
        }

        if !plan.deleted.isEmpty {
            progress("deleting \(plural(plan.deleted.count, "file"))")
            do {
                let (delete, kept) = try await deletable(plan)
                if !kept.isEmpty {
                    report.warnings.append("kept \(plural(kept.count, "file")) that the last manifest names but whose size on the target differs "
                        + "(changed by someone else?): " + kept.map(Manifest.escaped).joined(separator: ", "))
                }
                if !delete.isEmpty {
                    let list = try session.list(delete, name: "delete.list", separator: "\n")
                    _ = try await rclone(["delete", root, "--files-from-raw", list.path, "--no-traverse"], step: "deleting removed files (rclone)")
                }
                await removeEmptyFolders(of: delete)
            } catch {
                throw DeployError(error.message, published: state(plan, finished: finished, stoppedIn: nil))
            }
        }

        do {
            let manifest = try session.write(plan.local.encoded(), name: "manifest.json")
            var arguments = ["copyto", manifest.path, path(Manifest.fileName), "--no-check-dest"]
            if setsHeaders { arguments += ["--header-upload", "Cache-Control: no-cache"] }
            _ = try await rclone(arguments, step: "writing \(Manifest.fileName) (rclone)")
        } catch {
            throw DeployError(error.message, published: [
                "every file was published and removed files were deleted; only the record of this deploy is missing",
                "run the same deploy again: it sends the changed files once more and writes it",
            ])
        }
        return report
    }

    /// A deploy deletes only files an earlier deploy published and nobody changed since: the size on the
    /// target must be the manifest's. A name slipped into the manifest (`keepme.txt`) or a file replaced
    /// by someone else stays. Names already gone from the target need no deleting.
    func deletable(_ plan: DeployPlan) async throws(DeployError) -> (delete: [String], kept: [String]) {
        struct Item: Decodable {
            var path: String
            var size: Int64
            enum CodingKeys: String, CodingKey { case path = "Path", size = "Size" }
        }
        let list = try session.list(plan.deleted, name: "check.list", separator: "\n")
        let result = try await rclone(["lsjson", "-R", "--files-only", "--no-modtime", "--no-mimetype", "--files-from-raw", list.path, root],
                                      step: "listing the files to delete (rclone)")
        guard let items = try? JSONDecoder().decode([Item].self, from: result.stdout) else {
            throw DeployError("listing the files to delete (rclone) failed: rclone printed no file list")
        }
        let expected = plan.remote.manifest?.files ?? [:]
        var delete: [String] = [], kept: [String] = []
        for item in items.sorted(by: { $0.path < $1.path }) where expected[item.path] != nil {
            if expected[item.path]?.size == item.size { delete.append(item.path) } else { kept.append(item.path) }
        }
        return (delete, kept)
    }

    /// WebDAV has real folders: remove those the deletions emptied (deepest first; `rmdir` keeps any
    /// folder that still holds something). Object stores have no folders to remove.
    func removeEmptyFolders(of deleted: [String]) async {
        guard case .webdav = target.location else { return }
        let folders = Set(deleted.map { ($0 as NSString).deletingLastPathComponent }.filter { !$0.isEmpty })
        for folder in folders.sorted(by: { ($0.split(separator: "/").count, $0) > ($1.split(separator: "/").count, $1) }).prefix(50) {
            _ = try? await RunningTool.run("rclone", ["rmdir", path(folder), "--log-level", "ERROR"], environment: environment)
        }
    }

    struct Group {
        var headers: UploadHeaders?
        var files: [String]
    }

    /// One rclone run per set of headers (rclone sets headers per run); one run in all where they are not set.
    func groups(_ files: [String]) -> [Group] {
        guard setsHeaders else { return [Group(headers: nil, files: files)] }
        let grouped = Dictionary(grouping: files) { UploadHeaders.of($0, cacheControl: target.cacheControl) }
        return grouped.map { Group(headers: $0.key, files: $0.value) }
            .sorted { ($0.files.first ?? "") < ($1.files.first ?? "") }
    }

    /// What a visitor sees after a transfer stopped: one line per step.
    func state(_ plan: DeployPlan, finished: [FileRole], stoppedIn: FileRole?) -> [String] {
        var lines: [String] = []
        for role in FileRole.allCases {
            let count = plan.toSend(role).count
            guard count > 0 else { continue }
            if finished.contains(role) {
                lines.append("published: \(role.count(count))")
            } else if role == stoppedIn {
                lines.append("partly published: \(role.count(count)) (the transfer stopped while sending them; some may be live)")
            } else {
                lines.append("not published: \(role.count(count))")
            }
        }
        if !plan.deleted.isEmpty { lines.append("not deleted: \(plural(plan.deleted.count, "file")) removed from the site (deletions come last)") }
        lines.append("the live site is consistent: every page on it has its assets; run the same deploy again to complete it")
        return lines
    }
}
