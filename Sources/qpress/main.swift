import CHugePages
import Foundation
import PressCommands

/// glibc grows each thread's malloc heap by what a request needs plus `M_TOP_PAD`, one `mprotect` each
/// time: a clean build of 2,000 pages made 3,300 of them, each taking the address-space lock that the
/// other thread's page faults wait on. 64 MiB (a whole heap) leaves about 40; untouched pages cost no
/// memory. Set before any thread has an arena (users should not need `GLIBC_TUNABLES`); `mallopt` is
/// looked up because Swift's Glibc module leaves out `malloc.h`, and other C libraries have none.
func padMallocHeaps() {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let topPad: Int32 = -2  // M_TOP_PAD in malloc.h
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    _ = unsafeBitCast(symbol, to: Mallopt.self)(topPad, 64 << 20)
}

// Started again with huge pages for malloc, if the kernel grants them on request (qp_huge_pages.c): the
// environment is restored before anything starts a child.
qp_restore_environment()
padMallocHeaps()
exit(await QPress.run())
