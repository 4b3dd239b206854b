import Foundation
import PressCore

extension LinkReport {
    /// Grouped by the file to fix, one line per broken link, then a summary line.
    public func humanReadable() -> String {
        var text = ""
        let groups = Dictionary(grouping: broken) { $0.source.file }
        for file in groups.keys.sorted() {
            text += "\(file)\n"
            // A template link broken on every page is one line, not hundreds.
            var seen: [String: [String]] = [:]
            var order: [BrokenLink] = []
            for link in groups[file] ?? [] {
                let key = "\(link.source)|\(link.url)|\(link.reason)"
                if seen[key] == nil { order.append(link) }
                seen[key, default: []].append(link.page)
            }
            for link in order {
                let position = link.source.line.map { line in link.source.column.map { "\(line):\($0)" } ?? "\(line)" } ?? "-"
                let pages = seen["\(link.source)|\(link.url)|\(link.reason)"] ?? []
                var context = ""
                if link.source.file != link.page {
                    context = pages.count == 1 ? " (in \(pages[0]))" : " (in \(pages.count) pages, e.g. \(pages[0]))"
                }
                text += "  \(position): \(link.url): \(link.reason)\(context)\n"
            }
        }
        return text + summary + "\n"
    }

    public var summary: String {
        let files = Set(broken.map(\.source.file)).count
        var line = broken.isEmpty
            ? "no broken links"
            : "\(broken.count) broken link\(broken.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
        line += " (\(linksChecked) links in \(pagesChecked) files checked, \(externalChecked) external URLs checked"
        if externalSkipped > 0 { line += ", \(externalSkipped) external URLs skipped offline" }
        return line + ")"
    }

    public func json() -> String {
        struct Entry: Encodable {
            var url: String
            var page: String
            var file: String
            var line: Int?
            var column: Int?
            var reason: String
            var code: String
        }
        struct Document: Encodable {
            var broken: [Entry]
            var pages: Int
            var links: Int
            var externalChecked: Int
            var externalSkipped: Int
        }
        let document = Document(
            broken: broken.map { Entry(url: $0.url, page: $0.page, file: $0.source.file, line: $0.source.line,
                                       column: $0.source.column, reason: $0.reason.description, code: $0.reason.code) },
            pages: pagesChecked, links: linksChecked, externalChecked: externalChecked, externalSkipped: externalSkipped)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    /// JUnit XML: one test case per source file, one failure per broken link.
    public func junit() -> String {
        let groups = Dictionary(grouping: broken) { $0.source.file }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites><testsuite name=\"qpress links\" tests=\"\(max(1, groups.count))\" failures=\"\(broken.count)\">\n"
        if groups.isEmpty {
            xml += "  <testcase classname=\"links\" name=\"all links\"/>\n"
        }
        for file in groups.keys.sorted() {
            xml += "  <testcase classname=\"links\" name=\"\(HTMLEscaping.attribute(file))\">\n"
            for link in groups[file] ?? [] {
                let message = "\(link.source): \(link.url): \(link.reason)"
                xml += "    <failure type=\"\(link.reason.code)\" message=\"\(HTMLEscaping.attribute(message))\">\(HTMLEscaping.text(message)) (in \(HTMLEscaping.text(link.page)))</failure>\n"
            }
            xml += "  </testcase>\n"
        }
        return xml + "</testsuite></testsuites>\n"
    }
}
