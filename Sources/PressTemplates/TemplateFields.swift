// Public: the type conforms to swift-mustache's protocols, which a public conformance must name.
public import Mustache

/// A view's fields, in place of a `[String: Any]` for the views made for every page (a document, its
/// table of contents, its list entry, `page`). swift-mustache asks a context for one name at a time;
/// a view has a dozen names at most, so comparing them in order is as quick as hashing the name, and
/// making the view costs two arrays instead of a hash table filled key by key. Templates see it as
/// they see a dictionary: the same fields, no field of its own, the same transforms (`count`, `empty`).
public struct TemplateFields: @unchecked Sendable, CustomStringConvertible {
    // Unchecked: the values are strings, numbers, arrays and views, never mutated once rendered.
    private var keys: [String] = []
    private var values: [Any] = []

    public init(minimumCapacity: Int = 0) {
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    /// The value of `key`; setting nil removes it, as in a dictionary.
    public subscript(key: String) -> Any? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue { values[index] = newValue } else { keys.remove(at: index); values.remove(at: index) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// The same fields as a dictionary (for fingerprints, and for the transforms a dictionary has).
    public var dictionary: [String: Any] { Dictionary(uniqueKeysWithValues: zip(keys, values)) }

    public var description: String { dictionary.description }
}

extension TemplateFields: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Any)...) {
        self.init(minimumCapacity: elements.count)
        for (key, value) in elements { self[key] = value }
    }
}

extension TemplateFields: MustacheParent, MustacheTransformable {
    public func child(named name: String) -> Any? { self[name] }
    public func transform(_ name: String) -> Any? { dictionary.transform(name) }
}
