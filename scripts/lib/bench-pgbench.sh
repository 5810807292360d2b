# PostgreSQL's own TPC-B (pgbench) on this box, the yardstick of a checkout:
# a throwaway durable cluster with the embedded cluster's settings
# (EmbeddedPostgres.swift: Unix socket only, max_connections 300, initdb
# -E UTF8 --no-locale, scram-sha-256; fsync and synchronous_commit on), made
# under the bench state directory, measured, stopped and removed. Source it
# from scripts/bench after bench-measure.sh; it uses BANYAN_HOME and DURATION.

PGBENCH_DIR=""
PGBENCH_SOCKET=""

# wrk's duration ("10s", "2m", "1h", "30") in whole seconds, for pgbench -T.
duration_seconds() {
    awk -v d="$1" 'BEGIN {
        f = 1; if (d ~ /m$/) f = 60; else if (d ~ /h$/) f = 3600
        sub(/[smh]$/, "", d); s = int(d * f); print (s > 0 ? s : 1) }'
}

# Stops and removes the throwaway cluster, if any (also from scripts/bench's EXIT trap).
stop_pgbench_cluster() {
    [ -n "$PGBENCH_DIR" ] || return 0
    if [ -f "$PGBENCH_DIR/data/postmaster.pid" ]; then
        as_pg_user "$(pg_bin)/pg_ctl" -D "$PGBENCH_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PGBENCH_DIR" "$PGBENCH_SOCKET"
    PGBENCH_DIR="" PGBENCH_SOCKET=""
}

# measure_pgbench VAR NAME PGBENCH-ARGS...: one pgbench run of DURATION
# against the throwaway cluster (run_pgbench's `pgbench` command), its
# figures line printed (p99 from pgbench's log of every transaction), its
# tps put in VAR and its p99 (ms) in VAR_P99.
measure_pgbench() {
    local var="$1" name="$2" before_pg before_box out logs="$PGBENCH_DIR/log-$1"; shift 2
    mkdir -p "$logs"
    # pgbench writes its log where it runs, as the postgres user when we are root.
    if [ "$(id -u)" = 0 ]; then chown postgres: "$logs"; fi
    before_pg="$(postgres_ticks "$PGBENCH_DIR/data")"
    before_box="$(box_busy_ticks)"
    out="$(cd "$logs" && "${pgbench[@]}" "$@" -l -T "$(duration_seconds "$DURATION")" postgres 2>&1)" \
        || { printf '%s\n' "$out" >&2; die "pgbench ($name) failed"; }
    local pg=$(( $(postgres_ticks "$PGBENCH_DIR/data") - before_pg )) box=$(( $(box_busy_ticks) - before_box ))
    local tps transactions latency failed
    tps="$(awk '/^tps = / {print $3}' <<<"$out")"
    transactions="$(awk -F': ' '/^number of transactions actually processed/ {print $2}' <<<"$out" | awk -F/ '{print $1}')"
    latency="$(awk '/^latency average/ {print $4}' <<<"$out")"
    failed="$(awk -F': ' '/^number of failed transactions/ {print $2}' <<<"$out" | awk '{print $1}')"
    # Each log line: client, transaction, latency in microseconds, …
    local p99
    p99="$(cat "$logs"/pgbench_log.* | awk '{print $3}' | sort -n \
        | awk '{v[NR] = $1} END {if (NR) {i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", v[i] / 1000}}')"
    printf -v "${var}_P99" '%s' "$p99"
    printf '%-28s %12s tps     latency avg %s ms, p99 %s ms, %s transactions%s; ' "$name" \
        "$(awk -v t="$tps" 'BEGIN {printf "%.2f", t}')" "${latency:-n/a}" "${p99:-n/a}" "${transactions:-0}" \
        "$( [ "${failed:-0}" != 0 ] && printf ', %s failed' "$failed")"
    awk -v pg="$pg" -v box="$box" -v n="${transactions:-0}" -v hz="$(getconf CLK_TCK)" 'BEGIN {
        if (n > 0) printf "cpu/txn postgres %.3f ms, box %.3f ms\n", pg * 1000 / hz / n, box * 1000 / hz / n; else print "" }'
    printf -v "$var" '%s' "$tps"
}

