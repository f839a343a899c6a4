//! Stage 4, format: token streams → source text with `prettyplease`.
//!
//! Modules are formatted part by part (see `emit::Part`) on a few scoped worker threads
//! that take the next part from a shared counter. Token streams are not `Send`, so each
//! worker emits the parts it formats; the results are put back in part order, so the
//! text does not depend on scheduling.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

/// No more workers than this, however many cores: formatting is the only parallel
/// stage, and beyond a handful of threads the serial stages dominate anyway.
const MAX_WORKERS: usize = 8;

/// Below this many parts per worker, another thread costs more than it saves.
const PARTS_PER_WORKER: usize = 16;

/// Room for syn and prettyplease to recurse through deeply nested types, as they
/// could on the main thread.
const WORKER_STACK: usize = 8 << 20;

/// Emits (with `emit`) and formats parts `0..count`, returning each part's text, or why
/// it failed to parse (a generator bug), in part order.
pub(crate) fn format_parts<F>(count: usize, emit: F) -> Vec<Result<String, String>>
where
    F: Fn(usize) -> TokenStream + Sync,
{
    let wanted = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MAX_WORKERS)
        .min(count.div_ceil(PARTS_PER_WORKER));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= count {
                return done;
            }
            done.push((i, format_part(emit(i))));
        }
    };
    let mut done = std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others.
        let helpers: Vec<_> = (1..wanted)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut done = work();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => done.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, text)| text).collect()
}

/// Formats one part. A parse failure is a generator bug, reported as text, not a panic.
fn format_part(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("emitted code does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}
