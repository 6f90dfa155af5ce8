//! The C allocator's heap made ready for a long text: one arena, grown once by a large step
//! that is advised to use transparent huge pages.
//!
//! The binary's allocator (`src/huge_pages.rs`) maps every block of a megabyte or more itself,
//! on huge pages; the smaller blocks are the C allocator's. Checking 10 MiB still makes
//! thousands of those (each rule's findings and candidates, each run of sentences), and each
//! 4 KiB of heap first written costs a page fault: 5,000 of the check's 7,000, and most of its
//! 30–40 ms of system time on a virtual machine. On systems that give huge pages only to memory
//! that asks for them (THP `madvise`, a common default), the heap never asks. So, before a long
//! text is read, [`prepare_for_long_text`]:
//!
//! - keeps every thread on the main arena (a second thread otherwise gets an arena of its own,
//!   mapped apart and grown a page at a time);
//! - has the heap grow by [`PAD`] at once, and never shrink (a shrunk heap is faulted in again
//!   when it grows back);
//! - grows it now, and advises the new part to use huge pages: 2 MiB a fault instead of 4 KiB.
//!
//! What the heap does not use of the step costs address space, not memory. A pitch never gets
//! here: its heap is a few hundred kilobytes, which 4 KiB pages serve better than a whole huge
//! page cleared for each.
//!
//! Only the GNU C library's allocator is tuned this way (the tuning calls are its own);
//! elsewhere this does nothing.

#![allow(unsafe_code)]

/// How far the heap grows at once.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const PAD: usize = 64 << 20;
/// The size of a huge page (x86-64 and AArch64 Linux).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HUGE_PAGE: usize = 2 << 20;

/// Tunes the heap for a long text (see the module documentation). Call it before other threads
/// allocate: a thread's arena is chosen at its first allocation.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn prepare_for_long_text() {
    use std::sync::Once;
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let pad = libc::c_int::try_from(PAD).unwrap_or(libc::c_int::MAX);
        // SAFETY: `mallopt` only changes the allocator's parameters; `sbrk(0)` reads the
        // program break without moving it; the block is the allocator's own, freed at once.
        // `madvise` changes how pages of the heap are backed, never their contents, and only
        // pages between two breaks read here, which the heap has just grown over.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
            // The binary's allocator maps blocks from a megabyte on; below that, none should
            // be mapped apart from the heap (the C allocator's own threshold starts at 128 KiB).
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, pad.saturating_mul(2));
            libc::mallopt(libc::M_TOP_PAD, pad);
            let before = libc::sbrk(0) as usize;
            // (Seen, so that the compiler does not drop a block nothing reads.)
            let block = std::hint::black_box(libc::malloc(256 << 10));
            libc::free(block);
            let after = libc::sbrk(0) as usize;
            // A heap that cannot grow by the break (the allocator then maps instead) leaves the
            // two equal: nothing to advise.
            let start = before.next_multiple_of(HUGE_PAGE);
            let end = after - after % HUGE_PAGE;
            if before != usize::MAX && end > start {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
            }
        }
    });
}

/// Does nothing: the tuning is the GNU C library's (see the module documentation).
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn prepare_for_long_text() {}
