//! [`Zeroed`]: a large zero-filled buffer of plain numbers, on huge pages where the system has
//! them.
//!
//! A buffer of megabytes written once and then read at random (a transition table, say) costs
//! twice over on 4 KiB pages: a page fault for every 4 KiB written, each clearing its page, and
//! a TLB miss on most reads, the table spanning a thousand pages. Linux's transparent huge pages
//! map 2 MiB at once; on systems that give them only to memory that asks (THP `madvise`, a
//! common default), a `Vec` never gets them. So a buffer of at least [`HUGE_FROM`] bytes is an
//! anonymous map aligned to 2 MiB and advised `MADV_HUGEPAGE`; a smaller one, or one whose map
//! fails, is a `Vec`. Either way it starts zeroed, and reads and writes as a slice.

use bytemuck::Pod;
use memmap2::MmapMut;

/// The size of a huge page on the systems that have them (x86-64 and AArch64 Linux).
const HUGE_PAGE: usize = 2 << 20;
/// Buffers this large or larger are mapped. (A smaller one would round up to a whole huge page,
/// or get none.)
const HUGE_FROM: usize = HUGE_PAGE;

/// A zero-filled buffer of `len` values of `T`.
pub(crate) struct Zeroed<T> {
    storage: Storage<T>,
}

enum Storage<T> {
    /// An anonymous map, and where in it the values lie (from a huge-page boundary on).
    Mapped {
        map: MmapMut,
        start: usize,
        bytes: usize,
    },
    Heap(Vec<T>),
}

impl<T: Pod> Zeroed<T> {
    /// `len` zeros.
    pub(crate) fn new(len: usize) -> Self {
        let bytes = len.saturating_mul(size_of::<T>());
        let storage = (bytes >= HUGE_FROM)
            .then(|| mapped(bytes))
            .flatten()
            // Asked of the allocator as zeroed memory, which for a fresh block it need not clear.
            .unwrap_or_else(|| Storage::Heap(bytemuck::zeroed_vec(len)));
        Self { storage }
    }

    /// The values.
    pub(crate) fn as_slice(&self) -> &[T] {
        match &self.storage {
            Storage::Mapped { map, start, bytes } => {
                map.get(*start..*start + *bytes).and_then(|b| bytemuck::try_cast_slice(b).ok()).unwrap_or(&[])
            }
            Storage::Heap(values) => values,
        }
    }

    /// The values, to write.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        match &mut self.storage {
            Storage::Mapped { map, start, bytes } => map
                .get_mut(*start..*start + *bytes)
                .and_then(|b| bytemuck::try_cast_slice_mut(b).ok())
                .unwrap_or(&mut []),
            Storage::Heap(values) => values,
        }
    }

    /// True if the values lie in a map advised to use huge pages.
    #[cfg(test)]
    fn is_mapped(&self) -> bool {
        matches!(self.storage, Storage::Mapped { .. })
    }
}

impl<T: Pod> std::fmt::Debug for Zeroed<T> {
    /// The length and where the values lie, not the values (millions of them).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mapped = matches!(self.storage, Storage::Mapped { .. });
        f.debug_struct("Zeroed").field("len", &self.as_slice().len()).field("mapped", &mapped).finish()
    }
}

/// `bytes` zero bytes in an anonymous map, from a huge-page boundary on (a map is only aligned
/// to a page, and a huge page must lie on its own boundary), advised to use huge pages. `None`
/// if the map cannot be made; advice the system does not take changes nothing but speed.
fn mapped<T>(bytes: usize) -> Option<Storage<T>> {
    let map = MmapMut::map_anon(bytes.checked_add(HUGE_PAGE)?).ok()?;
    let address = map.as_ptr() as usize;
    let start = address.next_multiple_of(HUGE_PAGE) - address;
    #[cfg(target_os = "linux")]
    let _ = map.advise_range(memmap2::Advice::HugePage, start, bytes);
    Some(Storage::Mapped { map, start, bytes })
}

#[cfg(test)]
mod tests {
    use super::Zeroed;

    #[test]
    fn a_large_buffer_is_mapped_zeroed_and_writable() {
        let mut buffer = Zeroed::<u16>::new(3 << 20);
        assert!(buffer.is_mapped());
        assert_eq!(buffer.as_slice().len(), 3 << 20);
        assert!(buffer.as_slice().iter().all(|&v| v == 0));
        let values = buffer.as_mut_slice();
        values[0] = 7;
        values[(3 << 20) - 1] = 9;
        assert_eq!((buffer.as_slice()[0], buffer.as_slice()[(3 << 20) - 1]), (7, 9));
        // The values start on a huge-page boundary.
        assert_eq!(buffer.as_slice().as_ptr() as usize % super::HUGE_PAGE, 0);
    }

    #[test]
    fn a_small_buffer_is_a_vector() {
        let mut buffer = Zeroed::<u32>::new(1000);
        assert!(!buffer.is_mapped());
        assert_eq!(buffer.as_slice(), &[0; 1000][..]);
        buffer.as_mut_slice()[999] = 1;
        assert_eq!(buffer.as_slice()[999], 1);
        assert!(Zeroed::<u8>::new(0).as_slice().is_empty());
    }
}
