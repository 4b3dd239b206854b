import PressCore

/// BibTeX name lists: `and` between names (at brace depth zero), each name `Last, First`,
/// `Last, Jr, First` or `First von Last`. A braced name (`{World Health Organization}`, `{张建国}`) and
/// a Chinese name without a comma (`张建国`) are kept whole, as GB/T 7714 prints them. `and others`
/// means more names.
enum BibTeXNames {
    static func parse(_ raw: String) -> [Name] {
        split(raw, separator: "and").compactMap { part -> Name? in
            let trimmed = part.trimmingSpaces
            guard !trimmed.isEmpty else { return nil }
            if trimmed == "others" { return Name(literal: "others") }
            if isOneBraceGroup(trimmed) || !trimmed.contains(",") && trimmed.unicodeScalars.contains(where: TextStatistics.isCJK) {
                return Name(literal: LaTeX.toUnicode(trimmed))
            }
            return name(trimmed)
        }
    }

    private static func name(_ text: String) -> Name {
        let commaParts = split(text, separator: ",").map { $0.trimmingSpaces }
        if commaParts.count >= 2 {
            let (particle, family) = splitParticle(words(commaParts[0]))
            let suffix = commaParts.count >= 3 ? commaParts[1] : nil
            return Name(family: LaTeX.toUnicode(family), given: LaTeX.toUnicode(commaParts.last ?? ""),
                        suffix: suffix.map(LaTeX.toUnicode), particle: particle.map(LaTeX.toUnicode))
        }
        let allWords = words(text)
        guard allWords.count > 1, let last = allWords.last else { return Name(family: LaTeX.toUnicode(text)) }
        // `Ludwig van Beethoven`: lower-case words before the last one are the particle.
        var given = Array(allWords.dropLast())
        var particleWords: [String] = []
        while let word = given.last, given.count > 1, word.first?.isLowercase == true {
            particleWords.insert(word, at: 0)
            given.removeLast()
        }
        return Name(family: LaTeX.toUnicode(last), given: LaTeX.toUnicode(given.joined(separator: " ")),
                    particle: particleWords.isEmpty ? nil : LaTeX.toUnicode(particleWords.joined(separator: " ")))
    }

    /// `van der Merwe` → (`van der`, `Merwe`).
    private static func splitParticle(_ words: [String]) -> (String?, String) {
        guard words.count > 1, let index = words.lastIndex(where: { $0.first?.isLowercase == true }), index < words.count - 1 else {
            return (nil, words.joined(separator: " "))
        }
        return (words[...index].joined(separator: " "), words[(index + 1)...].joined(separator: " "))
    }

    private static func isOneBraceGroup(_ text: String) -> Bool {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return false }
        var depth = 0
        for (offset, character) in text.enumerated() {
            if character == "{" { depth += 1 }
            if character == "}" { depth -= 1 }
            if depth == 0 { return offset == text.count - 1 }
        }
        return false
    }

    /// Words at brace depth zero.
    private static func words(_ text: String) -> [String] {
        split(text, separator: nil)
    }

    /// Splits at `separator` (a word such as `and`, a comma, or any space when nil) outside braces.
    static func split(_ text: String, separator: String?) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "{" { depth += 1 }
            if character == "}" { depth -= 1 }
            if depth == 0, let separator, separator != ",", character.isWhitespace,
               matchesWord(characters, at: index + 1, word: separator) {
                parts.append(current)
                current = ""
                index += separator.count + 2
                continue
            }
            if depth == 0, separator == "," && character == "," || separator == nil && character.isWhitespace {
                if !current.isEmpty || separator != nil { parts.append(current) }
                current = ""
            } else {
                current.append(character)
            }
            index += 1
        }
        if !current.isEmpty || separator == "," { parts.append(current) }
        return parts
    }

    /// `and` followed by white space, case-insensitively.
    private static func matchesWord(_ characters: [Character], at index: Int, word: String) -> Bool {
        let end = index + word.count
        guard end < characters.count, characters[end].isWhitespace else { return false }
        return String(characters[index..<end]).lowercased() == word
    }
}
