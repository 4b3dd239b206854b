import Mustache

/// A template turned once into a tree of nodes, rendered without swift-mustache's per-token machinery
/// (a profile of a build put a quarter of its CPU there: dynamic casts on every value, names split on
/// every lookup, a string per token). The tree is read from swift-mustache's own parse of the template,
/// so what its parser decides (standalone lines, indentation, delimiters, names, transforms) is decided
/// once and the same way; `CompiledRender` then does what its renderer does, for the values it knows.
/// Anything else (lambdas, dynamic partials, other content types, an unknown value) is left to swift-mustache.
struct CompiledTemplate: Sendable {
    let nodes: [TemplateNode]
}

/// One token of a template, as swift-mustache's renderer reads it.
enum TemplateNode: Sendable {
    case text([UInt8])
    /// `{{x}}` (escaped) or `{{{x}}}` / `{{&x}}`.
    case variable(TemplateName, escaped: Bool)
    /// `{{#x}}…{{/x}}` or `{{^x}}…{{/x}}`.
    case section(TemplateName, body: [TemplateNode], inverted: Bool)
    /// `{{> name}}`, or `{{< name}}…{{/name}}` with the blocks it overrides. The indentation is set for
    /// standalone tags only.
    case partial(String, indentation: [UInt8]?, overrides: [String: [TemplateNode]]?)
    /// `{{$name}}default{{/name}}` outside a `{{<…}}`.
    case block(String, defaultBody: [TemplateNode], indentation: [UInt8]?)
    /// The theme's pragma: variables after it are escaped on bytes (`ByteEscaping`).
    case byteEscaping
}

/// A variable's name, split once: where its lookup starts, the names it follows, the transforms
/// applied to what it finds (innermost first, as swift-mustache applies them).
struct TemplateName: Sendable {
    enum Root: Sendable {
        /// `.`: the current context.
        case current
        /// A name empty but for transforms (`first()`): the position in the enclosing list.
        case sequence
        /// `.a.b`: from the current context only.
        case anchored
        /// `a.b`: `a` looked for from the innermost context outwards.
        case climbing
    }

    let root: Root
    let names: [String]
    let transforms: [String]

    /// What swift-mustache's `getChild` makes of `name` and `transforms`.
    init(_ name: String, transforms: [String]) {
        self.transforms = transforms.reversed()
        if name == "." {
            root = .current
            names = []
        } else if name.isEmpty && !transforms.isEmpty {
            root = .sequence
            names = []
        } else {
            root = name.first == "." ? .anchored : .climbing
            names = name.split(separator: ".").map { String($0) }
        }
    }
}

/// Reads swift-mustache's tokens (its `Token` enum is internal: they are read by reflection, once per
/// template) into nodes. A token or a shape it does not know makes the whole template unsupported.
enum TemplateCompiler {
    struct Unsupported: Error {}

    /// The template's nodes; nil when it holds anything `CompiledRender` would not render as swift-mustache does.
    static func compile(_ template: MustacheTemplate) -> CompiledTemplate? {
        do {
            return CompiledTemplate(nodes: try nodes(of: template))
        } catch {
            return nil
        }
    }

    private static func nodes(of template: Any) throws(Unsupported) -> [TemplateNode] {
        guard let tokens = Mirror(reflecting: template).descendant("tokens") as? [Any] else { throw Unsupported() }
        var nodes: [TemplateNode] = []
        nodes.reserveCapacity(tokens.count)
        for token in tokens { nodes.append(try node(token)) }
        return nodes
    }

    private static func node(_ token: Any) throws(Unsupported) -> TemplateNode {
        guard let payload = Mirror(reflecting: token).children.first, let label = payload.label else { throw Unsupported() }
        let fields = Mirror(reflecting: payload.value).children.map(\.value)
        switch label {
        case "text":
            guard let text = payload.value as? String else { throw Unsupported() }
            return .text(Array(text.utf8))
        case "variable", "unescapedVariable":
            guard fields.count == 2, let name = fields[0] as? String, let transforms = fields[1] as? [String] else { throw Unsupported() }
            return .variable(TemplateName(name, transforms: transforms), escaped: label == "variable")
        case "section", "invertedSection":
            guard fields.count == 3, let name = fields[0] as? String, let transforms = fields[1] as? [String],
                  fields[2] is MustacheTemplate else { throw Unsupported() }
            return .section(TemplateName(name, transforms: transforms), body: try nodes(of: fields[2]), inverted: label == "invertedSection")
        case "partial":
            return try partial(fields)
        case "blockExpansion":
            guard fields.count == 3, let name = fields[0] as? String, fields[1] is MustacheTemplate,
                  let indentation = fields[2] as? String? else { throw Unsupported() }
            return .block(name, defaultBody: try nodes(of: fields[1]), indentation: indentation.map { Array($0.utf8) })
        case "contentType":
            // Only the theme's own escaping; swift-mustache's HTML and TEXT escape differently.
            guard payload.value is ByteEscaping else { throw Unsupported() }
            return .byteEscaping
        default:
            // Dynamic partials (`{{>*name}}`), and whatever a later swift-mustache adds.
            throw Unsupported()
        }
    }

    private static func partial(_ fields: [Any]) throws(Unsupported) -> TemplateNode {
        guard fields.count == 3, let name = fields[0] as? String, let indentation = fields[1] as? String?,
              let inherits = fields[2] as? [String: MustacheTemplate]? else { throw Unsupported() }
        var overrides: [String: [TemplateNode]]?
        if let inherits {
            var blocks: [String: [TemplateNode]] = [:]
            for (block, template) in inherits { blocks[block] = try nodes(of: template) }
            overrides = blocks
        }
        return .partial(name, indentation: indentation.map { Array($0.utf8) }, overrides: overrides)
    }
}
