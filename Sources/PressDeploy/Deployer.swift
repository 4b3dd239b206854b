public import Foundation
import PressCore

/// A deploy that failed: what went wrong and, one line each, what was and was not published.
public struct DeployError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var published: [String]

    public init(_ message: String, published: [String] = []) {
        self.message = message
        self.published = published
    }

    public var description: String { ([message] + published).joined(separator: "\n") }
}

/// What a deploy did (or, for a dry run, would do).
public struct DeployReport: Sendable {
    public var target: DeployTarget
    public var plan: DeployPlan
    public var dryRun: Bool
    /// `releases`: the release that is live now (for a dry run: the one that would be created).
    public var release: String?
    /// `releases`: the release that was live before.
    public var previousRelease: String?
    /// `releases`: releases removed to keep `keep`.
    public var pruned: [String] = []
    public var seconds: Double = 0
    /// Things that did not stop the deploy (a failed prune).
    public var warnings: [String] = []
}

public struct RollbackReport: Sendable {
    public var from: String
    public var to: String
    public var dryRun: Bool
}

/// Publishes a built output folder to one target. It decides what to send and in which order;
/// rsync (over SSH) and rclone move the bytes.
public struct Deployer: Sendable {
    public let target: DeployTarget
    public let output: URL
    public let environment: [String: String]
    public let secrets: Secrets

    public init(target: DeployTarget, output: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.target = target
        self.output = output.standardizedFileURL
        self.environment = environment
        self.secrets = Secrets(environment: environment)
    }

    /// Compares the output with the live site and, unless `dryRun`, publishes the difference.
    public func deploy(force: Bool = false, dryRun: Bool = false,
                       progress: @escaping @Sendable (String) -> Void = { _ in }) async throws(DeployError) -> DeployReport {
        let clock = ContinuousClock()
        let start = clock.now
        let session = try DeploySession(secrets: secrets)
        defer { session.close() }
        let local = try await Manifest.scan(output)
        guard !local.files.isEmpty else { throw DeployError("the output folder '\(output.path)' holds no files to publish") }
        var report: DeployReport
        do {
            switch target.strategy {
            case .releases:
                let publisher = try await ReleasesPublisher(target: target, output: output, session: session, environment: environment)
                report = try await locked(publisher, local: local, force: force, dryRun: dryRun, progress: progress)
            case .sync:
                let publisher = try SyncPublisher(target: target, output: output, session: session, environment: environment)
                report = try await locked(publisher, local: local, force: force, dryRun: dryRun, progress: progress)
            }
        } catch {
            throw scrubbed(error)
        }
        let elapsed = clock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        report.warnings = report.warnings.map(secrets.scrub)
        return report
    }

    /// Reads the target's state under its lock (a dry run takes none), publishes, and releases the lock.
    func locked(_ publisher: some Publisher, local: Manifest, force: Bool, dryRun: Bool,
                progress: @escaping @Sendable (String) -> Void) async throws(DeployError) -> DeployReport {
        let state = try await publisher.readState(lock: !dryRun)
        do {
            let plan = DeployPlan(local: local, remote: try trusted(state, force: force), force: force)
            let report = try await publisher.publish(plan, dryRun: dryRun, progress: progress)
            if !dryRun { await publisher.unlock() }
            return report
        } catch {
            if !dryRun { await publisher.unlock() }
            throw error
        }
    }

    /// A failure as printed: no secret in it, and after Ctrl-C a word on what was published.
    func scrubbed(_ error: DeployError) -> DeployError {
        var published = error.published
        if Interruption.shared.signal != nil && published.isEmpty {
            published = ["nothing was published: the target was not changed"]
        }
        return DeployError(secrets.scrub(error.message), published: published.map(secrets.scrub))
    }

    /// The manifest's names decide what a deploy deletes: one that cannot be trusted stops the deploy.
    /// `--force` sends every file, deletes nothing and writes a new manifest.
    func trusted(_ state: RemoteState, force: Bool) throws(DeployError) -> RemoteState {
        guard let problem = state.manifestProblem else { return state }
        let file = target.strategy == .sync ? Manifest.fileName : "manifests/\(state.current ?? "?").json"
        guard force else {
            throw DeployError("the manifest on \(target.location) (\(file)) cannot be trusted: \(problem)", published: [
                "nothing was sent or deleted",
                "check who changed the target, then deploy with --force: it sends every file, deletes nothing and writes a new manifest",
            ])
        }
        var state = state
        state.manifest = nil
        return state
    }

    /// Switches `current` back to the release before it (`releases` targets only).
    public func rollback(dryRun: Bool = false) async throws(DeployError) -> RollbackReport {
        guard target.strategy == .releases else {
            throw DeployError("target '\(target.name)' uses the sync strategy, which keeps no earlier releases to roll back to")
        }
        let session = try DeploySession(secrets: secrets)
        defer { session.close() }
        do {
            let publisher = try await ReleasesPublisher(target: target, output: output, session: session, environment: environment)
            return try await publisher.rollback(dryRun: dryRun)
        } catch {
            throw scrubbed(error)
        }
    }
}

/// What `Deployer` needs of a strategy.
protocol Publisher: Sendable {
    func readState(lock: Bool) async throws(DeployError) -> RemoteState
    func publish(_ plan: DeployPlan, dryRun: Bool, progress: @Sendable (String) -> Void) async throws(DeployError) -> DeployReport
    func unlock() async
}

