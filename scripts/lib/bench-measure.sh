# What scripts/bench reads around each load run: CPU ticks and context
# switches of the server under test, of PostgreSQL and of the whole box, and
# the database work the gateway counted (banyan_db_* on /metrics). Source it
# from scripts/bench after common.sh; it uses these of the caller's variables:
#   PORT, OPS_TOKEN (empty: no database counters), BANYAN_HOME, DURATION,
#   gateway_pid, service_pids, RESULTS (a file run_wrk appends one row to per run).

# ticks PID...: user + system clock ticks the processes have used (a gone one counts 0).
# The command name in /proc/PID/stat may hold spaces: fields are counted after its ')'.
ticks() {
    local pid total=0 used
    for pid in "$@"; do
        used="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}')"
        total=$(( total + ${used:-0} ))
    done
    echo "$total"
}

# Busy clock ticks of the whole machine so far (all but idle and iowait).
box_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

# The postmaster of the cluster whose data directory is $1 (default: the
# gateway's embedded cluster) and its children, one pid a line.
postgres_pids() {
    local postmaster
    postmaster="$(head -n 1 "${1:-$BANYAN_HOME/pg/data}/postmaster.pid" 2>/dev/null || true)"
    [ -n "$postmaster" ] && [ -d "/proc/$postmaster" ] || return 0
    echo "$postmaster"
    # Another process may exit between the glob and the read: cat carries on.
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v parent="$postmaster" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == parent) print pid }'
}

# Clock ticks of a cluster's processes (postgres_pids $1), plus those of the
# children the postmaster has reaped (cutime + cstime): a backend that exited
# during a run still counts.
postgres_ticks() {
    local pids postmaster reaped
    mapfile -t pids < <(postgres_pids "${1:-}")
    [ "${#pids[@]}" -gt 0 ] || { echo 0; return; }
    postmaster="${pids[0]}"
    reaped="$(sed 's/^.*) //' "/proc/$postmaster/stat" 2>/dev/null | awk '{print $14 + $15}')"
    echo $(( $(ticks "${pids[@]}") + ${reaped:-0} ))
}

# context_switches FILE...: voluntary + involuntary switches in those status files.
context_switches() {
    cat "$@" 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches:/ {n += $2} END {print n + 0}'
}
# /proc/PID/status counts the main thread alone: every thread's, summed.
threads_context_switches() {
    local pid files=()
    for pid in "$@"; do files+=("/proc/$pid/task/"*/status); done
    [ "${#files[@]}" -gt 0 ] || { echo 0; return; }
    context_switches "${files[@]}"
}
postgres_context_switches() {
    local pids pid files=()
    mapfile -t pids < <(postgres_pids "${1:-}")
    for pid in "${pids[@]}"; do files+=("/proc/$pid/status"); done
    [ "${#files[@]}" -gt 0 ] || { echo 0; return; }
    context_switches "${files[@]}"
}

