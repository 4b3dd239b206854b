public import Foundation

/// Turns the bytes of a source file into text, or explains why it cannot.
/// Old Chinese editors (and Windows Notepad before 2019) save GBK; we detect that
/// and tell the editor how to convert instead of printing mojibake.
public enum SourceText {
    public enum Problem: Error, Sendable, Equatable {
        /// Not UTF-8 but every byte pair is valid GBK.
        case looksLikeGBK(line: Int)
        /// Not UTF-8 and not GBK either.
        case notUTF8(line: Int)
    }

    public static func decode(_ data: Data) -> Result<String, Problem> {
        // The common case, UTF-8 without a byte order mark or `\r`: validated straight from the data.
        if !data.starts(with: [0xEF, 0xBB, 0xBF]), !data.withUnsafeBytes({ $0.baseAddress.map { memchr($0, 0x0D, data.count) != nil } ?? false }),
           let text = String(validating: data, as: UTF8.self) {
            return .success(text)
        }
        var bytes = [UInt8](data)
        // A UTF-8 byte order mark is harmless; drop it so front matter still starts at byte 0.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        // Windows line endings would leak `\r` into titles. Checked on bytes: Foundation's
        // string search is slow on Chinese text.
        if bytes.contains(UInt8(ascii: "\r")) {
            var unix: [UInt8] = []
            unix.reserveCapacity(bytes.count)
            for (index, byte) in bytes.enumerated() where !(byte == UInt8(ascii: "\r") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n")) {
                unix.append(byte)
            }
            bytes = unix
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return .success(text)
        }
        let line = lineOfFirstInvalidUTF8(bytes)
        return .failure(isPlausibleGBK(bytes) ? .looksLikeGBK(line: line) : .notUTF8(line: line))
    }

    /// The message an editor should read, naming the file so the iconv command can be pasted.
    public static func diagnostic(for problem: Problem, file: String) -> Diagnostic {
        switch problem {
        case .looksLikeGBK(let line):
            return .error(file, line: line, "file is not UTF-8; it looks like GBK (GB2312/GB18030). Convert it with: iconv -f GBK -t UTF-8 '\(file)' > converted.md && mv converted.md '\(file)'")
        case .notUTF8(let line):
            return .error(file, line: line, "file is not valid UTF-8; save it as UTF-8")
        }
    }

    /// GBK: ASCII, or a lead byte 0x81–0xFE followed by a trail byte 0x40–0xFE other than 0x7F.
    /// At least one double-byte character must be present.
    static func isPlausibleGBK(_ bytes: [UInt8]) -> Bool {
        var index = 0
        var pairs = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 { index += 1; continue }
            guard (0x81...0xFE).contains(byte), index + 1 < bytes.count else { return false }
            let trail = bytes[index + 1]
            guard (0x40...0xFE).contains(trail), trail != 0x7F else { return false }
            pairs += 1
            index += 2
        }
        return pairs > 0
    }

    static func lineOfFirstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var line = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return line
            }
            guard index + length <= bytes.count,
                  bytes[(index + 1)..<(index + length)].allSatisfy({ $0 & 0xC0 == 0x80 }) else { return line }
            if byte == UInt8(ascii: "\n") { line += 1 }
            index += length
        }
        return line
    }
}
