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
                       "entry '\(entry.key)' has no '\(field)', which GB/T 7714 requires for \(description(kind))",
                       severity: .warning)
        }
    }

    private static func has(_ field: String, _ entry: Entry) -> Bool {
        entry[field] != nil || entry.dates[field] != nil
    }

    private static func description(_ kind: Kind) -> String {
        switch kind.layout {
        case .part: "a part of a book or proceedings [\(kind.code)]//"
        case .article: "a journal article [J]"
        case .newspaper: "a newspaper article [N]"
        case .serial: "a journal [J]"
        case .patent: "a patent [P]"
        case .monograph: "a [\(kind.code)] entry"
        }
    }
}
