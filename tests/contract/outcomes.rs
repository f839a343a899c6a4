//! What a pass over the operations found, and how a failure is described: Prism's
//! spec violations and the start of the body.

use std::collections::BTreeSet;

use cloudflare_token_validation::{Call, Error};

use crate::prism::{workspace_root, Prism};

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

/// How often the dynamic pass asks again for a response Prism generated but found
/// invalid itself (about 5 in 6 of its rule previews: it cannot fake `uri-template`s).
const REGENERATIONS: usize = 100;

/// What a pass over the operations found: the operations called, and every failure.
pub(crate) struct Outcomes<'a> {
    prism: &'a Prism,
    pass: String,
    called: BTreeSet<String>,
    failures: Vec<String>,
}

impl<'a> Outcomes<'a> {
    pub(crate) fn new(prism: &'a Prism, pass: impl Into<String>) -> Self {
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
    pub(crate) async fn run<T: Send + 'static>(
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
    pub(crate) fn check(&mut self, operation: &str, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.fail(operation, what());
        }
    }

    fn fail(&mut self, operation: &str, message: String) {
        self.failures
            .push(format!("[{}] {operation}: {message}", self.pass));
    }

    /// Panics with every failure, and if any operation of the spec was not called.
    pub(crate) fn finish(self) {
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
pub(crate) fn describe(e: &Error) -> String {
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
