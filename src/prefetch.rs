//! A hint to the processor to start loading memory that will be read soon.
//!
//! Rules walk their candidates (sorted places in a long text) one after another, and each
//! first read of a candidate's bytes waits for memory: the places are too far apart for the
//! processor to foresee. Asking for a later candidate's line while this one is matched lets
//! those waits overlap.

#![allow(unsafe_code)]

/// Asks for the cache line holding `bytes[at]` (nothing if `at` is past the end, or on a
/// processor without the hint).
#[inline(always)]
pub(crate) fn byte(bytes: &[u8], at: usize) {
    #[cfg(target_arch = "x86_64")]
    if let Some(byte) = bytes.get(at) {
        // SAFETY: a prefetch reads nothing the program sees and cannot fault; the address is
        // within `bytes` in any case. SSE, which the hint belongs to, is part of x86-64.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(std::ptr::from_ref(byte).cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (bytes, at);
}
