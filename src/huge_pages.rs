//! The binary's allocator: the system's, except that a block of [`OWN_MAP_FROM`] bytes or more
//! gets an anonymous map of its own, aligned to 2 MiB and advised to use transparent huge pages.
//!
//! A 10 MB file is read into one block, split into sentences gathered in another, and reported
//! from a third; on 4 KiB pages each costs a page fault for every 4 KiB first written, about
//! 2.5 µs apiece on a virtual machine, and a long text took some 15,000 of them, a seventh of
//! its CPU time. On a system that gives huge pages only to memory that asks for them (THP
//! `madvise`, a common default) the C allocator's large blocks never get them. A pitch makes no
//! block this large: the C allocator serves all of its blocks, as before.
//!
//! Only Linux is served this way (the module is built there alone); elsewhere the system
//! allocator serves every block.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks at least this large (bytes) are mapped on their own.
const OWN_MAP_FROM: usize = 1 << 20;
/// The size of a huge page (x86-64 and AArch64 Linux), and the alignment of every map.
const HUGE_PAGE: usize = 2 << 20;
/// The size of a page; maps are made and unmade in whole pages.
const PAGE: usize = 4096;

/// The allocator (see the module documentation).
pub struct HugePages;

/// True if a block of `layout` is mapped on its own. A block asking for more than page
/// alignment is left to the system (none does).
fn mapped(layout: Layout) -> bool {
    layout.size() >= OWN_MAP_FROM && layout.align() <= PAGE
}

/// `size` rounded up to whole pages.
fn pages(size: usize) -> usize {
    size.div_ceil(PAGE) * PAGE
}

// SAFETY: every block is either the system allocator's, passed back to it with the layout it
// was made with, or a map of `pages(size)` bytes at the address returned, unmapped with that
// same length: `mapped` decides which from the layout alone, which the caller must give back
// unchanged (`GlobalAlloc`'s contract), and `realloc` moves a block between the two kinds by
// copying. A map is page aligned, which satisfies every layout `mapped` accepts, and is zeroed.
//
// The methods are never inlined: fat LTO otherwise copies them, and the system allocator's own
// path, into every place that allocates, 330 KB more code and half a megabyte more memory for a
// pitch, to save a call per allocation.
unsafe impl GlobalAlloc for HugePages {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if mapped(layout) {
            map(layout.size())
        } else {
            // SAFETY: the caller's contract is passed on unchanged.
            unsafe { System.alloc(layout) }
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if mapped(layout) {
            // A fresh anonymous map reads as zeros.
            map(layout.size())
        } else {
            // SAFETY: the caller's contract is passed on unchanged.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if mapped(layout) {
            // SAFETY: `ptr` is a map of `pages(layout.size())` bytes made by `map`.
            unsafe { unmap(ptr, layout.size()) }
        } else {
            // SAFETY: the block is the system allocator's, with this layout.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `GlobalAlloc::realloc` promises `new_size`, with the old alignment, forms a
        // valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (mapped(layout), mapped(new_layout)) {
            // SAFETY: the caller's contract is passed on unchanged.
            (false, false) => unsafe { System.realloc(ptr, layout, new_size) },
            // SAFETY: `ptr` is a map of `pages(layout.size())` bytes made by `map`.
            (true, true) => unsafe { remap(ptr, layout.size(), new_size) },
            _ => {
                // SAFETY: `new_layout` is valid (above) and not zero-sized (`realloc`'s
                // contract).
                let new = unsafe { self.alloc(new_layout) };
                if !new.is_null() {
                    // SAFETY: both blocks are valid for the smaller of the two sizes, and
                    // distinct; the old one is then released with its own layout.
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                new
            }
        }
    }
}

/// A zeroed map of `pages(size)` bytes aligned to [`HUGE_PAGE`], advised to use huge pages;
/// null if it cannot be made. A map is only page aligned, and a huge page must lie on its own
/// boundary, so a map a huge page longer is made and the pages before and after the aligned
/// part are unmapped.
#[cold]
#[inline(never)]
fn map(size: usize) -> *mut u8 {
    let len = pages(size);
    let Some(over) = len.checked_add(HUGE_PAGE) else { return std::ptr::null_mut() };
    // SAFETY: a new private anonymous map touches no existing memory.
    let raw = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            over,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if raw == libc::MAP_FAILED {
        return std::ptr::null_mut();
    }
    let address = raw as usize;
    let head = address.next_multiple_of(HUGE_PAGE) - address;
    let tail = over - head - len;
    // SAFETY: the head and tail lie within the map just made, whole pages (every size here
    // is a multiple of the page size, and `address` is page aligned), and nothing uses them.
    // The advice changes nothing but how the pages are backed; if it fails, the map works
    // on small pages.
    unsafe {
        if head > 0 {
            libc::munmap(raw, head);
        }
        let start = raw.cast::<u8>().add(head);
        if tail > 0 {
            libc::munmap(start.add(len).cast(), tail);
        }
        libc::madvise(start.cast(), len, libc::MADV_HUGEPAGE);
        start
    }
}

/// Unmaps a block made by [`map`] for `size` bytes.
///
/// # Safety
/// `ptr` must be such a block, no longer used.
#[cold]
#[inline(never)]
unsafe fn unmap(ptr: *mut u8, size: usize) {
    // SAFETY: the caller's contract; the map is `pages(size)` bytes long.
    unsafe {
        libc::munmap(ptr.cast(), pages(size));
    }
}

/// Grows or shrinks a block made by [`map`] for `size` bytes to `new_size`, moving its pages
/// rather than copying them if it must move; null (the block untouched) if it cannot.
///
/// # Safety
/// `ptr` must be such a block.
#[cold]
#[inline(never)]
unsafe fn remap(ptr: *mut u8, size: usize, new_size: usize) -> *mut u8 {
    let (old, new) = (pages(size), pages(new_size));
    if old == new {
        return ptr;
    }
    // SAFETY: the caller's contract; on failure the old map is left as it was.
    let moved = unsafe { libc::mremap(ptr.cast(), old, new, libc::MREMAP_MAYMOVE) };
    if moved == libc::MAP_FAILED {
        return std::ptr::null_mut();
    }
    // A moved map keeps its advice; where it lands need not be aligned, which costs only the
    // huge pages at its ends.
    moved.cast()
}

#[cfg(test)]
mod tests {
    use super::{HUGE_PAGE, OWN_MAP_FROM};

