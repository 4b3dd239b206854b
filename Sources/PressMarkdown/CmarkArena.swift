import CCmarkGFM
import Foundation

/// cmark-gfm's memory for the documents a thread renders: allocations are bumped out of blocks that are
/// reused, document after document, instead of a `calloc` per node and literal (glibc's `calloc` skips its
/// per-thread cache: 5–7% of a build went to `_int_malloc` for cmark). `cmark_mem` has no context
/// argument, so each thread finds its own arena through a thread-specific key; a document is parsed,
/// changed and rendered on one thread (`MarkdownRenderer.render` does not suspend).
///
/// The contract cmark-gfm 0.29 asks of a `cmark_mem`: `calloc` zeroes, `realloc(nil, n)` allocates and
/// `realloc(p, n)` keeps the first bytes, `free` takes what either returned. cmark also refuses to link
/// nodes of different allocators (`S_can_contain`), so nodes added to a parsed tree come from `node(_:)`.
/// Nothing made here may outlive the outermost `withDocument`: strings are copied out before it returns.
enum CmarkArena {
    #if QPRESS_SYSTEM_MALLOC
    /// Fuzzing (`make fuzz`): AddressSanitizer sees a use after free only when each allocation is malloc's.
    nonisolated(unsafe) static let allocator: UnsafeMutablePointer<cmark_mem> = cmark_get_default_mem_allocator()
    #else
    /// What cmark calls; one for the process, pointing at the functions below.
    nonisolated(unsafe) static let allocator: UnsafeMutablePointer<cmark_mem> = {
        let memory = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
        memory.initialize(to: cmark_mem(
            calloc: { count, size in
                let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
                if overflow { fatalError("cmark asked for \(count) × \(size) bytes") }
                return ArenaState.current.pointee.allocate(bytes, zeroed: true)
            },
            realloc: { pointer, size in ArenaState.current.pointee.reallocate(pointer, size) },
            free: { pointer in ArenaState.current.pointee.release(pointer) }
        ))
        return memory
    }()
    #endif

    /// Runs `body` with the thread's arena; its memory is reused once the outermost call returns
    /// (a citation's replacement rendered inside a document's render would otherwise pull the floor away).
    static func withDocument<Result>(_ body: () -> Result) -> Result {
        let state = ArenaState.current
        state.pointee.depth += 1
        defer {
            state.pointee.depth -= 1
            if state.pointee.depth == 0 { state.pointee.reset() }
        }
        return body()
    }

    /// A node that may join trees parsed with `allocator`.
    static func node(_ type: cmark_node_type) -> OpaquePointer? {
        cmark_node_new_with_mem(type, allocator)
    }

    /// Gives back what cmark returned from `allocator` (a rendered HTML string).
    static func release(_ pointer: UnsafeMutableRawPointer?) {
        allocator.pointee.free(pointer)
    }
}

/// One thread's arena: a chain of blocks bumped through, and a list of allocations too large for a block.
/// Every allocation is preceded by a header whose last word is its size; a large one's also links it
/// into `large` and holds its size negated (less one), so `free` and `realloc` know which it is.
struct ArenaState {
    static let blockSize = 256 << 10
    /// Larger allocations get their own `malloc` (the HTML of a long paper grows by `realloc`).
    static let largeSize = blockSize / 4
    /// Blocks kept after a document: 1 MiB a thread; a longer document's extra blocks are freed.
    static let keptBlocks = 4
    static let smallHeader = 16
    static let largeHeader = 32

    /// The first block, whose chain goes on through each block's first word.
    var first: UnsafeMutableRawPointer
    var block: UnsafeMutableRawPointer
    var offset = smallHeader
    /// The newest small allocation: it can grow in place, and a `free` of it gives its bytes back.
    var newest: UnsafeMutableRawPointer?
    var large: UnsafeMutableRawPointer?
    var depth = 0

    init() {
        first = Self.newBlock()
        block = first
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let made = pthread_key_create(&key) { pointer in
            guard let state = pointer?.assumingMemoryBound(to: ArenaState.self) else { return }
            state.pointee.releaseAll()
            state.deinitialize(count: 1)
            state.deallocate()
        }
        if made != 0 { fatalError("cannot create a thread-specific key for cmark's arena") }
        return key
    }()

    static var current: UnsafeMutablePointer<ArenaState> {
        if let existing = pthread_getspecific(key) { return existing.assumingMemoryBound(to: ArenaState.self) }
        let state = UnsafeMutablePointer<ArenaState>.allocate(capacity: 1)
        state.initialize(to: ArenaState())
        pthread_setspecific(key, state)
        return state
    }

    private static func newBlock() -> UnsafeMutableRawPointer {
        guard let block = malloc(blockSize) else { fatalError("out of memory for cmark's arena") }
        block.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        return block
    }

