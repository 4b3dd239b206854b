import PressCore

/// One `@type{key, field = value, …}` as written, before mapping to CSL: field values keep their braces,
/// which matter for names (`{World Health Organization}` is one name) and are removed later.
struct RawBibEntry: Sendable {
    var type: String
    var key: String
    var fields: [(name: String, value: String)]
    var line: Int
}

/// The BibTeX grammar: text outside `@…` is a comment; entries are delimited by braces or parentheses;
/// values are `{…}` (nested braces), `"…"` (braces inside may hold quotes), numbers, or `@string`
/// macros, concatenated with `#`. `@comment` and `@preamble` are skipped.
struct BibTeXParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private let file: String
    /// `@string` macros, and the month abbreviations BibTeX predefines.
    private var macros: [String: String] = [
        "jan": "1", "feb": "2", "mar": "3", "apr": "4", "may": "5", "jun": "6",
        "jul": "7", "aug": "8", "sep": "9", "oct": "10", "nov": "11", "dec": "12",
    ]

    init(_ text: String, file: String) {
        scalars = Array(text.unicodeScalars)
        self.file = file
    }

    mutating func parse() throws(Diagnostic) -> [RawBibEntry] {
        var entries: [RawBibEntry] = []
        while skip(to: "@") {
            let start = line
            index += 1
            skipSpace()
            let type = readIdentifier().lowercased()
            guard !type.isEmpty else { throw failure("'@' must be followed by an entry type such as @book", line: start) }
            skipSpace()
            guard let open = current, open == "{" || open == "(" else {
                if type == "comment" { continue }
                throw failure("@\(type) must be followed by '{' or '('", line: start)
            }
            let close: Unicode.Scalar = open == "{" ? "}" : ")"
            switch type {
            case "comment", "preamble":
                index += 1
                try skipBalanced(close: close, openedOn: start)
            case "string":
                index += 1
                let (name, value) = try readField(openedOn: start)
                macros[name] = value
                skipSpace()
                try expect(close, "'\(close)' to end the @string opened on line \(start)")
            default:
                index += 1
                entries.append(try readEntry(type: type, close: close, start: start))
            }
        }
        return entries
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// What stands where something else was expected, for messages.
    private var found: String { current.map { "'\($0)'" } ?? "the end of the file" }

    private func failure(_ message: String, line: Int? = nil) -> Diagnostic {
        .error(file, line: line ?? self.line, "malformed BibTeX: \(message)")
    }

    /// Moves to the next `target`, counting lines; false at the end of the text.
    private mutating func skip(to target: Unicode.Scalar) -> Bool {
        while let scalar = current {
            if scalar == target { return true }
            if scalar == "\n" { line += 1 }
            index += 1
        }
        return false
    }

    private mutating func skipSpace() {
        while let scalar = current, scalar.properties.isWhitespace {
            if scalar == "\n" { line += 1 }
            index += 1
        }
    }

    private mutating func expect(_ scalar: Unicode.Scalar, _ what: String) throws(Diagnostic) {
        skipSpace()
        guard current == scalar else {
            throw failure("expected \(what), found \(found)")
        }
        index += 1
    }

    /// Entry types, keys, field names and macro names: anything up to a delimiter.
    private mutating func readIdentifier() -> String {
        var text = String.UnicodeScalarView()
        while let scalar = current, !scalar.properties.isWhitespace, !"{}(),=#\"@".unicodeScalars.contains(scalar) {
            text.append(scalar)
            index += 1
        }
        return String(text)
    }

    private mutating func readEntry(type: String, close: Unicode.Scalar, start: Int) throws(Diagnostic) -> RawBibEntry {
        skipSpace()
        let key = readIdentifier()
        guard !key.isEmpty else { throw failure("@\(type) on line \(start) has no citation key", line: start) }
        var entry = RawBibEntry(type: type, key: key, fields: [], line: start)
        while true {
            skipSpace()
            if current == close { index += 1; return entry }
            guard current == "," else {
                if current == nil { throw failure("@\(type){\(key)} is not closed", line: start) }
                throw failure("expected ',' or '\(close)' in @\(type){\(key)}, found \(found)")
            }
            index += 1
            skipSpace()
            if current == close { index += 1; return entry }
            let (name, value) = try readField(openedOn: start)
            entry.fields.append((name, value))
        }
    }

    /// `name = part # part # …`
    private mutating func readField(openedOn start: Int) throws(Diagnostic) -> (String, String) {
        skipSpace()
        let name = readIdentifier().lowercased()
        guard !name.isEmpty else {
            throw failure(current == nil ? "the entry opened on line \(start) is not closed" : "expected a field name, found \(found)")
        }
        try expect("=", "'=' after the field name '\(name)'")
        var value = ""
        while true {
            skipSpace()
            value += try readPart(field: name)
            skipSpace()
            guard current == "#" else { return (name, value) }
            index += 1
        }
    }

    private mutating func readPart(field: String) throws(Diagnostic) -> String {
        let start = line
        switch current {
        case "{":
            index += 1
            return try readBalanced(until: "}", field: field, openedOn: start)
        case "\"":
            index += 1
            return try readBalanced(until: "\"", field: field, openedOn: start)
        case nil:
            throw failure("the file ends where the value of '\(field)' was expected")
        default:
            let word = readIdentifier()
            if !word.isEmpty, word.allSatisfy(\.isNumber) { return word }
            guard !word.isEmpty else { throw failure("expected a value for '\(field)', found \(found)") }
            guard let macro = macros[word.lowercased()] else {
                throw failure("'\(word)' in field '\(field)' is not a defined @string (quote or brace literal text)")
            }
            return macro
        }
    }

    /// Text up to the closing delimiter at brace depth zero, keeping inner braces.
    private mutating func readBalanced(until close: Unicode.Scalar, field: String, openedOn start: Int) throws(Diagnostic) -> String {
        var depth = 0
        var text = String.UnicodeScalarView()
        while let scalar = current {
            index += 1
            if scalar == "\n" { line += 1 }
            if scalar == close, depth == 0 { return String(text) }
            if scalar == "{" { depth += 1 }
            if scalar == "}" {
                depth -= 1
                if depth < 0 { throw failure("unbalanced '}' in the value of '\(field)'") }
            }
            // A value that runs into the next entry lost its closing delimiter: blame where it opened.
            if scalar == "@", text.last == "\n" {
                throw failure("the value of '\(field)' opened on line \(start) is not closed before the next entry", line: start)
            }
            text.append(scalar)
        }
        throw failure("the value of '\(field)' opened on line \(start) is not closed", line: start)
    }

    private mutating func skipBalanced(close: Unicode.Scalar, openedOn start: Int) throws(Diagnostic) {
        var depth = 0
        while let scalar = current {
            index += 1
            if scalar == "\n" { line += 1 }
            if scalar == "{" {
                depth += 1
            } else if scalar == "}" {
                if depth == 0, close == "}" { return }
                depth -= 1
            } else if scalar == close, depth == 0 {
                return
            }
        }
        throw failure("the block opened on line \(start) is not closed", line: start)
    }
}
