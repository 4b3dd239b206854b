import Foundation
public import PressCore

/// Reads RIS (`TY  - JOUR` … `ER  -`), as exported by CNKI, Wanfang and most databases. RIS has no
/// citation keys: an entry's key is its `ID`, else its position in the file (`1`, `2`, …).
public enum RIS {
    static let types: [String: String] = [
        "JOUR": "article-journal", "JFULL": "periodical", "SER": "periodical", "MGZN": "article-magazine",
        "BOOK": "book", "EDBOOK": "book", "EBOOK": "book", "CHAP": "chapter", "ECHAP": "chapter",
        "CONF": "paper-conference", "CPAPER": "paper-conference", "THES": "thesis", "RPRT": "report",
        "PAT": "patent", "NEWS": "article-newspaper", "ELEC": "webpage", "WEB": "webpage", "BLOG": "post-weblog",
        "STAND": "standard", "DATA": "dataset", "COMP": "software", "MAP": "map", "STAT": "legislation",
        "BILL": "bill", "CASE": "legal_case", "GOVDOC": "report", "GEN": "document",
    ]
    static let fields: [String: String] = [
        "TI": "title", "T1": "title", "T2": "container-title", "JO": "container-title", "JF": "container-title",
        "BT": "container-title", "VL": "volume", "IS": "issue", "PB": "publisher", "CY": "publisher-place",
        "PP": "publisher-place", "UR": "URL", "DO": "DOI", "ET": "edition", "LA": "language", "N1": "note",
        "SN": "ISBN", "M3": "genre", "T3": "collection-title",
    ]
    static let names: [String: String] = ["AU": "author", "A1": "author", "A2": "editor", "ED": "editor", "A4": "translator"]

    public static func read(_ text: String, file: String) throws(Diagnostic) -> [Entry] {
        var entries: [Entry] = []
        var current: Entry?
        var startPage: String?
        var endPage: String?
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.trimmingSpaces
            guard !line.isEmpty else { continue }
            guard line.count >= 5, line.dropFirst(2).hasPrefix("  -") || line.dropFirst(2).hasPrefix(" -") else {
                throw .error(file, line: lineNumber, "malformed RIS: a line is `XX  - value`")
            }
            let tag = String(line.prefix(2))
            let value = String(line.drop(while: { $0 != "-" }).dropFirst()).trimmingSpaces
            if tag == "TY" {
                if current != nil { throw .error(file, line: lineNumber, "malformed RIS: the entry above has no `ER  -`") }
                current = Entry(key: String(entries.count + 1), type: types[value] ?? "document",
                                location: SourceLocation(file: file, line: lineNumber))
                continue
            }
            guard var entry = current else { throw .error(file, line: lineNumber, "malformed RIS: \(tag) outside an entry (`TY  -` first)") }
            switch tag {
            case "ER":
                if let startPage { entry.fields["page"] = startPage + (endPage.map { "-" + $0 } ?? "") }
                ZoteroExtra.apply(to: &entry)
                entries.append(entry)
                current = nil
                startPage = nil
                endPage = nil
                continue
            case "ID": entry.key = value
            case "SP": startPage = value
            case "EP": endPage = value
            case "PY", "Y1", "DA": entry.dates["issued"] = EntryDate(parsing: value.replacingOccurrences(of: "/", with: "-").trimmingCharacters(in: ["-"]))
            case "Y2": entry.dates["accessed"] = EntryDate(parsing: value.replacingOccurrences(of: "/", with: "-").trimmingCharacters(in: ["-"]))
            default:
                if let role = names[tag] {
                    entry.names[role, default: []].append(name(value))
                } else if let field = fields[tag], entry.fields[field] == nil {
                    entry.fields[field] = value
                }
            }
            current = entry
        }
        if let current { throw .error(file, line: current.location.line, "malformed RIS: the entry is not closed with `ER  -`") }
        return entries
    }

    /// `Peebles, Peyton Z., Jr` → family, given, suffix; `张建国` → whole.
    static func name(_ value: String) -> Name {
        let parts = value.split(separator: ",", maxSplits: 2).map(\.trimmingSpaces)
        guard parts.count >= 2 else { return Name(literal: value) }
        return Name(family: parts[0], given: parts[1], suffix: parts.count == 3 ? parts[2] : nil)
    }
}
