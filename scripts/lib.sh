# Shell functions shared by scripts/bench, scripts/bench-attendance and scripts/soak (sourced).
# shellcheck shell=bash

# need_commands COMMAND=DEBIAN_PACKAGE…: installs the packages of missing commands as root;
# otherwise says what to install and fails.
need_commands() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null || missing+=("${pair#*=}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "$(basename "$0"): install ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    return 1
  fi
}

# start_server LOG [VAR=VALUE…]: runs "$bin" on 127.0.0.1:$port with the given environment
# (demo mode on TECZKA_DATA_DIR unless DATABASE_URL is given), logging to LOG; sets $server to
# its pid and waits until /readyz answers (60 s at most).
start_server() {
  local log=$1; shift
  env -u DATABASE_URL TECZKA_BIND="127.0.0.1:$port" TECZKA_LOG_FORMAT=json RUST_LOG=warn "$@" \
    "$bin" >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0; sleep 0.2; done
  echo "$(basename "$0"): the server did not become ready; see $log" >&2
  return 1
}

# stop_server: stops the server started by start_server (the last requests finish first).
stop_server() {
  if [ -n "${server:-}" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  server=""
}

# login_token LOGIN: signs in at $base with the demo password; prints the session token.
login_token() {
  curl -si -X POST --data "login=$1&password=ciepla-herbata-o-osmej" "$base/login" \
    | tr -d '\r' | awk -F'[=;]' '/^set-cookie: __Host-teczka_sid=/{print $2}'
}

# csrf_of TOKEN: the session's CSRF token (from a page's form).
csrf_of() {
  curl -s -H "Cookie: __Host-teczka_sid=$1" "$base/participants" \
    | grep -o 'name="csrf_token" value="[0-9a-f]*"' | head -1 | sed 's/.*value="//; s/"//'
}
