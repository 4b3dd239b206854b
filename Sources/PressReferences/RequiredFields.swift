import PressCore

/// What GB/T 7714-2015 requires for each kind of reference (its "必备" elements), so a missing one is
/// reported instead of silently printing an incomplete reference.
enum RequiredFields {
    static func check(_ entry: Entry) -> [Diagnostic] {
        let kind = Kind(entry)
        var required = ["title"]
        switch kind.layout {
        case .monograph where kind.code == "EB": required += ["URL"]
        case .monograph where kind.takesNumber && kind.code != "R": required += ["number", "issued"]
        case .monograph where kind.code == "R": required += ["issued"]
        case .monograph: required += ["publisher", "issued"]
        case .part: required += ["container-title", "publisher", "issued"]
        case .article: required += ["container-title", "issued"]
        case .newspaper: required += ["container-title", "issued"]
        case .serial: required += ["issued"]
        case .patent: required += ["number", "issued"]
        }
        if entry["URL"] != nil { required += ["accessed"] }
        return required.filter { !has($0, entry) }.map { field in
            Diagnostic(entry.location,
                       "entry '\(entry.key)' has no '\(field)', which GB/T 7714 requires for \(description(kind, online: entry["URL"] != nil))",
                       severity: .warning)
        }
    }

    private static func has(_ field: String, _ entry: Entry) -> Bool {
        entry[field] != nil || entry.dates[field] != nil
    }

    /// `a journal article [J]`, `a [EB/OL] entry`: the type code as the reference prints it.
    private static func description(_ kind: Kind, online: Bool) -> String {
        let code = kind.code + (online ? "/OL" : "")
        switch kind.layout {
        case .part: return "a part of a book or proceedings [\(code)]//"
        case .article: return "a journal article [\(code)]"
        case .newspaper: return "a newspaper article [\(code)]"
        case .serial: return "a journal [\(code)]"
        case .patent: return "a patent [\(code)]"
        case .monograph: return "a [\(code)] entry"
        }
    }
}
