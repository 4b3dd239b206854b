import PressTemplates
import PressTestSupport

/// Random templates over the constructs the compiled templates support: text with hostile characters,
/// line ends (`\n`, `\r\n`) and indentation (so that tags are often standalone), variables escaped and not,
/// dotted, anchored and transformed names, sections and inverted sections nested, comments, partials
/// (standalone and inline) and a layout with blocks. `{{.}}` is printed only where the context is known to
/// be a string or a number: a whole view prints as a dictionary, in an order that changes between renders.
struct TemplateGenerator {
    var random: SeededGenerator

    init(random: SeededGenerator) { self.random = random }

    mutating func templates() -> [String: String] {
        let p1 = body(depth: 0, partials: [], dot: false)
        let p2 = body(depth: 0, partials: ["p1"], dot: false)
        var layout = "<html>\n" + body(depth: 1, partials: ["p1"], dot: false) + pick(["", "  ", "\t"]) + "{{$main}}default {{s}}{{/main}}\n"
        if chance(2) { layout += "{{#list}}\n  {{$item}}({{s}}){{/item}}\n{{/list}}\n" }
        layout += body(depth: 1, partials: [], dot: false)
        var root = body(depth: 0, partials: ["p1", "p2"], dot: false)
        if chance(3) {
            var blocks = "{{$main}}\n" + body(depth: 1, partials: ["p1", "p2"], dot: false) + "{{/main}}\n"
            if chance(2) { blocks += "{{$item}}" + body(depth: 2, partials: [], dot: false) + "{{/item}}\n" }
            root = pick(["", "  "]) + "{{<layout}}\n" + blocks + "{{/layout}}" + pick(["", "\n", "\nafter"])
        }
        return ["root": root, "p1": p1, "p2": p2, "layout": layout]
    }

    private mutating func body(depth: Int, partials: [String], dot: Bool) -> String {
        var text = ""
        for _ in 0..<Int.random(in: 0...7, using: &random) { text += item(depth: depth, partials: partials, dot: dot) }
        return text
    }

    private mutating func item(depth: Int, partials: [String], dot: Bool) -> String {
        switch Int.random(in: 0..<12, using: &random) {
        case 0: return pick(["a", "<&>\"'", "中文", "\u{1}", " x ", "é", "e\u{301}"])
        case 1, 2: return "\n"
        case 3: return pick([" ", "  ", "\t", "\r\n"])
        case 6: return pick(["{{! note }}", "{{!\n}}"])
        case 7 where depth < 3, 8 where depth < 3: return section(depth: depth, partials: partials, dot: dot)
        case 9 where !partials.isEmpty:
            return pick(["", " ", "  "]) + "{{> \(pick(partials))}}" + pick(["", "\n", "x"])
        default: return variable(dot: dot)
        }
    }

    private mutating func variable(dot: Bool) -> String {
        var names = ["s", "t", "n", "i", "e", "flag", "missing", "fields.s", "dict.t", "fields.inner.s", "fields.inner.n",
                     ".s", ".n", "count(strings)", "empty(list)", "index()", "first()", "last()", "odd()",
                     "uppercased(s)", "plusone(n)", "empty(e)", "minusone(i)"]
        if dot { names.append(".") }
        let name = pick(names)
        return pick(["{{\(name)}}", "{{{\(name)}}}", "{{& \(name)}}", "{{ \(name) }}"])
    }

    /// A section; `{{.}}` may be printed in its body when it pushes a string or a number, or keeps a context that allows it.
    private mutating func section(depth: Int, partials: [String], dot: Bool) -> String {
        let sections: [(name: String, pushesScalar: Bool?)] = [
            ("s", true), ("t", true), ("n", true), ("i", true), ("e", true), (".s", true), ("strings", true),
            ("flag", nil), ("empty(list)", nil), ("first()", nil), ("last()", nil), ("empty(e)", nil),
            ("list", false), ("dicts", false), ("fields", false), ("dict", false), ("fields.inner", false), ("missing", false),
        ]
        let (name, pushesScalar) = pick(sections)
        let inverted = chance(3)
        let inner = !inverted && (pushesScalar ?? dot)
        let content = body(depth: depth + 1, partials: partials, dot: inner)
        let sigil = inverted ? "^" : "#"
        if chance(2) {
            let indent = pick(["", "  ", "\t"])
            return "\n\(indent){{\(sigil)\(name)}}\n\(content)\n\(pick(["", " "])){{/\(name)}}\n"
        }
        return "{{\(sigil)\(name)}}\(content){{/\(name)}}"
    }

    private mutating func chance(_ oneIn: Int) -> Bool { Int.random(in: 0..<oneIn, using: &random) == 0 }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &random)] }
}

/// Random views of the shapes views have: strings (plain and `TemplateText`), numbers, booleans, empty
/// strings, nested `TemplateFields` and dictionaries, lists of them (often empty), lists of strings.
/// The root always has every scalar name, so a section over one always pushes a scalar.
enum ViewGenerator {
    static let strings = ["", "<>&\"'", "\u{1}", "中文字", "a\nb", "x\r\n", "\u{301}<", "plain", " ", "line\n"]

    static func view(_ random: inout SeededGenerator) -> [String: Any] {
        var view: [String: Any] = [
            "s": string(&random), "t": TemplateText(pick(strings, &random)), "n": TemplateNumber(Int.random(in: -2...12, using: &random)),
            "i": Int.random(in: -2...3, using: &random), "e": Bool.random(using: &random) ? "" as Any : TemplateText(""),
            "flag": Bool.random(using: &random),
        ]
        if Bool.random(using: &random) { view["fields"] = fields(&random, depth: 0) }
        if Bool.random(using: &random) { view["dict"] = ["t": string(&random), "s": TemplateText(pick(strings, &random))] as [String: Any] }
        if Bool.random(using: &random) { view["list"] = (0..<Int.random(in: 0...3, using: &random)).map { _ in fields(&random, depth: 1) } }
        if Bool.random(using: &random) {
            view["dicts"] = (0..<Int.random(in: 0...2, using: &random)).map { _ in ["s": string(&random)] as [String: Any] }
        }
        if Bool.random(using: &random) {
            let count = Int.random(in: 0...3, using: &random)
            view["strings"] = Bool.random(using: &random) ? (0..<count).map { _ in TemplateText(pick(strings, &random)) } as Any
                : (0..<count).map { _ in pick(strings, &random) } as Any
        }
        return view
    }

    static func fields(_ random: inout SeededGenerator, depth: Int) -> TemplateFields {
        var fields = TemplateFields()
        if Bool.random(using: &random) { fields["s"] = string(&random) }
        if Bool.random(using: &random) { fields["t"] = TemplateText(pick(strings, &random)) }
        if Bool.random(using: &random) { fields["n"] = TemplateNumber(Int.random(in: 0...5, using: &random)) }
        if Bool.random(using: &random) { fields["flag"] = Bool.random(using: &random) }
        if depth == 0 && Bool.random(using: &random) { fields["inner"] = Self.fields(&random, depth: 1) }
        return fields
    }

    static func string(_ random: inout SeededGenerator) -> Any {
        Bool.random(using: &random) ? pick(strings, &random) as Any : TemplateText(pick(strings, &random))
    }

    static func pick<T>(_ choices: [T], _ random: inout SeededGenerator) -> T { choices[Int.random(in: 0..<choices.count, using: &random)] }
}
