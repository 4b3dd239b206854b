import Foundation
public import PressCore

/// The seconds one step of a build took, and the stage it belongs to (`qpress build --timings`).
public struct StepTiming: Sendable, Equatable {
    public var stage: BuildStage
    public var step: String
    public var seconds: Double
}

extension BuildResult {
    /// `--timings`: each stage with its seconds, and below it the steps it took when there are several.
    public var timingLines: [String] {
        var lines: [String] = []
        var index = timings.startIndex
        while index < timings.endIndex {
            let stage = timings[index].stage
            let steps = timings[index...].prefix { $0.stage == stage }
            lines.append(String(format: "%7.3f s  ", steps.reduce(0) { $0 + $1.seconds }) + stage.rawValue)
            if steps.count > 1 || steps.first?.step != stage.rawValue {
                lines += steps.map { String(format: "%7.3f s    ", $0.seconds) + $0.step }
            }
            index = steps.endIndex
        }
        return lines
    }
}

/// One build in progress: the result so far, and the clock its steps are timed with.
struct BuildRun {
    var result: BuildResult
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var stepStart: ContinuousClock.Instant

    init(output: URL) {
        result = BuildResult(diagnostics: [], pagesWritten: 0, filesCopied: 0, seconds: 0, output: output, report: nil)
        start = clock.now
        stepStart = start
    }

    var failed: Bool { result.diagnostics.hasErrors }

    /// Ends the current step: its time is what passed since the previous step ended.
    mutating func step(_ stage: BuildStage, _ name: String) {
        let now = clock.now
        result.timings.append(StepTiming(stage: stage, step: name, seconds: Self.seconds(now - stepStart)))
        stepStart = now
    }

    mutating func report(_ diagnostics: [Diagnostic], from stage: BuildStage) {
        result.diagnostics += diagnostics.from(stage)
    }

    /// The result with its total time and its diagnostics in report order.
    func finished() -> BuildResult {
        var result = result
        result.seconds = Self.seconds(clock.now - start)
        result.diagnostics = result.diagnostics.sortedForReport()
        return result
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
