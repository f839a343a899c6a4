//! Client overhead: the generated client against a hand-written bare `reqwest` +
//! `serde_json` baseline decoding into the same generated types, both talking to the
//! loopback server in [`crate::server`]; plus decode cost and allocations per request.

use std::fmt::Write;
use std::time::{Duration, Instant};

use cloudflare_token_validation::types::TokenConfiguration;
use cloudflare_token_validation::Client;
use reqwest::header::ACCEPT;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::alloc::{counting, Tally};
use crate::decode;
use crate::report::{Report, Target};
use crate::server::{self, Bodies};
use crate::stats::{num, secs, Samples};

const ZONE: &str = "023e105f4ecef8ad9ca31a8372d0c353";
const CONFIG_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const TOKEN: &str = "bench-token-0123456789abcdef0123456789abcdef";
/// Items on the canned list page.
pub const PAGE_ITEMS: usize = 50;
/// Measured rounds per scenario; generated and baseline alternate within a round.
/// Many short rounds rather than a few long ones: on a shared machine, interference
/// then tends to hit both halves of a round alike, and the median ratio shrugs it off.
const ROUNDS: usize = 15;

/// A realistic token configuration: two keys (ES256 and RSA-2048), two token sources.
fn configuration(i: usize) -> Value {
    json!({
        "id": format!("f174e90a-fafe-4643-bbbc-{i:012}"),
        "title": format!("Example Token Validation Configuration {i}"),
        "description": "Long description for Token Validation Configuration",
        "token_sources": [
            "http.request.headers[\"x-auth\"][0]",
            "http.request.cookies[\"Authorization\"][0]"
        ],
        "token_type": "JWT",
        "created_at": "2014-01-01T05:20:00.12345Z",
        "last_updated": "2014-01-01T05:20:00.12345Z",
        "credentials": {
            "keys": [
                {
                    "alg": "ES256",
                    "crv": "P-256",
                    "kid": "38013f13-c266-4eec-a72a-92ec92779f21",
                    "kty": "EC",
                    "x": "KN53JRwN3wCjm2o39bvZUX2VdrsHzS8pxOAGjm8m7EQ",
                    "y": "lnkkzIxaveggz-HFhcMWW15nxvOj0Z_uQsXbpK0GFcY"
                },
                {
                    "alg": "RS256",
                    "e": "AQAB",
                    "kid": "0a7e3d4c-5b6a-4f8e-9d0c-1b2a3c4d5e6f",
                    "kty": "RSA",
                    "n": "yd3FVo2BSHSKaqcF_vn2Lrge7YWwbq3Nxg0A7y1vvQ5xGfwLM8zG2pDZu6b9cHvkxZQ53mdcRxB7m8zsX3eNAa4WqSbVGnk9yaH5ZjpZdEAUzcaLDGQWCObjaAcx3u6zrVB7yU_0tUp2iAo_EQdY0dTAqLqg_qmMxW-1tDaKh8wc2cGiJL0HNJ0XyeQ6s9cz6iufh6wlzk2TJLPYp1Yn1A9cuFxsadYnbXDOyfDn2sj6jhgfAI_l2wZRrhmVnNcSZ7wArmC-a_QgJiIJ8u-kJDYFKeRKL-pkWDw3gkYtBq9n1h6aZ0rWHXUjnJk1pfa1jYfO7_mHs6Nx6nRPbJdHuw"
                }
            ]
        }
    })
}

/// The `get config` envelope and a 50-item list page.
pub fn bodies() -> Bodies {
    let get = json!({
        "success": true,
        "errors": [],
        "messages": [],
        "result": configuration(0)
    });
    let items: Vec<Value> = (0..PAGE_ITEMS).map(configuration).collect();
    let list = json!({
        "success": true,
        "errors": [],
        "messages": [],
        "result": items,
        "result_info": {
            "page": 1,
            "per_page": PAGE_ITEMS,
            "count": PAGE_ITEMS,
            "total_count": PAGE_ITEMS,
            "total_pages": 1
        }
    });
    Bodies {
        get: get.to_string().into_bytes(),
        list: list.to_string().into_bytes(),
    }
}

