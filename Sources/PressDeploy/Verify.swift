import Foundation
import PressCore

/// What `qpress deploy --verify` found: the live files read back and compared with the manifest of
/// the last deploy, by size and hash.
public struct VerifyReport: Sendable {
    public var target: DeployTarget
    /// `releases`: the live release.
    public var release: String?
    /// Files the manifest names: how many were read back as recorded.
    public var matching: Int = 0
    /// Present with other content.
    public var differing: [String] = []
    /// Named by the manifest, not on the target.
    public var missing: [String] = []
    /// On the target (and published: no dotfile), not in the manifest.
    public var extra: [String] = []

    public var isClean: Bool { differing.isEmpty && missing.isEmpty && extra.isEmpty }

    /// `~ index.html (differs from the manifest)`, one line per file, in path order.
    public var lines: [String] {
        (differing.map { "~ \(Manifest.escaped($0)) (differs from the manifest)" }
            + missing.map { "- \(Manifest.escaped($0)) (missing)" }
            + extra.map { "+ \(Manifest.escaped($0)) (not in the manifest)" })
            .sorted { $0.dropFirst(2) < $1.dropFirst(2) }
    }

    /// Throws for a manifest with the older hash: every file would look changed.
    static func compare(_ manifest: Manifest, live: Manifest, target: DeployTarget, release: String?) throws(DeployError) -> VerifyReport {
        guard manifest.algorithm == Manifest.algorithm else {
            throw DeployError("the manifest on \(target.location) was written by an older qpress with \(manifest.algorithm) hashes, "
                + "which cannot be compared with the live files' \(Manifest.algorithm): deploy once to write a new manifest, then verify")
        }
        var report = VerifyReport(target: target, release: release)
        for (path, entry) in manifest.files {
            switch live.files[path] {
            case nil: report.missing.append(path)
            case entry?: report.matching += 1
            default: report.differing.append(path)
            }
        }
        report.extra = live.files.keys.filter { manifest.files[$0] == nil }
        report.differing.sort()
        report.missing.sort()
        report.extra.sort()
        return report
    }
}

extension Deployer {
    /// Reads the live site back (the `current` release, or every file of a `sync` target) into the
    /// session folder and compares it with the manifest of the last deploy. Changes nothing.
    public func verify() async throws(DeployError) -> VerifyReport {
        let session = try DeploySession(secrets: secrets)
        defer { session.close() }
        let copy = session.folder.appendingPathComponent("live")
        do throws(DeployError) {
            try? FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
            let state: RemoteState
            switch target.strategy {
            case .releases:
                let publisher = try await ReleasesPublisher(target: target, output: output, session: session, environment: environment)
                state = try await publisher.readState(lock: false, create: false)
                guard let current = state.current else { throw DeployError("\(target.location) has no live release to verify") }
                try await publisher.host.download("\(publisher.host.root)/releases/\(current)", into: copy,
                                                  step: "reading releases/\(current) back (rsync)")
            case .sync:
                let publisher = try SyncPublisher(target: target, output: output, session: session, environment: environment)
                state = try await publisher.readState(lock: false)
                _ = try await publisher.rclone(["copy", publisher.root, copy.path], step: "reading the site back (rclone)")
            }
            if let problem = state.manifestProblem {
                throw DeployError("the manifest on \(target.location) cannot be trusted: \(problem)")
            }
            guard let manifest = state.manifest else {
                throw DeployError("\(target.location) holds no manifest of an earlier deploy to verify against")
            }
            let live = try await Manifest.scan(copy)
            return try VerifyReport.compare(manifest, live: live, target: target, release: state.current)
        } catch {
            throw scrubbed(error)
        }
    }
}