    private static func size(of pointer: UnsafeMutableRawPointer) -> Int {
        pointer.load(fromByteOffset: -8, as: Int.self)
    }

    mutating func allocate(_ size: Int, zeroed: Bool) -> UnsafeMutableRawPointer? {
        if size > Self.largeSize { return allocateLarge(size, zeroed: zeroed) }
        var start = ((offset + 15) & ~15) + Self.smallHeader
        if start + size > Self.blockSize {
            let next = block.load(as: UnsafeMutableRawPointer?.self) ?? {
                let made = Self.newBlock()
                block.storeBytes(of: made, as: UnsafeMutableRawPointer?.self)
                return made
            }()
            block = next
            start = 2 * Self.smallHeader
        }
        let pointer = block + start
        pointer.storeBytes(of: size, toByteOffset: -8, as: Int.self)
        if zeroed { memset(pointer, 0, size) }
        offset = start + size
        newest = pointer
        return pointer
    }

    mutating func reallocate(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
        guard let pointer else { return allocate(size, zeroed: false) }
        let oldSize = Self.size(of: pointer)
        if oldSize < 0 { return reallocateLarge(pointer, size) }
        if pointer == newest, size <= Self.largeSize, pointer - block + size <= Self.blockSize {
            pointer.storeBytes(of: size, toByteOffset: -8, as: Int.self)
            offset = pointer - block + size
            return pointer
        }
        guard let moved = allocate(size, zeroed: false) else { return nil }
        moved.copyMemory(from: pointer, byteCount: min(oldSize, size))
        return moved
    }

    mutating func release(_ pointer: UnsafeMutableRawPointer?) {
        guard let pointer else { return }
        if Self.size(of: pointer) < 0 {
            unlinkLarge(pointer - Self.largeHeader)
            free(pointer - Self.largeHeader)
        } else if pointer == newest {
            offset = pointer - block - Self.smallHeader
            newest = nil
        }
    }

    /// After the outermost document: every block is free again; blocks past the kept ones go back to malloc.
    mutating func reset() {
        releaseLarge()
        var kept = 1
        var cursor = first
        while let next = cursor.load(as: UnsafeMutableRawPointer?.self) {
            if kept == Self.keptBlocks {
                cursor.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
                Self.freeChain(from: next)
                break
            }
            kept += 1
            cursor = next
        }
        block = first
        offset = Self.smallHeader
        newest = nil
    }

    /// When the thread ends.
    mutating func releaseAll() {
        releaseLarge()
        Self.freeChain(from: first)
    }

    private static func freeChain(from start: UnsafeMutableRawPointer) {
        var cursor: UnsafeMutableRawPointer? = start
        while let current = cursor {
            cursor = current.load(as: UnsafeMutableRawPointer?.self)
            free(current)
        }
    }

    // A large allocation's header: previous, next, unused, size negated less one.
    private mutating func allocateLarge(_ size: Int, zeroed: Bool) -> UnsafeMutableRawPointer? {
        guard let raw = zeroed ? calloc(1, size + Self.largeHeader) : malloc(size + Self.largeHeader) else { return nil }
        linkLarge(raw, size: size)
        return raw + Self.largeHeader
    }

    private mutating func reallocateLarge(_ pointer: UnsafeMutableRawPointer, _ size: Int) -> UnsafeMutableRawPointer? {
        let raw = pointer - Self.largeHeader
        unlinkLarge(raw)
        guard let moved = realloc(raw, max(size, 1) + Self.largeHeader) else {
            linkLarge(raw, size: -Self.size(of: pointer) - 1)
            return nil
        }
        linkLarge(moved, size: size)
        return moved + Self.largeHeader
    }

    private mutating func linkLarge(_ raw: UnsafeMutableRawPointer, size: Int) {
        raw.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        raw.storeBytes(of: large, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        raw.storeBytes(of: -size - 1, toByteOffset: Self.largeHeader - 8, as: Int.self)
        large?.storeBytes(of: raw, as: UnsafeMutableRawPointer?.self)
        large = raw
    }

    private mutating func unlinkLarge(_ raw: UnsafeMutableRawPointer) {
        let previous = raw.load(as: UnsafeMutableRawPointer?.self)
        let next = raw.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        next?.storeBytes(of: previous, as: UnsafeMutableRawPointer?.self)
        if let previous { previous.storeBytes(of: next, toByteOffset: 8, as: UnsafeMutableRawPointer?.self) } else { large = next }
    }

    private mutating func releaseLarge() {
        while let raw = large {
            large = raw.load(fromByteOffset: 8, as: UnsafeMutableRawPointer?.self)
            free(raw)
        }
    }
}