/// The baseline's envelope: just what a hand-written client reads.
#[derive(Debug, Deserialize)]
pub struct BareEnvelope {
    pub success: bool,
    pub result: TokenConfiguration,
}

/// The baseline's page: the items and the counters.
#[derive(Debug, Deserialize)]
pub struct BarePage {
    pub success: bool,
    pub result: Vec<TokenConfiguration>,
    pub result_info: Option<BareResultInfo>,
}

#[derive(Debug, Deserialize)]
pub struct BareResultInfo {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    pub total_pages: Option<u64>,
}

/// The items of a page with its counters (page, per page, total pages), as both
/// clients return them.
type Listed = (Vec<TokenConfiguration>, Option<Counters>);
type Counters = (Option<u64>, Option<u64>, Option<u64>);

/// The hand-written baseline: bare `reqwest`, status check, `serde_json::from_slice`.
struct Baseline {
    http: reqwest::Client,
    get_url: String,
    list_url: String,
}

impl Baseline {
    async fn fetch(&self, url: &str) -> Result<impl AsRef<[u8]>, String> {
        let response = self
            .http
            .get(url)
            .bearer_auth(TOKEN)
            .header(ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        response.bytes().await.map_err(|e| e.to_string())
    }

    async fn get(&self) -> Result<TokenConfiguration, String> {
        let body = self.fetch(&self.get_url).await?;
        let envelope: BareEnvelope =
            serde_json::from_slice(body.as_ref()).map_err(|e| e.to_string())?;
        if !envelope.success {
            return Err("success: false".to_owned());
        }
        Ok(envelope.result)
    }

    async fn list(&self) -> Result<Listed, String> {
        let body = self.fetch(&self.list_url).await?;
        let page: BarePage = serde_json::from_slice(body.as_ref()).map_err(|e| e.to_string())?;
        if !page.success {
            return Err("success: false".to_owned());
        }
        let counters = page
            .result_info
            .map(|i| (i.page, i.per_page, i.total_pages));
        Ok((page.result, counters))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Get,
    List,
}

struct Scenario {
    name: &'static str,
    endpoint: Endpoint,
    in_flight: usize,
    requests: usize,
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "get config, sequential",
        endpoint: Endpoint::Get,
        in_flight: 1,
        requests: 600,
    },
    Scenario {
        name: "get config, 8 in flight",
        endpoint: Endpoint::Get,
        in_flight: 8,
        requests: 1_200,
    },
    Scenario {
        name: "list (50 items), sequential",
        endpoint: Endpoint::List,
        in_flight: 1,
        requests: 100,
    },
    Scenario {
        name: "list (50 items), 8 in flight",
        endpoint: Endpoint::List,
        in_flight: 8,
        requests: 200,
    },
];

struct Pair {
    generated: Samples,
    baseline: Samples,
    /// generated / baseline within each round.
    ratio: Samples,
}

pub fn run(report: &mut Report) -> Result<(), String> {
    let bodies = bodies();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("client runtime: {e}"))?;
    // Throughput: the server shares the client's thread (see the method text).
    let here = runtime.block_on(server::spawn(&bodies))?;
    let (client, baseline) = clients(&format!("http://{here}"))?;
    let generated = Generated { client: &client };

    // Both clients decode both bodies correctly before anything is timed.
    runtime.block_on(agree(&generated, &baseline))?;
    let throughput = throughput(&runtime, &generated, &baseline)?;
    let allocations = allocations(&runtime, &bodies)?;

    eprintln!("bench: decode");
    let decodes = decode::run(&bodies)?;

    let out = &mut report.body;
    write_throughput(out, &bodies, &throughput);
    write_decodes(out, &decodes);
    write_allocations(out, &allocations);
    targets(report, &throughput, &decodes);
    Ok(())
}

/// Checks that the two clients return the same values for both requests.
async fn agree(generated: &Generated<'_>, baseline: &Baseline) -> Result<(), String> {
    let (a, b) = (generated.get().await?, baseline.get().await?);
    if a != b {
        return Err("the two clients disagree on `get`".to_owned());
    }
    let (a, b) = (generated.list().await?, baseline.list().await?);
    if a != b || a.0.len() != PAGE_ITEMS || a.1.is_none() {
        return Err("the two clients disagree on `list`".to_owned());
    }
    Ok(())
}

