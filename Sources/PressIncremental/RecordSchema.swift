import Foundation

/// The names of one kind of record's fields, in the order this build writes them. The cache file
/// declares each schema on a `#` line, and a reader finds every field through the file's own
/// declaration (`RecordLayout`): adding a field is adding a name, never renumbering a decoder.
public struct RecordSchema: Sendable {
    public let tag: String
    public let names: [String]

    public init(tag: String, names: [String]) {
        self.tag = tag
        self.names = names
    }

    /// The `#` line that declares this schema in a file.
    public var declaration: String { CompactRecord.line("#", [tag] + names) }

    /// One record from its encoded fields by name; a name without a value is written empty.
    public func line(_ values: [String: String]) -> String {
        CompactRecord.line(tag, names.map { values[$0] ?? "" })
    }
}

/// Where the lines of one kind of record hold each field, as a file's `#` line declares it.
public struct RecordLayout: Sendable {
    public let tag: String
    private let positions: [String: Int]

    /// From a `#` line's fields: `#`, the tag, then the field names. Nil for a line that is not one.
    public init?(declaration fields: [Substring]) {
        guard fields.count >= 2, fields[0] == "#" else { return nil }
        tag = String(fields[1])
        var positions: [String: Int] = [:]
        // Position 0 of a record is its tag: field names count from 1.
        for (index, name) in fields.dropFirst(2).enumerated() { positions[String(name)] = index + 1 }
        self.positions = positions
    }

    /// The layouts a file declares, by tag (its `#` lines).
    public static func declared(in lines: some Sequence<Substring>) -> [String: RecordLayout] {
        var layouts: [String: RecordLayout] = [:]
        for line in lines where line.utf8.first == UInt8(ascii: "#") {
            if let layout = RecordLayout(declaration: CompactRecord.fields(line)) { layouts[layout.tag] = layout }
        }
        return layouts
    }

    /// A reader of one record's fields by name.
    public func record(_ fields: [Substring]) -> NamedRecord { NamedRecord(fields: fields, layout: self) }

    func position(_ name: String) -> Int? { positions[name] }
}

/// One record's fields, found by name through the file's layout.
public struct NamedRecord {
    public let fields: [Substring]
    let layout: RecordLayout

    /// The encoded field, nil when the file declares no such field or the line is too short.
    public subscript(_ name: String) -> Substring? {
        guard let position = layout.position(name), position < fields.count else { return nil }
        return fields[position]
    }

    /// The field decoded as text (`CompactRecord.text`).
    public func text(_ name: String) -> String? { self[name].map(CompactRecord.text) }
    /// The field decoded as a list (`CompactRecord.list`); empty when missing.
    public func list(_ name: String) -> [String] { self[name].map(CompactRecord.list) ?? [] }
}
