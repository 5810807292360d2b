# nginx answering GET /health with Banyan's body, the yardstick of the
# gateway's HTTP path: one worker, its access log on (Banyan logs every
# request too), everything it writes under the bench state directory, so it
# runs as root or not. A second nginx in front of it, proxying over
# keep-alive connections, is the yardstick of a service hop (the routing
# suite). Source it from scripts/bench after common.sh; it uses BANYAN_HOME.
# The ports are BENCH_NGINX_PORT (8180) and BENCH_NGINX_PROXY_PORT (8179).

NGINX_PID=""
NGINX_PORT="${BENCH_NGINX_PORT:-8180}"
NGINX_PROXY_PID=""
NGINX_PROXY_PORT="${BENCH_NGINX_PROXY_PORT:-8179}"

nginx_binary() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

# start_nginx [BODY]: starts nginx in the foreground of a background job,
# answering GET /health with BODY (the gateway's own /health body, so both
# send the same bytes; default {"status":"ok"}); sets NGINX_PID (the master)
# and NGINX_WORKER (its one worker).
start_nginx() {
    local body="${1:-}"
    # Single-quoted in nginx's configuration: a body that would need escaping (or hold a $variable) is not used.
    [[ -n "$body" && "$body" != *[\'\\\$]* ]] || body='{"status":"ok"}'
    run_nginx "$BANYAN_HOME/nginx" "$NGINX_PORT" "" "default_type application/json; return 200 '$body';"
    NGINX_PID="$RUN_NGINX_PID" NGINX_WORKER="$RUN_NGINX_WORKER"
}

# start_nginx_proxy: a second nginx (one worker, access log on) whose GET
# /health is proxied to start_nginx's over keep-alive connections, as the
# gateway calls a service; sets NGINX_PROXY_PID and NGINX_PROXY_WORKER.
start_nginx_proxy() {
    run_nginx "$BANYAN_HOME/nginx-proxy" "$NGINX_PROXY_PORT" \
        "upstream origin { server 127.0.0.1:$NGINX_PORT; keepalive 32; }" \
        'proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";'
    NGINX_PROXY_PID="$RUN_NGINX_PID" NGINX_PROXY_WORKER="$RUN_NGINX_WORKER"
}

# run_nginx DIR PORT HTTP_EXTRA LOCATION: one nginx with a single worker
# serving `location = /health { LOCATION }`; sets RUN_NGINX_PID and RUN_NGINX_WORKER.
run_nginx() {
    local dir="$1" port="$2" extra="$3" location="$4" binary
    binary="$(nginx_binary)"
    [ -n "$binary" ] || die "nginx is not installed (ensure_dependencies --bench installs nginx-light)"
    mkdir -p "$dir/temp"
    cat >"$dir/nginx.conf" <<CONF
# Written by scripts/bench: a reference server for GET /health.
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log $dir/access.log;
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    $extra
    server {
        listen 127.0.0.1:$port;
        location = /health { $location }
    }
}
CONF
    # -e: not even the startup messages go to the system's error log.
    "$binary" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
    RUN_NGINX_PID=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
        kill -0 "$RUN_NGINX_PID" 2>/dev/null || { cat "$dir/error.log" >&2; die "nginx exited"; }
        sleep 0.05
    done
    curl -fs "http://127.0.0.1:$port/health" >/dev/null || die "nginx did not answer on :$port"
    RUN_NGINX_WORKER="$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v parent="$RUN_NGINX_PID" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == parent) print pid }' | head -n 1)"
}

# Stops both nginx gracefully (QUIT), if they run (also from scripts/bench's EXIT trap).
stop_nginx() {
    local pid
    for pid in "$NGINX_PROXY_PID" "$NGINX_PID"; do
        [ -n "$pid" ] || continue
        kill -QUIT "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    NGINX_PID="" NGINX_PROXY_PID=""
}