/// Requests per second of both clients in every scenario, in alternating rounds.
fn throughput(
    runtime: &tokio::runtime::Runtime,
    generated: &Generated<'_>,
    baseline: &Baseline,
) -> Result<Vec<Pair>, String> {
    let mut throughput = Vec::new();
    for s in SCENARIOS {
        eprintln!("bench: client {}", s.name);
        let call_generated = async || generated.call(s.endpoint).await;
        let call_baseline = async || baseline.call(s.endpoint).await;
        // Warm-up: connections for every in-flight slot, caches, allocator.
        runtime.block_on(batch(s.requests, s.in_flight, &call_generated))?;
        runtime.block_on(batch(s.requests, s.in_flight, &call_baseline))?;
        let (mut g, mut b, mut r) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let (gen_rps, base_rps) = if round % 2 == 0 {
                let gen_rps = runtime.block_on(batch(s.requests, s.in_flight, &call_generated))?;
                let base_rps = runtime.block_on(batch(s.requests, s.in_flight, &call_baseline))?;
                (gen_rps, base_rps)
            } else {
                let base_rps = runtime.block_on(batch(s.requests, s.in_flight, &call_baseline))?;
                let gen_rps = runtime.block_on(batch(s.requests, s.in_flight, &call_generated))?;
                (gen_rps, base_rps)
            };
            g.push(gen_rps);
            b.push(base_rps);
            r.push(gen_rps / base_rps);
        }
        throughput.push(Pair {
            generated: Samples::new(g),
            baseline: Samples::new(b),
            ratio: Samples::new(r),
        });
    }
    Ok(throughput)
}

/// Allocations (count, bytes) per request of each client, for each endpoint.
type Allocations = Vec<(Endpoint, (f64, f64), (f64, f64))>;

/// Allocations per request, with the server on a thread of its own (not counted).
fn allocations(runtime: &tokio::runtime::Runtime, bodies: &Bodies) -> Result<Allocations, String> {
    eprintln!("bench: client allocations");
    // Allocations: the server has a thread of its own, which is not counted.
    let apart = server::start(bodies)?;
    let (client, baseline) = clients(&format!("http://{apart}"))?;
    let generated = Generated { client: &client };
    let mut allocations = Vec::new();
    for endpoint in [Endpoint::Get, Endpoint::List] {
        let n = 200;
        runtime.block_on(async {
            for _ in 0..20 {
                generated.call(endpoint).await?;
                baseline.call(endpoint).await?;
            }
            Ok::<(), String>(())
        })?;
        let (result, gen_tally) = counting(|| {
            runtime.block_on(async {
                for _ in 0..n {
                    generated.call(endpoint).await?;
                }
                Ok::<(), String>(())
            })
        });
        result?;
        let (result, base_tally) = counting(|| {
            runtime.block_on(async {
                for _ in 0..n {
                    baseline.call(endpoint).await?;
                }
                Ok::<(), String>(())
            })
        });
        result?;
        allocations.push((endpoint, per(gen_tally, n), per(base_tally, n)));
    }
    Ok(allocations)
}

