import Foundation
import PressCore

/// The cache file's text read and written straight between the file and a `String`'s own buffer:
/// going through `Data` copied every byte once more (31 MB for 10,000 pages of 24 cross-links each).
enum CacheFile {
    struct Problem: LocalizedError, CustomStringConvertible {
        let description: String
        var errorDescription: String? { description }
    }

    /// The file's text, nil when it cannot be read. Bytes that are not UTF-8 are repaired, as `String(decoding:)` does.
    static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        var complete = true
        let text = String(unsafeUninitializedCapacity: size) { buffer in
            var filled = 0
            while filled < size, let base = buffer.baseAddress {
                let count = Foundation.read(descriptor, base + filled, size - filled)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { complete = false; break }
                filled += count
            }
            return filled
        }
        return complete ? text : nil
    }

    /// Writes `parts` one after the other to `path`, replacing what was there.
    static func write(_ parts: [CacheText], to path: String) throws(Problem) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Problem(description: "cannot create '\(path)': \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        do {
            for part in parts {
                try part.write { bytes in
                    if let failure = DescriptorWrite.all(bytes, to: descriptor) {
                        throw Problem(description: "cannot write '\(path)': \(String(cString: strerror(failure)))")
                    }
                }
            }
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "cannot write '\(path)': \(error)")
        }
    }
}
