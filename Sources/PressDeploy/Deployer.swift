import Foundation
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
                let publisher = try ReleasesPublisher(target: target, output: output, session: session, environment: environment)
                let plan = DeployPlan(local: local, remote: try await publisher.readState(), force: force)
                report = try await publisher.publish(plan, dryRun: dryRun, progress: progress)
            case .sync:
                let publisher = try SyncPublisher(target: target, output: output, session: session, environment: environment)
                let plan = DeployPlan(local: local, remote: try await publisher.readState(), force: force)
                report = try await publisher.publish(plan, dryRun: dryRun, progress: progress)
            }
        } catch {
            throw DeployError(secrets.scrub(error.message), published: error.published.map(secrets.scrub))
        }
        let elapsed = clock.now - start
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        report.warnings = report.warnings.map(secrets.scrub)
        return report
    }

    /// Switches `current` back to the release before it (`releases` targets only).
    public func rollback(dryRun: Bool = false) async throws(DeployError) -> RollbackReport {
        guard target.strategy == .releases else {
            throw DeployError("target '\(target.name)' uses the sync strategy, which keeps no earlier releases to roll back to")
        }
        let session = try DeploySession(secrets: secrets)
        defer { session.close() }
        do {
            let publisher = try ReleasesPublisher(target: target, output: output, session: session, environment: environment)
            return try await publisher.rollback(dryRun: dryRun)
        } catch {
            throw DeployError(secrets.scrub(error.message), published: error.published.map(secrets.scrub))
        }
    }
}

/// A private temporary folder for one deploy: file lists, the manifest, an SSH key given as text.
final class DeploySession: Sendable {
    let folder: URL
    let secrets: Secrets

    init(secrets: Secrets) throws(DeployError) {
        self.secrets = secrets
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-deploy-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw DeployError("cannot create a temporary folder: \(error.localizedDescription)")
        }
    }

    /// Writes a private file (mode 600) into the session folder.
    func write(_ data: Data, name: String) throws(DeployError) -> URL {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw DeployError("cannot write '\(url.path)'")
        }
        return url
    }

    /// A list of paths for `--files-from`, separated by `separator`.
    func list(_ paths: [String], name: String, separator: String) throws(DeployError) -> URL {
        try write(Data(paths.map { $0 + separator }.joined().utf8), name: name)
    }

    func close() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs a tool and turns a failure into a `DeployError` naming the step, with the tool's last words.
    func run(_ tool: String, _ arguments: [String], environment: [String: String], input: Data? = nil,
             step: String) async throws(DeployError) -> ToolResult {
        let result: ToolResult
        do {
            result = try await RunningTool.run(tool, arguments, environment: environment, input: input)
        } catch {
            throw DeployError(error.message)
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
