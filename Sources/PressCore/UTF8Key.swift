/// A string as a set or dictionary key told apart by its UTF-8 bytes. Swift hashes and compares
/// non-ASCII strings through Unicode normalisation; for 40,000 Chinese tags that was most of
/// finding the distinct ones. Canonically equal spellings are two keys here: callers that must
/// merge them do so afterwards, among the few distinct ones, with `String`'s own equality.
public struct UTF8Key: Hashable, Sendable {
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func == (a: UTF8Key, b: UTF8Key) -> Bool {
        UTF8Order.compare(a.text, b.text) == 0
    }
}
