#!/usr/bin/env bash
# The whole test suite, set-up included, on a fresh machine: installs the tools it needs
# (cargo-insta, cargo-semver-checks, the spec validator from PyPI, the Prism mock server
# from the committed package-lock.json), then runs every check CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

INSTA_VERSION=1.43.2
# The release whose verdicts tests/fixtures/semver/*/expect.txt record (pinned again in
# xtask/src/semver_pairs.rs, which refuses any other).
SEMVER_CHECKS_VERSION=0.51.0
step() { printf '\n==> %s\n' "$*"; }

step "set-up: cargo-insta ${INSTA_VERSION}"
if ! cargo insta --version 2>/dev/null | grep -q "${INSTA_VERSION}"; then
  cargo install cargo-insta --locked --version "${INSTA_VERSION}"
fi

step "set-up: cargo-semver-checks ${SEMVER_CHECKS_VERSION}"
if ! cargo semver-checks --version 2>/dev/null | grep -q "${SEMVER_CHECKS_VERSION}"; then
  cargo install cargo-semver-checks --locked --version "${SEMVER_CHECKS_VERSION}"
fi

step "set-up: Python spec validator (requirements-dev.txt)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt

step "set-up: Prism mock server (package-lock.json)"
command -v node >/dev/null || { echo "node is required for the contract tests (Prism); install Node.js 20+" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error

step "spec: openapi-spec-validator"
.venv/bin/python -m openapi_spec_validator spec/token_validation.yaml

step "format: cargo fmt --check"
cargo fmt --all --check

step "lint: cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "drift: cargo xtask regenerate --check"
cargo xtask regenerate --check

step "vendor: a copy of generated/ outside the workspace passes cargo check"
vendor=$(mktemp -d)
cp -r generated "$vendor/client"
cp Cargo.lock "$vendor/client/Cargo.lock"
# The workspace's target directory, so the copy reuses the dependencies already built.
CARGO_TARGET_DIR="$PWD/target" cargo check --offline --quiet --all-targets --manifest-path "$vendor/client/Cargo.toml"
rm -rf "$vendor"

step "examples: every generated/examples/*.rs against Prism"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prism_log=$(mktemp)
node_modules/.bin/prism mock -h 127.0.0.1 -p "$port" --errors spec/token_validation.yaml >"$prism_log" 2>&1 &
prism_pid=$!
# Prism stops however this step ends.
trap 'kill "$prism_pid" 2>/dev/null || true; rm -f "$prism_log"' EXIT
for _ in $(seq 600); do   # up to 60 s
  grep -q "Prism is listening" "$prism_log" && break
  kill -0 "$prism_pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "Prism is listening" "$prism_log"; then
  echo "Prism did not start on port ${port}:" >&2
  cat "$prism_log" >&2
  exit 1
fi
failed=()
for example in generated/examples/*.rs; do
  name=$(basename "$example" .rs)
  printf -- '--- %s\n' "$name"
  # Only the mock's settings: real credentials or ids in the environment stay out.
  if ! env -u CLOUDFLARE_EMAIL -u CLOUDFLARE_API_KEY -u CLOUDFLARE_ZONE_ID \
      -u CLOUDFLARE_TOKEN_CONFIG_ID -u CLOUDFLARE_API_HOST \
      CLOUDFLARE_BASE_URL="http://127.0.0.1:${port}" CLOUDFLARE_API_TOKEN=test \
      cargo run -q --locked -p cloudflare-token-validation --example "$name"; then
    failed+=("$name")
  fi
done
kill "$prism_pid" 2>/dev/null || true
wait "$prism_pid" 2>/dev/null || true
rm -f "$prism_log"
trap - EXIT
if [ "${#failed[@]}" -gt 0 ]; then
  echo "examples failed against Prism: ${failed[*]}" >&2
  exit 1
fi

step "tests: every test, insta in check mode, unreferenced snapshots rejected"
log=$(mktemp)
CI=true INSTA_UPDATE=no cargo insta test --workspace --check --unreferenced=reject 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One total over every test binary, so the run ends on what it counted.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
