# nginx answering GET /health with Banyan's body, the yardstick of the
# gateway's HTTP path: one worker, its access log on (Banyan logs every
# request too), everything it writes under the bench state directory, so it
# runs as root or not. Source it from scripts/bench after common.sh; it uses
# BANYAN_HOME. The port is BENCH_NGINX_PORT (8180).

NGINX_PID=""
NGINX_PORT="${BENCH_NGINX_PORT:-8180}"

nginx_binary() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }

# start_nginx [BODY]: starts nginx in the foreground of a background job,
# answering GET /health with BODY (the gateway's own /health body, so both
# send the same bytes; default {"status":"ok"}); sets NGINX_PID (the master)
# and NGINX_WORKER (its one worker).
start_nginx() {
    local dir="$BANYAN_HOME/nginx" binary body="${1:-}"
    # Single-quoted in nginx's configuration: a body that would need escaping (or hold a $variable) is not used.
    [[ -n "$body" && "$body" != *[\'\\\$]* ]] || body='{"status":"ok"}'
    binary="$(nginx_binary)"
    [ -n "$binary" ] || die "nginx is not installed (ensure_dependencies --bench installs nginx-light)"
    mkdir -p "$dir/temp"
    cat >"$dir/nginx.conf" <<CONF
# Written by scripts/bench: the reference server for GET /health.
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
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /health {
            default_type application/json;
            return 200 '$body';
        }
    }
}
CONF
    # -e: not even the startup messages go to the system's error log.
    "$binary" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" &
    NGINX_PID=$!
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$NGINX_PORT/health" >/dev/null 2>&1 && break
        kill -0 "$NGINX_PID" 2>/dev/null || { cat "$dir/error.log" >&2; die "nginx exited"; }
        sleep 0.05
    done
    curl -fs "http://127.0.0.1:$NGINX_PORT/health" >/dev/null || die "nginx did not answer on :$NGINX_PORT"
    NGINX_WORKER="$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v parent="$NGINX_PID" '{ pid = $1; sub(/^.*\) /, ""); if ($2 == parent) print pid }' | head -n 1)"
}

# Stops nginx gracefully (QUIT), if it runs (also from scripts/bench's EXIT trap).
stop_nginx() {
    [ -n "$NGINX_PID" ] || return 0
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
}
