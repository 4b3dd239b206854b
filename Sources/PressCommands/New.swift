public import ArgumentParser
import Foundation
import PressScaffold

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a story, paper or page with the front matter its type needs (never overwrites).")

    @Argument(help: ArgumentHelp("story, paper or page.", valueName: "TYPE"))
    var kind: Scaffold.Kind

    @Argument(help: "The title, e.g. \"精益求精的轴承人\".")
    var title: String

    @Option(name: .long, help: ArgumentHelp("Site folder holding Content/.", valueName: "DIR"))
    var source: String = "."

    @Option(name: .long, help: "URL segment and file name (default: made from the title).")
    var slug: String?

    func run() throws {
        do {
            let path = try Scaffold.newDocument(kind, title: title, slug: slug, in: URL(fileURLWithPath: source))
            print("created \(path) (a draft: preview it with qpress serve --drafts; remove 'draft: true' to publish)")
        } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(ExitStatus.contentErrors)
        }
    }
}

extension Scaffold.Kind: ExpressibleByArgument {}
