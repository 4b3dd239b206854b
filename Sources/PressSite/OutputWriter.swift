import Foundation
import PressCore

/// Writes files below one folder; every path is checked to stay inside it.
public struct OutputWriter: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    public func write(_ data: Data, to path: String) throws {
        let url = try destination(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // The path may be a hard link into the previous output (an incremental build):
        // replace it, never write through it.
        unlink(url.path)
        try data.write(to: url)
    }

    /// Hard-links a file of the previous output into this one: unchanged pages cost one system call.
    public func link(from previous: URL, to path: String) throws {
        let url = try destination(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        unlink(url.path)
        guard Foundation.link(previous.path, url.path) == 0 else {
            try FileManager.default.copyItem(at: previous, to: url)
            return
        }
    }

    public func copy(_ source: String, to path: String) throws {
        let url = try destination(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        try FileManager.default.copyItem(atPath: source, toPath: url.path)
    }

    struct EscapesOutput: Error, CustomStringConvertible {
        let path: String
        var description: String { "refusing to write '\(path)': it is outside the output folder" }
    }

    private func destination(_ path: String) throws -> URL {
        let parts = path.split(separator: "/")
        guard !path.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." }), !parts.isEmpty else {
            throw EscapesOutput(path: path)
        }
        return root.appendingPathComponent(path)
    }
}
