// libyaml's event stream, before Yams composes nodes: Yams checks duplicate keys by hashing them,
// so an alias used as a key expands its whole tree (a 519-byte `site.yml` ran for minutes).
internal import CYaml

/// Checks the shape of YAML text on libyaml's events, in one linear pass: field names are plain
/// text (no list, mapping or alias as a key), and aliases do not expand to more than `maxValues` values.
enum YAMLShape {
    /// The most values a document may hold once its aliases are expanded (billion laughs).
    static let maxValues = 100_000

    struct Problem: Equatable {
        var message: String
        /// 1-based, as Yams' marks.
        var line: Int
        var column: Int
    }

    /// The first problem, or nil. Syntax errors are left to Yams, which reports them with their place.
    static func check(_ yaml: String) -> Problem? {
        guard mayHaveProblem(yaml) else { return nil }
        var text = yaml
        return text.withUTF8 { bytes -> Problem? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var walk = Walk()
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return nil }
                if let problem = walk.take(event) { return problem }
            }
        }
    }

    /// Whether the full check can find anything: most front matter is plain `name: value` lines, which
    /// libyaml would parse twice (here and for Yams; a twentieth of reading a page). Without `*` there are
    /// no aliases; a key other than text needs `?`, `{` or a flow list closed before its `:` (`[a]: b`);
    /// and a document shorter than `maxValues` bytes cannot hold more values than that.
    static func mayHaveProblem(_ yaml: String) -> Bool {
        var text = yaml
        return text.withUTF8 { bytes in
            guard bytes.count < maxValues else { return true }
            var closedList = false
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "{"): return true
                case UInt8(ascii: ":") where closedList: return true
                case UInt8(ascii: "]"): closedList = true
                case UInt8(ascii: " "), UInt8(ascii: "\t"): break
                default: closedList = false
                }
            }
            return false
        }
    }

    /// The containers open at the current event, each with the values it holds so far.
    private struct Walk {
        struct Frame {
            var isMapping: Bool
            var expectsKey = true
            var values = 1
            var anchor: String?
        }
        var stack: [Frame] = []
        var anchors: [String: Int] = [:]

        mutating func take(_ event: yaml_event_t) -> Problem? {
            let mark = event.start_mark
            let here = { (message: String) in Problem(message: message, line: Int(mark.line) + 1, column: Int(mark.column) + 1) }
            switch event.type {
            case YAML_ALIAS_EVENT:
                let name = Self.name(event.data.alias.anchor) ?? ""
                if isKey { return here("an alias (*\(name)) cannot be a field name; write the name as text") }
                return finish(values: anchors[name] ?? 1, anchor: nil).map(here)
            case YAML_SCALAR_EVENT:
                return finish(values: 1, anchor: Self.name(event.data.scalar.anchor)).map(here)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if isKey { return here("a field name must be text, not a list or a mapping") }
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? Self.name(event.data.sequence_start.anchor) : Self.name(event.data.mapping_start.anchor)
                stack.append(Frame(isMapping: event.type == YAML_MAPPING_START_EVENT, anchor: anchor))
                return nil
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                return finish(values: frame.values, anchor: frame.anchor).map(here)
            default:
                return nil
            }
        }

        private var isKey: Bool { stack.last.map { $0.isMapping && $0.expectsKey } ?? false }

        /// A node is complete: its parent counts its values, and a mapping expects a key or a value next.
        private mutating func finish(values: Int, anchor: String?) -> String? {
            if let anchor { anchors[anchor] = values }
            guard !stack.isEmpty else { return nil }
            let index = stack.count - 1
            if stack[index].isMapping { stack[index].expectsKey.toggle() }
            // Saturating: nine aliases of nine aliases would overflow long before they fit in memory.
            stack[index].values = min(stack[index].values + values, YAMLShape.maxValues + 1)
            if stack[index].values > YAMLShape.maxValues {
                return "aliases expand this document to more than \(YAMLShape.maxValues) values; write the values out or use fewer aliases"
            }
            return nil
        }

        private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: $0) }
        }
    }
}
