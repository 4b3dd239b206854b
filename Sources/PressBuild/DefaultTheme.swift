public import Foundation

/// Finds the bundled default theme: `$QPRESS_THEME`, then `share/qualitypress/Templates`
/// beside an installed binary, then the `Templates/` folder of the source checkout it was built from.
public enum DefaultTheme {
    public static func locate() -> URL? {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["QPRESS_THEME"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().appendingPathComponent("../share/qualitypress/Templates"))
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Templates"))
        return candidates.map(\.standardizedFileURL).first { url in
            FileManager.default.fileExists(atPath: url.appendingPathComponent("layout.mustache").path)
        }
    }
}
