//! Stage 4, format: token streams → source text with `prettyplease`.
//!
//! Modules are formatted part by part (see `emit::Part`) on a few scoped worker threads
//! that take the next part from a shared counter. Token streams are not `Send`, so each
//! worker emits the parts it formats; the results are put back in part order, so the
//! text does not depend on scheduling.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

/// No more workers than this, however many cores: formatting is the only parallel
/// stage, and beyond a handful of threads the serial stages dominate anyway.
const MAX_WORKERS: usize = 8;

/// Below this many parts per worker, another thread costs more than it saves.
const PARTS_PER_WORKER: usize = 16;

/// Room for syn and prettyplease to recurse through deeply nested types, as they
/// could on the main thread.
const WORKER_STACK: usize = 8 << 20;

/// Formatted parts, and the CPU time each step took, summed over the workers.
#[derive(Debug)]
pub(crate) struct Formatted {
    /// Each part's text, or why it failed to parse (a generator bug), in part order.
    pub(crate) texts: Vec<Result<String, String>>,
    pub(crate) spent: Spent,
    pub(crate) workers: usize,
}

/// CPU time per step.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Spent {
    pub(crate) emit: Duration,
    pub(crate) parse: Duration,
    pub(crate) print: Duration,
}

impl std::ops::AddAssign for Spent {
    fn add_assign(&mut self, other: Spent) {
        self.emit += other.emit;
        self.parse += other.parse;
        self.print += other.print;
    }
}

/// Emits (with `emit`) and formats parts `0..count`.
pub(crate) fn format_parts<F>(count: usize, emit: F) -> Formatted
where
    F: Fn(usize) -> TokenStream + Sync,
{
    let wanted = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MAX_WORKERS)
        .min(count.div_ceil(PARTS_PER_WORKER));
    let next = AtomicUsize::new(0);
    // One worker's `(part, text)` pairs, in the order it took them, and its time.
    let work = || {
        let mut done = Vec::new();
        let mut spent = Spent::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                return (done, spent);
            }
            let started = Instant::now();
            let tokens = emit(i);
            let emitted = Instant::now();
            let text = syn::parse2::<syn::File>(tokens)
                .map_err(|e| format!("emitted code does not parse: {e}"));
            let parsed = Instant::now();
            let text = text.map(|file| prettyplease::unparse(&file));
            spent += Spent {
                emit: emitted - started,
                parse: parsed - emitted,
                print: parsed.elapsed(),
            };
            done.push((i, text));
        }
    };
    let shares = std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others.
        let helpers: Vec<_> = (1..wanted)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut shares = vec![work()];
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => shares.push(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        shares
    });
    let workers = shares.len();
    let mut done = Vec::with_capacity(count);
    let mut spent = Spent::default();
    for (theirs, time) in shares {
        done.extend(theirs);
        spent += time;
    }
    done.sort_unstable_by_key(|(i, _)| *i);
    Formatted {
        texts: done.into_iter().map(|(_, text)| text).collect(),
        spent,
        workers,
    }
}