extension ReleasesPublisher: Publisher {
    func readState(lock: Bool) async throws(DeployError) -> RemoteState { try await readState(lock: lock, create: true) }
}

extension SyncPublisher: Publisher {}

/// A private temporary folder for one deploy (file lists, the manifest, known_hosts lines), and the
/// ssh-agent holding an SSH key given as text.
final class DeploySession: @unchecked Sendable {
    let folder: URL
    let secrets: Secrets
    private let lock = NSLock()
    private var sshAgent: RunningTool?
    private var agentFolder: URL?

    init(secrets: Secrets) throws(DeployError) {
        self.secrets = secrets
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-deploy-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw DeployError("cannot create a temporary folder: \(error.localizedDescription)")
        }
        Interruption.shared.track(folder)
    }

    /// Writes a private file (mode 600) into the session folder.
    func write(_ data: Data, name: String) throws(DeployError) -> URL {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw DeployError("cannot write '\(url.path)'")
        }
        return url
    }

    /// A list of paths for `--files-from` (rsync, NUL-separated) or `--files-from-raw` (rclone, which
    /// knows only lines). Every entry is one name that a deploy can publish, so no control character
    /// (a newline) can split it in two: the list has exactly the entries it was given.
    func list(_ paths: [String], name: String, separator: String) throws(DeployError) -> URL {
        for path in paths {
            if let problem = Manifest.problem(with: path) {
                throw DeployError("refusing to hand '\(Manifest.escaped(path))' to a transfer: \(problem)")
            }
        }
        return try write(Data(paths.map { $0 + separator }.joined().utf8), name: name)
    }

    func close() {
        let (agent, agentFolder) = lock.withLock { (sshAgent, self.agentFolder) }
        agent?.signal(SIGTERM)
        for folder in [folder, agentFolder].compactMap({ $0 }) {
            try? FileManager.default.removeItem(at: folder)
            Interruption.shared.untrack(folder)
        }
    }

    /// Starts an ssh-agent for this deploy and hands it `key` on standard input: the key is never
    /// written to disk. Returns the ssh options that use it and offer only this key. The socket sits in
    /// a private folder under /tmp, as a socket's path may not exceed 107 bytes (a long TMPDIR would).
    func agent(holding key: String, environment: [String: String]) async throws(DeployError) -> [String] {
        let folder = URL(fileURLWithPath: "/tmp/qpress-agent-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DeployError("cannot create a folder for ssh-agent: \(error.localizedDescription)")
        }
        Interruption.shared.track(folder)
        let socket = folder.appendingPathComponent("agent").path
        let agent: RunningTool
        do {
            agent = try RunningTool("ssh-agent", ["-D", "-a", socket], environment: environment)
        } catch {
            throw DeployError(error.message)
        }
        lock.withLock { (sshAgent, agentFolder) = (agent, folder) }
        var agentEnvironment = environment
        agentEnvironment["SSH_AUTH_SOCK"] = socket
        // The socket file appears before the agent listens: ready once `ssh-add -l` reaches it (status 2: it cannot).
        for _ in 0..<100 where agent.isRunning {
            let probe = try? await RunningTool.run("ssh-add", ["-l"], environment: agentEnvironment)
            if let probe, probe.signalled || probe.status != 2 { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        _ = try await run("ssh-add", ["-q", "-"], environment: agentEnvironment, input: Data((key + "\n").utf8),
                          step: "handing QPRESS_SSH_KEY to ssh-agent (a key with a passphrase needs your own agent)")
        let listed = try await run("ssh-add", ["-L"], environment: agentEnvironment, step: "reading the public key from ssh-agent")
        let publicKey = try write(listed.stdout, name: "ssh-key.pub")
        return ["-o", "IdentityAgent=\(ReleaseHost.sshConfigQuote(socket))", "-i", publicKey.path, "-o", "IdentitiesOnly=yes"]
    }

    /// Runs a tool and turns a failure into a `DeployError` naming the step, with the tool's last words.
    /// A `cleanup` step still runs after Ctrl-C.
    func run(_ tool: String, _ arguments: [String], environment: [String: String], input: Data? = nil,
             step: String, cleanup: Bool = false) async throws(DeployError) -> ToolResult {
        let result: ToolResult
        do {
            result = try await RunningTool.run(tool, arguments, environment: environment, input: input, cleanup: cleanup)
        } catch {
            throw DeployError(error.message)
        }
        if let signal = Interruption.shared.signal, !cleanup, !result.succeeded {
            throw DeployError("\(step) was stopped: qpress received \(Interruption.name(signal))")
        }
        guard result.succeeded else { throw DeployError("\(step) failed: \(Self.explain(result, tool: tool))") }
        return result
    }

    /// `rsync exited with status 23: rsync: [sender] …` (the last few lines a tool printed).
    static func explain(_ result: ToolResult, tool: String) -> String {
        let how = result.signalled ? "\(tool) was killed by signal \(result.status)" : "\(tool) exited with status \(result.status)"
        let lines = (result.errorOutput + result.output).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.contains("Config file") }
        let last = lines.suffix(4).joined(separator: " | ")
        return last.isEmpty ? how : "\(how): \(last)"
    }
}
