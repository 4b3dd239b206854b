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
/// Reflection is what a tiny site's build spent most of its theme loading on: each token is reflected once,
/// for its case, and its payload is cast to the tuple that case holds, not reflected field by field.
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

    private static func nodes(of template: MustacheTemplate) throws(Unsupported) -> [TemplateNode] {
        guard let tokens = Mirror(reflecting: template).descendant("tokens") as? [Any] else { throw Unsupported() }
        var nodes: [TemplateNode] = []
        nodes.reserveCapacity(tokens.count)
        for token in tokens { nodes.append(try node(token)) }
        return nodes
    }

    /// The payloads of swift-mustache's `Token` cases, by case.
    private typealias Variable = (name: String, transforms: [String])
    private typealias Section = (name: String, transforms: [String], template: MustacheTemplate)
    private typealias BlockExpansion = (name: String, default: MustacheTemplate, indentation: String?)
    private typealias Partial = (String, indentation: String?, inherits: [String: MustacheTemplate]?)

    private static func node(_ token: Any) throws(Unsupported) -> TemplateNode {
        guard let payload = Mirror(reflecting: token).children.first, let label = payload.label else { throw Unsupported() }
        switch label {
        case "text":
            guard let text = payload.value as? String else { throw Unsupported() }
            return .text(Array(text.utf8))
        case "variable", "unescapedVariable":
            guard let variable = payload.value as? Variable else { throw Unsupported() }
            return .variable(TemplateName(variable.name, transforms: variable.transforms), escaped: label == "variable")
        case "section", "invertedSection":
            guard let section = payload.value as? Section else { throw Unsupported() }
            return .section(TemplateName(section.name, transforms: section.transforms), body: try nodes(of: section.template),
                            inverted: label == "invertedSection")
        case "partial":
            guard let partial = payload.value as? Partial else { throw Unsupported() }
            return try self.partial(partial)
        case "blockExpansion":
            guard let block = payload.value as? BlockExpansion else { throw Unsupported() }
            return .block(block.name, defaultBody: try nodes(of: block.default), indentation: block.indentation.map { Array($0.utf8) })
        case "contentType":
            // Only the theme's own escaping; swift-mustache's HTML and TEXT escape differently.
            guard payload.value is ByteEscaping else { throw Unsupported() }
            return .byteEscaping
        default:
            // Dynamic partials (`{{>*name}}`), and whatever a later swift-mustache adds.
            throw Unsupported()
        }
    }

    private static func partial(_ partial: Partial) throws(Unsupported) -> TemplateNode {
        var overrides: [String: [TemplateNode]]?
        if let inherits = partial.inherits {
            var blocks: [String: [TemplateNode]] = [:]
            for (block, template) in inherits { blocks[block] = try nodes(of: template) }
            overrides = blocks
        }
        return .partial(partial.0, indentation: partial.indentation.map { Array($0.utf8) }, overrides: overrides)
    }
}
