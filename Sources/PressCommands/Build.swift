import ArgumentParser
import Foundation
import PressBuild
import PressCore

/// Options every command that builds shares.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Site folder holding Content/ (and optionally Templates/).", valueName: "DIR"))
    var source: String = "."

    @Option(name: .long, help: ArgumentHelp("Output folder (default: DIR/Output).", valueName: "DIR"))
    var output: String?

    @Flag(name: .long, help: "Include documents marked draft: true.")
    var drafts = false

    @Flag(name: .long, help: "Ignore the build cache in the output folder and render every page.")
    var clean = false

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Replace base_url from site.yml.", valueName: "URL"))
    var baseURL: String?

    @Flag(name: .customLong("no-pdf"), help: "Skip the anthologies' PDFs (the slow WeasyPrint step).")
    var noPDF = false

    @Flag(name: .customLong("proof"), help: "Also write each anthology's screen PDF for review (<name>.proof.pdf: RGB, no bleed, no crop marks).")
    var proof = false

    @Flag(name: .long, help: "Fail when an anthology's image is too coarse for the press (under 300 ppi), instead of warning.")
    var strict = false

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("source folder '\(source)' does not exist")
        }
        if let baseURL, let problem = BaseURL.problem(baseURL) {
            throw ValidationError("--base-url: \(problem)")
        }
    }

    var buildOptions: BuildOptions {
        var options = BuildOptions(source: URL(fileURLWithPath: source), output: output.map { URL(fileURLWithPath: $0) },
                                   includeDrafts: drafts, baseURL: baseURL, anthologyPDF: !noPDF)
        options.incremental = !clean
        options.anthologyProof = proof
        options.anthologyStrict = strict
        return options
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the website into the output folder.")

    @OptionGroup var site: SiteOptions

    @Flag(name: .long, help: "Check links in the new output; a broken link fails the build.")
    var check = false

    @OptionGroup var links: LinkOptions

    @Flag(name: .long, help: "Print the time each step of the build took.")
    var timings = false

    func run() async throws {
        var options = site.buildOptions
        if check {
            options.linkCheck = links.offline ? .offline : .online
            options.linkCacheFile = links.cacheFile
        }
        let (result, stop) = await StopSignal.running { [options] in
            await SiteBuilder(options: options).build { pages in
                if pages >= 500 { Console.progress("已生成 \(pages) 页…") }
            }
        }
        Console.clearProgress()
        if let stop { Console.stopped(by: stop, output: options.outputFolder, replaced: result.succeeded) }
        Console.printDiagnostics(result.diagnostics)
        guard result.succeeded else {
            BuildSummary.printFailure("build", result)
            throw ExitCode(ExitStatus.contentErrors)
        }
        if let linkReport = result.linkReport { print(linkReport.summary) }
        print(BuildSummary.built(result) + " in \(String(format: "%.2f", result.seconds)) s")
        if result.imageFilesMade + result.imageFilesReused > 0 {
            print("images: made \(result.imageFilesMade) files, reused \(result.imageFilesReused) unchanged")
        }
        Console.printAnthologies(result)
        if timings {
            for line in result.timingLines { print(line) }
        }
        // Done: leave without releasing the site's objects one by one (a tenth of a second for
        // 10,000 pages); the system takes the memory back at once. `exit` flushes standard output.
        Foundation.exit(0)
    }
}
