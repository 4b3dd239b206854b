import Foundation
import PressCore
import Yams

/// The words of a theme in one language, from `labels/<language>.yml`: templates show them as
/// `{{labels.next_page}}`, and the site renderer makes page titles from them. Keeping them in the theme,
/// not in Swift, is what lets a site (or an English edition) change them.
public struct ThemeLabels: Sendable {
    /// The labels the site renderer itself uses: every labels file must have them.
    public static let required = ["stories", "papers", "list_page", "all_tags", "tag_page", "search", "not_found"]
    /// The theme's own language, whose labels a site in a language without a labels file gets.
    public static let defaultLanguage = "zh-CN"
    /// A labels file is a flat list of short phrases; larger is a mistake or an attack.
    static let maxBytes = 16 * 1024

    public let values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The label `name` with `{placeholder}`s filled in; the name itself when the file has no such label.
    public func text(_ name: String, _ fill: [String: String] = [:]) -> String {
        var text = values[name] ?? name
        for (placeholder, value) in fill { text = text.replacingOccurrences(of: "{\(placeholder)}", with: value) }
        return text
    }

    /// Reads a labels file: a mapping of names to plain strings, with every `required` name.
    static func read(_ url: URL, path: String) -> Result<ThemeLabels, Diagnostic> {
        guard let data = try? Data(contentsOf: url) else { return .failure(.error(path, "cannot read the labels file")) }
        guard data.count <= maxBytes else {
            return .failure(.error(path, "labels file is \(data.count) bytes; it may have at most \(maxBytes) bytes (16 KB)"))
        }
        let text: String
        switch SourceText.decode(data) {
        case .success(let decoded): text = decoded
        case .failure(let problem): return .failure(SourceText.diagnostic(for: problem, file: path))
        }
        let node: Node?
        do {
            // Labels are read as text, so scalars need no tag resolution: Yams's default resolver compiles a
            // dozen regular expressions (ICU's first costs 3% of a tiny site's build). The encoding is given so
            // Yams does not read the environment.
            node = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                let detail = context.map { "\(problem) \($0.text)" } ?? problem
                return .failure(.error(path, line: mark.line, column: mark.column, "invalid YAML: \(detail)"))
            default:
                return .failure(.error(path, "invalid YAML: \(String(describing: error).prefix { $0 != "\n" }.prefix(200))"))
            }
        } catch {
            return .failure(.error(path, "invalid YAML: \(error)"))
        }
        return labels(in: node, path: path)
    }

    private static func labels(in node: Node?, path: String) -> Result<ThemeLabels, Diagnostic> {
        guard let mapping = node?.mapping else {
            return .failure(.error(path, line: node?.mark?.line ?? 1, "a labels file must be a mapping of 'name: text' lines"))
        }
        var values: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string, let text = value.scalar?.string else {
                return .failure(.error(path, line: key.mark?.line ?? 1, "a label must be a name with a text, like 'next_page: 下一页'"))
            }
            values[name] = text
        }
        if let missing = required.first(where: { values[$0] == nil }) {
            return .failure(.error(path, line: 1, "missing label \(Diagnostic.quote(missing)) (the site renderer needs \(required.joined(separator: ", ")))"))
        }
        return .success(ThemeLabels(values))
    }
}