/// The method paragraph and the throughput table.
fn write_throughput(out: &mut String, bodies: &Bodies, throughput: &[Pair]) {
    out.push_str("## 3. Client overhead\n\n");
    let _ = writeln!(
        out,
        "An HTTP/1.1 server on 127.0.0.1 (tokio `TcpListener`, canned responses with \
         keep-alive) serves a `get config` envelope ({:.1} KiB: a configuration with an ES256 \
         and an RSA-2048 key) and a {PAGE_ITEMS}-item list page ({:.1} KiB). For throughput, \
         client and server tasks share one single-threaded tokio runtime, so a request costs \
         the CPU work of both ends plus the kernel's loopback path, and nothing else: with the \
         server on a thread of its own, sequential requests on an otherwise idle VM mostly \
         measure how long an idle vCPU takes to wake up (about 130 µs against 25 µs of work).\n\n\
         - **generated**: `client.token_validation().configuration().get(zone, id).max_retries(0).await` \
         (and `.list(zone, Default::default())`);\n\
         - **baseline**: the same request with a bare `reqwest::Client` (`bearer_auth`, `Accept`), \
         a status check and `serde_json::from_slice` into a struct defined in the bench \
         (`{{ success: bool, result: TokenConfiguration }}`, or `result: Vec<TokenConfiguration>` \
         plus `result_info` for the page), i.e. into the same generated types.\n\n\
         Each scenario: a warm-up batch per client, then {ROUNDS} rounds in which both clients run \
         the same batch, alternating which goes first. Req/s are medians over rounds (min–max); the \
         ratio is the median of the per-round ratios (min–max).\n",
        bodies.get.len() as f64 / 1024.0,
        bodies.list.len() as f64 / 1024.0,
    );
    out.push_str(
        "| scenario | requests/round | generated req/s | baseline req/s | generated / baseline |\n\
         |---|---:|---|---|---|\n",
    );
    for (s, p) in SCENARIOS.iter().zip(throughput) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.3} ({:.3}–{:.3}) |",
            s.name,
            s.requests,
            p.generated.spread_short(),
            p.baseline.spread_short(),
            p.ratio.median(),
            p.ratio.min(),
            p.ratio.max(),
        );
    }
}

/// The decode subsection.
fn write_decodes(out: &mut String, decodes: &[decode::Decoded]) {
    out.push_str("\n### Decode\n\n");
    let _ = writeln!(
        out,
        "The runtime's decoder called directly (through the generated crate's hidden `runtime` \
         module): `decode::page::<TokenConfiguration>` \
         is what every generated list method runs, `decode::data` what `get` runs. Baseline: \
         `serde_json::from_slice` into the bench's structs above. Batches of decodes, {} rounds, \
         alternating; time per decode is the median over rounds (min–max).\n",
        decode::ROUNDS
    );
    out.push_str(
        "| body | runtime decode | bare serde_json | runtime / bare | allocations per decode (runtime / bare) |\n\
         |---|---|---|---|---|\n",
    );
    for d in decodes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:.3} ({:.3}–{:.3}) | {} / {} |",
            d.name,
            d.runtime.spread(secs).replace(", IQR", "; IQR"),
            d.bare.spread(secs).replace(", IQR", "; IQR"),
            d.ratio.median(),
            d.ratio.min(),
            d.ratio.max(),
            num(d.runtime_allocs.allocations as f64),
            num(d.bare_allocs.allocations as f64),
        );
    }
}

/// The allocations subsection.
fn write_allocations(out: &mut String, allocations: &Allocations) {
    out.push_str("\n### Allocations per request\n\n");
    out.push_str(
        "A counting `#[global_allocator]` (std only) tallies `alloc`/`realloc` calls on the \
         client's thread only (the server thread is excluded), over 200 sequential requests \
         after the warm-ups above; the figure includes reqwest/hyper's own work.\n\n\
         | request | generated: allocations (bytes) | baseline: allocations (bytes) | generated / baseline |\n\
         |---|---:|---:|---:|\n",
    );
    for (endpoint, g, b) in allocations {
        let name = match endpoint {
            Endpoint::Get => "get config",
            Endpoint::List => "list (50 items)",
        };
        let _ = writeln!(
            out,
            "| {name} | {} ({}) | {} ({}) | {:.2} |",
            num(g.0),
            num(g.1),
            num(b.0),
            num(b.1),
            g.0 / b.0
        );
    }
    out.push('\n');
}

