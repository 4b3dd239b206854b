import Foundation
import PressCore

/// The `releases` strategy on an SSH server or a local folder:
///
/// ```
/// ROOT/current -> releases/20251125T163000.123Z      the web server's document root
/// ROOT/releases/20251125T163000.123Z/…               one folder per deploy
/// ROOT/manifests/20251125T163000.123Z.json           what each release holds (outside the document root)
/// ```
///
/// A deploy rsyncs into a new release folder in two passes: files unchanged since the live release
/// with `--link-dest` (hard links, nothing travels), then the changed and added files. Then it writes
/// the release's manifest, switches `current` in one step (`ln -sfn` + `mv -T`, a rename) and prunes
/// to `keep` releases. Until the switch the live site is untouched.
struct ReleasesPublisher: Sendable {
    let target: DeployTarget
    let output: URL
    let host: ReleaseHost

    init(target: DeployTarget, output: URL, session: DeploySession, environment: [String: String]) throws(DeployError) {
        self.target = target
        self.output = output
        host = try ReleaseHost(location: target.location, session: session, environment: environment)
    }

    // MARK: State

    func readState() async throws(DeployError) -> RemoteState {
        let script = """
        root=\(shellQuote(host.root))
        if [ ! -d "$root" ]; then echo "root: missing"; exit 0; fi
        cd "$root" || exit 1
        echo "root: ok"
        if [ -L current ]; then echo "current: $(readlink current)"; elif [ -e current ]; then echo "current-not-a-link:"; fi
        for d in releases/*; do [ -d "$d" ] && echo "release: ${d#releases/}"; done
        for m in manifests/*.json; do [ -f "$m" ] && { n=${m#manifests/}; echo "manifest: ${n%.json}"; }; done
        c=$(readlink current 2>/dev/null || true); c=${c##*/}
        if [ -n "$c" ] && [ -f "manifests/$c.json" ]; then echo "manifest-json:"; cat "manifests/$c.json"; fi
        exit 0
        """
        let text = try await host.shell(script, step: "reading the state of \(target.location)")
        var state = RemoteState()
        var dirs: [String] = [], manifests: Set<String> = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.popFirst() {
            if line == "manifest-json:" {
                state.manifest = Manifest.decode(Data(lines.joined(separator: "\n").utf8))
                break
            } else if line == "current-not-a-link:" {
                throw DeployError("'\(host.root)/current' on \(target.location) exists and is not a symlink; move it away (the releases strategy owns 'current')")
            } else if line.hasPrefix("current: ") {
                state.current = line.dropFirst("current: ".count).split(separator: "/").last.map(String.init)
            } else if line.hasPrefix("release: ") {
                dirs.append(String(line.dropFirst("release: ".count)))
            } else if line.hasPrefix("manifest: ") {
                manifests.insert(String(line.dropFirst("manifest: ".count)))
            }
        }
        let ours = dirs.filter(ReleaseID.isValid).sorted()
        state.releases = ours.filter { manifests.contains($0) }
        state.incomplete = ours.filter { !manifests.contains($0) && $0 != state.current }
        if let current = state.current, state.manifest?.release != current { state.manifest = nil }
        return state
    }

    // MARK: Deploy

