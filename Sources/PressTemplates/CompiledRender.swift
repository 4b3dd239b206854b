import Mustache

/// The compiled templates of a theme by name, and the names of those that could not be compiled:
/// a page reaching one of those (as a partial) is rendered by swift-mustache instead.
struct CompiledLibrary: Sendable {
    private var templates: [String: CompiledTemplate] = [:]
    private var unsupported: Set<String> = []

    /// Compiles `template` as `name`, replacing what was there.
    mutating func register(_ template: MustacheTemplate, named name: String) {
        if let compiled = TemplateCompiler.compile(template) {
            templates[name] = compiled
            unsupported.remove(name)
        } else {
            templates[name] = nil
            unsupported.insert(name)
        }
    }

    func isCompiled(_ name: String) -> Bool { templates[name] != nil }

    /// The template `name`; nil when there is none (swift-mustache renders nothing for it), `Unsupported` when
    /// there is one it must render.
    func template(_ name: String) throws(TemplateCompiler.Unsupported) -> CompiledTemplate? {
        if let template = templates[name] { return template }
        if unsupported.contains(name) { throw TemplateCompiler.Unsupported() }
        return nil
    }

    /// `view` rendered with the template `name` as swift-mustache renders it; nil when the template or
    /// anything the view brings to it is not compiled (then swift-mustache must render it).
    func render(_ view: Any, template name: String) -> String? {
        guard let template = templates[name] else { return nil }
        var render = CompiledRender(library: self)
        do {
            try render.render(view, with: template)
        } catch {
            return nil
        }
        return String(decoding: render.output, as: UTF8.self)
    }
}

/// Renders compiled templates into one growing buffer, doing what swift-mustache's `MustacheTemplate.render`,
/// `renderToken`, `getChild`, `renderSection` and `MustacheContext` do, step for step.
struct CompiledRender {
    typealias Unsupported = TemplateCompiler.Unsupported

    let library: CompiledLibrary
    private(set) var output: [UInt8] = []
    /// The contexts, innermost last (swift-mustache's `context.stack`).
    private var stack: [TemplateValue] = []

    /// What swift-mustache's `MustacheContext` holds besides the stack.
    struct Context {
        var sequence: SequencePosition?
        /// The indentation of the standalone partials and blocks being rendered (empty: none).
        var indentation: [UInt8] = []
        var overrides: [String: [TemplateNode]]?
        /// Whether the theme's escaping is on; before its pragma, swift-mustache escapes on Characters.
        var byteEscaping = false
    }

    init(library: CompiledLibrary) {
        self.library = library
        output.reserveCapacity(16 * 1024)
    }

    mutating func render(_ view: Any, with template: CompiledTemplate) throws(Unsupported) {
        stack = [try TemplateValue.of(view)]
        try render(template.nodes, Context())
    }

    /// One template (a whole one, or a section's body): swift-mustache renders it into a string of its own,
    /// indenting a token's non-empty output when that string ends a line.
    private mutating func render(_ nodes: [TemplateNode], _ context: Context) throws(Unsupported) {
        var context = context
        if context.indentation.isEmpty {
            for node in nodes { try render(node, &context) }
            return
        }
        let start = output.count
        for node in nodes {
            let indents = endsLine(since: start)
            let before = output.count
            try render(node, &context)
            if indents && output.count > before { output.insert(contentsOf: context.indentation, at: before) }
        }
    }

    /// Whether the output since `start` ends in the Character "\n" (a "\r\n" is one Character, not "\n").
    private func endsLine(since start: Int) -> Bool {
        let count = output.count
        guard count > start, output[count - 1] == UInt8(ascii: "\n") else { return false }
        return count - start < 2 || output[count - 2] != UInt8(ascii: "\r")
    }

    private mutating func render(_ node: TemplateNode, _ context: inout Context) throws(Unsupported) {
        switch node {
        case .text(let bytes):
            output.append(contentsOf: bytes)
        case .variable(let name, let escaped):
            guard let value = try lookup(name, context) else { return }
            if escaped {
                guard context.byteEscaping else { throw Unsupported() }
                appendEscaped(value.text)
            } else {
                output.append(contentsOf: value.text.utf8)
            }
        case .section(let name, let body, let inverted):
            let value = try lookup(name, context)
            if inverted { try renderInverted(value, body, context) } else { try renderSection(value, body, context) }
        case .partial(let name, let indentation, let overrides):
            try renderPartial(name, indentation: indentation, overrides: overrides, context)
        case .block(let name, let defaultBody, let indentation):
            var inner = context
            inner.sequence = nil
            if let indentation { inner.indentation += indentation }
            try render(context.overrides?[name] ?? defaultBody, inner)
        case .byteEscaping:
            context.byteEscaping = true
        }
    }

