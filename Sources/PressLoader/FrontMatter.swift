import PressCore

/// A Markdown file split into its YAML front matter and its body, with the line each starts on.
struct FrontMatter {
    var yaml: String
    /// Line of the file holding the YAML's first line (2, after the opening `---`).
    var yamlFirstLine: Int
    var body: String
    var bodyFirstLine: Int

    enum Problem: Error, Equatable {
        case missing
        case unterminated
    }

    /// Front matter opens with `---` on the first line and closes with `---` (or `...`) on a line of its own.
    static func split(_ text: String) throws(Problem) -> FrontMatter {
        guard text.hasPrefix("---\n") || text == "---" else { throw .missing }
        var lineNumber = 1
        var index = text.index(text.startIndex, offsetBy: 4)
        let yamlStart = index
        while index < text.endIndex {
            let lineEnd = text[index...].firstIndex(of: "\n") ?? text.endIndex
            lineNumber += 1
            let line = text[index..<lineEnd]
            if line == "---" || line == "..." {
                let bodyStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
                return FrontMatter(yaml: String(text[yamlStart..<index]), yamlFirstLine: 2,
                                   body: String(text[bodyStart...]), bodyFirstLine: lineNumber + 1)
            }
            index = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
        }
        throw .unterminated
    }
}
