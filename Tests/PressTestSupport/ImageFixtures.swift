public import Foundation

/// Test images made on the spot with Pillow (a dependency of WeasyPrint, so in the project venv):
/// a phone photo with an EXIF orientation and GPS, a transparent chart, 16-bit, grey and CMYK scans.
public enum ImageFixtures {
    /// `make_image.py` beside this file.
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("make_image.py").path

    public static func make(_ kind: String, in folder: URL, name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, kind, url.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return url
    }

    public static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qpress-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
