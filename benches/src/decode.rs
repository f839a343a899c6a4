//! Decode cost: the runtime's decoders, called directly, against bare `serde_json`.
//!
//! The decoders are those of the generated crate's runtime (a hidden public module), so
//! the bench measures exactly what a generated client runs; they are generic over the
//! generated types, which come from the generated crate too.

use std::time::Instant;

use cloudflare_token_validation::runtime;
use cloudflare_token_validation::types::TokenConfiguration;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;

use crate::alloc::{counting, Tally};
use crate::client_overhead::{BareEnvelope, BarePage, PAGE_ITEMS};
use crate::server::Bodies;
use crate::stats::Samples;

/// The descriptor fields that decoding reads, as `generated/src/client.rs` has them.
static API: runtime::ApiDescriptor = runtime::ApiDescriptor {
    user_agent: "bench",
    default_base_url: "https://api.cloudflare.com/client/v4",
    base_url_env: None,
    schemes: &[],
    security: &[],
    envelope: Some(runtime::Envelope {
        data: "result",
        success: Some("success"),
        errors: Some("errors"),
        messages: Some("messages"),
    }),
    pagination: Some(runtime::Pagination {
        page_param: "page",
        per_page_param: "per_page",
        info: "result_info",
        total_pages: Some("total_pages"),
    }),
};

/// Measured rounds per body; runtime and bare alternate within a round.
pub const ROUNDS: usize = 15;

pub struct Decoded {
    pub name: &'static str,
    pub is_page: bool,
    /// Seconds per decode.
    pub runtime: Samples,
    pub bare: Samples,
    /// runtime / bare within each round.
    pub ratio: Samples,
    pub runtime_allocs: Tally,
    pub bare_allocs: Tally,
}

pub fn run(bodies: &Bodies) -> Result<Vec<Decoded>, String> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let ctx = runtime::DecodeCtx::new(&API, StatusCode::OK, &headers);

    let page = bodies.list.as_slice();
    let via_runtime = || {
        runtime::decode::page::<TokenConfiguration>(&ctx, page)
            .map(|p| p.items.len())
            .map_err(|e| e.to_string())
    };
    let via_serde = || {
        serde_json::from_slice::<BarePage>(page)
            .map(|p| p.result.len())
            .map_err(|e| e.to_string())
    };
    if via_runtime()? != PAGE_ITEMS || via_serde()? != PAGE_ITEMS {
        return Err("the page did not decode to 50 items".to_owned());
    }
    let page = compare("list page (50 items)", true, via_runtime, via_serde);

    let get = bodies.get.as_slice();
    let via_runtime = || {
        runtime::decode::data::<TokenConfiguration>(&ctx, get)
            .map(|c| c.id.len())
            .map_err(|e| e.to_string())
    };
    let via_serde = || {
        serde_json::from_slice::<BareEnvelope>(get)
            .map(|e| e.result.id.len())
            .map_err(|e| e.to_string())
    };
    via_runtime()?;
    via_serde()?;
    let get = compare("get config envelope", false, via_runtime, via_serde);
    Ok(vec![page, get])
}

fn compare(
    name: &'static str,
    is_page: bool,
    runtime: impl Fn() -> Result<usize, String>,
    bare: impl Fn() -> Result<usize, String>,
) -> Decoded {
    // Batches of about 20 ms, sized on one timed decode.
    let started = Instant::now();
    let _ = std::hint::black_box(runtime());
    let once = started.elapsed().as_secs_f64().max(1e-7);
    let per_batch = ((0.02 / once) as usize).clamp(10, 100_000);
    let time = |f: &dyn Fn() -> Result<usize, String>| {
        let started = Instant::now();
        for _ in 0..per_batch {
            let _ = std::hint::black_box(f());
        }
        started.elapsed().as_secs_f64() / per_batch as f64
    };
    time(&runtime);
    time(&bare);
    let (mut r, mut b, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (tr, tb) = if round % 2 == 0 {
            let tr = time(&runtime);
            (tr, time(&bare))
        } else {
            let tb = time(&bare);
            (time(&runtime), tb)
        };
        r.push(tr);
        b.push(tb);
        ratio.push(tr / tb);
    }
    let (_, runtime_allocs) = counting(|| std::hint::black_box(runtime()));
    let (_, bare_allocs) = counting(|| std::hint::black_box(bare()));
    Decoded {
        name,
        is_page,
        runtime: Samples::new(r),
        bare: Samples::new(b),
        ratio: Samples::new(ratio),
        runtime_allocs,
        bare_allocs,
    }
}
