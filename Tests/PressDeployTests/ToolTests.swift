import Foundation
import Testing
@testable import PressDeploy

@Suite struct ToolTests {
    @Test func collectsOutputAndStatus() async throws {
        let result = try await RunningTool.run("sh", ["-c", "cat; echo 错误 >&2; exit 3"], input: Data("输入\n".utf8))
        #expect(result.status == 3 && !result.signalled)
        #expect(result.output == "输入\n" && result.errorOutput == "错误\n")
    }

    @Test func aToolThatStopsReadingDoesNotKillUs() async throws {
        // sh exits without reading its input: writing the rest raises SIGPIPE, which must not end the test process.
        let result = try await RunningTool.run("sh", ["-c", "exit 4"], input: Data(count: 4 << 20))
        #expect(result.status == 4)
    }

    @Test func toolsCanBeStoppedWithSIGTERM() async throws {
        // Started from a Dispatch thread, whose signal mask blocks SIGTERM; the child must not inherit it.
        let tool = try RunningTool("sleep", ["30"])
        tool.signal(SIGTERM)
        let result = await tool.wait()
        #expect(result.signalled && result.status == SIGTERM)
    }

    @Test func aMissingToolSaysWhichPackageBringsIt() throws {
        #expect(throws: ToolError.self) { try RunningTool.locate("qpress-no-such-tool", environment: ["PATH": "/usr/bin"]) }
        #expect(try RunningTool.locate("sh", environment: ["PATH": "/nonexistent:/usr/bin:/bin"]).hasSuffix("/sh"))
    }
}