    /// `len` bytes counting up from `seed`.
    fn pattern(len: usize, seed: u8) -> Vec<u8> {
        (0..len).map(|i| (i as u8).wrapping_add(seed)).collect()
    }

    #[test]
    fn a_large_block_is_aligned_to_a_huge_page_and_keeps_its_bytes_as_it_grows() {
        let mut bytes = pattern(3 * OWN_MAP_FROM, 1);
        assert_eq!(bytes.as_ptr() as usize % HUGE_PAGE, 0);
        // Grown in place or moved, large to large.
        bytes.extend(pattern(5 * OWN_MAP_FROM, 2));
        let mut expected = pattern(3 * OWN_MAP_FROM, 1);
        expected.extend(pattern(5 * OWN_MAP_FROM, 2));
        assert!(bytes == expected);
        // Shrunk below the threshold: copied back to the system allocator.
        bytes.truncate(1000);
        bytes.shrink_to_fit();
        assert_eq!(bytes, pattern(1000, 1));
    }

    #[test]
    fn a_small_block_grown_large_keeps_its_bytes() {
        let mut bytes = pattern(100, 3);
        bytes.reserve_exact(2 * OWN_MAP_FROM);
        assert_eq!(bytes.as_ptr() as usize % HUGE_PAGE, 0);
        assert_eq!(bytes, pattern(100, 3));
    }

    #[test]
    fn a_large_zeroed_block_reads_as_zeros() {
        let words = vec![0u64; OWN_MAP_FROM];
        assert!(words.iter().all(|&w| w == 0));
        assert_eq!(words.as_ptr() as usize % HUGE_PAGE, 0);
    }
}
