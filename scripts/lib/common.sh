# Shared by scripts/up, scripts/test and scripts/bench. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The checkout's .banyan, mode 0700 as Banyan requires of its state directory
# should this make it first: `mkdir -p` of a folder inside it would leave it
# 0755, which `./scripts/up` and the tests then refuse.
make_state_directory() { mkdir -p -m 700 "$ROOT/.banyan"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages Banyan builds and runs with, when missing.
# The Swift toolchain itself is a prerequisite (see README).
ensure_dependencies() {
    command -v swift >/dev/null || die "swift is not on PATH: install the Swift 6 toolchain (swift.org) first"
    local missing=()
    command -v pkg-config >/dev/null || missing+=(pkg-config)
    pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
    pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
    pkg-config --exists libcrypto 2>/dev/null || missing+=(libssl-dev)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    if [ "${1:-}" = "--bench" ]; then
        command -v wrk >/dev/null || missing+=(wrk)
        # The yardsticks: nginx for /health, pgbench (shipped with the server,
        # pulled in by postgresql-contrib on Debian) for checkouts.
        command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
        ls /usr/lib/postgresql/*/bin/pgbench >/dev/null 2>&1 || missing+=(postgresql-contrib)
    fi
    # The fault harness (scripts/chaos) is a Python 3 program, standard library only.
    if [ "${1:-}" = "--chaos" ]; then command -v python3 >/dev/null || missing+=(python3); fi
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Installs the Debian packages named (`command:package` pairs) whose command
# is missing: tools the tests drive, never runtime dependencies of Banyan.
ensure_test_tools() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]} for the tests"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# The newest installed PostgreSQL server binaries.
pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL server command as a non-root user (PostgreSQL refuses root).
as_pg_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_scratch_postgres LABEL [SETTING...]: a throwaway PostgreSQL in a new
# /tmp/banyan-LABEL-pg.XXXXXX, on a private Unix socket only ($PGTMP/run), its
# superuser `postgres` with a random password; each SETTING is one more server
# option (fsync=off). Sets PGBIN, PGTMP and PG_PASSWORD. Trap
# stop_scratch_postgres on EXIT first: it also cleans up a start that failed.
start_scratch_postgres() {
    local label="$1" options="" setting
    shift
    PGBIN="$(pg_bin)"
    PGTMP="$(mktemp -d "/tmp/banyan-$label-pg.XXXXXX")"
    chmod 0755 "$PGTMP"
    mkdir -p "$PGTMP/data" "$PGTMP/run"
    PG_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    printf '%s\n' "$PG_PASSWORD" >"$PGTMP/pw"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$PGTMP"; fi
    chmod 0700 "$PGTMP/data" "$PGTMP/run"
    for setting in "$@"; do options+=" -c $setting"; done
    as_pg_user "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A scram-sha-256 --pwfile="$PGTMP/pw" -E UTF8 >/dev/null
    as_pg_user "$PGBIN/pg_ctl" -D "$PGTMP/data" -w -l "$PGTMP/server.log" \
        -o "-c listen_addresses='' -c unix_socket_directories='$PGTMP/run' -c max_connections=300$options" \
        start >/dev/null
}

# Stops and removes start_scratch_postgres's cluster, if it got that far.
stop_scratch_postgres() {
    [ -n "${PGTMP:-}" ] || return 0
    as_pg_user "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
    PGTMP=""
}

# A Python virtual environment under .banyan/ with exactly the pinned
# packages given (`name==version` ...), for the test tools written in Python
# (scripts/apicheck): never a runtime dependency. Installs python3 and its
# venv module through apt when missing; rebuilt only when the pins change.
# PYTHON_TOOLS_NAME names another environment (default python-tools), so two
# sets of pins (apicheck's, the tests') never rebuild each other's.
# Prints the environment's bin directory.
ensure_python_tools() {
    local venv="$ROOT/.banyan/${PYTHON_TOOLS_NAME:-python-tools}" pins="$*"
    if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
        log "installing python3 and python3-venv"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
    fi
    if [ "$(cat "$venv/pins" 2>/dev/null)" != "$pins" ]; then
        log "installing $pins into $venv"
        rm -rf "$venv"
        make_state_directory
        python3 -m venv "$venv" >&2
        # shellcheck disable=SC2086 # one argument per pin
        "$venv/bin/pip" install --quiet --disable-pip-version-check $pins >&2
        printf '%s' "$pins" > "$venv/pins"
    fi
    printf '%s\n' "$venv/bin"
}

