import Foundation
import PressSearch
import Testing

@Suite struct TokenizerTests {
    @Test func chineseRunsBecomeOverlappingPairsAndTheirLastCharacter() {
        #expect(SearchTokenizer.tokens("质量管理") == ["质量", "量管", "管理", "理"])
        #expect(SearchTokenizer.tokens("质") == ["质"])
        // Punctuation ends a run: no pair spans "，".
        #expect(SearchTokenizer.tokens("可靠性，工匠") == ["可靠", "靠性", "性", "工匠", "匠"])
        #expect(SearchTokenizer.tokens("“质量”——管理。ISO—9001（试行）") == ["质量", "量", "管理", "理", "iso", "9001", "试行", "行"])
        // 〇 is a number, 々 a letter: they are not punctuation.
        #expect(SearchTokenizer.tokens("二〇二〇年") == ["二", "〇", "二", "〇", "年"])
    }

    @Test func latinWordsAreLowercasedAndNumbersKept() {
        #expect(SearchTokenizer.tokens("ISO 9001 and PDCA-cycle") == ["iso", "9001", "and", "pdca", "cycle"])
        // Full-width letters and digits are the same words.
        #expect(SearchTokenizer.tokens("ＩＳＯ９００１") == ["iso9001"])
        #expect(SearchTokenizer.tokens("Qualität") == ["qualität"])
        // A long word keeps its first 32 characters; the next word starts fresh.
        let long = String(repeating: "Ab", count: 20)
        #expect(SearchTokenizer.tokens(long + " QC") == [String(repeating: "ab", count: 16), "qc"])
    }

    @Test func mixedTextSplitsAtTheScriptBoundary() {
        #expect(SearchTokenizer.tokens("MTBF提高了一倍") == ["mtbf", "提高", "高了", "了一", "一倍", "倍"])
        #expect(SearchTokenizer.tokens("采用SPC控制") == ["采用", "用", "spc", "控制", "制"])
    }

    @Test func queriesSplitIntoUnits() {
        let query = SearchQuery("质量管理 ISO 9001 质")
        #expect(query.units == [
            .init(text: "质量管理", terms: ["质量", "量管", "管理"], prefix: nil),
            .init(text: "iso", terms: ["iso"], prefix: nil),
            .init(text: "9001", terms: ["9001"], prefix: nil),
            .init(text: "质", terms: [], prefix: "质"),
        ])
        // The word being typed at the end matches as a prefix; after a space it is whole.
        #expect(SearchQuery("relia").units == [.init(text: "relia", terms: [], prefix: "relia")])
        #expect(SearchQuery("relia ").units == [.init(text: "relia", terms: ["relia"], prefix: nil)])
    }
}
