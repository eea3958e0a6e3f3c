# Shared by scripts/demo and scripts/test: installs what is missing, and only that.
# shellcheck shell=bash

export PATH="$HOME/.cargo/bin:$PATH"

# The wasm-bindgen CLI must be exactly the version the crate pins in Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)

have() { command -v "$1" >/dev/null 2>&1; }

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

ensure_rust_target() {
  if ! have cargo || ! have rustup; then
    echo "Footnote needs Rust (cargo and rustup): https://rustup.rs" >&2
    exit 1
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  if have wasm-bindgen && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$WASM_BINDGEN_VERSION" ]; then
    return
  fi
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes on two cores)"
  if ! cargo install --force --locked wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"; then
    # The CLI's own lock file can name a dependency version the registry no longer serves;
    # the CLI version itself stays pinned either way.
    echo "note: the locked install failed; installing wasm-bindgen-cli $WASM_BINDGEN_VERSION with current dependencies" >&2
    cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

ensure_npm_tools() {
  if ! have node || ! have npm; then
    echo "Footnote needs Node.js 20.19+ and npm" >&2
    exit 1
  fi
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.package-lock.json.footnote 2>/dev/null; then
    say "Installing the npm tools pinned in package-lock.json"
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.package-lock.json.footnote
  fi
}

APT_UPDATED=
# ensure_debian_package COMMAND PACKAGE
ensure_debian_package() {
  if have "$1"; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "Footnote's browser runs need $1. Install it with: sudo apt-get install $2" >&2
    exit 1
  fi
  say "Installing $2 (Debian)"
  if [ -z "$APT_UPDATED" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2"
}