# run_pgbench: prints two figures lines and sets PGBENCH_TPS and
# PGBENCH_FLOOR_TPS: TPC-B at scale PGBENCH_SCALE (8), then a cash
# checkout's commits alone (bench-checkout-floor.sql), each with
# PGBENCH_CLIENTS (8) clients on 2 threads, prepared statements, for DURATION.
run_pgbench() {
    local scale="${PGBENCH_SCALE:-8}" clients="${PGBENCH_CLIENTS:-8}" port=5432 password
    PGBENCH_DIR="$BANYAN_HOME/pgbench"
    rm -rf "$PGBENCH_DIR"
    mkdir -p -m 700 "$PGBENCH_DIR"
    # The socket path must fit in sun_path (107 bytes) wherever the checkout lives.
    PGBENCH_SOCKET="$(mktemp -d /tmp/banyan-pgbench.XXXXXX)"
    password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$password" >"$PGBENCH_DIR/pwfile"
    chmod 600 "$PGBENCH_DIR/pwfile"
    if [ "$(id -u)" = 0 ]; then
        # PostgreSQL runs as postgres, which must reach the directory through
        # its ancestors: traverse (o+x), not list, as Banyan does for its own cluster.
        chown -R postgres: "$PGBENCH_DIR" "$PGBENCH_SOCKET"
        local ancestor="$PGBENCH_DIR"
        while ancestor="$(dirname "$ancestor")"; [ "$ancestor" != / ]; do chmod o+x "$ancestor"; done
    fi
    as_pg_user "$(pg_bin)/initdb" -D "$PGBENCH_DIR/data" -U postgres --pwfile="$PGBENCH_DIR/pwfile" \
        --auth=scram-sha-256 -E UTF8 --no-locale --no-instructions >"$PGBENCH_DIR/initdb.log" 2>&1 \
        || { cat "$PGBENCH_DIR/initdb.log" >&2; die "initdb of the pgbench cluster failed"; }
    as_pg_user tee -a "$PGBENCH_DIR/data/postgresql.conf" >/dev/null <<CONF

# scripts/bench: the embedded cluster's settings (EmbeddedPostgres.settings, durable).
listen_addresses = ''
port = $port
unix_socket_directories = '$PGBENCH_SOCKET'
unix_socket_permissions = 0700
max_connections = 300
CONF
    as_pg_user "$(pg_bin)/pg_ctl" -D "$PGBENCH_DIR/data" -l "$PGBENCH_DIR/server.log" -w -t 120 -s start \
        || { cat "$PGBENCH_DIR/server.log" >&2; die "the pgbench cluster did not start"; }
    local pgbench=(as_pg_user env PGPASSWORD="$password" "$(pg_bin)/pgbench" -h "$PGBENCH_SOCKET" -p "$port" -U postgres)
    "${pgbench[@]}" -i -q -s "$scale" postgres >"$PGBENCH_DIR/init.log" 2>&1 \
        || { cat "$PGBENCH_DIR/init.log" >&2; die "pgbench -i failed"; }
    measure_pgbench PGBENCH_TPS "pgbench TPC-B (scale $scale)" -c "$clients" -j 2 -M prepared
    # The same clients on the checkout runs' shape: a checkout's commits alone.
    # The scripts are copied where the postgres user can read them.
    cp "$ROOT/scripts/lib/bench-checkout-floor-schema.sql" "$ROOT/scripts/lib/bench-checkout-floor.sql" "$PGBENCH_DIR/"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$PGBENCH_DIR"/bench-checkout-floor*.sql; fi
    local spread=(-D tenants="${BENCH_FLOOR_TENANTS:-1}" -D items="${BENCH_FLOOR_ITEMS:-1}")
    "${pgbench[@]}" -n -t 1 "${spread[@]}" -f "$PGBENCH_DIR/bench-checkout-floor-schema.sql" postgres \
        >"$PGBENCH_DIR/floor.log" 2>&1 \
        || { cat "$PGBENCH_DIR/floor.log" >&2; die "the checkout floor's tables could not be made"; }
    measure_pgbench PGBENCH_FLOOR_TPS "checkout's commits alone" -c "$clients" -j 2 -M prepared -n "${spread[@]}" \
        -f "$PGBENCH_DIR/bench-checkout-floor.sql"
    stop_pgbench_cluster
}
