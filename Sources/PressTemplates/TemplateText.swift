// Public: the type conforms to swift-mustache's protocols, which a public conformance must name.
public import Mustache

/// A string in a view, as templates see it. swift-mustache tries about six dynamic casts on a
/// plain `String` before printing it (template, renderable, lambda, optional, then those of
/// `String(describing:)`), each a lookup in the runtime's conformance cache; this type it takes
/// at the second. It renders, escapes and transforms (`{{#empty(summary)}}`) as its string does,
/// and as a section's context it has no fields, so a name inside `{{#summary}}…{{/summary}}`
/// climbs to the enclosing contexts as it would from a `String`.
public struct TemplateText: Sendable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    public var description: String { value }
}

extension TemplateText: MustacheCustomRenderable, MustacheParent, MustacheTransformable {
    public var renderText: String { value }
    public var isNull: Bool { false }
    public func child(named: String) -> Any? { nil }
    public func transform(_ name: String) -> Any? { value.transform(name) }
}

/// A whole number in a view (`word_count`, a heading's `level`, a page `number`). swift-mustache prints
/// an `Int` through `String(describing:)` after four failed casts, and `String(describing:)` casts
/// again; this type it prints at its second cast. It prints, tests (`{{#count}}`, never empty, as an
/// `Int`) and transforms (`{{plusone(number)}}`, `{{#equalzero(count)}}`) as its `Int` does, and as a
/// section's context it has no fields.
public struct TemplateNumber: Sendable, CustomStringConvertible {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    public var description: String { String(value) }
}

extension TemplateNumber: MustacheCustomRenderable, MustacheParent, MustacheTransformable {
    public var renderText: String { String(value) }
    public var isNull: Bool { false }
    public func child(named: String) -> Any? { nil }
    public func transform(_ name: String) -> Any? { value.transform(name) }
}
