#!/usr/bin/env bash
# The whole test suite, set-up included, on a fresh machine: installs the tools it needs
# (cargo-insta, the spec validator from PyPI, the Prism mock server from the committed
# package-lock.json), then runs every check CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

INSTA_VERSION=1.43.2
step() { printf '\n==> %s\n' "$*"; }

step "set-up: cargo-insta ${INSTA_VERSION}"
if ! cargo insta --version 2>/dev/null | grep -q "${INSTA_VERSION}"; then
  cargo install cargo-insta --locked --version "${INSTA_VERSION}"
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

step "tests: every test, insta in check mode, unreferenced snapshots rejected"
log=$(mktemp)
CI=true INSTA_UPDATE=no cargo insta test --workspace --check --unreferenced=reject 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One total over every test binary, so the run ends on what it counted.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
