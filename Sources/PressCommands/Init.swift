import ArgumentParser
import Foundation
import PressScaffold

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new site: Content/ with site settings and one story, paper and page; Templates/ for overrides.")

    @Argument(help: ArgumentHelp("Folder for the new site (must not exist or be empty).", valueName: "DIR"))
    var folder: String

    @Option(name: .long, help: "The site's title.")
    var title: String = "质量月示例网站"

    func run() throws {
        do {
            let created = try Scaffold.initSite(at: URL(fileURLWithPath: folder), title: title)
            print("created a site in \(folder) (\(created.count) files); build it with: qpress build --source \(folder)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(ExitStatus.contentErrors)
        }
    }
}
