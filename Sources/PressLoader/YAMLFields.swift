import PressCore
import PressModel
import Yams

/// Reads the fields of one YAML mapping, recording a diagnostic with file and line for
/// every missing, mistyped or unknown field instead of stopping at the first.
struct YAMLFields {
    let file: String
    /// Added to a YAML line to give the file's line.
    let lineOffset: Int
    private let mapping: Node.Mapping
    /// Values by key: `Node.Mapping`'s own subscript builds a key node and resolves its tag per lookup.
    private let values: [String: Node]
    private let mappingLine: Int
    private var allowed: Set<String> = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Diagnostics carry the column too (`x.yml:7:5:`). Off for front matter, whose messages predate it.
    var reportsColumns = false

    init(_ mapping: Node.Mapping, file: String, lineOffset: Int) {
        self.mapping = mapping
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            if let name = key.scalar?.string, values[name] == nil { values[name] = value }
        }
        self.values = values
        self.file = file
        self.lineOffset = lineOffset
        self.mappingLine = (mapping.mark?.line ?? 1) + lineOffset
    }

    /// Parses YAML text that must be a mapping. An empty document is an empty mapping.
    static func parse(_ yaml: String, file: String, firstLine: Int) -> Result<YAMLFields, Diagnostic> {
        let lineOffset = firstLine - 1
        if let problem = YAMLShape.check(yaml) {
            return .failure(.error(file, line: problem.line + lineOffset, column: problem.column, problem.message))
        }
        do {
            // Fields are read as text and checked here, so scalars need no tag resolution (a dozen
            // regular expressions per value); the encoding is given so Yams does not read the environment.
            guard let node = try Yams.compose(yaml: yaml, .basic, .default, .utf8) else {
                return .success(YAMLFields(Node.Mapping([]), file: file, lineOffset: lineOffset))
            }
            guard let mapping = node.mapping else {
                return .failure(.error(file, line: (node.mark?.line ?? 1) + lineOffset, "front matter must be a mapping of 'field: value' lines"))
            }
            return .success(YAMLFields(mapping, file: file, lineOffset: lineOffset))
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, file: file, lineOffset: lineOffset))
        } catch {
            return .failure(.error(file, line: firstLine, "invalid YAML: \(error)"))
        }
    }

    static func diagnostic(for error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return .error(file, line: mark.line + lineOffset, column: mark.column, "invalid YAML: \(detail)")
        case .reader(let problem, let offset, _, let yaml):
            // Yams' message quotes the line and a caret below it; ours stays one line (found by fuzzing).
            let line = offset.map { offset in yaml.utf8.prefix(max(0, offset)).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } } ?? 1
            return .error(file, line: line + lineOffset, "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Yams' own message carries the whole document.
            let names = duplicates.sorted().map { Diagnostic.quote($0) }.joined(separator: ", ")
            return .error(file, line: context.mark.line + lineOffset, "field \(names) is written more than once")
        default:
            let summary = String(describing: error).prefix { $0 != "\n" }.prefix(200)
            return .error(file, line: lineOffset + 1, "invalid YAML: \(summary)")
        }
    }

    private func line(of node: Node?) -> Int {
        guard let line = node?.mark?.line else { return mappingLine }
        return line + lineOffset
    }

    private mutating func value(_ key: String) -> Node? {
        allowed.insert(key)
        return values[key]
    }

    private func column(of node: Node?) -> Int? {
        guard reportsColumns else { return nil }
        return node?.mark?.column ?? mapping.mark?.column
    }

    private mutating func report(_ node: Node?, _ message: String) {
        diagnostics.append(.error(file, line: line(of: node), column: column(of: node), message))
    }

    /// A problem with a field's value, reported at the field's line (or the mapping's when absent).
    mutating func report(field key: String, _ message: String) {
        report(values[key], message)
    }

    private mutating func missing(_ key: String) {
        diagnostics.append(.error(file, line: mappingLine, column: reportsColumns ? mapping.mark?.column : nil, "missing required field '\(key)'"))
    }

    /// Where the mapping itself starts, for problems of the whole entry (`section has no documents`).
    var location: SourceLocation {
        SourceLocation(file: file, line: mappingLine, column: reportsColumns ? mapping.mark?.column : nil)
    }

    /// Where a field's value stands; the mapping's start when the field is absent.
    func location(of key: String) -> SourceLocation {
        let node = values[key]
        return SourceLocation(file: file, line: line(of: node), column: column(of: node))
    }

    /// True when the field is written (even empty); marks it as known.
    mutating func has(_ key: String) -> Bool {
        value(key) != nil
    }

    /// A list of texts, each with the place it was written, for messages about one entry.
    mutating func locatedStrings(_ key: String) -> [(text: String, location: SourceLocation)] {
        guard let node = value(key) else { return [] }
        let items: [Node]
        if node.scalar != nil {
            items = node.null != nil ? [] : [node]
        } else if let sequence = node.sequence {
            items = Array(sequence)
        } else {
            report(node, "field '\(key)' must be a list")
            return []
        }
        var result: [(String, SourceLocation)] = []
        for item in items {
            if let text = item.scalar?.string.trimmingWhitespace, !text.isEmpty {
                result.append((text, SourceLocation(file: file, line: line(of: item), column: column(of: item))))
            } else {
                report(item, "each entry of '\(key)' must be text")
            }
        }
        return result
    }

    /// A number, possibly with a fraction (`3`, `2.5`).
    mutating func decimal(_ key: String, range: ClosedRange<Double>) -> Double? {
        guard let node = value(key) else { return nil }
        guard let number = node.scalar.flatMap({ Double($0.string) }), range.contains(number) else {
            report(node, "field '\(key)' must be a number between \(Self.format(range.lowerBound)) and \(Self.format(range.upperBound))")
            return nil
        }
        return number
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The raw value of a field that may take several shapes (`bleed: 3` or `bleed: false`).
    mutating func scalarText(_ key: String) -> String? {
        value(key)?.scalar?.string.trimmingWhitespace
    }

    /// A list whose entries are either a bare word (`- cover`) or a mapping (`- type: section …`).
    /// `word` returns nil for an unknown word, which is reported with `unknownWord`'s message.
    mutating func entries<T>(_ key: String, required: Bool = false, word: (String) -> T?, unknownWord: (String) -> String,
                             mapping read: (inout YAMLFields) -> T?) -> [T] {
        guard let node = value(key) else {
            if required { missing(key) }
            return []
        }
        guard let sequence = node.sequence else {
            report(node, "field '\(key)' must be a list")
            return []
        }
        var result: [T] = []
        for item in sequence {
            if let text = item.scalar?.string.trimmingWhitespace {
                if let value = word(text) { result.append(value) } else { report(item, unknownWord(text)) }
            } else if let itemMapping = item.mapping {
                var fields = YAMLFields(itemMapping, file: file, lineOffset: lineOffset)
                fields.reportsColumns = reportsColumns
                if let value = read(&fields) { result.append(value) }
                fields.rejectUnknownFields()
                diagnostics += fields.diagnostics
            } else {
                report(item, "each entry of '\(key)' must be a word or a mapping")
            }
        }
        if required && sequence.isEmpty { report(node, "field '\(key)' must not be empty") }
        return result
    }

    /// A mapping nested in a field (`select: {type: stories, …}`), read with its own field checks.
    mutating func nested<T>(_ key: String, _ read: (inout YAMLFields) -> T?) -> T? {
        guard let node = value(key) else { return nil }
        guard let nestedMapping = node.mapping else {
            report(node, "field '\(key)' must be a mapping of 'field: value' lines")
            return nil
        }
        var fields = YAMLFields(nestedMapping, file: file, lineOffset: lineOffset)
        fields.reportsColumns = reportsColumns
        let value = read(&fields)
        fields.rejectUnknownFields()
        diagnostics += fields.diagnostics
        return value
    }

    /// Adds a problem found by the caller (a file that does not exist, an empty section).
    mutating func report(at location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    /// A text field. Numbers and dates written bare are taken as their text.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key), node.null == nil else {
            if required { missing(key) }
            return nil
        }
        guard let scalar = node.scalar else {
            report(node, "field '\(key)' must be text")
            return nil
        }
        let text = scalar.string.trimmingWhitespace
        if text.isEmpty {
            if required { report(node, "field '\(key)' is empty") }
            return nil
        }
        return text
    }

    /// A list of texts; a single text is accepted as a list of one.
    mutating func strings(_ key: String) -> [String] {
        guard let node = value(key) else { return [] }
        if let scalar = node.scalar {
            return node.null != nil || scalar.string.isEmpty ? [] : [scalar.string.trimmingWhitespace]
        }
        guard let sequence = node.sequence else {
            report(node, "field '\(key)' must be a list")
            return []
        }
        var result: [String] = []
        for item in sequence {
            if let text = item.scalar?.string.trimmingWhitespace, !text.isEmpty {
                result.append(text)
            } else {
                report(item, "each entry of '\(key)' must be text")
            }
        }
        return result
    }

    mutating func date(_ key: String, required: Bool = false) -> CalendarDate? {
        guard let text = string(key, required: required) else { return nil }
        guard let date = CalendarDate(iso: text) else {
            report(values[key], "field '\(key)' must be a date written YYYY-MM-DD, not \(Diagnostic.quote(text))")
            return nil
        }
        return date
    }

    mutating func bool(_ key: String, default defaultValue: Bool = false) -> Bool {
        guard let node = value(key) else { return defaultValue }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, "field '\(key)' must be true or false")
            return defaultValue
        }
    }

    mutating func int(_ key: String, default defaultValue: Int? = nil, range: ClosedRange<Int>? = nil) -> Int? {
        guard let node = value(key) else { return defaultValue }
        guard let number = node.scalar.flatMap({ Int($0.string) }), range.map({ $0.contains(number) }) ?? true else {
            let bounds = range.map { " between \($0.lowerBound) and \($0.upperBound)" } ?? ""
            report(node, "field '\(key)' must be a whole number\(bounds)")
            return defaultValue
        }
        return number
    }

    /// A list of mappings, each read by `read` with its own field checks.
    mutating func records<T>(_ key: String, required: Bool = false, _ read: (inout YAMLFields) -> T?) -> [T] {
        entries(key, required: required, word: { _ in nil }, unknownWord: { _ in "each entry of '\(key)' must be a mapping" }, mapping: read)
    }

    /// A list of whole numbers.
    mutating func ints(_ key: String, range: ClosedRange<Int>) -> [Int] {
        strings(key).compactMap { text in
            guard let number = Int(text), range.contains(number) else {
                report(field: key, "each entry of '\(key)' must be a whole number between \(range.lowerBound) and \(range.upperBound)")
                return nil
            }
            return number
        }
    }

    /// Call after reading every field: anything else is a typo or a field of another content type.
    mutating func rejectUnknownFields() {
        let known = allowed.sorted().joined(separator: ", ")
        for (keyNode, _) in mapping {
            guard let key = keyNode.scalar?.string else {
                // `YAMLShape` refuses these before composing; kept so no key is ever skipped silently.
                report(keyNode, "a field name must be text, not a list or a mapping (known fields: \(known))")
                continue
            }
            guard !allowed.contains(key) else { continue }
            let hint = FieldNameHint.nearest(to: key, among: allowed).map { "; did you mean '\($0)'?" } ?? ""
            report(keyNode, "unknown field \(Diagnostic.quote(key))\(hint) (known fields: \(known))")
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
