import Foundation

/// Zotero keeps what its own fields cannot hold as `key: value` lines in "Extra", exported as CSL `note`
/// (`type: standard`, `page: 29`, `original-date: 1865`). citeproc-js reads them as variables; so do we.
enum ZoteroExtra {
    static let dateVariables: Set<String> = ["issued", "accessed", "original-date", "event-date", "submitted"]
    static let nameVariables: Set<String> = ["author", "editor", "translator", "container-author", "collection-editor",
                                             "director", "interviewer", "recipient", "reviewed-author", "compiler"]
    static let upperCaseVariables: [String: String] = ["doi": "DOI", "url": "URL", "isbn": "ISBN", "issn": "ISSN",
                                                      "pmid": "PMID", "pmcid": "PMCID"]

    /// Moves recognised lines out of `note` into the entry. `type` overrides the entry's type (that is
    /// what the line is for); other lines only fill variables the entry does not already have.
    static func apply(to entry: inout Entry) {
        guard let note = entry.fields["note"] else { return }
        var kept: [Substring] = []
        for line in note.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let (variable, value) = parse(line) else {
                kept.append(line)
                continue
            }
            assign(variable, value, to: &entry)
        }
        let rest = kept.joined(separator: "\n").trimmingSpaces
        entry.fields["note"] = rest.isEmpty ? nil : rest
    }

    /// `page: 29` → (`page`, `29`); `Original Date: 1865` → (`original-date`, `1865`). Prose is not a variable.
    static func parse(_ line: Substring) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let rawKey = line[..<colon].trimmingSpaces
        let value = line[line.index(after: colon)...].trimmingSpaces
        guard !rawKey.isEmpty, !value.isEmpty, rawKey.count <= 30,
              rawKey.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-" || $0 == " " || $0 == "_") }) else { return nil }
        let key = rawKey.lowercased().replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
        guard key.contains("-") || known.contains(key) || upperCaseVariables[key] != nil else { return nil }
        return (upperCaseVariables[key] ?? key, value)
    }

    /// Single-word keys we accept; hyphenated keys (`publisher-place`) are CSL's own spelling and always accepted.
    static let known: Set<String> = Set([
        "type", "page", "volume", "issue", "edition", "number", "publisher", "genre", "language", "medium",
        "section", "source", "status", "version", "authority", "archive", "dimensions", "references", "scale",
        "title", "jurisdiction", "division", "annote",
    ]).union(dateVariables).union(nameVariables)

    private static func assign(_ variable: String, _ value: String, to entry: inout Entry) {
        if variable == "type" {
            entry.type = value
        } else if dateVariables.contains(variable) {
            if entry.dates[variable] == nil { entry.dates[variable] = EntryDate(parsing: value) }
        } else if nameVariables.contains(variable) {
            // Zotero writes `author: Family || Given`; several lines add several names.
            let parts = value.components(separatedBy: "||").map(\.trimmingSpaces)
            let name = parts.count > 1 ? Name(family: parts[0], given: parts[1]) : Name(literal: parts[0])
            entry.names[variable, default: []].append(name)
        } else if entry[variable] == nil {
            entry[variable] = value
        }
    }
}