# The gateway's database counters, summed over its modules' pools:
# "statements round_trips commits rollbacks" (zeros without an ops token).
db_counters() {
    if [ -z "${OPS_TOKEN:-}" ]; then echo "0 0 0 0"; return; fi
    curl -fs -H "Authorization: Bearer $OPS_TOKEN" "http://127.0.0.1:$PORT/metrics" | awk '
        /^banyan_db_statements_total\{/ { s += $NF }
        /^banyan_db_round_trips_total\{/ { r += $NF }
        /^banyan_db_transactions_total\{.*outcome="committed"/ { c += $NF }
        /^banyan_db_transactions_total\{.*outcome="rolled_back"/ { b += $NF }
        END { printf "%.0f %.0f %.0f %.0f\n", s, r, c, b }'
}

# One reading of everything run_wrk compares, as numbers on one line:
# server services postgres box (ticks), server postgres (context switches),
# statements round_trips commits rollbacks. The server is SERVER_PIDS when
# set (nginx's), else the gateway.
reading() {
    local server
    read -ra server <<<"${SERVER_PIDS:-$gateway_pid}"
    echo "$(ticks "${server[@]}") $(ticks "${service_pids[@]}") $(postgres_ticks) $(box_busy_ticks)" \
        "$(threads_context_switches "${server[@]}") $(postgres_context_switches) $(db_counters)"
}

# wrk's latency ("850.00us", "12.34ms", "1.02s", "2.00m") in milliseconds.
to_ms() {
    awk -v t="$1" 'BEGIN {
        if (t ~ /us$/) f = 0.001; else if (t ~ /ms$/) f = 1; else if (t ~ /s$/) f = 1000; else if (t ~ /m$/) f = 60000; else f = -1
        sub(/[a-z]+$/, "", t)
        if (f < 0 || t == "") print "n/a"; else printf "%.2f", t * f }'
}

# ratio A B: A ÷ B to two decimals, n/a when B is not positive.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }

# difference A B: A − B in milliseconds to three decimals, n/a unless both are numbers.
difference() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%.3f", a - b; else print "n/a" }'
}

# peak_rss PID: the process's peak resident set (VmHWM) in MiB, since it
# started: logins' scrypt (32 MiB a hash) included.
peak_rss() { awk '/^VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "n/a"; }

# sample_rss PID FILE: until killed, writes to FILE the largest resident set
# (VmRSS, KiB) PID has had, read every 0.1 s without forking: the peak under
# load, which VmHWM cannot tell apart from the seeding's logins.
sample_rss() {
    local pid="$1" file="$2" largest=0 key value _ never
    # The pause is a read that times out on a pipe nobody writes to (held open
    # read-write, so it never ends): `sleep 0.1` would fork ten times a second,
    # CPU the runs measure.
    exec {never}<> <(:)
    while [ -r "/proc/$pid/status" ]; do
        while read -r key value _; do
            if [ "$key" = "VmRSS:" ] && [ "$value" -gt "$largest" ]; then largest="$value"; echo "$largest" >"$file"; fi
        done <"/proc/$pid/status"
        read -r -t 0.1 -u "$never" _ || true
    done
}

# run_wrk NAME URL [wrk args...]: one figures line (throughput, p50/p99, the
# server's largest RSS during the run, CPU per request); with DETAIL=1 a second one per request:
# CPU split (server, PostgreSQL, box), database work, context switches.
# CONNECTIONS (32) sets -c; SERVER_PIDS (space-separated; the first one's RSS
# is shown) and SERVER_NAME (gateway) the server measured.
# Appends "name<TAB>req/s<TAB>p99 ms<TAB>errors<TAB>good requests<TAB>RSS MiB<TAB>server<TAB>box CPU ms
# per request" to RESULTS.
run_wrk() {
    local name="$1" url="$2"; shift 2
    local connections="${CONNECTIONS:-32}" server_name="${SERVER_NAME:-gateway}"
    local before after out sampler rss_file server_pid
    server_pid="$(awk '{print $1}' <<<"${SERVER_PIDS:-$gateway_pid}")"
    rss_file="$(mktemp)"
    sample_rss "$server_pid" "$rss_file" &
    sampler=$!
    before="$(reading)"
    out="$(wrk -t1 -c"$connections" -d"$DURATION" --latency "$@" "$url")"
    after="$(reading)"
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    local rps p50 p99 requests non2xx socket_errors errors good rss
    rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
    requests="$(awk '/requests in/ {print $1}' <<<"$out")"
    p50="$(awk '$1=="50%" {print $2}' <<<"$out")"
    p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
    non2xx="$(awk '/Non-2xx or 3xx responses/ {print $NF}' <<<"$out")"
    # "Socket errors: connect 0, read 0, write 0, timeout 12"
    socket_errors="$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")"
    errors=$(( ${non2xx:-0} + ${socket_errors:-0} ))
    good=$(( ${requests:-0} - ${non2xx:-0} ))
    # Killed between truncating and writing the file, the sampler leaves it empty: read once more.
    [ -s "$rss_file" ] || awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" >"$rss_file" 2>/dev/null || true
    rss="$(awk '{printf "%.1f", $1 / 1024}' "$rss_file")"
    rm -f "$rss_file"
    local figures
    figures="$(awk -v before="$before" -v after="$after" -v n="$good" -v hz="$(getconf CLK_TCK)" \
        -v services="${#service_pids[@]}" -v server="$server_name" -v detail="${DETAIL:-0}" '
        BEGIN {
            split(before, b, " "); split(after, a, " ")
            for (i = 1; i <= 10; i++) d[i] = a[i] - b[i]
            if (n <= 0) exit
            ms = 1000 / hz / n
            printf "cpu/req %s %.3f ms, ", server, d[1] * ms
            if (services > 0) printf "services %.3f ms, ", d[2] * ms
            printf "box %.3f ms", d[4] * ms
            if (detail) {
                printf "\n    per request: cpu %s %.3f ms, postgres %.3f ms, box %.3f ms;", server, d[1] * ms, d[3] * ms, d[4] * ms
                printf " db %.2f statements, %.2f round trips, %.2f transactions (%.3f rolled back);", d[7] / n, d[8] / n, (d[9] + d[10]) / n, d[10] / n
                printf " context switches %s %.2f, postgres %.2f", server, d[5] / n, d[6] / n
            }
        }')"
    printf '%-28s %12s req/s   p50 %-9s p99 %-9s RSS %-10s %s%s\n' "$name" "$rps" "$p50" "$p99" "${rss:-n/a} MiB" \
        "${figures%%$'\n'*}" "$( [ "$errors" -gt 0 ] && printf '   errors: %s (non-2xx %s)' "$errors" "${non2xx:-0}")"
    [[ "$figures" == *$'\n'* ]] && printf '%s\n' "${figures#*$'\n'}"
    if [ -n "${RESULTS:-}" ]; then
        local box
        box="$(awk -v before="$before" -v after="$after" -v n="$good" -v hz="$(getconf CLK_TCK)" \
            'BEGIN { split(before, b, " "); split(after, a, " "); if (n > 0) printf "%.4f", (a[4] - b[4]) * 1000 / hz / n; else print "n/a" }')"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${rps:-0}" "$(to_ms "${p99:-}")" "$errors" "$good" "${rss:-0}" \
            "$server_name" "$box" >>"$RESULTS"
    fi
}

# result NAME FIELD: a column (rps, p99, errors, good, rss, box) of the last run named NAME in RESULTS.
result() {
    awk -F'\t' -v name="$1" -v c="$(result_column "$2")" '$1 == name {v = $c} END {print (v == "" ? "n/a" : v)}' "$RESULTS"
}

result_column() {
    case "$1" in rps) echo 2 ;; p99) echo 3 ;; errors) echo 4 ;; good) echo 5 ;; rss) echo 6 ;; box) echo 8 ;; *) die "result: no field $1" ;; esac
}

