#!/usr/bin/env bash
# scripts/lib/bench-seed.sh BASE_URL OPS_TOKEN TENANT ITEMS
# Opens restaurant TENANT through the admin API, logs its admin in, adds
# ITEMS menu items and stocks each deep, then prints one line:
#   TENANT TOKEN ITEM_ID...
# (the checkout targets of scripts/lib/bench-checkout.lua). Run by scripts/bench,
# several at once (xargs -P): the items and their stock go in one curl each
# (--next), over one connection.
set -euo pipefail
base="$1" ops="$2" tenant="$3" count="$4"
api="$base/api/v1"
fail() { printf 'bench-seed: %s: %s\n' "$tenant" "$*" >&2; exit 1; }

curl -fs -X POST "$base/admin/tenants" -H "Authorization: Bearer $ops" -H 'content-type: application/json' \
    -d "{\"tenant_id\":\"$tenant\",\"name\":\"Bench $tenant\",\"admin\":{\"username\":\"admin\",\"email\":\"a@example.com\",\"password\":\"bench-password\"}}" \
    >/dev/null || fail "could not create the tenant"
token="$(curl -fs -X POST "$api/auth/login" -H 'content-type: application/json' -H "x-tenant-id: $tenant" \
    -d '{"username":"admin","password":"bench-password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')" \
    || fail "could not log in"
[ -n "$token" ] || fail "no access token"

requests=()
for i in $(seq 1 "$count"); do
    [ "$i" -gt 1 ] && requests+=(--next)
    requests+=(-fs -X POST "$api/restaurant/menu" -H "x-tenant-id: $tenant" -H "Authorization: Bearer $token"
        -H 'content-type: application/json' -d "{\"name\":\"Bench dish $i\",\"price_cents\":$((1000 + i))}" -w '\n')
done
mapfile -t items < <(curl "${requests[@]}" | sed -nE 's/.*"id":"([0-9a-f-]{36})".*/\1/p')
[ "${#items[@]}" -eq "$count" ] || fail "created ${#items[@]} of $count menu items"

requests=()
for item in "${items[@]}"; do
    [ "${#requests[@]}" -gt 0 ] && requests+=(--next)
    requests+=(-fs -X PUT "$api/inventory/$item" -H "x-tenant-id: $tenant" -H "Authorization: Bearer $token"
        -H 'content-type: application/json' -d '{"quantity":1000000}' -o /dev/null -w '%{http_code}\n')
done
stocked="$(curl "${requests[@]}" | grep -c '^2')" || true
[ "$stocked" -eq "$count" ] || fail "stocked $stocked of $count menu items"

printf '%s %s %s\n' "$tenant" "$token" "${items[*]}"
