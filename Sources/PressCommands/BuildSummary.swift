import Foundation
import PressBuild
import PressCore

/// The lines `build`, `deploy` and `anthology` print about a build, written once so the three say it alike.
enum BuildSummary {
    /// `3 errors`
    static func errors(_ result: BuildResult) -> String {
        let count = result.diagnostics.filter { $0.severity == .error }.count
        return "\(count) error\(count == 1 ? "" : "s")"
    }

    /// `build failed with 3 errors; /site/Output was left unchanged`, to standard error.
    static func printFailure(_ what: String, _ result: BuildResult) {
        FileHandle.standardError.write(Data("\(what) failed with \(errors(result)); \(result.output.path) was left unchanged\n".utf8))
    }

    /// `built 29 pages (3 unchanged) and copied 3 files into /site/Output`
    static func built(_ result: BuildResult) -> String {
        let unchanged = result.pagesReused > 0 ? " (\(result.pagesReused) unchanged)" : ""
        return "built \(result.pagesWritten) pages\(unchanged) and copied \(result.filesCopied) files into \(result.output.path)"
    }
}
