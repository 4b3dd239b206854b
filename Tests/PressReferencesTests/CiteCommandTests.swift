import Foundation
import PressCommands
import Testing
@testable import PressReferences

@Suite struct CiteCommandTests {
    @Test func listsEveryEntryNumberedInFileOrder() throws {
        let entries = try Fixture.entries("sample.bib")
        let lines = CiteListing.render(entries, style: .numeric, format: .text).split(separator: "\n").map(String.init)
        #expect(lines.count == entries.count)
        #expect(lines.first == "[1] " + (FormatTests.expected["gbt19001"] ?? ""))
        #expect(lines[4] == "[5] 韩志刚. 顾客满意度测评理论与方法[M]. 北京: 中国农业出版社, 2016.")
        let html = CiteListing.render(entries, style: .numeric, format: .html)
        #expect(html.contains(#"[10] 中国质量协会. 全国质量管理小组活动成果发表交流办法[EB/OL]. (2020-05-20)[2021-01-10]. <a href="https://www.caq.org.cn/html/qcxz/1.html">"#))
        let authorDate = CiteListing.render(entries, style: .authorDate, format: .text)
        #expect(authorDate.contains("[5] 韩志刚, 2016. 顾客满意度测评理论与方法[M]. 北京: 中国农业出版社."))
    }

    @Test func exitCodes() async throws {
        #expect(await QPress.run(arguments: ["cite", try Fixture.url("sample.json").path, "--style", "author-date"]) == 0)
        #expect(await QPress.run(arguments: ["cite", try Fixture.url("sample.bib").path, "--format", "html"]) == 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = directory.appendingPathComponent("broken.bib")
        try "@book{k,\n title = {T}\n".write(to: broken, atomically: true, encoding: .utf8)
        #expect(await QPress.run(arguments: ["cite", broken.path]) == 1)
        #expect(await QPress.run(arguments: ["cite", directory.appendingPathComponent("refs.txt").path]) == 1)
        #expect(await QPress.run(arguments: ["cite", broken.path, "--style", "harvard"]) == 2)
    }
}
