public import PressCore

/// Reads CSL-JSON (what Zotero, Pandoc and citeproc use): an array of items, each with `id`, `type`
/// and CSL variables. Names are arrays of `{family, given}` or `{literal}`; dates are `{"date-parts": …}`.
public enum CSLJSON {
    public static func read(_ text: String, file: String) throws(Diagnostic) -> [Entry] {
        var parser = JSONParser(text, file: file)
        let document = try parser.parseDocument()
        let items: [JSONValue]
        switch document {
        case .array(let values, _): items = values
        case .object: items = [document]
        default: throw .error(file, line: document.line, "a CSL-JSON file holds an array of entries")
        }
        var entries: [Entry] = []
        for item in items { entries.append(try entry(item, file: file)) }
        return entries
    }

    static func entry(_ item: JSONValue, file: String) throws(Diagnostic) -> Entry {
        guard case .object(let members, let line) = item else {
            throw .error(file, line: item.line, "each CSL-JSON entry is an object with an \"id\" and a \"type\"")
        }
        guard let key = (item["id"] ?? item["citation-key"])?.text, !key.isEmpty else {
            throw .error(file, line: line, "this entry has no \"id\"")
        }
        guard let type = item["type"]?.text, !type.isEmpty else {
            throw .error(file, line: line, "entry '\(key)' has no \"type\" (book, article-journal, chapter, …)")
        }
        var entry = Entry(key: key, type: type, location: SourceLocation(file: file, line: line))
        for (variable, value) in members where !["id", "type", "citation-key"].contains(variable) {
            switch value {
            case .array(let values, _):
                entry.names[variable] = try values.map { (nameValue: JSONValue) throws(Diagnostic) in try name(nameValue, file: file) }
            case .object:
                entry.dates[variable] = try date(value, variable: variable, file: file)
            default:
                if let text = value.text { entry.fields[variable] = text }
            }
        }
        ZoteroExtra.apply(to: &entry)
        return entry
    }

    static func name(_ value: JSONValue, file: String) throws(Diagnostic) -> Name {
        guard case .object = value else {
            throw .error(file, line: value.line, "a name is an object such as {\"family\": \"张\", \"given\": \"建国\"}")
        }
        let particle = [value["dropping-particle"]?.text, value["non-dropping-particle"]?.text].compactMap { $0 }.joined(separator: " ")
        return Name(family: value["family"]?.text, given: value["given"]?.text, literal: value["literal"]?.text,
                    suffix: value["suffix"]?.text, particle: particle.isEmpty ? nil : particle)
    }

    static func date(_ value: JSONValue, variable: String, file: String) throws(Diagnostic) -> EntryDate {
        if let literal = value["literal"]?.text { return EntryDate(literal: literal) }
        if let raw = value["raw"]?.text { return EntryDate(parsing: raw) }
        guard case .array(let ranges, _)? = value["date-parts"] else {
            throw .error(file, line: value.line, "'\(variable)' needs \"date-parts\", \"raw\" or \"literal\"")
        }
        let points = ranges.map { range -> EntryDate.Point? in
            guard case .array(let parts, _) = range else { return nil }
            let numbers = parts.compactMap { $0.text.flatMap { Int($0.trimmingSpaces) } }
            guard let year = numbers.first else { return nil }
            return EntryDate.Point(year: year, month: numbers.count > 1 ? numbers[1] : nil, day: numbers.count > 2 ? numbers[2] : nil)
        }
        guard let start = points.first ?? nil else {
            throw .error(file, line: value.line, "'\(variable)' has no year in its \"date-parts\"")
        }
        return EntryDate(start: start, end: points.count > 1 ? points[1] : nil)
    }
}
