public import ArgumentParser
import Foundation
import PressCore
import PressReferences

/// `qpress cite FILE`: prints a bibliography formatted by GB/T 7714-2015, to check it before citing.
struct Cite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cite",
        abstract: "Print every entry of a bibliography file (.json CSL-JSON, .bib BibTeX, .ris) formatted by GB/T 7714-2015.")

    @Argument(help: ArgumentHelp("The bibliography file.", valueName: "FILE"))
    var file: String

    @Option(name: .long, help: "numeric (顺序编码制) or author-date (著者-出版年制).")
    var style: CitationStyle = .numeric

    @Option(name: .long, help: "text, or html with links.")
    var format: CiteListing.Format = .text

    func run() throws {
        do {
            let bibliography = try Bibliography.load([(URL(fileURLWithPath: file), file)])
            Console.printDiagnostics(bibliography.warnings)
            if !bibliography.entries.isEmpty {
                print(CiteListing.render(bibliography.entries, style: style, format: format))
            }
        } catch {
            Console.printDiagnostics(error.diagnostics)
            throw ExitCode(ExitStatus.contentErrors)
        }
    }
}

extension CitationStyle: ExpressibleByArgument {}
extension CiteListing.Format: ExpressibleByArgument {}
