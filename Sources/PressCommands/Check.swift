import ArgumentParser
import Foundation
import PressBuild
import PressCore
import PressLinks
import PressLoader

/// Options for external link checks, shared by `build --check` and `check`.
struct LinkOptions: ParsableArguments {
    @Flag(name: .long, help: "Do not check external links.")
    var offline = false

    @Option(name: .long, help: ArgumentHelp("File remembering successful external checks (default: ~/.cache/qpress/links.json).", valueName: "FILE"))
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the external link cache.")
    var noCache = false

    var cacheFile: URL? {
        if noCache { return nil }
        if let cache { return URL(fileURLWithPath: cache) }
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache")
        return base.appendingPathComponent("qpress/links.json")
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every link in a built site (or any folder of HTML files).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case human, json, junit
    }

    @Argument(help: ArgumentHelp("Folder to check (default: the site's output folder).", valueName: "DIR"))
    var folder: String?

    @Option(name: .long, help: ArgumentHelp("Site folder whose Content/site.yml gives base_url and link_check settings.", valueName: "DIR"))
    var source: String = "."

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Absolute links below this URL are checked as files.", valueName: "URL"))
    var baseURL: String?

    @Option(name: .long, help: ArgumentHelp("Skip URLs matching this pattern (* matches anything); repeatable.", valueName: "PATTERN"))
    var exclude: [String] = []

    @Option(name: .long, help: "Report format: human, json or junit.")
    var format: Format = .human

    @OptionGroup var links: LinkOptions

    func validate() throws {
        let target = folder ?? (source as NSString).appendingPathComponent("Output")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("'\(target)' is not a folder; build the site first or name a folder to check")
        }
    }

    func run() async throws {
        let target = URL(fileURLWithPath: folder ?? (source as NSString).appendingPathComponent("Output"))
        let (config, problems) = ContentLoader(siteRoot: URL(fileURLWithPath: source)).loadConfig()
        Console.printDiagnostics(problems)
        var options = SiteBuilder.linkCheckOptions(config?.linkCheck ?? .init(), baseURL: baseURL ?? config?.baseURL,
                                                   offline: links.offline, cacheFile: links.cacheFile)
        options.exclude += exclude
        let report = await LinkChecker(folder: target, options: options, sources: await SiteBuilder.linkSourceMap(in: target)).check()
        switch format {
        case .human: print(report.humanReadable(), terminator: "")
        case .json: print(report.json(), terminator: "")
        case .junit: print(report.junit(), terminator: "")
        }
        if !report.isClean { throw ExitCode(ExitStatus.contentErrors) }
    }
}