# paired NAME_A NAME_B FIELD OPERATION: OPERATION (ratio or difference) of the
# k-th run named NAME_A to the k-th named NAME_B, for every k, comma-separated.
paired() {
    local -a a b out=()
    local i
    mapfile -t a < <(awk -F'\t' -v name="$1" -v c="$(result_column "$3")" '$1 == name {print $c}' "$RESULTS")
    mapfile -t b < <(awk -F'\t' -v name="$2" -v c="$(result_column "$3")" '$1 == name {print $c}' "$RESULTS")
    for i in "${!a[@]}"; do out+=("$("$4" "${a[$i]}" "${b[$i]:-}")"); done
    local IFS=,
    echo "${out[*]}"
}

# median "X,Y,Z" [UNIT]: the middle value of a comma-separated list of numbers (n/a
# entries dropped; the mean of the middle two for an even count), then the list.
median() {
    awk -v list="$1" -v unit="${2:+ $2}" 'BEGIN {
        n = split(list, raw, ","); m = 0
        for (i = 1; i <= n; i++) if (raw[i] ~ /^-?[0-9.]+$/) v[++m] = raw[i]
        if (m == 0) { print "n/a"; exit }
        for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] + 0 > x + 0; j--) v[j + 1] = v[j]; v[j + 1] = x }
        mid = (m % 2) ? v[(m + 1) / 2] : sprintf("%.3f", (v[m / 2] + v[m / 2 + 1]) / 2)
        gsub(",", ", ", list)
        printf "%s%s (%s)", mid, unit, list }'
}

# The gateway's largest resident set during any run of this suite, in MiB.
gateway_rss_under_load() { awk -F'\t' '$7 == "gateway" && $6 > m {m = $6} END {printf "%.1f", m}' "$RESULTS"; }

# The summary block closing each suite: one "figure  value  target" line per
# figure of issue 12's table the suite measured (summary_line FIGURE VALUE TARGET).
summary_header() { printf '\nsummary (%s, %s, %s cores, %s)\n' "$1" "$DURATION" "$(nproc)" "$(date -u +%Y-%m-%dT%H:%MZ)"; }
# Padded by characters, not bytes: the figures' names hold a multibyte ÷.
summary_line() {
    local width
    width=$(( 46 + $(printf '%s' "$1" | LC_ALL=C wc -c) - $(printf '%s' "$1" | LC_ALL=C tr -d '\200-\277' | LC_ALL=C wc -c) ))
    printf "  %-${width}s %-16s %s\n" "$1" "$2" "$3"
}
