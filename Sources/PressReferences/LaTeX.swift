import Foundation

/// Turns the LaTeX found in BibTeX values into plain Unicode: accents (`{\"o}`, `\'{e}`, `\v c`),
/// special letters (`\ss`, `\o`), escaped symbols (`\&`), dashes (`--`), ties (`~`); braces go.
enum LaTeX {
    static let accents: [Character: Unicode.Scalar] = [
        "\"": "\u{0308}", "'": "\u{0301}", "`": "\u{0300}", "^": "\u{0302}", "~": "\u{0303}", "=": "\u{0304}",
        ".": "\u{0307}", "u": "\u{0306}", "v": "\u{030C}", "H": "\u{030B}", "c": "\u{0327}", "k": "\u{0328}",
        "r": "\u{030A}", "d": "\u{0323}", "b": "\u{0331}",
    ]
    static let letters: [String: String] = [
        "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
        "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
        "textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘", "ldots": "…", "dots": "…",
        "textregistered": "®", "copyright": "©", "S": "§", "P": "¶",
    ]

    static func toUnicode(_ text: String) -> String {
        var output = ""
        var characters = Substring(text)
        while let character = characters.first {
            characters.removeFirst()
            switch character {
            case "\\": output += command(&characters)
            case "{", "}": continue
            case "~": output += " "
            case "-" where characters.hasPrefix("--"):
                characters.removeFirst(2)
                output += "—"
            case "-" where characters.hasPrefix("-"):
                characters.removeFirst()
                output += "–"
            default: output.append(character)
            }
        }
        return collapseSpaces(output).precomposedStringWithCanonicalMapping
    }

    /// After a backslash: an accent over the next letter, a named letter, an escaped symbol, or a
    /// formatting command whose argument is kept (`\emph{x}` → `x`).
    private static func command(_ rest: inout Substring) -> String {
        guard let first = rest.first else { return "\\" }
        if let mark = accents[first], !(first.isLetter && rest.dropFirst().first?.isLetter == true) {
            rest.removeFirst()
            while rest.first == " " { rest.removeFirst() }
            let base = takeArgument(&rest)
            guard let head = base.first else { return String(Character(mark)) }
            var scalars = String(head).unicodeScalars
            if head == "\\", let dotless = base.dropFirst().first { scalars = String(dotless == "i" ? "i" : "j").unicodeScalars }
            scalars.append(mark)
            return String(scalars) + (head == "\\" ? "" : base.dropFirst())
        }
        if !first.isLetter {
            rest.removeFirst()
            return first == "\\" ? " " : String(first)
        }
        let name = String(rest.prefix(while: \.isLetter))
        rest.removeFirst(name.count)
        if let letter = letters[name] {
            if rest.first == " " { rest.removeFirst() }
            return letter
        }
        while rest.first == " " { rest.removeFirst() }
        return ""
    }

    /// `{o}` → `o`, `o` → `o`, `{\i}` and `\i` → `\i`.
    private static func takeArgument(_ rest: inout Substring) -> Substring {
        if rest.first == "\\" {
            let command = rest.prefix(1) + rest.dropFirst().prefix(while: \.isLetter)
            rest.removeFirst(command.count)
            return command
        }
        if rest.first == "{", let close = rest.firstIndex(of: "}") {
            let inner = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            return inner
        }
        guard let first = rest.first else { return "" }
        rest.removeFirst()
        return Substring(String(first))
    }

    static func collapseSpaces(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}
