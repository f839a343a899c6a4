//! A counting global allocator (std only): allocations made on threads that opted in
//! with [`counting`] are tallied, so the loopback server's own allocations, on its own
//! thread, never count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

thread_local! {
    // `const` and without `Drop`: reading it never allocates, so it is safe to use
    // from inside the allocator.
    static ON: Cell<bool> = const { Cell::new(false) };
}

fn note(size: usize) {
    if ON.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(size as u64, Ordering::Relaxed);
    }
}

#[allow(
    unsafe_code,
    reason = "GlobalAlloc is an unsafe trait; every method forwards to System unchanged"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations (`alloc` and `realloc` calls) and bytes requested.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    pub allocations: u64,
    pub bytes: u64,
}

/// Runs `f` with counting on for this thread and returns what it allocated here.
pub fn counting<R>(f: impl FnOnce() -> R) -> (R, Tally) {
    let before = (
        ALLOCATIONS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    ON.with(|on| on.set(true));
    let result = f();
    ON.with(|on| on.set(false));
    let tally = Tally {
        allocations: ALLOCATIONS.load(Ordering::Relaxed) - before.0,
        bytes: BYTES.load(Ordering::Relaxed) - before.1,
    };
    (result, tally)
}