    /// `renderSection`: lists once per element, booleans in the same context, anything else pushed.
    private mutating func renderSection(_ value: TemplateValue?, _ body: [TemplateNode], _ context: Context) throws(Unsupported) {
        guard let value else { return }
        if let count = value.listCount {
            var inner = context
            for index in 0..<count {
                inner.sequence = SequencePosition(first: index == 0, last: index == count - 1, index: index)
                stack.append(try value.element(index))
                try render(body, inner)
                stack.removeLast()
            }
        } else if case .bool(let bool) = value {
            if bool { try render(body, context) }
        } else {
            try renderPushing(value, body, context)
        }
    }

    /// `renderInvertedSection`: an empty list is pushed (swift-mustache renders it as the context).
    private mutating func renderInverted(_ value: TemplateValue?, _ body: [TemplateNode], _ context: Context) throws(Unsupported) {
        guard let value else { return try render(body, context) }
        if let count = value.listCount {
            if count == 0 { try renderPushing(value, body, context) }
        } else if case .bool(let bool) = value, !bool {
            try render(body, context)
        }
    }

    private mutating func renderPushing(_ value: TemplateValue, _ body: [TemplateNode], _ context: Context) throws(Unsupported) {
        var inner = context
        inner.sequence = nil
        stack.append(value)
        try render(body, inner)
        stack.removeLast()
    }

    /// `withPartial`: the indentation grows, overrides already set win, the escaping starts over.
    private mutating func renderPartial(_ name: String, indentation: [UInt8]?, overrides: [String: [TemplateNode]]?,
                                        _ context: Context) throws(Unsupported) {
        guard let template = try library.template(name) else { return }
        var inner = Context(sequence: nil, indentation: context.indentation, overrides: context.overrides, byteEscaping: false)
        if let indentation { inner.indentation += indentation }
        if let overrides {
            inner.overrides = context.overrides.map { $0.merging(overrides) { value, _ in value } } ?? overrides
        }
        try render(template.nodes, inner)
    }

    /// `getChild`: the first name climbs the contexts (unless the name starts with a dot), the rest follow
    /// from what it found, then the transforms apply; nil when any step finds nothing.
    private func lookup(_ name: TemplateName, _ context: Context) throws(Unsupported) -> TemplateValue? {
        var value: TemplateValue?
        var transforms = name.transforms[...]
        switch name.root {
        case .current:
            value = stack.last
        case .sequence:
            guard let position = context.sequence, let first = transforms.popFirst() else { return nil }
            value = position.transformed(first)
        case .anchored:
            value = try follow(name.names[...], from: stack.last)
        case .climbing:
            value = try climb(name.names)
        }
        for transform in transforms {
            guard let current = value else { return nil }
            value = try current.transformed(transform)
        }
        return value
    }

    private func climb(_ names: [String]) throws(Unsupported) -> TemplateValue? {
        guard let first = names.first else { return stack.last }
        for object in stack.reversed() {
            if let child = object.child(first) { return try follow(names.dropFirst(), from: try TemplateValue.of(child)) }
        }
        return nil
    }

    private func follow(_ names: ArraySlice<String>, from value: TemplateValue?) throws(Unsupported) -> TemplateValue? {
        guard var current = value else { return nil }
        for name in names {
            guard let child = current.child(name) else { return nil }
            current = try TemplateValue.of(child)
        }
        return current
    }

    /// `HTMLEscaping.attribute` (the theme's `ByteEscaping`), appended in runs of bytes that need none.
    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var run = 0
            for index in bytes.indices {
                let entity: StaticString
                switch bytes[index] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                case UInt8(ascii: "'"): entity = "&#39;"
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
                entity.withUTF8Buffer { output.append(contentsOf: $0) }
                run = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
        }
    }
}

extension TemplateValue {
    /// The number of elements when the value is a list.
    var listCount: Int? {
        switch self {
        case .fieldsList(let list): list.count
        case .dictionaryList(let list): list.count
        case .list(let list, _): list.count
        default: nil
        }
    }

    func element(_ index: Int) throws(TemplateCompiler.Unsupported) -> TemplateValue {
        switch self {
        case .fieldsList(let list): .fields(list[index])
        case .dictionaryList(let list): .dictionary(list[index])
        case .list(let list, _): try .of(list[index])
        default: self
        }
    }
}
