/// The cache's text as it is written: lines read from the previous cache stay slices of its text,
/// adjacent ones joined into one slice, and new lines are gathered as bytes. An edit writes
/// 10,000 unchanged records back without copying megabytes into a new string first.
public struct CacheText: Sendable {
    private enum Piece: Sendable {
        case read(Substring)
        case fresh([UInt8])
    }

    private var pieces: [Piece] = []
    /// Read lines being gathered: adjacent in the text they were read from, newlines included.
    private var run: Substring?
    /// New lines being gathered, encoded straight into bytes (`CompactRecord`'s byte writers).
    private var fresh: [UInt8] = []

    public init() {}

    /// Appends new text (whole lines).
    mutating func append(_ text: String) {
        closeRun()
        fresh.append(contentsOf: text.utf8)
    }

    /// Appends new lines that `encode` writes into the buffer (whole lines).
    mutating func appendLines(_ encode: (inout [UInt8]) -> Void) {
        closeRun()
        encode(&fresh)
    }

    /// Appends a line read from a cache file (without its newline), followed by a newline.
    mutating func append(readLine line: Substring) {
        let base = line.base
        // The line's newline, taken from the text it was read from when there is one there.
        guard line.endIndex < base.endIndex, base.utf8[line.endIndex] == 0x0A else {
            append(String(line) + "\n")
            return
        }
        let end = base.utf8.index(after: line.endIndex)
        closeFresh()
        if let current = run, current.endIndex == line.startIndex, Self.storage(of: current) == Self.storage(of: line) {
            run = base[current.startIndex..<end]
        } else {
            closeRun()
            run = base[line.startIndex..<end]
        }
    }

    /// Hands every byte to `sink`, in order.
    func write(to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        for piece in pieces + [run.map(Piece.read), .fresh(fresh)].compactMap({ $0 }) {
            switch piece {
            case .fresh(let bytes):
                if !bytes.isEmpty { try bytes.withUnsafeBytes { try sink($0) } }
            case .read(let text):
                if try text.utf8.withContiguousStorageIfAvailable({ try sink(UnsafeRawBufferPointer($0)) }) != nil { continue }
                var copy = String(text)
                try copy.withUTF8 { try sink(UnsafeRawBufferPointer($0)) }
            }
        }
    }

    private mutating func closeRun() {
        if let current = run { pieces.append(.read(current)) }
        run = nil
    }

    private mutating func closeFresh() {
        guard !fresh.isEmpty else { return }
        pieces.append(.fresh(fresh))
        fresh = []
    }

    /// Where the text `slice` is of lies in memory: equal indices of two strings do not continue each other.
    static func storage(of slice: Substring) -> UInt? {
        slice.base.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) } ?? nil
    }
}
