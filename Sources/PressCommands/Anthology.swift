import ArgumentParser
import Foundation
import PressBuild
import PressCore

/// `qpress anthology <name>`: builds one book (web edition, EPUB, PDF) into Output/anthologies/<name>/.
struct Anthology: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anthology",
        abstract: "Build one anthology from Content/anthologies/<name>.yml: web edition, EPUB and print-ready PDF.")

    @Argument(help: ArgumentHelp("The manifest's name, e.g. story-collection for Content/anthologies/story-collection.yml.", valueName: "name"))
    var name: String

    @OptionGroup var site: SiteOptions

    func validate() throws {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw ValidationError("anthology name '\(name)' must be a file name in Content/anthologies/ without .yml")
        }
        let folder = URL(fileURLWithPath: site.source).appendingPathComponent("Content/anthologies")
        guard ["yml", "yaml"].contains(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(name).\($0)").path) }) else {
            throw ValidationError("no anthology '\(name)': \(folder.appendingPathComponent("\(name).yml").path) does not exist")
        }
    }

    func run() async throws {
        let options = site.buildOptions, name = name
        let (result, stop) = await StopSignal.running { await SiteBuilder(options: options).buildAnthology(name) }
        if let stop { Console.stopped(by: stop, output: options.outputFolder.appendingPathComponent("anthologies/\(name)"), replaced: result.succeeded) }
        Console.printDiagnostics(result.diagnostics)
        guard result.succeeded else {
            BuildSummary.printFailure("anthology '\(name)'", result)
            throw ExitCode(ExitStatus.contentErrors)
        }
        Console.printAnthologies(result)
    }
}

extension Console {
    /// One line per book: built (and why, in a site build) or reused, what was written and where the time went.
    static func printAnthologies(_ result: BuildResult) {
        for report in result.anthologies {
            // The web edition's image copies are counted, not named: a book may hold dozens.
            let folder = "anthologies/\(report.name)/images/"
            let images = report.files.filter { $0.hasPrefix(folder) }.count
            let named = report.files.filter { !$0.hasPrefix(folder) }.map { ($0 as NSString).lastPathComponent }
            let files = (named + (images > 0 ? ["\(images) image\(images == 1 ? "" : "s")"] : [])).joined(separator: ", ")
            let reason = report.reason.map { " (\($0))" } ?? ""
            if report.reused {
                print("reused anthology \(report.name)\(reason): \(files)")
                continue
            }
            var line = "built anthology \(report.name)\(reason): \(files) (HTML and EPUB \(String(format: "%.2f", report.htmlSeconds)) s"
            if report.pdfSeconds > 0 { line += ", PDF \(String(format: "%.2f", report.pdfSeconds)) s" }
            print(line + ")")
        }
    }
}
