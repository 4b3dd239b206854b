import PressCore
import PressTemplates

/// Hashes a view (dictionaries, arrays, strings, numbers, booleans) in a stable order, so that
/// two builds that would render a template from equal values can tell without rendering it.
enum ViewFingerprint {
    static func add(_ value: Any, to fingerprint: inout Fingerprint) {
        switch value {
        case let dictionary as [String: Any]:
            fingerprint.add("{")
            for key in dictionary.keys.sorted() {
                fingerprint.add(key)
                add(dictionary[key] as Any, to: &fingerprint)
            }
            fingerprint.add("}")
        case let fields as TemplateFields:
            // As the dictionary it stands for: a view's fingerprint does not depend on how its fields are held.
            add(fields.dictionary, to: &fingerprint)
        case let array as [Any]:
            fingerprint.add("[\(array.count)")
            for element in array { add(element, to: &fingerprint) }
        case let text as String:
            fingerprint.add(text)
        case let text as TemplateText:
            // As its string: a view's fingerprint does not depend on how its strings are held.
            fingerprint.add(text.value)
        case let number as Int:
            fingerprint.add("#\(number)")
        case let number as TemplateNumber:
            fingerprint.add("#\(number.value)")
        case let flag as Bool:
            fingerprint.add(flag ? "#t" : "#f")
        default:
            fingerprint.add("?\(value)")
        }
    }
}
