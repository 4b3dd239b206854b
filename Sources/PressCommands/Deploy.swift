import ArgumentParser
import Foundation
import PressBuild
import PressCore
import PressDeploy
import PressLinks
import PressLoader

struct Deploy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Build, check and publish the output to a target named in site.yml's deploy section.")

    @OptionGroup var site: SiteOptions

    @Option(name: .long, help: ArgumentHelp("Target name from site.yml (default: the only target).", valueName: "NAME"))
    var target: String?

    @Flag(name: .customLong("dry-run"), help: "Print what would be sent and deleted; change nothing on the target.")
    var dryRun = false

    @Flag(name: .long, help: "Send every file, whatever the target's manifest says (a manifest that cannot be trusted is replaced).")
    var force = false

    @Flag(name: .long, help: "Switch the target back to the release before the live one (releases strategy).")
    var rollback = false

    @Flag(name: .long, help: "Read the live site back and report every file that differs from the target's manifest; send nothing.")
    var verify = false

    @Flag(name: .customLong("no-build"), help: "Publish the output folder as it is, without building.")
    var noBuild = false

    @Flag(name: .customLong("skip-check"), help: "Publish even if a link in the output is broken.")
    var skipCheck = false

    func validate() throws {
        if rollback && (force || noBuild || skipCheck) {
            throw ValidationError("--rollback builds and sends nothing; it takes only --target and --dry-run")
        }
        if verify && (rollback || force || noBuild || skipCheck || dryRun) {
            throw ValidationError("--verify builds and sends nothing; it takes only --target")
        }
    }

    func run() async throws {
        let root = URL(fileURLWithPath: site.source)
        let (config, targets, problems) = ContentLoader(siteRoot: root).loadDeployTargets()
        Console.printDiagnostics(problems)
        if problems.hasErrors { throw ExitCode(ExitStatus.contentErrors) }
        guard config != nil else { throw ValidationError("no Content/site.yml in '\(site.source)'") }
        let chosen = try Self.choose(target, from: targets)
        let output = site.buildOptions.outputFolder
        let deployer = Deployer(target: chosen, output: output)
        let name = "\(chosen.name) (\(chosen.location), \(chosen.strategy.rawValue))"

        if verify {
            try await Self.verify(deployer, name: name)
            return
        }
        if rollback {
            guard chosen.strategy == .releases else {
                throw ValidationError("target '\(chosen.name)' uses the sync strategy: only releases targets can be rolled back")
            }
            Interruption.shared.install()
            do {
                let result = try await deployer.rollback(dryRun: dryRun)
                let verb = dryRun ? "would switch" : "rolled back"
                print("\(verb) \(name): current → releases/\(result.to) (was releases/\(result.from))")
                if dryRun { print("dry run: nothing was changed") }
            } catch {
                throw Self.fail("rollback of \(chosen.name) failed", error)
            }
            return
        }

        try await prepareOutput(output)
        // From here Ctrl-C stops the tools, removes the session folder and says what was published.
        Interruption.shared.install()
        let report: DeployReport
        do {
            let secrets = deployer.secrets
            report = try await deployer.deploy(force: force, dryRun: dryRun) { step in
                FileHandle.standardError.write(Data(secrets.scrub("\(step)…\n").utf8))
            }
        } catch {
            throw Self.fail("deploy to \(chosen.name) failed", error)
        }
        // Everything printed goes through the scrubber, even lines that should never hold a credential.
        Self.printReport(report, name: name) { print(deployer.secrets.scrub($0)) }
    }

    /// Builds with the offline link check (or checks an existing output): nothing is sent from a broken site.
    private func prepareOutput(_ output: URL) async throws {
        if !noBuild {
            var options = site.buildOptions
            options.linkCheck = skipCheck ? nil : .offline
            let result = await SiteBuilder(options: options).build()
            Console.printDiagnostics(result.diagnostics)
            guard result.succeeded else { throw Self.refuse("the build failed with \(BuildSummary.errors(result))") }
            print(BuildSummary.built(result))
            return
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--no-build: the output folder '\(output.path)' does not exist; build the site first")
        }
        guard !skipCheck else { return }
        let (config, _) = ContentLoader(siteRoot: URL(fileURLWithPath: site.source)).loadConfig()
        let options = SiteBuilder.linkCheckOptions(config?.linkCheck ?? .init(), baseURL: site.baseURL ?? config?.baseURL,
                                                   offline: true, cacheFile: nil)
        let report = await LinkChecker(folder: output, options: options, sources: await SiteBuilder.linkSourceMap(in: output)).check()
        if !report.isClean {
            FileHandle.standardError.write(Data(report.humanReadable().utf8))
            throw Self.refuse("\(report.broken.count) broken link\(report.broken.count == 1 ? "" : "s")")
        }
    }

    static func choose(_ name: String?, from targets: [DeployTarget]) throws -> DeployTarget {
        let names = targets.map(\.name).joined(separator: ", ")
        guard !targets.isEmpty else {
            throw ValidationError("site.yml has no deploy targets; add a 'deploy: targets:' section (see README)")
        }
        guard let name else {
            if targets.count == 1 { return targets[0] }
            throw ValidationError("site.yml names several deploy targets (\(names)); choose one with --target")
        }
        guard let target = targets.first(where: { $0.name == name }) else {
            throw ValidationError("no deploy target named '\(name)' in site.yml (targets: \(names))")
        }
        return target
    }

    static func printReport(_ report: DeployReport, name: String, print: (String) -> Void) {
        let plan = report.plan
        let files = "\(plan.toSend.count) file\(plan.toSend.count == 1 ? "" : "s") (\(formatBytes(plan.bytesToSend)))"
        let strategy = report.target.strategy
        if report.dryRun {
            print("plan for \(name): \(plan.counts); would send \(files)")
            for line in plan.lines(strategy: strategy) { print("  " + line) }
            if strategy == .releases, let release = report.release, !plan.isUpToDate || report.previousRelease == nil {
                print("would create releases/\(release) and switch current to it")
                if !report.pruned.isEmpty { print("would prune " + report.pruned.map { "releases/\($0)" }.joined(separator: ", ")) }
            }
            print("dry run: nothing was sent or changed")
            return
        }
        if plan.isUpToDate && (strategy == .sync || report.previousRelease != nil) {
            let live = report.release.map { " (current → releases/\($0))" } ?? ""
            print("\(name) is up to date: \(plan.local.files.count) files unchanged, nothing sent\(live)")
            return
        }
        let forced = plan.forced ? " (--force: every file)" : ""
        print("deployed to \(name): \(plan.counts); sent \(files)\(forced) in \(String(format: "%.2f", report.seconds)) s")
        if strategy == .releases, let release = report.release {
            let was = report.previousRelease.map { " (was releases/\($0))" } ?? ""
            print("current → releases/\(release)\(was)")
            if !report.pruned.isEmpty { print("pruned " + report.pruned.map { "releases/\($0)" }.joined(separator: ", ")) }
        }
        for warning in report.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) } // scrubbed by Deployer
    }

    /// `--verify`: exit 0 when the live site is what the manifest says, 1 with one line per file otherwise.
    static func verify(_ deployer: Deployer, name: String) async throws {
        Interruption.shared.install()
        let report: VerifyReport
        do {
            report = try await deployer.verify()
        } catch {
            throw Self.fail("verify of \(deployer.target.name) failed", error)
        }
        let print = { (line: String) in Swift.print(deployer.secrets.scrub(line)) }
        let live = report.release.map { " (current → releases/\($0))" } ?? ""
        if report.isClean {
            print("verified \(name)\(live): \(plural(report.matching, "file")) read back, all as the manifest says")
            return
        }
        print("\(name)\(live) differs from its manifest: \(report.differing.count) changed, \(report.missing.count) missing, "
            + "\(report.extra.count) not in the manifest, \(report.matching) as recorded")
        for line in report.lines { print("  " + line) }
        throw ExitCode(ExitStatus.contentErrors)
    }

    static func refuse(_ reason: String) -> ExitCode {
        FileHandle.standardError.write(Data("deploy refused: \(reason); nothing was sent\n".utf8))
        return ExitCode(ExitStatus.contentErrors)
    }

    /// Exit 1, or 128 + the signal (130 for SIGINT, 143 for SIGTERM) when the deploy was interrupted.
    static func fail(_ what: String, _ error: DeployError) -> ExitCode {
        let lines = ["error: \(what): \(error.message)"] + error.published
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if let signal = Interruption.shared.signal { return ExitCode(128 + signal) }
        return ExitCode(ExitStatus.contentErrors)
    }
}