    func publish(_ plan: DeployPlan, dryRun: Bool, progress: @Sendable (String) -> Void) async throws(DeployError) -> DeployReport {
        let previous = plan.remote.current
        let existing = Set(plan.remote.releases + plan.remote.incomplete + [previous].compactMap { $0 })
        let release = ReleaseID.make(existing: existing)
        var report = DeployReport(target: target, plan: plan, dryRun: dryRun, release: release, previousRelease: previous)
        if plan.isUpToDate && previous != nil {
            report.release = previous
            return report
        }
        report.pruned = pruneList(keeping: release, state: plan.remote)
        if dryRun { return report }

        let live = previous.map { "the live site is unchanged: current still points to releases/\($0)" }
            ?? "nothing was published: there is no live release yet"
        let notPublished = [live, "run the same deploy again to complete it"]
        let releasePath = "\(host.root)/releases/\(release)"
        // The release name is new, so the folder is too; its parents may not exist yet.
        var folders = [host.root + "/releases", host.root + "/manifests"]
        do {
            // Pass 1: files the live release already has, hard-linked from it; only the file list travels.
            if let previous, plan.remote.manifest != nil, !plan.toLink.isEmpty {
                progress("linking \(plan.toLink.count) unchanged files from releases/\(previous)")
                let list = try host.session.list(plan.toLink, name: "unchanged.list", separator: "\0")
                _ = try await host.rsync(["--files-from=\(list.path)", "--link-dest=../\(previous)", "--size-only"],
                                         to: releasePath, from: output, creating: folders, step: "linking unchanged files (rsync)")
                folders = []
            }
            if !plan.toSend.isEmpty {
                progress("sending \(plan.toSend.count) file\(plan.toSend.count == 1 ? "" : "s") (\(formatBytes(plan.bytesToSend))) to releases/\(release)")
                let list = try host.session.list(plan.toSend, name: "send.list", separator: "\0")
                _ = try await host.rsync(["--files-from=\(list.path)", "--times"],
                                         to: releasePath, from: output, creating: folders, step: "sending files (rsync)")
            }
        } catch {
            // An unfinished release is never live; remove it now (or at the next deploy's prune).
            _ = try? await host.shell("rm -rf \(shellQuote(releasePath))", step: "cleaning up")
            throw DeployError(error.message, published: notPublished)
        }

        var manifest = plan.local
        manifest.release = release
        let json = String(decoding: manifest.encoded(), as: UTF8.self)
        let manifestPath = "\(host.root)/manifests/\(release).json"
        progress("switching current to releases/\(release)")
        // One connection: manifest, switch, then pruning, whose failure does not undo the deploy.
        let prune = report.pruned.map { "rm -rf releases/\($0) manifests/\($0).json || echo 'prune-failed: \($0)'" }
        let switched: String
        do {
            switched = try await host.shell("""
                set -e
                cd \(shellQuote(host.root))
                cat > \(shellQuote(manifestPath)).tmp <<'QPRESS_MANIFEST_END'
                \(json)
                QPRESS_MANIFEST_END
                mv -f \(shellQuote(manifestPath)).tmp \(shellQuote(manifestPath))
                ln -sfn releases/\(release) .current-\(release)
                mv -T .current-\(release) current
                set +e
                \(prune.joined(separator: "\n"))
                exit 0
                """, step: "switching current to releases/\(release)")
        } catch {
            throw DeployError(error.message, published: [
                "releases/\(release) was uploaded completely but may not be live: 'current' was switched in one step or not at all, never halfway",
                "run the same deploy again to complete it",
            ])
        }
        let failed = switched.split(separator: "\n").filter { $0.hasPrefix("prune-failed: ") }.map { String($0.dropFirst(14)) }
        if !failed.isEmpty {
            report.warnings.append("could not remove " + failed.map { "releases/\($0)" }.joined(separator: ", ") + " (the deploy itself succeeded)")
            report.pruned.removeAll { failed.contains($0) }
        }
        return report
    }

    /// Releases to delete once `release` is live: all but the newest `keep` complete ones (the live one
    /// always stays), and uploads that never finished.
    func pruneList(keeping release: String, state: RemoteState) -> [String] {
        let complete = (state.releases + [release]).sorted(by: >)
        var kept: Set<String> = [release]
        for name in complete where kept.count < target.keep { kept.insert(name) }
        return (complete.filter { !kept.contains($0) } + state.incomplete).sorted()
    }

    // MARK: Rollback

    func rollback(dryRun: Bool) async throws(DeployError) -> RollbackReport {
        let state = try await readState()
        guard let current = state.current else {
            throw DeployError("\(target.location) has no live release to roll back from")
        }
        guard let previous = state.releases.last(where: { $0 < current }) else {
            throw DeployError("\(target.location) keeps no release older than releases/\(current) to roll back to")
        }
        if !dryRun {
            _ = try await host.shell("""
                set -e
                cd \(shellQuote(host.root))
                ln -sfn releases/\(previous) .current-\(previous)
                mv -T .current-\(previous) current
                """, step: "switching current back to releases/\(previous)")
        }
        return RollbackReport(from: current, to: previous, dryRun: dryRun)
    }
}

/// Release folder names: UTC time of the deploy, to the millisecond, so names sort by age.
enum ReleaseID {
    static func make(existing: Set<String>, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        var name = formatter.string(from: now)
        // Never reuse a name, and never sort before the newest release (a clock set back).
        if let newest = existing.filter(isValid).max(), newest >= name { name = newest }
        let base = name
        var counter = 1
        while existing.contains(name) {
            counter += 1
            name = "\(base.split(separator: "-").first ?? Substring(base))-\(counter)"
        }
        return name
    }

    /// `20251125T163000.123Z` or `20251125T163000.123Z-2`: only such folders are ours to prune.
    static func isValid(_ name: String) -> Bool {
        let parts = name.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first else { return false }
        let stamp = Array(first.utf8)
        guard stamp.count == 20, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "."), stamp[19] == UInt8(ascii: "Z") else { return false }
        let digits = stamp[0..<8] + stamp[9..<15] + stamp[16..<19]
        guard digits.allSatisfy({ (48...57).contains($0) }) else { return false }
        return parts.count == 1 || (Int(parts[1]).map { $0 > 1 } ?? false)
    }
}

/// Single-quotes a word for `sh`.
func shellQuote(_ text: String) -> String {
    if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-:@+=,".contains($0)) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
