//! Contract tests: every operation of the generated client against the Prism mock server.
//!
//! Prism (pinned in `package.json` / `package-lock.json`, installed by `npm ci`) serves
//! `spec/token_validation.yaml` with `--errors`, so it validates each request against the
//! spec and answers an invalid one with 422, which fails the test with the operation's
//! name. Every operation is called with realistic arguments and must decode into the
//! generated types, first with the spec's examples as responses, then several times with
//! `Prefer: dynamic=true`, where Prism invents bodies from the response schemas. A raw
//! request that breaks the spec must get a 422, so the harness cannot pass vacuously.
//!
//! One Prism serves every test of this binary that runs at the same time; the last test
//! to finish stops it (it is also stopped when a test panics).

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use cloudflare_token_validation::types::{
    Action, AlgEs256, AlgEs384, BulkEditRuleRequest, CreateConfigRequest, CreateRuleRequest,
    CredentialsPatchRequest, CredentialsRequest, CrvP256, CrvP384, EditConfigRequest,
    EditRuleRequest, HmacAlgorithm, JwkEs256, JwkEs384, JwkOctPatchRequest, JwkOctRequest,
    JwkResponse, JwkRsa, KtyEc, KtyOct, KtyRsa, Method, OperationState, Position, PositionAfter,
    PositionBefore, PositionIndex, RsaAlgorithm, Selector, SelectorExclude, SelectorInclude,
    TokenType,
};
use cloudflare_token_validation::{
    Call, Client, ConfigurationListParams, Error, RulesListParams, RulesPreviewParams,
};
use futures_util::StreamExt;

use support::ZONE;

const CONFIG_ID: &str = "4a7ee8d3-dd63-4ceb-9d5f-c27831854ce7";
const RULE_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
const OTHER_RULE_ID: &str = "52973293-cb04-4a97-8f55-e7d2ad1107dd";
const OTHER_CONFIG_ID: &str = "46eab8d1-6376-45e3-968f-2c649d77d423";
const OPERATION_ID: &str = "0b9dbd0e-8c0b-4a3c-a3b8-2a1a1e6f0b6c";
/// How many times the dynamic pass calls every operation; `CONTRACT_DYNAMIC_ROUNDS`
/// overrides it (e.g. for a long soak).
const DYNAMIC_ROUNDS: usize = 5;
/// How often the dynamic pass asks again for a response Prism generated but found
/// invalid itself (about 5 in 6 of its rule previews: it cannot fake `uri-template`s).
const REGENERATIONS: usize = 100;
/// How long Prism may take to start listening.
const STARTUP_LIMIT: Duration = Duration::from_secs(60);

// ------------------------------------------------------------------------- Prism

