/// Escaping for text we put into HTML and XML ourselves (templates escape their own variables).
public enum HTMLEscaping {
    public static func text(_ value: String) -> String {
        guard value.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count + 16)
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    public static func attribute(_ value: String) -> String {
        text(value).replacingQuotes()
    }
}

private extension String {
    func replacingQuotes() -> String {
        guard contains("\"") || contains("'") else { return self }
        var result = ""
        for character in self {
            switch character {
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
