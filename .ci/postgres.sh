#!/usr/bin/env bash
# A throwaway PostgreSQL server for the durable-run tests: Debian's `postgresql` package, a new
# cluster in a temporary directory, listening on a free loopback port only, with a password.
#
#   eval "$(.ci/postgres.sh start)"      # exports SMOA_TEST_POSTGRES_URL and SMOA_PG_DIR
#   .ci/postgres.sh stop "$SMOA_PG_DIR"  # stops the server and deletes the directory
#
# `start` prints only the two `export` lines on stdout (progress goes to stderr). The URL names
# a superuser `smoa` with a random password and the database `postgres`; the tests create a
# database of their own in it. When initdb is missing, `start` installs the `postgresql` package
# with apt-get if it runs as root (set SMOA_PG_INSTALL=no to fail instead). Run as root, the
# server runs as the `postgres` user, which the package creates.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
  local initdb
  initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$initdb" ]] && command -v initdb >/dev/null 2>&1; then initdb=$(command -v initdb); fi
  [[ -n "$initdb" ]] && dirname "$initdb"
}

install_postgres() {
  if [[ "${SMOA_PG_INSTALL:-yes}" == "no" ]]; then
    log "PostgreSQL (initdb) is not installed; install Debian's postgresql package"
    return 1
  fi
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "PostgreSQL (initdb) is not installed and apt-get cannot run here; install the postgresql package"
    return 1
  fi
  log "installing Debian's postgresql package"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

# Runs a command as the server's owner: `postgres` when we are root (PostgreSQL refuses root).
as_owner() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
  local bin
  bin=$(pg_bin) || true
  if [[ -z "$bin" ]]; then
    install_postgres
    bin=$(pg_bin)
  fi
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/smoa-pg.XXXXXX")
  chmod 700 "$dir"
  if [[ "$(id -u)" == 0 ]]; then chown postgres: "$dir"; fi
  local password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  as_owner bash -c "umask 077; printf '%s\n' '$password' > '$dir/pwfile'"
  as_owner "$bin/initdb" -D "$dir/data" -U smoa --pwfile="$dir/pwfile" -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    return 1
  }
  rm -f "$dir/pwfile"
  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    # Loopback TCP only; the Unix socket lives in the cluster's own directory.
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=100" start >&2; then
      echo "export SMOA_PG_DIR='$dir'"
      echo "export SMOA_TEST_POSTGRES_URL='postgresql://smoa:$password@127.0.0.1:$port/postgres'"
      log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
      return 0
    fi
    log "start on port $port failed (attempt $attempt); retrying on another port"
  done
  cat "$dir/server.log" >&2 || true
  return 1
}

stop() {
  local dir="${1:?usage: postgres.sh stop DIR}"
  [[ -d "$dir/data" ]] || {
    log "$dir holds no cluster"
    return 1
  }
  local bin
  bin=$(pg_bin)
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*)
  echo "usage: $0 start | stop DIR" >&2
  exit 2
  ;;
esac
