import PressCore

/// What a template may be before swift-mustache parses it. Its parser measures the rest of the text
/// for every tag (quadratic: 200 KB of `{{x}}` took 17 s) and recurses once per nested section
/// (3,000 levels overflow the stack).
enum TemplateLimits {
    /// The largest template, in bytes; the default theme's largest is under 4 KB. 16 KB of `{{x}}`
    /// parse in about 0.3 s in a debug build (64 KB took 5 s).
    static let maxBytes = 16 * 1024
    /// The deepest nesting of sections.
    static let maxDepth = 100

    /// Every limit the template exceeds; empty when swift-mustache may parse it.
    static func problems(_ text: String, _ scan: TemplateScan, file: String) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let place = scan.tooDeep {
            problems.append(.error(file, line: place.line, column: place.column,
                                   "sections nest more than \(maxDepth) levels deep here; a template may nest at most \(maxDepth)"))
        }
        let bytes = text.utf8.count
        if bytes > maxBytes {
            problems.append(.error(file, "template is \(bytes) bytes; a template may have at most \(maxBytes) bytes (16 KB): split it into partials"))
        }
        return problems
    }
}

/// Partials that include themselves, directly or through others: swift-mustache would recurse
/// until the stack overflows. Each cycle is reported once, at its first template by name, with the chain.
enum PartialCycles {
    static func find(_ references: [String: [PartialReference]], paths: [String: String]) -> [Diagnostic] {
        var state: [String: Bool] = [:] // false: on the current path; true: done
        var path: [(name: String, via: PartialReference?)] = []
        var reported = Set<[String]>()
        var diagnostics: [Diagnostic] = []

        func visit(_ name: String) {
            state[name] = false
            for reference in references[name] ?? [] {
                path.append((name, reference))
                switch state[reference.name] {
                case .none: visit(reference.name)
                case .some(false): report(cycleFrom: reference.name)
                case .some(true): break
                }
                path.removeLast()
            }
            state[name] = true
        }

        func report(cycleFrom start: String) {
            guard let first = path.lastIndex(where: { $0.name == start }) else { return }
            let cycle = Array(path[first...])
            // The same cycle is found from each of its templates; report it once.
            guard reported.insert(cycle.map(\.name).sorted()).inserted else { return }
            let chain = cycle.map { step -> String in
                let file = paths[step.name] ?? step.name
                return "\(file):\(step.via?.line ?? 1):\(step.via?.column ?? 1) includes \(Diagnostic.quote(step.via?.name ?? ""))"
            }.joined(separator: " → ")
            let at = cycle[0].via
            diagnostics.append(.error(paths[cycle[0].name] ?? cycle[0].name, line: at?.line, column: at?.column,
                                      "partials include themselves without end: \(chain)"))
        }

        for name in references.keys.sorted() where state[name] == nil { visit(name) }
        return diagnostics
    }
}
