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

    init(target: DeployTarget, output: URL, session: DeploySession, environment: [String: String]) async throws(DeployError) {
        self.target = target
        self.output = output
        host = try await ReleaseHost(location: target.location, session: session, environment: environment)
    }

    // MARK: State

    /// The lock folder a deploy or rollback holds on the target (outside the document root).
    var lockPath: String { host.root + "/" + ReleasesPublisher.lockName }
    static let lockName = ".qpress-lock"

    /// Reads the target's state; with `lock`, first takes the target's lock (`mkdir`, atomic on any
    /// file system), creating the target folder when `create`.
    func readState(lock: Bool = false, create: Bool = true) async throws(DeployError) -> RemoteState {
        let owner = Self.owner()
        let script = """
        root=\(shellQuote(host.root))
        if [ ! -d "$root" ]; then
          if [ \(lock && create ? 1 : 0) = 0 ]; then echo "root: missing"; exit 0; fi
          mkdir -p "$root" || exit 1
        fi
        cd "$root" || exit 1
        if [ \(lock ? 1 : 0) = 1 ]; then
          if mkdir \(Self.lockName) 2>/dev/null; then printf '%s\\n' \(shellQuote(owner)) > \(Self.lockName)/owner
          else echo "lock-held: $(head -c 300 \(Self.lockName)/owner 2>/dev/null | tr -d '\\n')"; exit 0; fi
        fi
        echo "root: ok"
        for d in releases manifests; do [ -L "$d" ] && echo "linked: $d"; done
        if [ -L current ]; then echo "current: $(readlink current)"; elif [ -e current ]; then echo "current-not-a-link:"; fi
        [ -L releases ] || [ -L manifests ] && exit 0
        now=$(date +%s)
        for d in releases/*; do [ -d "$d" ] && [ ! -L "$d" ] && { t=$(stat -c %Y "$d" 2>/dev/null || stat -f %m "$d"); echo "release: $((now - ${t:-$now})) ${d#releases/}"; }; done
        for m in manifests/*.json; do [ -f "$m" ] && { n=${m#manifests/}; echo "manifest: ${n%.json}"; }; done
        c=$(readlink current 2>/dev/null || true); c=${c#releases/}
        if [ -n "$c" ] && [ -f "manifests/$c.json" ]; then echo "manifest-json:"; cat "manifests/$c.json"; fi
        exit 0
        """
        let text = try await host.shell(script, step: "reading the state of \(target.location)")
        var state = RemoteState()
        do {
            try parseState(text, into: &state)
        } catch {
            // The lock is ours when the state said more than that it is held.
            if lock && !text.hasPrefix("lock-held: ") { await unlock() }
            throw error
        }
        return state
    }

    private func parseState(_ text: String, into state: inout RemoteState) throws(DeployError) {
        var dirs: [String] = [], manifests: Set<String> = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.popFirst() {
            if line == "manifest-json:" {
                switch Manifest.read(Data(lines.joined(separator: "\n").utf8)) {
                case .success(let manifest): state.manifest = manifest
                case .failure(let problem): state.manifestProblem = problem.description
                }
                break
            } else if line.hasPrefix("lock-held: ") {
                let holder = Manifest.escaped(String(line.dropFirst("lock-held: ".count)))
                throw DeployError("another deploy is running on \(target.location) (\(holder.isEmpty ? "owner unknown" : holder)); "
                    + "remove '\(lockPath)' if it died")
            } else if line.hasPrefix("linked: ") {
                throw DeployError("'\(host.root)/\(line.dropFirst("linked: ".count))' on \(target.location) is a symbolic link; "
                    + "qpress never follows one there ('current' is the only link it makes): replace it with a folder")
            } else if line == "current-not-a-link:" {
                throw DeployError("'\(host.root)/current' on \(target.location) exists and is not a symlink; move it away (the releases strategy owns 'current')")
            } else if line.hasPrefix("current: ") {
                let link = String(line.dropFirst("current: ".count))
                guard link.hasPrefix("releases/"), ReleaseID.isValid(String(link.dropFirst("releases/".count))) else {
                    throw DeployError("'\(host.root)/current' on \(target.location) points to '\(Manifest.escaped(link))', "
                        + "not to a release qpress made; point it at one (ln -sfn releases/NAME current) or move it away")
                }
                state.current = String(link.dropFirst("releases/".count))
            } else if line.hasPrefix("release: ") {
                let fields = line.dropFirst("release: ".count).split(separator: " ", maxSplits: 1)
                guard fields.count == 2, let age = Int(fields[0]) else { continue }
                dirs.append(String(fields[1]))
                state.ages[String(fields[1])] = age
            } else if line.hasPrefix("manifest: ") {
                manifests.insert(String(line.dropFirst("manifest: ".count)))
            }
        }
        let ours = ReleaseID.ordered(dirs)
        state.releases = ours.filter { manifests.contains($0) }
        state.incomplete = ours.filter { !manifests.contains($0) && $0 != state.current }
        if let current = state.current, let manifest = state.manifest, manifest.release != current {
            state.manifest = nil
            state.manifestProblem = "it describes release '\(Manifest.escaped(manifest.release ?? ""))', not the live one"
        }
    }

    /// Releases the lock taken by `readState(lock:)`; runs even after Ctrl-C.
    func unlock() async {
        _ = try? await host.shell("rm -rf \(shellQuote(lockPath))", step: "releasing the lock", cleanup: true)
    }

    /// `since 2025-12-03T09:40:00Z by deploy@ci-runner (pid 4242)`: who holds the lock, for the message another deploy prints.
    static func owner() -> String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName
        let since = ISO8601DateFormatter().string(from: Date())
        let who = "\(user)@\(ProcessInfo.processInfo.hostName)".filter { !$0.isNewline && $0 != "'" }
        return "since \(since) by \(who) (pid \(getpid()))"
    }

    // MARK: Deploy

    func publish(_ plan: DeployPlan, dryRun: Bool, progress: @Sendable (String) -> Void) async throws(DeployError) -> DeployReport {
        let previous = plan.remote.current
        let release = ReleaseID.make(after: Array(plan.remote.ages.keys) + [previous].compactMap { $0 })
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
            // Pass 1: files the live release already has, hard-linked from it; only the file list and
            // checksums travel. Checksums, not sizes: a live file altered on the server is sent again.
            if let previous, plan.remote.manifest != nil, !plan.toLink.isEmpty {
                progress("linking \(plan.toLink.count) unchanged files from releases/\(previous)")
                let list = try host.session.list(plan.toLink, name: "unchanged.list", separator: "\0")
                _ = try await host.rsync(["--files-from=\(list.path)", "--link-dest=../\(previous)", "--checksum"],
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
            // An unfinished release is never live; remove it now (or at the next deploy's prune), even after Ctrl-C.
            _ = try? await host.shell("rm -rf \(shellQuote(releasePath))", step: "cleaning up", cleanup: true)
            throw DeployError(error.message, published: notPublished)
        }
        var manifest = plan.local
        manifest.release = release
        try await switchCurrent(to: release, manifest: manifest, report: &report, progress: progress)
        return report
    }

    /// Writes the release's manifest, switches `current` to it and prunes, in one connection; a failed
    /// prune does not undo the deploy and becomes a warning.
    private func switchCurrent(to release: String, manifest: Manifest, report: inout DeployReport,
                               progress: @Sendable (String) -> Void) async throws(DeployError) {
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
    }

    /// Releases to delete once `release` is live: all but the newest `keep` complete ones, never the
    /// one live before this deploy, and uploads that never finished once they are older than `stale_after`
    /// (a younger one may be another deploy's, still under way).
    func pruneList(keeping release: String, state: RemoteState) -> [String] {
        let complete = ReleaseID.ordered(state.releases + [release]).reversed()
        var kept: Set<String> = [release]
        if let previous = state.current { kept.insert(previous) }
        for name in complete where kept.count < target.keep { kept.insert(name) }
        let stale = state.incomplete.filter { (state.ages[$0] ?? 0) >= target.staleAfter * 60 }
        return ReleaseID.ordered(complete.filter { !kept.contains($0) } + stale)
    }

    // MARK: Rollback

    func rollback(dryRun: Bool) async throws(DeployError) -> RollbackReport {
        let state = try await readState(lock: !dryRun, create: false)
        do {
            let report = try await switchBack(state, dryRun: dryRun)
            if !dryRun { await unlock() }
            return report
        } catch {
            if !dryRun { await unlock() }
            throw error
        }
    }

    private func switchBack(_ state: RemoteState, dryRun: Bool) async throws(DeployError) -> RollbackReport {
        guard let current = state.current else {
            throw DeployError("\(target.location) has no live release to roll back from")
        }
        guard let previous = state.releases.last(where: { ReleaseID.precedes($0, current) }) else {
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

/// Release folder names: a sequence number that only grows, then the UTC time of the deploy for
/// people to read (`000042-20251125T163000.123Z`). Releases are ordered by the number, never by the
/// clock, which can be set back. Names made before the number (`20251125T163000.123Z`, `…-2`) count as 0.
enum ReleaseID {
    static func make(after existing: [String], now: Date = Date()) -> String {
        let next = (existing.compactMap(sequence).max() ?? 0) + 1
        return String(format: "%06d", next) + "-" + stamp(now)
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss.SSS'Z'"
        return formatter.string(from: date)
    }

    /// The number of a release name, 0 for one made before numbers, nil for a name that is not ours.
    static func sequence(_ name: String) -> Int? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        func digits(_ text: Substring) -> Bool { !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) } }
        switch parts.count {
        case 1:
            return isStamp(parts[0]) ? 0 : nil
        case 2 where isStamp(parts[0]):
            return digits(parts[1]) && (Int(parts[1]) ?? 0) > 1 ? 0 : nil
        case 2 where isStamp(parts[1]):
            return digits(parts[0]) && parts[0].count >= 6 ? Int(parts[0]) : nil
        default:
            return nil
        }
    }

    /// `000042-20251125T163000.123Z`, or an older `20251125T163000.123Z` or `20251125T163000.123Z-2`:
    /// only such folders are ours to prune, link from or switch to.
    static func isValid(_ name: String) -> Bool { sequence(name) != nil }

    /// Valid names, oldest first.
    static func ordered(_ names: [String]) -> [String] {
        names.compactMap { name in sequence(name).map { (name, $0) } }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .map(\.0)
    }

    /// True when `name` was made before `other`.
    static func precedes(_ name: String, _ other: String) -> Bool {
        guard let first = sequence(name), let second = sequence(other) else { return false }
        return (first, name) < (second, other)
    }

    private static func isStamp(_ text: Substring) -> Bool {
        let stamp = Array(text.utf8)
        guard stamp.count == 20, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "."), stamp[19] == UInt8(ascii: "Z") else { return false }
        return (stamp[0..<8] + stamp[9..<15] + stamp[16..<19]).allSatisfy { (48...57).contains($0) }
    }
}

/// Single-quotes a word for `sh`.
func shellQuote(_ text: String) -> String {
    if !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/._-:@+=,".contains($0)) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
