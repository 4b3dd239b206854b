import Mustache

/// A value of a view, its type found once (swift-mustache casts a value to up to eight protocols each
/// time it is used). Only the types views are made of; for any other, `CompiledRender` gives the page
/// back to swift-mustache, which knows every type (`Unsupported`).
enum TemplateValue {
    case fields(TemplateFields)
    case dictionary([String: Any])
    case text(TemplateText)
    case number(TemplateNumber)
    case string(String)
    case int(Int)
    case bool(Bool)
    case fieldsList([TemplateFields])
    case dictionaryList([[String: Any]])
    /// Any other array; `original` is the value as the view holds it (its transforms and printing are its own).
    case list([Any], original: Any)

    /// The value as swift-mustache's renderer sees it, or `Unsupported` for a type it is not sure of
    /// (optionals, lambdas, templates, custom representations, structs read by reflection…).
    static func of(_ value: Any) throws(TemplateCompiler.Unsupported) -> TemplateValue {
        // Casts to concrete types compare type metadata; protocol casts (as swift-mustache's) search the conformances.
        if let value = value as? TemplateText { return .text(value) }
        if let value = value as? TemplateFields { return .fields(value) }
        if let value = value as? TemplateNumber { return .number(value) }
        if let value = value as? [String: Any] { return .dictionary(value) }
        if let value = value as? String { return .string(value) }
        if let value = value as? Bool { return .bool(value) }
        if let value = value as? Int { return .int(value) }
        if let value = value as? [TemplateFields] { return .fieldsList(value) }
        if let value = value as? [[String: Any]] { return .dictionaryList(value) }
        if value is any OptionalValue { throw TemplateCompiler.Unsupported() }
        if value is any ArrayMarker, let list = value as? [Any] { return .list(list, original: value) }
        throw TemplateCompiler.Unsupported()
    }

    /// The value's field `name` when it is a context (`_getImmediateChild`): views have fields; strings,
    /// numbers, booleans and arrays have none (a `Mirror` of them has no labelled children).
    func child(_ name: String) -> Any? {
        switch self {
        case .fields(let fields): fields[name]
        case .dictionary(let dictionary): dictionary[name]
        default: nil
        }
    }

    /// `transform` applied as swift-mustache applies it: by the value's own `MustacheTransformable` conformance.
    func transformed(_ name: String) throws(TemplateCompiler.Unsupported) -> TemplateValue? {
        let result: Any?
        switch self {
        case .fields(let fields): result = fields.transform(name)
        case .dictionary(let dictionary): result = dictionary.transform(name)
        case .text(let text): result = text.transform(name)
        case .number(let number): result = number.transform(name)
        case .string(let string): result = string.transform(name)
        case .int(let int): result = int.transform(name)
        case .bool: result = nil
        case .fieldsList(let list): result = list.transform(name)
        case .dictionaryList(let list): result = list.transform(name)
        case .list(_, let original): result = (original as? any MustacheTransformable)?.transform(name)
        }
        guard let result else { return nil }
        return try Self.of(result)
    }

    /// The text `{{x}}` prints before escaping: `renderText` for swift-mustache's renderables, else
    /// `String(describing:)` as it does.
    var text: String {
        switch self {
        case .text(let text): text.value
        case .number(let number): number.renderText
        case .string(let string): string
        case .int(let int): String(describing: int)
        case .bool(let bool): String(describing: bool)
        case .fields(let fields): String(describing: fields)
        case .dictionary(let dictionary): String(describing: dictionary)
        case .fieldsList(let list): String(describing: list)
        case .dictionaryList(let list): String(describing: list)
        case .list(_, let original): String(describing: original)
        }
    }
}

/// The position in a list a section is rendered for, and its transforms (`first()`, `index()`…), as
/// swift-mustache's `MustacheSequenceContext` has them.
struct SequencePosition {
    var first: Bool
    var last: Bool
    var index: Int

    func transformed(_ name: String) -> TemplateValue? {
        switch name {
        case "first": .bool(first)
        case "last": .bool(last)
        case "index": .int(index)
        case "even": .bool(index & 1 == 0)
        case "odd": .bool(index & 1 == 1)
        default: nil
        }
    }
}

/// Optionals in a view print as swift-mustache unwraps them; they are left to it.
protocol OptionalValue {}
extension Optional: OptionalValue {}

/// Arrays (swift-mustache's sequences are arrays, sets and reversed collections; only arrays are taken here).
protocol ArrayMarker {}
extension Array: ArrayMarker {}
