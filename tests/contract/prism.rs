//! The Prism mock server: started once for the tests running at the same time, stopped
//! by the last one, with its log kept for failure messages.

use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use cloudflare_token_validation::Client;

/// How long Prism may take to start listening.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

/// A running Prism; dropping it kills the process.
pub(crate) struct Prism {
    child: Child,
    pub(crate) base_url: String,
    log: Arc<Mutex<String>>,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prism {
    /// The last lines Prism printed, for failure messages (violations are logged there).
    pub(crate) fn log_tail(&self, lines: usize) -> String {
        let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

/// The Prism shared by the tests running now, started if there is none.
pub(crate) fn prism() -> Arc<Prism> {
    static SHARED: Mutex<Weak<Prism>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(prism) = shared.upgrade() {
        return prism;
    }
    let prism = Arc::new(start_prism());
    *shared = Arc::downgrade(&prism);
    prism
}

pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn start_prism() -> Prism {
    let root = workspace_root();
    let bin = root.join("node_modules/.bin/prism");
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => panic!(
            "`node` is not available: the contract tests need Node.js 20+ and the Prism mock \
             server; install Node.js, then run `npm ci` in {}",
            root.display()
        ),
    }
    assert!(
        bin.exists(),
        "Prism is not installed ({} is missing): run `npm ci` in {}",
        bin.display(),
        root.display()
    );
    // A port picked by the OS can be taken again before Prism binds it; try a few.
    let mut failures = Vec::new();
    for _ in 0..3 {
        match try_start(&root, &bin) {
            Ok(prism) => return prism,
            Err(e) => failures.push(e),
        }
    }
    panic!("Prism did not start:\n{}", failures.join("\n---\n"));
}

fn try_start(root: &Path, bin: &Path) -> Result<Prism, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("cannot find a free port: {e}"))?
        .port();
    let child = Command::new("node")
        .arg(bin)
        .args([
            "mock",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "--errors",
        ])
        .arg("spec/token_validation.yaml")
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let log = Arc::new(Mutex::new(String::new()));
    // The guard exists from here on, so every early return or panic kills Prism.
    let mut prism = Prism {
        child,
        base_url: format!("http://127.0.0.1:{port}"),
        log: log.clone(),
    };
    if let Some(out) = prism.child.stdout.take() {
        collect(out, log.clone());
    }
    if let Some(err) = prism.child.stderr.take() {
        collect(err, log.clone());
    }
    let started = Instant::now();
    loop {
        let said_so = log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains("Prism is listening");
        if said_so && TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(prism);
        }
        if let Ok(Some(status)) = prism.child.try_wait() {
            return Err(format!(
                "Prism exited with {status} before listening:\n{}",
                prism.log_tail(40)
            ));
        }
        if started.elapsed() > STARTUP_LIMIT {
            return Err(format!(
                "Prism was not listening on port {port} after {STARTUP_LIMIT:?}:\n{}",
                prism.log_tail(40)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Appends everything `stream` prints to `log`, on a thread of its own.
fn collect(stream: impl Read + Send + 'static, log: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
            log.push_str(&line);
            log.push('\n');
        }
    });
}

pub(crate) fn client(prism: &Prism) -> Client {
    Client::builder()
        .base_url(&prism.base_url)
        .api_token("contract-test-token")
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client for Prism")
}
