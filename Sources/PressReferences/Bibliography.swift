public import Foundation
public import PressCore

/// The entries of one or more bibliography files, keyed by citation key, with the warnings found.
public struct Bibliography: Sendable {
    public enum Format: String, Sendable {
        case cslJSON = "CSL-JSON"
        case bibTeX = "BibTeX"
        case ris = "RIS"

        /// `.json` (CSL-JSON), `.bib`/`.bibtex` (BibTeX, BibLaTeX), `.ris`.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "json": self = .cslJSON
            case "bib", "bibtex", "biblatex": self = .bibTeX
            case "ris": self = .ris
            default: return nil
            }
        }
    }

    public static let supportedExtensions = ["json", "bib", "bibtex", "ris"]

    /// Entries in file order.
    public private(set) var entries: [Entry] = []
    /// Entries missing what GB/T 7714 requires for their type; building goes on.
    public private(set) var warnings: [Diagnostic] = []
    private var indexByKey: [String: Int] = [:]

    public init() {}

    public subscript(key: String) -> Entry? { indexByKey[key].map { entries[$0] } }

    public var keys: [String] { entries.map(\.key) }

    /// Parses text in `format`; `file` names it in messages.
    public static func parse(_ text: String, format: Format, file: String) throws(Diagnostic) -> [Entry] {
        switch format {
        case .cslJSON: try CSLJSON.read(text, file: file)
        case .bibTeX: try BibTeX.read(text, file: file)
        case .ris: try RIS.read(text, file: file)
        }
    }

    /// Reads a file; `displayPath` is how messages name it (relative to the site where possible).
    public static func read(_ url: URL, displayPath: String) throws(Diagnostic) -> [Entry] {
        guard let format = Format(path: url.path) else {
            throw .error(displayPath, "not a bibliography file: use .json (CSL-JSON), .bib (BibTeX) or .ris")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .error(displayPath, "cannot read the bibliography file")
        }
        switch SourceText.decode(data) {
        case .success(let text): return try parse(text, format: format, file: displayPath)
        case .failure(.looksLikeGBK(let line)): throw .error(displayPath, line: line, "the file is GBK-encoded; save it as UTF-8")
        case .failure(.notUTF8(let line)): throw .error(displayPath, line: line, "the file is not UTF-8 text")
        }
    }

    /// Loads files in order into one bibliography. Every problem is collected: a malformed file, and a
    /// key defined twice (naming both places), are errors.
    public static func load(_ files: [(url: URL, displayPath: String)]) throws(DiagnosticsError) -> Bibliography {
        var bibliography = Bibliography()
        var errors: [Diagnostic] = []
        for file in files {
            do {
                errors += bibliography.add(try read(file.url, displayPath: file.displayPath))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw DiagnosticsError(errors) }
        return bibliography
    }

    /// Adds entries; returns an error for each key already present. Warns about missing required fields.
    @discardableResult
    public mutating func add(_ newEntries: [Entry]) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        for entry in newEntries {
            if let existing = self[entry.key] {
                errors.append(Diagnostic(entry.location,
                    "duplicate citation key '\(entry.key)': already defined at \(existing.location)"))
                continue
            }
            indexByKey[entry.key] = entries.count
            entries.append(entry)
            warnings += RequiredFields.check(entry)
        }
        return errors
    }
}
