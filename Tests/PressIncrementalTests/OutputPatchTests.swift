import Foundation
import PressIncremental
import Testing

/// What an incremental build's commit removes, and whether it writes a new list of the output's files.
@Suite struct OutputPatchTests {
    /// A staging folder holding `written`, for the patch to list.
    func patch(written: [String], kept: [String], previous: Set<String>) async throws -> OutputPatch {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("patch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: staging) }
        for file in written {
            let url = staging.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("new".utf8).write(to: url)
        }
        return await OutputPatch(staging: staging, kept: kept, previous: previous)
    }

    let previous: Set<String> = ["index.html", "stories/a.html", "stories/b.html", "tags/x.html"]

    @Test func anEditKeepsTheList() async throws {
        let patch = try await self.patch(written: ["stories/a.html", "index.html"], kept: ["stories/b.html", "tags/x.html"], previous: previous)
        #expect(patch.removed.isEmpty)
        #expect(!patch.changesList)
        #expect(patch.files == previous)
    }

    @Test func aFileNoLongerMadeIsRemoved() async throws {
        let patch = try await self.patch(written: ["index.html"], kept: ["stories/b.html", "stories/b.html"], previous: previous)
        #expect(patch.removed == ["stories/a.html", "tags/x.html"])
        #expect(patch.changesList)
        #expect(patch.files == ["index.html", "stories/b.html"])
    }

    @Test func aNewFileChangesTheList() async throws {
        let written = try await patch(written: ["stories/c.html"], kept: Array(previous), previous: previous)
        #expect(written.removed.isEmpty && written.changesList)
        #expect(written.files == previous.union(["stories/c.html"]))
        // A kept file the previous list lacks changes it too; one kept twice does not.
        let kept = try await patch(written: [], kept: Array(previous) + ["stories/a.html", "assets/new.css"], previous: previous)
        #expect(kept.removed.isEmpty && kept.changesList)
        let twice = try await patch(written: [], kept: Array(previous) + ["stories/a.html"], previous: previous)
        #expect(twice.removed.isEmpty && !twice.changesList)
    }
}
