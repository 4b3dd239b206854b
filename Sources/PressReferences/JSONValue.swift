import PressCore

/// A JSON value that remembers the line it starts on, so CSL-JSON errors and duplicate keys can name
/// `file:line`; Foundation's parser forgets where things were.
indirect enum JSONValue: Sendable {
    case object([(key: String, value: JSONValue)], line: Int)
    case array([JSONValue], line: Int)
    case string(String, line: Int)
    case number(String, line: Int)
    case bool(Bool, line: Int)
    case null(line: Int)

    var line: Int {
        switch self {
        case .object(_, let line), .array(_, let line), .string(_, let line), .number(_, let line),
             .bool(_, let line), .null(let line): line
        }
    }

    /// Strings and numbers as text (CSL-JSON writes `"volume": 2` and `"volume": "2"` alike).
    var text: String? {
        switch self {
        case .string(let text, _), .number(let text, _): text
        default: nil
        }
    }

    subscript(key: String) -> JSONValue? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// A small strict JSON parser (RFC 8259) over Unicode scalars, counting lines as it goes.
struct JSONParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var depth = 0
    private let file: String
    /// Deeper nesting than any bibliography needs is refused rather than overflowing the stack.
    static let maximumDepth = 256

    init(_ text: String, file: String) {
        scalars = Array(text.unicodeScalars)
        self.file = file
    }

    mutating func parseDocument() throws(Diagnostic) -> JSONValue {
        skipSpace()
        let value = try parseValue()
        skipSpace()
        if index < scalars.count { throw failure("unexpected text after the end of the JSON document") }
        return value
    }

    private func failure(_ message: String) -> Diagnostic {
        .error(file, line: line, "malformed JSON: \(message)")
    }

    private mutating func skipSpace() {
        while index < scalars.count, [" ", "\t", "\n", "\r"].contains(scalars[index]) {
            if scalars[index] == "\n" { line += 1 }
            index += 1
        }
    }

    private mutating func parseValue() throws(Diagnostic) -> JSONValue {
        guard index < scalars.count else { throw failure("the file ends where a value was expected") }
        guard depth < Self.maximumDepth else { throw failure("nested more than \(Self.maximumDepth) levels deep") }
        depth += 1
        defer { depth -= 1 }
        let start = line
        switch scalars[index] {
        case "{": return try parseObject()
        case "[": return try parseArray()
        case "\"": return .string(try parseString(), line: start)
        case "t": try expectWord("true"); return .bool(true, line: start)
        case "f": try expectWord("false"); return .bool(false, line: start)
        case "n": try expectWord("null"); return .null(line: start)
        default: return try parseNumber()
        }
    }

    private mutating func expectWord(_ word: String) throws(Diagnostic) {
        for expected in word.unicodeScalars {
            guard index < scalars.count, scalars[index] == expected else { throw failure("expected '\(word)'") }
            index += 1
        }
    }

    private mutating func expect(_ scalar: Unicode.Scalar, _ what: String) throws(Diagnostic) {
        skipSpace()
        guard index < scalars.count, scalars[index] == scalar else {
            throw failure(index < scalars.count ? "expected \(what), found '\(scalars[index])'" : "expected \(what), found the end of the file")
        }
        index += 1
    }

    private mutating func parseObject() throws(Diagnostic) -> JSONValue {
        let start = line
        index += 1
        var members: [(key: String, value: JSONValue)] = []
        skipSpace()
        if index < scalars.count, scalars[index] == "}" { index += 1; return .object([], line: start) }
        while true {
            skipSpace()
            guard index < scalars.count, scalars[index] == "\"" else { throw failure("expected a quoted member name") }
            let key = try parseString()
            try expect(":", "':' after \"\(key)\"")
            skipSpace()
            members.append((key, try parseValue()))
            skipSpace()
            guard index < scalars.count else { throw failure("the file ends inside an object opened on line \(start)") }
            if scalars[index] == "}" { index += 1; return .object(members, line: start) }
            try expect(",", "',' or '}'")
        }
    }

    private mutating func parseArray() throws(Diagnostic) -> JSONValue {
        let start = line
        index += 1
        var items: [JSONValue] = []
        skipSpace()
        if index < scalars.count, scalars[index] == "]" { index += 1; return .array([], line: start) }
        while true {
            skipSpace()
            items.append(try parseValue())
            skipSpace()
            guard index < scalars.count else { throw failure("the file ends inside an array opened on line \(start)") }
            if scalars[index] == "]" { index += 1; return .array(items, line: start) }
            try expect(",", "',' or ']'")
        }
    }

    private mutating func parseString() throws(Diagnostic) -> String {
        index += 1
        var result = String.UnicodeScalarView()
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\"": return String(result)
            case "\n": throw failure("a string is not closed before the end of the line")
            case "\\": result.append(try parseEscape())
            default: result.append(scalar)
            }
        }
        throw failure("a string is not closed before the end of the file")
    }

    private mutating func parseEscape() throws(Diagnostic) -> Unicode.Scalar {
        guard index < scalars.count else { throw failure("the file ends inside an escape") }
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "\"", "\\", "/": return scalar
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try parseHex4()
            if (0xD800..<0xDC00).contains(high), index + 1 < scalars.count, scalars[index] == "\\", scalars[index + 1] == "u" {
                index += 2
                let low = try parseHex4()
                if let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low &- 0xDC00)) { return combined }
            }
            guard let decoded = Unicode.Scalar(high) else { throw failure("\\u\(String(high, radix: 16)) is not a character") }
            return decoded
        default: throw failure("unknown escape '\\\(scalar)'")
        }
    }

    private mutating func parseHex4() throws(Diagnostic) -> UInt32 {
        guard index + 4 <= scalars.count,
              let value = UInt32(String(String.UnicodeScalarView(scalars[index..<index + 4])), radix: 16) else {
            throw failure("\\u must be followed by four hex digits")
        }
        index += 4
        return value
    }

    private mutating func parseNumber() throws(Diagnostic) -> JSONValue {
        let startIndex = index
        while index < scalars.count, "+-0123456789.eE".unicodeScalars.contains(scalars[index]) { index += 1 }
        let text = String(String.UnicodeScalarView(scalars[startIndex..<index]))
        guard !text.isEmpty, Double(text) != nil else {
            throw failure(index < scalars.count ? "unexpected '\(scalars[index])'" : "unexpected end of the file")
        }
        return .number(text, line: line)
    }
}
