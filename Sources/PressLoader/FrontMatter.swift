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
        // A file that is only `---` opens front matter and never closes it.
        if text == "---" { throw .unterminated }
        guard text.hasPrefix("---\n") else { throw .missing }
        // On UTF-8 bytes: the markers are ASCII, and stepping by Character was most of the split's time.
        let bytes = text.utf8
        var lineNumber = 1
        var index = bytes.index(bytes.startIndex, offsetBy: 4)
        let yamlStart = index
        while index < bytes.endIndex {
            let lineEnd = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            lineNumber += 1
            let line = bytes[index..<lineEnd]
            if line.elementsEqual("---".utf8) || line.elementsEqual("...".utf8) {
                let bodyStart = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd
                return FrontMatter(yaml: String(text[yamlStart..<index]), yamlFirstLine: 2,
                                   body: String(text[bodyStart...]), bodyFirstLine: lineNumber + 1)
            }
            index = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd
        }
        throw .unterminated
    }
}
