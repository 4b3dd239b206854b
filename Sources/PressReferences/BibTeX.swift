public import PressCore

/// Reads BibTeX and BibLaTeX `.bib` files into CSL entries, mapping types and fields the way
/// Zotero, Pandoc and biblatex-gb7714-2015 agree on.
public enum BibTeX {
    public static func read(_ text: String, file: String) throws(Diagnostic) -> [Entry] {
        var parser = BibTeXParser(text, file: file)
        return try parser.parse().map { entry($0, file: file) }
    }

    static let types: [String: String] = [
        "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet", "manual": "book",
        "inbook": "chapter", "incollection": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
        "collection": "book", "mvcollection": "book", "reference": "book",
        "inproceedings": "paper-conference", "conference": "paper-conference",
        "proceedings": "paper-conference", "mvproceedings": "paper-conference",
        "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
        "techreport": "report", "report": "report", "standard": "standard", "patent": "patent",
        "online": "webpage", "electronic": "webpage", "www": "webpage", "newspaper": "article-newspaper",
        "periodical": "periodical", "unpublished": "manuscript", "archive": "collection", "legislation": "legislation",
        "dataset": "dataset", "software": "software", "map": "map", "database": "database", "misc": "document",
    ]

    /// Fields that map one to one.
    static let simpleFields: [String: String] = [
        "title": "title", "edition": "edition", "volume": "volume", "issue": "issue", "pages": "page",
        "publisher": "publisher", "address": "publisher-place", "location": "publisher-place",
        "language": "language", "langid": "language", "note": "note", "isbn": "ISBN", "issn": "ISSN",
        "series": "collection-title", "eventtitle": "event-title", "venue": "event-place", "type": "genre",
        "abstract": "abstract", "keywords": "keyword", "version": "version", "chapter": "chapter-number",
        "shortjournal": "container-title-short", "journalabbreviation": "container-title-short",
    ]

    static func entry(_ raw: RawBibEntry, file: String) -> Entry {
        var type = types[raw.type] ?? "document"
        var entry = Entry(key: raw.key, type: type, location: SourceLocation(file: file, line: raw.line))
        var year: String?
        var month: String?
        for (name, value) in raw.fields {
            switch name {
            case "author", "editor", "translator": entry.names[name] = BibTeXNames.parse(value)
            case "url", "doi": entry.fields[name.uppercased()] = verbatim(value)
            case "journal", "journaltitle", "booktitle": entry.fields["container-title"] = LaTeX.toUnicode(value)
            case "school", "institution", "organization":
                if entry.fields["publisher"] == nil { entry.fields["publisher"] = LaTeX.toUnicode(value) }
            case "number": entry.fields[numberField(type)] = LaTeX.toUnicode(value)
            case "year": year = LaTeX.toUnicode(value)
            case "month": month = LaTeX.toUnicode(value)
            case "date": entry.dates["issued"] = EntryDate(parsing: LaTeX.toUnicode(value))
            case "urldate": entry.dates["accessed"] = EntryDate(parsing: LaTeX.toUnicode(value))
            case "eventdate": entry.dates["event-date"] = EntryDate(parsing: LaTeX.toUnicode(value))
            case "origdate": entry.dates["original-date"] = EntryDate(parsing: LaTeX.toUnicode(value))
            case "entrysubtype" where value.lowercased() == "newspaper": type = "article-newspaper"
            default:
                if let variable = simpleFields[name] { entry.fields[variable] = LaTeX.toUnicode(value) }
            }
        }
        entry.type = type
        if let page = entry.fields["page"] { entry.fields["page"] = page.replacingOccurrences(of: "–", with: "-") }
        if entry.dates["issued"] == nil, let year {
            entry.dates["issued"] = EntryDate(parsing: [year, month].compactMap { $0 }.joined(separator: "-"))
        }
        ZoteroExtra.apply(to: &entry)
        return entry
    }

    /// An article's `number` is its issue; a report's, standard's or patent's is its number.
    private static func numberField(_ type: String) -> String {
        ["article-journal", "article-newspaper", "periodical"].contains(type) ? "issue" : "number"
    }

    /// URLs and DOIs are not LaTeX: only braces and the escapes `\_ \% \& \#` are removed.
    static func verbatim(_ value: String) -> String {
        var text = ""
        var escaped = false
        for character in value {
            if escaped { text.append(character); escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "{", "}": continue
            default: text.append(character)
            }
        }
        return text.trimmingSpaces
    }
}
