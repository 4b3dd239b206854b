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
    /// `:webdav:`, `:s3:bucket/prefix`, `name:path`
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
            root = ":webdav:"
            environment["RCLONE_WEBDAV_URL"] = url
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

    func readState() async throws(DeployError) -> RemoteState {
        let result: ToolResult
        do {
            result = try await RunningTool.run("rclone", ["cat", path(Manifest.fileName), "--log-level", "ERROR"], environment: environment)
        } catch {
            throw DeployError(error.message)
        }
        if result.succeeded { return RemoteState(manifest: Manifest.decode(result.stdout)) }
        // rclone: 3 directory not found, 4 file not found: a first deploy.
        if !result.signalled && (result.status == 3 || result.status == 4) { return RemoteState() }
        throw DeployError("reading \(Manifest.fileName) from \(target.location) failed: \(DeploySession.explain(result, tool: "rclone"))")
    }

    // MARK: Deploy

    func publish(_ plan: DeployPlan, dryRun: Bool, progress: @Sendable (String) -> Void) async throws(DeployError) -> DeployReport {
        let report = DeployReport(target: target, plan: plan, dryRun: dryRun)
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
                let list = try session.list(plan.deleted, name: "delete.list", separator: "\n")
                _ = try await rclone(["delete", root, "--files-from-raw", list.path, "--no-traverse"], step: "deleting removed files (rclone)")
            } catch {
                throw DeployError(error.message, published: state(plan, finished: finished, stoppedIn: nil))
            }
            await removeEmptyFolders(of: plan.deleted)
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
