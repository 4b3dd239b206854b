@testable import PressSearch
import PressTestSupport
import Testing

/// A record's excerpt read scalar by scalar (most pages) is the one read character by character.
@Suite struct ExcerptTests {
    @Test func scalarExcerptsAreTheCharacterExcerpts() {
        let long = String(repeating: "质量管理，是 ISO 9001 的核心。\r\n", count: 20)
        let texts = ["", " ", "质量", long, "  前后  空白\t\n", "Ｈｅｌｌｏ　世界！", "e\u{301}x 质", "质\u{302A}量", "ｶﾞ", "👍🏽 好",
                     "a\r\nb", "\u{3000}\u{3000}开头", String(repeating: "a", count: 159) + "b\u{301}", String(repeating: "字", count: 160) + "\u{301}"]
        for summary in [nil, "", "摘要：质量 。", "Summary with é"] + texts.prefix(4).map(Optional.some) {
            for body in texts {
                #expect(SearchRecord.excerpt(summary: summary, body: body)
                        == SearchRecord.characterExcerpt(summary: summary, body: body), "\(String(describing: summary)) \(body.debugDescription)")
            }
        }
    }

    @Test func scalarExcerptsAreTheCharacterExcerptsOnRandomText() {
        let pool = Array("aZ09 ,.-_质量管理、。（）ＡＺａｚ０９\u{3000}\u{302A}\u{FF9E}é\u{301}\r\n\t\u{B}👍\u{1F3FD}\u{200D}〇々".unicodeScalars)
        var generator = SeededGenerator(seed: 23)
        var scalarPaths = 0
        for _ in 0..<600 {
            var scalars = String.UnicodeScalarView()
            let rare = generator.next() % 3 == 0
            for _ in 0..<Int(generator.next() % 400) {
                let index = Int(generator.next() % UInt64(pool.count))
                scalars.append(pool[rare ? index : index % 24])
            }
            let body = String(scalars)
            if ExcerptScalars.excerpt(summary: nil, body: body) != nil { scalarPaths += 1 }
            #expect(SearchRecord.excerpt(summary: "摘要", body: body) == SearchRecord.characterExcerpt(summary: "摘要", body: body),
                    "\(body.debugDescription)")
        }
        #expect(scalarPaths > 300)
    }
}