/// A running Prism; dropping it kills the process.
struct Prism {
    child: Child,
    base_url: String,
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
    fn log_tail(&self, lines: usize) -> String {
        let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

/// The Prism shared by the tests running now, started if there is none.
fn prism() -> Arc<Prism> {
    static SHARED: Mutex<Weak<Prism>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(prism) = shared.upgrade() {
        return prism;
    }
    let prism = Arc::new(start_prism());
    *shared = Arc::downgrade(&prism);
    prism
}

fn workspace_root() -> PathBuf {
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

fn client(prism: &Prism) -> Client {
    Client::builder()
        .base_url(&prism.base_url)
        .api_token("contract-test-token")
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client for Prism")
}

// ------------------------------------------------------------------- outcomes

/// The operations the spec declares, read from the document itself, so a new operation
/// fails this suite until it is called here.
fn spec_operations() -> BTreeSet<String> {
    let path = workspace_root().join("spec/token_validation.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let methods = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut ids = BTreeSet::new();
    for (_, item) in doc["paths"].as_mapping().expect("paths is a mapping") {
        for method in methods {
            if let Some(id) = item[method]["operationId"].as_str() {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// What a pass over the operations found: the operations called, and every failure.
struct Outcomes<'a> {
    prism: &'a Prism,
    pass: String,
    called: BTreeSet<String>,
    failures: Vec<String>,
}

impl<'a> Outcomes<'a> {
    fn new(prism: &'a Prism, pass: impl Into<String>) -> Self {
        Outcomes {
            prism,
            pass: pass.into(),
            called: BTreeSet::new(),
            failures: Vec::new(),
        }
    }

    /// Sends the call `make` builds, records `operation` as covered, and returns the
    /// value if it worked. In the dynamic pass, a response Prism generated but then
    /// rejected itself (it cannot always fake values for formats such as
    /// `uri-template`) is asked for again, a bounded number of times.
    async fn run<T: Send + 'static>(
        &mut self,
        operation: &str,
        dynamic: bool,
        make: impl Fn() -> Call<T>,
    ) -> Option<T> {
        self.called.insert(operation.to_owned());
        let mut regenerated = 0;
        loop {
            let call = if dynamic {
                make().header("Prefer", "dynamic=true")
            } else {
                make()
            };
            let error = match call.with_response().await {
                Ok(response) if response.status.as_u16() == 200 => return Some(response.value),
                Ok(response) => format!("unexpected status {}", response.status),
                Err(e)
                    if dynamic
                        && regenerated < REGENERATIONS
                        && prism_broke_its_own_response(&e) =>
                {
                    regenerated += 1;
                    continue;
                }
                Err(e) => describe(&e),
            };
            self.fail(operation, error);
            return None;
        }
    }

    /// Records a failed expectation about `operation`'s response.
    fn check(&mut self, operation: &str, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.fail(operation, what());
        }
    }

    fn fail(&mut self, operation: &str, message: String) {
        self.failures
            .push(format!("[{}] {operation}: {message}", self.pass));
    }

    /// Panics with every failure, and if any operation of the spec was not called.
    fn finish(self) {
        let missing: Vec<String> = spec_operations()
            .difference(&self.called)
            .cloned()
            .collect();
        let mut problems = self.failures;
        if !missing.is_empty() {
            problems.push(format!(
                "[{}] operations of the spec never called: {}",
                self.pass,
                missing.join(", ")
            ));
        }
        assert!(
            problems.is_empty(),
            "{} problem(s) against Prism:\n{}\n\nPrism's last log lines:\n{}",
            problems.len(),
            problems.join("\n"),
            self.prism.log_tail(30)
        );
    }
}

/// An error with everything that helps: for an API error the status, Prism's list of
/// spec violations (its `sl-violations` header) and the start of the body.
fn describe(e: &Error) -> String {
    match e {
        Error::Api(api) => {
            let violations = api
                .headers()
                .get("sl-violations")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none");
            format!(
                "{api}\n    violations: {violations}\n    body: {}",
                api.body_snippet()
            )
        }
        Error::Decode(decode) => format!("{decode}\n    body: {}", decode.body_snippet()),
        other => other.to_string(),
    }
}

/// Whether `e` is Prism's 500 for a response it generated that breaks the spec: every
/// violation it lists (in its `sl-violations` header) is in the response, none in the
/// request.
fn prism_broke_its_own_response(e: &Error) -> bool {
    let Some(api) = e.as_api() else {
        return false;
    };
    let header = api.headers().get("sl-violations").map(|v| v.as_bytes());
    let Some(Ok(serde_json::Value::Array(violations))) = header.map(serde_json::from_slice) else {
        return false;
    };
    api.status().as_u16() == 500
        && !violations.is_empty()
        && violations
            .iter()
            .all(|v| v["location"][0].as_str() == Some("response"))
}

// ---------------------------------------------------------------- arguments

fn rsa_key() -> JwkRsa {
    JwkRsa {
        kid: "0b5bd6a8-3c27-4e1a-9d65-1f3c7a9e2d41".into(),
        alg: RsaAlgorithm::Rs256,
        e: "AQAB".into(),
        kty: KtyRsa,
        n: "igGSQZbQaH2-T4fp1vqLLshOcJwXRE0IeMsNXoB87StK-DOaYWBrTN1N3lCP3y6vlV6cQeRn_i_RxKyZFKki4nhvxkXFnlaFXF_5ZOEP4tYStZUNoBf1n8mNjgf66U59tHlhN79RK7y7Czw3die14mYeuN83W_TiRcF4nhlAfaKp0YI1oHCT0jvQntFERM3nCCqxsmuVaNWm35m8vcXLXzC3C7o_pQ7tEob-h1zKo2XHO56-AkpYVGzWaWyHYe4weOBBOLJmVJ4e2VKev11T1qDKNv0s9sAWLphLit_BC6be-sNqfuROuAjZLb8ivIm1kHW-u-_dbV5y0yja2xo_mw".into(),
    }
}

fn es256_key() -> JwkEs256 {
    JwkEs256 {
        kid: "38013f13-c266-4eec-a72a-92ec92779f21".into(),
        kty: KtyEc,
        x: "CHjhGUHa68kLMvhcpgmZSXoIb45MxGrtpjkPwIHqOEE".into(),
        y: "JJad4wG6lGCILbQo0rSMj-85VYbWAPebK0QZ7o2_5mU".into(),
        alg: AlgEs256,
        crv: CrvP256,
    }
}

fn es384_key() -> JwkEs384 {
    JwkEs384 {
        kid: "c1f0e7b2-54d6-4f57-8a3e-6b2f9d0c1a77".into(),
        kty: KtyEc,
        x: "GXrDao1ToH6UOhfqqSo0vqObMPicURV4TUdK2MtGZ588AHhz9btIjcuMtt3BIvyR".into(),
        y: "CenHJY5D68gMKBNqD_Qwmvnc-NJysTu8SxjNfgkN8_Eg4CRSp-hY3AdY3Whk9gKR".into(),
        alg: AlgEs384,
        crv: CrvP384,
    }
}

fn oct_key() -> JwkOctRequest {
    JwkOctRequest {
        kid: "hmac-2026-11".into(),
        alg: HmacAlgorithm::Hs256,
        k: "VcVmkVeQUJfjsP1fYTx1v01WWcAeqgTJ9r1br7tVgNw".into(),
        kty: KtyOct,
    }
}

fn create_config_body() -> CreateConfigRequest {
    CreateConfigRequest {
        title: "Mobile app JWTs".into(),
        description: "Tokens issued by auth.example.com to the mobile apps".into(),
        token_type: TokenType::Jwt,
        token_sources: vec![
            r#"http.request.headers["authorization"][0]"#.into(),
            r#"http.request.cookies["session"][0]"#.into(),
        ],
        credentials: CredentialsRequest {
            keys: vec![es256_key().into(), rsa_key().into()],
        },
    }
}

fn selector() -> Selector {
    Selector {
        include: Some(vec![SelectorInclude {
            host: Some(vec!["api.example.com".into(), "v2.api.example.com".into()]),
        }]),
        exclude: Some(vec![SelectorExclude {
            operation_ids: Some(vec![OPERATION_ID.into()]),
        }]),
    }
}

fn create_rule_body(title: &str, action: Action) -> CreateRuleRequest {
    CreateRuleRequest {
        title: title.into(),
        description: "Requests to the public API must carry a valid token".into(),
        action,
        enabled: true,
        expression: format!(r#"is_jwt_valid("{CONFIG_ID}")"#),
        selector: selector(),
    }
}

/// A `format: uuid` field's value (the generated type is `uuid::Uuid`, which this crate
/// does not depend on directly).
fn uuid<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_value(serde_json::Value::from(text)).expect("a valid UUID")
}

fn bulk_edit_body() -> Vec<BulkEditRuleRequest> {
    let patch = |id: &str, position: Position| BulkEditRuleRequest {
        id: uuid(id),
        action: None,
        description: None,
        enabled: None,
        expression: None,
        selector: None,
        title: None,
        position: Some(position),
    };
    vec![
        BulkEditRuleRequest {
            enabled: Some(false),
            action: Some(Action::Block),
            ..patch(RULE_ID, PositionIndex { index: 1 }.into())
        },
        patch(
            OTHER_RULE_ID,
            PositionBefore {
                before: uuid(RULE_ID),
            }
            .into(),
        ),
        BulkEditRuleRequest {
            title: Some("Legacy API".into()),
            ..patch(
                "9f0c3f57-7c1e-4d7e-8d55-4b1f6a2c3e90",
                PositionAfter {
                    after: uuid(OTHER_RULE_ID),
                }
                .into(),
            )
        },
    ]
}

// ------------------------------------------------------------------- the pass

/// Calls every operation once. With `dynamic`, Prism generates each response body from
/// its schema; otherwise it serves the spec's examples, and the values are checked.
async fn every_operation(client: &Client, out: &mut Outcomes<'_>, dynamic: bool) {
    let tv = client.token_validation();
    let config = tv.configuration();
    let credentials = config.credentials();
    let rules = tv.rules();
    let fixed = !dynamic;

    // --- token configurations
    let op = "token-validation-config-list";
    let params = ConfigurationListParams::new().page(1).per_page(5);
    if let Some(page) = out
        .run(op, dynamic, || config.list(ZONE, params.clone()))
        .await
    {
        if fixed {
            out.check(op, page.items.len() == 1, || format!("{page:?}"));
            let info = page.info.as_ref();
            out.check(op, info.and_then(|i| i.page) == Some(1), || {
                format!("page counters {info:?}")
            });
        }
        for item in &page.items {
            out.check(op, item.id.len() == 36, || format!("id {:?}", item.id));
        }
    }

    let op = "token-validation-config-create";
    if let Some(created) = out
        .run(op, dynamic, || config.create(ZONE, &create_config_body()))
        .await
    {
        out.check(op, created.id.len() == 36, || {
            format!("id {:?}", created.id)
        });
        if fixed {
            out.check(op, created.token_type == TokenType::Jwt, || {
                format!("token_type {}", created.token_type)
            });
            let es256 = matches!(
                created.credentials.keys.first(),
                Some(JwkResponse::Es256(_))
            );
            out.check(op, es256, || format!("keys {:?}", created.credentials.keys));
        }
    }

    let op = "token-validation-config-get";
    if let Some(got) = out.run(op, dynamic, || config.get(ZONE, CONFIG_ID)).await {
        out.check(op, !got.credentials.keys.is_empty(), || format!("{got:?}"));
        if fixed {
            out.check(op, got.created_at.year() == 2014, || {
                format!("created_at {}", got.created_at)
            });
            out.check(op, got.token_sources.len() == 2, || {
                format!("token_sources {:?}", got.token_sources)
            });
        }
    }

    let op = "token-validation-config-edit";
    let edit = EditConfigRequest {
        title: Some("Mobile app JWTs (v2)".into()),
        description: None,
        token_sources: Some(vec![r#"http.request.headers["x-auth"][0]"#.into()]),
    };
    out.run(op, dynamic, || config.edit(ZONE, CONFIG_ID, &edit))
        .await;

    let op = "token-validation-config-delete";
    if let Some(deleted) = out
        .run(op, dynamic, || config.delete(ZONE, CONFIG_ID))
        .await
    {
        if fixed {
            let id_len = deleted.id.as_deref().map(str::len);
            out.check(op, id_len == Some(36), || format!("{deleted:?}"));
        }
    }

    // --- credentials
    let op = "token-validation-config-credentials-update";
    let replace = CredentialsRequest {
        keys: vec![
            rsa_key().into(),
            es256_key().into(),
            es384_key().into(),
            oct_key().into(),
        ],
    };
    if let Some(set) = out
        .run(op, dynamic, || {
            credentials.update(ZONE, CONFIG_ID, &replace)
        })
        .await
    {
        out.check(op, set.success, || format!("{set:?}"));
        if fixed {
            let es256 =
                matches!(set.keys.as_slice(), [JwkResponse::Es256(k)] if k.kid == es256_key().kid);
            out.check(op, es256, || format!("keys {:?}", set.keys));
        }
    }

    let op = "token-validation-config-credentials-edit";
    let keep_secret = JwkOctPatchRequest {
        kid: oct_key().kid,
        alg: HmacAlgorithm::Hs256,
        k: None,
        kty: KtyOct,
    };
    let rotate_secret = JwkOctPatchRequest {
        kid: "hmac-2026-12".into(),
        alg: HmacAlgorithm::Hs384,
        k: Some("DPvDutIkrB5XxE4ak426G-PUXL7ho1iAkNlzUh4WwPsDTviw2wlPCcALQRlfGIKk".into()),
        kty: KtyOct,
    };
    let patch = CredentialsPatchRequest {
        keys: vec![keep_secret.into(), rotate_secret.into(), es384_key().into()],
    };
    if let Some(set) = out
        .run(op, dynamic, || credentials.edit(ZONE, CONFIG_ID, &patch))
        .await
    {
        out.check(op, set.success && !set.keys.is_empty(), || {
            format!("{set:?}")
        });
    }

    // --- rules
    let op = "token-validation-rules-list";
    let params = RulesListParams::new()
        .page(1)
        .per_page(50)
        .token_configuration(vec![CONFIG_ID.to_owned(), OTHER_CONFIG_ID.to_owned()])
        .action(Action::Log)
        .enabled(true)
        .id(RULE_ID)
        .rule_id(RULE_ID)
        .host("api.example.com")
        .hostname("api.example.com");
    if let Some(page) = out
        .run(op, dynamic, || rules.list(ZONE, params.clone()))
        .await
    {
        if fixed {
            let log = page.items.first().map(|r| &r.action) == Some(&Action::Log);
            out.check(op, log, || format!("{page:?}"));
        }
    }

    let op = "token-validation-rules-create";
    let body = create_rule_body("Public API", Action::Block);
    if let Some(rule) = out.run(op, dynamic, || rules.create(ZONE, &body)).await {
        if fixed {
            let id_len = rule.id.as_deref().map(str::len);
            out.check(op, id_len == Some(36) && rule.created_at.is_some(), || {
                format!("{rule:?}")
            });
        }
    }

    let op = "token-validation-rules-bulk-create";
    let body = [
        create_rule_body("Public API", Action::Block),
        create_rule_body("Partner API", Action::Log),
    ];
    if let Some(created) = out
        .run(op, dynamic, || rules.bulk_create(ZONE, &body))
        .await
    {
        if fixed {
            out.check(op, !created.is_empty(), || format!("{created:?}"));
        }
    }

    let op = "token-validation-rules-bulk-edit";
    out.run(op, dynamic, || rules.bulk_edit(ZONE, &bulk_edit_body()))
        .await;

    let op = "token-validation-rules-preview";
    let params = RulesPreviewParams::new()
        .page(1)
        .per_page(20)
        .state(vec![OperationState::Included, OperationState::Excluded])
        .host(vec!["api.example.com".to_owned()])
        .hostname(vec!["v2.api.example.com".to_owned()])
        .method(vec![Method::Get, Method::Post])
        .endpoint(vec!["/api/v1/users/{var1}".to_owned()]);
    if let Some(preview) = out
        .run(op, dynamic, || {
            rules.preview(ZONE, params.clone(), &selector())
        })
        .await
    {
        if fixed {
            let included = preview
                .operations
                .iter()
                .flatten()
                .any(|o| o.state == Some(OperationState::Included));
            out.check(op, included, || format!("{preview:?}"));
        }
    }

    let op = "token-validation-rules-get";
    if let Some(rule) = out.run(op, dynamic, || rules.get(ZONE, RULE_ID)).await {
        if fixed {
            out.check(op, rule.enabled && rule.title.len() <= 50, || {
                format!("{rule:?}")
            });
        }
    }

    let op = "token-validation-rules-edit";
    let edit = EditRuleRequest {
        action: Some(Action::Log),
        enabled: Some(false),
        position: Some(PositionIndex { index: 2 }.into()),
        ..EditRuleRequest::default()
    };
    out.run(op, dynamic, || rules.edit(ZONE, RULE_ID, &edit))
        .await;

    let op = "token-validation-rules-delete";
    out.run(op, dynamic, || rules.delete(ZONE, RULE_ID)).await;
}

// ---------------------------------------------------------------------- tests

#[tokio::test]
async fn every_operation_with_the_spec_examples() {
    let prism = prism();
    let client = client(&prism);
    let mut out = Outcomes::new(&prism, "examples");
    every_operation(&client, &mut out, false).await;
    out.finish();
}

#[tokio::test]
async fn every_operation_with_generated_responses() {
    let prism = prism();
    let client = client(&prism);
    let rounds = std::env::var("CONTRACT_DYNAMIC_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DYNAMIC_ROUNDS);
    for round in 1..=rounds {
        let mut out = Outcomes::new(&prism, format!("dynamic round {round}"));
        every_operation(&client, &mut out, true).await;
        out.finish();
    }

    // The bodies really are generated: two answers to the same request differ.
    let tv = client.token_validation();
    let get = || {
        tv.configuration()
            .get(ZONE, CONFIG_ID)
            .header("Prefer", "dynamic=true")
    };
    let first = get().await.unwrap_or_else(|e| panic!("{}", describe(&e)));
    let second = get().await.unwrap_or_else(|e| panic!("{}", describe(&e)));
    assert_ne!(
        first, second,
        "Prism served the same body twice in dynamic mode"
    );
}

#[tokio::test]
async fn pagination_and_raw_responses() {
    let prism = prism();
    let client = client(&prism);
    let tv = client.token_validation();
    let config = tv.configuration();

    // The example is a single page, so the stream ends after it.
    let items: Vec<_> = config
        .list(ZONE, ConfigurationListParams::new().per_page(5))
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 1, "{items:?}");
    let first = items[0]
        .as_ref()
        .unwrap_or_else(|e| panic!("config list stream: {}", describe(e)));
    assert_eq!(first.id, "f174e90a-fafe-4643-bbbc-4a0ed4fc8415");

    let response = config
        .get(ZONE, CONFIG_ID)
        .with_response()
        .await
        .unwrap_or_else(|e| panic!("config get: {}", describe(&e)));
    assert_eq!(response.status.as_u16(), 200);
    let content_type = response
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json"));
    assert_eq!(
        response.value.title,
        "Example Token Validation Configuration"
    );
}

/// A request that breaks the spec gets a 422 from Prism: without this, a Prism that
/// accepted everything would let the suite pass without checking anything.
#[tokio::test]
async fn prism_rejects_invalid_requests() {
    let prism = prism();
    let url = format!("{}/zones/{ZONE}/token_validation/config", prism.base_url);
    let http = reqwest::Client::new();
    let send = |body: serde_json::Value| {
        http.post(&url)
            .bearer_auth("contract-test-token")
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };

    // Bypassing the client: no credentials, an unknown token type, a bad token source.
    let invalid = serde_json::json!({
        "title": "Broken",
        "description": "Missing credentials",
        "token_type": "SAML",
        "token_sources": ["authorization"],
    });
    let response = send(invalid).await.expect("Prism answers");
    let status = response.status().as_u16();
    // Prism answers with the spec's own 4XX example and lists what it found wrong in
    // a header.
    let violations = response
        .headers()
        .get("sl-violations")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 422, "an invalid body was not rejected: {body}");
    for field in ["credentials", "token_type", "token_sources"] {
        assert!(
            violations.contains(field),
            "no violation reported for `{field}`: {violations}"
        );
    }

    // The same raw route accepts a valid body, so the 422 was about the body.
    let valid = serde_json::to_value(create_config_body()).expect("serialisable");
    let response = send(valid).await.expect("Prism answers");
    assert_eq!(response.status().as_u16(), 200, "a valid body was rejected");

    // Through the client, a value the client cannot know is wrong (enums are open)
    // comes back as an API error carrying the 422.
    let client = client(&prism);
    let body = CreateConfigRequest {
        token_type: TokenType::Unknown("SAML".into()),
        ..create_config_body()
    };
    let result = client
        .token_validation()
        .configuration()
        .create(ZONE, &body)
        .await;
    match result {
        Err(Error::Api(api)) => assert_eq!(api.status().as_u16(), 422, "{api}"),
        other => panic!("expected a 422 API error, got {other:?}"),
    }
}
