public import Foundation
import PressCore

/// Writes files below one folder; every path is checked to stay inside it.
/// Uses system calls on plain paths: with 10,000 pages, FileManager's per-component checks and
/// URL building were a quarter of an incremental build.
public struct OutputWriter: Sendable {
    public let root: URL
    private let rootPath: String
    /// Set when the build patches the previous output in place (`OutputPatch`): reused files stay there.
    public private(set) var reusesInPlace = false
    /// The previous output's folder, open while files are reused in place (`reuseInPlace(from:)`).
    private var previousFolder: OpenFolder?

    public init(root: URL) {
        self.root = root
        rootPath = root.path.hasSuffix("/") ? String(root.path.dropLast()) : root.path
    }

    /// Writes the text's UTF-8 bytes as they are stored, without copying them first.
    public func write(_ text: String, to path: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), to: path) }
    }

    public func write(_ bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { try write($0, to: path) }
    }

    public func write(_ data: Data, to path: String) throws {
        try data.withUnsafeBytes { try write($0, to: path) }
    }

    /// Writes the bytes `produce` hands to its sink, in order, as one file: a large file made in
    /// parts is never copied into one buffer.
    public func write(to path: String, _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        let (descriptor, file) = try create(path)
        defer { close(descriptor) }
        try produce { try write($0, to: descriptor, file: file) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        let (descriptor, file) = try create(path)
        defer { close(descriptor) }
        try write(bytes, to: descriptor, file: file)
    }

    /// A new file at `path`, open for writing.
    private func create(_ path: String) throws -> (descriptor: Int32, file: String) {
        let file = try destination(path)
        try makeParent(of: file)
        // The path may be a hard link into the previous output (an incremental build):
        // replace it, never write through it. Most files are new, and cost no `unlink`.
        var descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor < 0 && errno == EEXIST {
            unlink(file)
            descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard descriptor >= 0 else { throw Self.failure("cannot create", file) }
        return (descriptor, file)
    }

    private func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, file: String) throws {
        if DescriptorWrite.all(bytes, to: descriptor) != nil { throw Self.failure("cannot write", file) }
    }

    /// Reused files stay where they are in `folder`, the previous output, which the build patches in place.
    public mutating func reuseInPlace(from folder: URL) {
        reusesInPlace = true
        previousFolder = OpenFolder(folder.path)
    }

    /// Takes a file of the previous output at the same path: it stays in place, or is hard-linked
    /// into this folder, so that an unchanged page costs one system call. `found`: the caller knows the file
    /// is there (`MissingPages`), so a file kept in place costs none.
    public func reuse(_ previous: String, as path: String, found: Bool = false) throws {
        if reusesInPlace {
            // Still looked for: a page deleted from the output by hand must be made again.
            guard found || (previousFolder?.holds(previous) ?? (access(previous, F_OK) == 0)) else { throw Self.failure("cannot reuse", previous) }
            return
        }
        let file = try destination(path)
        try makeParent(of: file)
        unlink(file)
        guard Foundation.link(previous, file) == 0 else {
            try FileManager.default.copyItem(atPath: previous, toPath: file)
            return
        }
    }

    /// Whether the file at `previous` holds exactly `data`: read only when the sizes agree.
    public func file(_ previous: String, holds data: Data) -> Bool {
        let descriptor = open(previous, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Int(status.st_size) == data.count else { return false }
        guard !data.isEmpty else { return true }
        var contents = [UInt8](repeating: 0, count: data.count)
        return contents.withUnsafeMutableBytes { buffer in
            guard let target = buffer.baseAddress, read(descriptor, target, data.count) == data.count else { return false }
            return data.withUnsafeBytes { bytes in bytes.baseAddress.map { memcmp($0, target, data.count) == 0 } ?? false }
        }
    }

    public func copy(_ source: String, to path: String) throws {
        let file = try destination(path)
        try makeParent(of: file)
        if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
        // A source reached through a symbolic link is copied as its content: the output never holds a link.
        try FileManager.default.copyItem(atPath: DirectoryWalk.realPath(source) ?? source, toPath: file)
    }

    struct EscapesOutput: Error, CustomStringConvertible {
        let path: String
        var description: String { "refusing to write '\(path)': it is outside the output folder" }
    }

    struct SystemError: Error, CustomStringConvertible {
        let description: String
    }

    private func destination(_ path: String) throws -> String {
        guard !path.hasPrefix("/"), Self.namesAFileBelow(path) else { throw EscapesOutput(path: path) }
        // The loader refuses such names with their source file; this is the last line of defence.
        if Self.holdsControlCharacter(path) {
            throw SystemError(description: "refusing to write '\(Diagnostic.escaped(path))': its name holds a control character")
        }
        return rootPath + "/" + path
    }

    /// Some part that is not empty, and none that is `.` or `..`; read in bytes, as every page's path is.
    static func namesAFileBelow(_ path: String) -> Bool {
        var (part, dots, parts) = (0, 0, 0)
        func endPart() -> Bool {
            if part > 0 && part == dots && dots <= 2 { return false }
            if part > 0 { parts += 1 }
            (part, dots) = (0, 0)
            return true
        }
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                guard endPart() else { return false }
            } else {
                part += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return endPart() && parts > 0
    }

    /// A scalar of general category Cc: U+0000–U+001F, U+007F, U+0080–U+009F (in UTF-8, C2 80–C2 9F).
    static func holdsControlCharacter(_ path: String) -> Bool {
        var afterC2 = false
        for byte in path.utf8 {
            if byte < 0x20 || byte == 0x7F || (afterC2 && byte < 0xA0) { return true }
            afterC2 = byte == 0xC2
        }
        return false
    }

    /// One `mkdir` when the parent is new or exists; walks up only when its own parent is missing.
    private func makeParent(of file: String) throws {
        guard let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) else { return }
        try makeDirectory(String(file[..<slash]))
    }

    private func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT, path.utf8.count > rootPath.utf8.count else { throw Self.failure("cannot create folder", path) }
        try makeParent(of: path)
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw Self.failure("cannot create folder", path) }
    }

    private static func failure(_ action: String, _ path: String) -> SystemError {
        SystemError(description: "\(action) '\(path)': \(String(cString: strerror(errno)))")
    }
}
