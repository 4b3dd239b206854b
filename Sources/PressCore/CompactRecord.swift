/// A small line-based format for the build cache: one record per line, fields separated by tabs,
/// lists by U+001E, pairs by U+001F, with backslash escapes. JSON with Codable took a third of an
/// incremental rebuild of 10,000 pages; this is a plain split.
public enum CompactRecord {
    static let list: Character = "\u{1E}"
    static let pair: Character = "\u{1F}"

    // MARK: writing (every function returns an encoded field)

    public static func text(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == list || $0 == pair || $0 == "\r" }) else { return value }
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\c"
            case list: result += "\\l"
            case pair: result += "\\p"
            default: result.append(character)
            }
        }
        return result
    }

    public static func optional(_ value: String?) -> String { value.map { "+" + text($0) } ?? "-" }
    public static func list(_ values: [String]) -> String { values.map(text).joined(separator: String(list)) }
    public static func pairs(_ values: [[String]]) -> String {
        values.map { $0.map(text).joined(separator: String(pair)) }.joined(separator: String(list))
    }

    /// One line: a tag and encoded fields.
    public static func line(_ tag: String, _ fields: [String]) -> String {
        ([tag] + fields).joined(separator: "\t") + "\n"
    }

    // MARK: reading

    /// Each line's fields, the tag first.
    public static func records(_ text: String) -> [[Substring]] {
        text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
    }

    public static func text(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var result = ""
        var escaped = false
        for character in field {
            if escaped {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                case "c": result.append("\r")
                case "l": result.append(list)
                case "p": result.append(pair)
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    public static func optional(_ field: Substring) -> String? { field.first == "+" ? text(field.dropFirst()) : nil }
    public static func list(_ field: Substring) -> [String] {
        field.isEmpty ? [] : field.split(separator: list, omittingEmptySubsequences: false).map(text)
    }
    public static func pairs(_ field: Substring) -> [[String]] {
        field.isEmpty ? [] : field.split(separator: list, omittingEmptySubsequences: false).map {
            $0.split(separator: pair, omittingEmptySubsequences: false).map(text)
        }
    }
}
