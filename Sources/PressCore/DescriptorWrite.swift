import Foundation

/// Writing all of a buffer to an open file, as `write(2)` may take only part of it or be interrupted.
public enum DescriptorWrite {
    /// Writes every byte of `bytes` to `descriptor`; returns `errno` when a write fails, nil when all went.
    public static func all(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return errno }
            offset += written
        }
        return nil
    }
}