/// The targets: worst throughput ratio, and page decode against bare serde.
fn targets(report: &mut Report, throughput: &[Pair], decodes: &[decode::Decoded]) {
    let worst = throughput
        .iter()
        .zip(SCENARIOS)
        .min_by(|a, b| a.0.ratio.median().total_cmp(&b.0.ratio.median()));
    if let Some((p, s)) = worst {
        report.target(Target::new(
            "throughput generated / baseline (worst scenario)",
            format!("{:.3} ({})", p.ratio.median(), s.name),
            "≥ 0.95",
            p.ratio.median() >= 0.95,
        ));
    }
    if let Some(page) = decodes.iter().find(|d| d.is_page) {
        report.target(Target::new(
            "page decode vs bare serde",
            format!("{:.3}×", page.ratio.median()),
            "≤ 1.10×",
            page.ratio.median() <= 1.10,
        ));
    }
}

/// `benches profile ENDPOINT CLIENT N`: N sequential requests of one client, for
/// `valgrind --tool=callgrind` (instruction counts are immune to a busy machine).
pub fn profile(endpoint: &str, which: &str, n: usize) -> Result<(), String> {
    let endpoint = match endpoint {
        "get" => Endpoint::Get,
        "list" => Endpoint::List,
        other => return Err(format!("unknown endpoint `{other}`: get or list")),
    };
    let bodies = bodies();
    let addr = server::start(&bodies)?;
    let base = format!("http://{addr}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("client runtime: {e}"))?;
    let (client, baseline) = clients(&base)?;
    let generated = Generated { client: &client };
    runtime.block_on(async {
        for _ in 0..n {
            match which {
                "generated" => generated.call(endpoint).await?,
                "baseline" => baseline.call(endpoint).await?,
                other => return Err(format!("unknown client `{other}`: generated or baseline")),
            }
        }
        Ok(())
    })
}

/// The generated client and the baseline, both pointed at `base`.
fn clients(base: &str) -> Result<(Client, Baseline), String> {
    let client = Client::builder()
        .base_url(base)
        .api_token(TOKEN)
        .build()
        .map_err(|e| e.to_string())?;
    let baseline = Baseline {
        http: reqwest::Client::builder()
            .build()
            .map_err(|e| e.to_string())?,
        get_url: format!("{base}/zones/{ZONE}/token_validation/config/{CONFIG_ID}"),
        list_url: format!("{base}/zones/{ZONE}/token_validation/config"),
    };
    Ok((client, baseline))
}

fn per(t: Tally, n: usize) -> (f64, f64) {
    (t.allocations as f64 / n as f64, t.bytes as f64 / n as f64)
}

struct Generated<'a> {
    client: &'a Client,
}

impl Generated<'_> {
    async fn get(&self) -> Result<TokenConfiguration, String> {
        let configurations = self.client.token_validation().configuration();
        configurations
            .get(ZONE, CONFIG_ID)
            .max_retries(0)
            .await
            .map_err(|e| e.to_string())
    }

    async fn list(&self) -> Result<Listed, String> {
        let configurations = self.client.token_validation().configuration();
        let page = configurations
            .list(ZONE, Default::default())
            .max_retries(0)
            .await
            .map_err(|e| e.to_string())?;
        let counters = page.info.map(|i| (i.page, i.per_page, i.total_pages));
        Ok((page.items, counters))
    }

    async fn call(&self, endpoint: Endpoint) -> Result<(), String> {
        match endpoint {
            Endpoint::Get => self.get().await.map(drop),
            Endpoint::List => self.list().await.map(drop),
        }
    }
}

impl Baseline {
    async fn call(&self, endpoint: Endpoint) -> Result<(), String> {
        match endpoint {
            Endpoint::Get => self.get().await.map(drop),
            Endpoint::List => self.list().await.map(drop),
        }
    }
}

/// Runs `requests` calls with `in_flight` of them at a time; returns requests per second.
async fn batch(
    requests: usize,
    in_flight: usize,
    call: &impl AsyncFn() -> Result<(), String>,
) -> Result<f64, String> {
    let each = (requests / in_flight).max(1);
    let started = Instant::now();
    let workers = (0..in_flight).map(|_| async {
        for _ in 0..each {
            call().await?;
        }
        Ok::<(), String>(())
    });
    for result in futures_util::future::join_all(workers).await {
        result?;
    }
    let elapsed = started.elapsed().max(Duration::from_nanos(1));
    Ok((each * in_flight) as f64 / elapsed.as_secs_f64())
}
