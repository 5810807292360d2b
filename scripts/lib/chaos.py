#!/usr/bin/env python3
"""The fault harness of issue 7 ("Money is never lost"), driven by scripts/chaos.

It starts processor-sim, the gateway (twice, later) and payments-service
against a throwaway PostgreSQL cluster that scripts/chaos created, sells from
several client threads for two tenants (one whose payments run in-process,
one routed to payments-service), and meanwhile goes through bounded fault
phases: a processor slower than each timeout, answers dropped after the
charge, injected processor errors, kill -9 of payments-service and of the
gateway, a second gateway on the same database, and route flips. Then it
heals everything, waits for recovery and reconciliation, and checks the
money and the stock against the processor's own ledger. The table it prints
is the proof; docs/chaos.md explains how to read it.

Standard library only. Exit status: 0 when every invariant holds, 1 on a
violation, 2 on a harness error (the run could not prove anything).
"""

import argparse
import collections
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

# Ports other engineers' processes (scripts/up) use on this machine.
RESERVED_PORTS = {8000, 4001, 4002, 4003, 4004, 4005, 4006}

# Timeouts the harness sets on Banyan, short so that the slow-processor
# phases can sit above each of them within a few seconds.
PROCESSOR_TIMEOUT_MS = 1500
SERVICE_TIMEOUT_MS = 2000
REQUEST_TIMEOUT_MS = 4000
# How long a terminal waits for one answer: past the request deadline, so a
# slow answer is seen as slow and not as lost.
CLIENT_TIMEOUT_S = 8.0


class HarnessError(Exception):
    """The harness could not do its job: the run proves nothing."""


def log(message):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------
# Profiles: how long each phase lasts, how many terminals sell.

PROFILES = {
    "full": {
        "clients_per_tenant": 4,
        "warmup": 8,
        "latency_phase": 12,
        "drop_phase": 15,
        "service_down": 6,
        "after_restart": 6,
        "two_gateways": 12,
        "gateway_down": 5,
        "flip_every": 2.5,
        "flips": 6,
        "settle_bound": 120,
        "attempts": 5,
    },
    "quick": {
        "clients_per_tenant": 2,
        "warmup": 4,
        "latency_phase": 5,
        "drop_phase": 6,
        "service_down": 4,
        "after_restart": 3,
        "two_gateways": 5,
        "gateway_down": 3,
        "flip_every": 2,
        "flips": 4,
        "settle_bound": 60,
        "attempts": 4,
    },
}


# ---------------------------------------------------------------------------
# HTTP, the way a terminal does it: one connection per request, a timeout,
# and every failure to get an answer recorded by kind.

def call(url, method, path, body=None, headers=None, timeout=10.0):
    """(status, json or None, headers) or (kind, None, {}) with kind one of
    'timeout', 'refused', 'reset'."""
    assert url.startswith("http://")
    hostport = url[len("http://"):]
    host, port = hostport.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    payload = None
    sent_headers = dict(headers or {})
    if body is not None:
        payload = json.dumps(body).encode()
        sent_headers["content-type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=sent_headers)
        response = connection.getresponse()
        raw = response.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = None
        return response.status, parsed, dict(response.getheaders())
    except socket.timeout:
        return "timeout", None, {}
    except ConnectionRefusedError:
        return "refused", None, {}
    except (OSError, http.client.HTTPException):
        return "reset", None, {}
    finally:
        connection.close()


def free_port():
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


# ---------------------------------------------------------------------------
# Child processes.

class Child:
    """One executable the harness runs, restartable with the same settings."""

    def __init__(self, name, argv, env, home, ready_url):
        self.name = name
        self.argv = argv
        self.env = env
        self.home = home
        self.ready_url = ready_url
        self.process = None
        self.starts = 0
        self.log_path = os.path.join(home, "output.log")

    def start(self, ready_timeout=120):
        self.starts += 1
        output = open(self.log_path, "ab")
        output.write(f"\n=== start {self.starts} at {time.strftime('%H:%M:%S')} ===\n".encode())
        output.flush()
        # Its own session: a Ctrl-C at the terminal reaches only the harness,
        # which then stops every child itself.
        self.process = subprocess.Popen(
            self.argv, env=self.env, cwd=self.home, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True)
        output.close()
        self.wait_ready(ready_timeout)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"{self.name} exited ({self.process.returncode}) before it was ready; "
                                   f"see {self.log_path}:\n{self.tail()}")
            status, _, _ = call(self.ready_url[0], "GET", self.ready_url[1], timeout=2)
            if status == 200:
                return
            time.sleep(0.2)
        raise HarnessError(f"{self.name} was not ready within {timeout}s; see {self.log_path}:\n{self.tail()}")

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill9(self):
        if self.running:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if not self.running:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def tail(self, lines=15):
        try:
            with open(self.log_path, "rb") as handle:
                return b"\n".join(handle.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""


# ---------------------------------------------------------------------------
# The database, through psql as the cluster's superuser (row-level security
# does not apply to it, so one query sees every tenant).

class Database:
    def __init__(self, url, psql):
        self.url = url
        self.psql = psql

    def rows(self, sql):
        """The query's rows as a list of dicts (the query is wrapped in json_agg)."""
        wrapped = f"SELECT coalesce(json_agg(q), '[]'::json) FROM ({sql}) AS q"
        result = subprocess.run(
            [self.psql, self.url, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", wrapped],
            capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise HarnessError(f"psql failed: {result.stderr.strip()}\nquery: {sql}")
        return json.loads(result.stdout)

    def scalar(self, sql):
        rows = self.rows(sql)
        return next(iter(rows[0].values())) if rows else None


# ---------------------------------------------------------------------------
# The shop: tenants, their menus and stock, and who is logged in.

class Tenant:
    def __init__(self, tenant_id, home):
        self.id = tenant_id
        self.home = home            # "in-process" or "service", as first routed
        self.token = None
        self.items = []             # [{"id", "name", "price_cents", "start"}]


MENU = [
    # name, price in cents, start stock, how often a terminal picks it: the
    # rare ones have little stock and sell out during the run, so some
    # checkouts end in 409 out_of_stock without most of them doing so.
    ("Espresso", 300, 5000, 6),
    ("Flat white", 420, 5000, 6),
    ("Croissant", 275, 5000, 6),
    ("Club sandwich", 1150, 40, 1),
    ("Daily soup", 690, 25, 1),
    ("Truffle fries", 980, 12, 1),
]


class Checkout:
    """One sale as a terminal sees it: its key, what it asked, every answer."""

    def __init__(self, key, tenant, lines, method, token):
        self.key = key
        self.tenant = tenant
        self.lines = lines
        self.method = method
        self.token = token
        self.answers = []           # [(phase, gateway, status, order status or problem code)]

    def body(self):
        payment = {"method": self.method}
        if self.method == "card":
            payment["token"] = self.token
        return {"items": [{"menu_item_id": item, "quantity": quantity} for item, quantity in self.lines],
                "payment": payment}

    @property
    def last(self):
        return self.answers[-1] if self.answers else None


DEFINITE = {200, 201, 400, 401, 402, 403, 404, 409, 422}


def definite(status, detail):
    """Whether a terminal may stop asking: a settled order or a final refusal.
    A 409 `request_in_progress` is a twin of this very request still running."""
    return status in DEFINITE and not (status == 409 and detail == "request_in_progress")


def describe(status, body):
    if isinstance(body, dict):
        return body.get("status") if status in (200, 201, 202) else body.get("code")
    return None


# ---------------------------------------------------------------------------

class Harness:
    def __init__(self, args):
        self.args = args
        self.profile = PROFILES["quick" if args.quick else "full"]
        self.bin = args.bin
        self.db = Database(args.database_url, args.psql)
        self.root = tempfile.mkdtemp(prefix="banyan-chaos-run.")
        os.chmod(self.root, 0o700)
        self.secrets = {
            "BANYAN_SERVICE_SECRET": secrets.token_hex(32),
            "JWT_SECRET_KEY": secrets.token_hex(32),
            "BANYAN_OPS_TOKEN": secrets.token_hex(24),
            "BANYAN_DB_SECRET": secrets.token_hex(32),
        }
        self.ops = self.secrets["BANYAN_OPS_TOKEN"]
        self.flags_path = os.path.join(self.root, "flags.json")
        self.tenants = [Tenant("chaos-local", "in-process"), Tenant("chaos-remote", "service")]
        self.routes = {t.id: t.home for t in self.tenants}
        self.children = []
        self.gateways = []          # URLs of the gateways clients may use now
        self.gateways_lock = threading.Lock()
        self.phase = "setup"
        self.phases = ["setup"]
        self.checkouts = []
        self.checkouts_lock = threading.Lock()
        self.stop_selling = threading.Event()
        self.kills = collections.Counter()
        self.flips = 0
        self.notes = []
        self.client_errors = []
        self.rng = random.Random(args.seed)

    # -- processes -----------------------------------------------------------

    def base_env(self, home):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("BANYAN_") and k not in ("DATABASE_URL", "PAYMENT_GATEWAY_URL", "JWT_SECRET_KEY")}
        env.update(self.secrets)
        env.update({
            "BANYAN_HOME": home,
            "DATABASE_URL": self.args.database_url,
            "PAYMENT_GATEWAY_URL": self.sim_url,
            "BANYAN_FLAGS": self.flags_path,
            "BANYAN_PROCESSOR_TIMEOUT_MS": str(PROCESSOR_TIMEOUT_MS),
            "BANYAN_SERVICE_TIMEOUT_MS": str(SERVICE_TIMEOUT_MS),
            "BANYAN_SERVICE_CONNECT_TIMEOUT_MS": "500",
            "BANYAN_REQUEST_TIMEOUT_MS": str(REQUEST_TIMEOUT_MS),
            "BANYAN_RECOVERY_INTERVAL_SECONDS": "2",
            "BANYAN_RECOVERY_GRACE_SECONDS": "5",
            "BANYAN_RECONCILE_INTERVAL_SECONDS": "3",
            "BANYAN_RECONCILE_GRACE_SECONDS": "10",
            "BANYAN_DB_POOL_SIZE": "8",
        })
        return env

    def home(self, name):
        path = os.path.join(self.root, name)
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
        return path

    def start_sim(self):
        home = self.home("processor-sim")
        port = free_port()
        self.sim_url = f"http://127.0.0.1:{port}"
        argv = [os.path.join(self.bin, "processor-sim"), "--port", str(port), "--workers", "256",
                "--ledger-file", os.path.join(home, "ledger.jsonl"), "--seed", str(self.args.seed),
                "--drop-hold-ms", "6000"]
        self.sim = Child("processor-sim", argv, dict(os.environ), home, (self.sim_url, "/health"))
        self.children.append(self.sim)
        self.sim.start()

    def start_gateway(self, name):
        home = self.home(name)
        port = free_port()
        env = self.base_env(home)
        env["BANYAN_PORT"] = str(port)
        env["BANYAN_HOST"] = "127.0.0.1"
        # Two gateways run at once: each its own internal listener (no service here calls one).
        env["BANYAN_INTERNAL_PORT"] = "0"
        url = f"http://127.0.0.1:{port}"
        child = Child(name, [os.path.join(self.bin, "banyan"), "serve"], env, home, (url, "/ready"))
        child.url = url
        self.children.append(child)
        child.start()
        return child

    def start_service(self):
        home = self.home("payments-service")
        port = self.service_port
        env = self.base_env(home)
        # Newer services log in as their module role only; the gateway prints its password.
        password = self.db_password("payments")
        if password:
            env["BANYAN_DB_PASSWORD"] = password
        url = self.service_url
        child = Child("payments-service", [os.path.join(self.bin, "payments-service"), "--port", str(port)],
                      env, home, (url, "/ready"))
        child.url = url
        self.children.append(child)
        child.start()
        return child

    def db_password(self, module):
        banyan = os.path.join(self.bin, "banyan")
        helptext = subprocess.run([banyan, "--help"], capture_output=True, text=True).stdout
        if "db-password" not in helptext:
            return None
        home = self.home("db-password")
        result = subprocess.run([banyan, "db-password", module], env=self.base_env(home), cwd=home,
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise HarnessError(f"banyan db-password {module} failed: {result.stderr.strip()}")
        return result.stdout.strip().splitlines()[-1]

    def write_flags(self):
        document = {
            "services": {"payments": self.service_url},
            "modules": {"payments": {"default": "in-process", "tenants": dict(self.routes)}},
        }
        temporary = self.flags_path + ".next"
        with open(temporary, "w") as handle:
            json.dump(document, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        # Atomic: a gateway reads the old file or the new one, never half of one.
        os.replace(temporary, self.flags_path)

    def knobs(self, **values):
        status, body, _ = call(self.sim_url, "POST", "/_sim/knobs", body=values, timeout=5)
        if status != 200:
            raise HarnessError(f"processor-sim refused knobs {values}: {status} {body}")
        log(f"  processor knobs: latency {body['latency_ms']} ms, drop-after-charge {body['drop_after_charge_rate']}, "
            f"errors {body['error_rate']}, declines {body['decline_rate']}")

    def set_gateways(self, urls):
        with self.gateways_lock:
            self.gateways = list(urls)

    def gateway_for(self, client, attempt):
        with self.gateways_lock:
            if not self.gateways:
                return None
            return self.gateways[(client + attempt) % len(self.gateways)]

    # -- the shop ------------------------------------------------------------

    def open_shop(self, gateway):
        for tenant in self.tenants:
            password = secrets.token_hex(12)
            status, body, _ = call(gateway, "POST", "/admin/tenants", timeout=30, body={
                "tenant_id": tenant.id, "name": f"Chaos {tenant.id}",
                "admin": {"username": "owner", "email": f"owner@{tenant.id}.example", "password": password}},
                headers={"authorization": f"Bearer {self.ops}"})
            if status != 201:
                raise HarnessError(f"POST /admin/tenants {tenant.id}: {status} {body}")
            status, body, _ = call(gateway, "POST", "/api/v1/auth/login", timeout=30,
                                   body={"username": "owner", "password": password},
                                   headers={"x-tenant-id": tenant.id})
            if status != 200:
                raise HarnessError(f"login {tenant.id}: {status} {body}")
            tenant.token = body["access_token"]
            for name, price, stock, weight in MENU:
                status, body, _ = call(gateway, "POST", "/api/v1/restaurant/menu", timeout=30,
                                       body={"name": name, "price_cents": price}, headers=self.auth(tenant))
                if status != 201:
                    raise HarnessError(f"menu item {name} for {tenant.id}: {status} {body}")
                item = {"id": body["id"], "name": name, "price_cents": price, "start": stock, "weight": weight}
                status, body, _ = call(gateway, "PUT", f"/api/v1/inventory/{item['id']}", timeout=30,
                                       body={"quantity": stock}, headers=self.auth(tenant))
                if status != 200:
                    raise HarnessError(f"stock of {name} for {tenant.id}: {status} {body}")
                tenant.items.append(item)
            log(f"  tenant {tenant.id}: payments {tenant.home}, {len(tenant.items)} items")

    def auth(self, tenant):
        return {"x-tenant-id": tenant.id, "authorization": f"Bearer {tenant.token}"}

    # -- terminals -----------------------------------------------------------

    def terminal(self, index, tenant):
        rng = random.Random(self.args.seed * 1000 + index)
        number = 0
        try:
            while not self.stop_selling.is_set():
                number += 1
                picked = rng.choices(tenant.items, weights=[item["weight"] for item in tenant.items],
                                     k=rng.choice([1, 1, 2]))
                # One line per item: the same item twice is one line of the summed quantity.
                quantities = collections.Counter()
                for item in picked:
                    quantities[item["id"]] += rng.choice([1, 1, 1, 2])
                lines = list(quantities.items())
                method = "cash" if rng.random() < 0.2 else "card"
                token = rng.choices(["tok_visa", "tok_mastercard", "tok_amex", "tok_declined", "tok_insufficient_funds"],
                                    weights=[60, 20, 10, 6, 4])[0]
                checkout = Checkout(f"{tenant.id}-t{index}-{number}", tenant, lines, method, token)
                with self.checkouts_lock:
                    self.checkouts.append(checkout)
                self.sell(index, checkout, rng)
        except Exception:  # a bug in the harness, not in Banyan: report it, fail the run
            self.client_errors.append(traceback.format_exc())

    def sell(self, index, checkout, rng, attempts=None):
        """Like a till: the same key again on 202, 5xx, a timeout or a dead
        connection, a few times, backing off."""
        attempts = attempts or self.profile["attempts"]
        for attempt in range(attempts):
            gateway = self.gateway_for(index, attempt)
            if gateway is None:
                status, body = "no gateway", None
            else:
                headers = self.auth(checkout.tenant)
                headers["idempotency-key"] = checkout.key
                status, body, _ = call(gateway, "POST", "/api/v1/orders", body=checkout.body(),
                                       headers=headers, timeout=CLIENT_TIMEOUT_S)
            checkout.answers.append((self.phase, gateway, status, describe(status, body),
                                     body.get("id") if isinstance(body, dict) and status in (200, 201, 202) else None))
            if definite(status, checkout.answers[-1][3]):
                return
            time.sleep(min(3.0, 0.4 * (2 ** attempt)) * (0.5 + rng.random()))

    # -- the run -------------------------------------------------------------

    def run(self):
        profile = self.profile
        log(f"run directory {self.root} (logs of every process, the processor's ledger, report.json)")
        self.start_sim()
        # The service's port is chosen first so the flags file names it from the start.
        self.service_port = free_port()
        self.service_url = f"http://127.0.0.1:{self.service_port}"
        self.write_flags()
        # The gateway migrates; a service only logs in, so the gateway comes first.
        gateway_a = self.start_gateway("gateway-a")
        service = self.start_service()
        self.wait_for_flags(gateway_a)
        log(f"processor-sim {self.sim_url}, gateway-a {gateway_a.url}, payments-service {service.url}")
        self.open_shop(gateway_a.url)
        self.set_gateways([gateway_a.url])

        terminals = []
        for tenant in self.tenants:
            for n in range(profile["clients_per_tenant"]):
                index = len(terminals)
                thread = threading.Thread(target=self.terminal, args=(index, tenant), daemon=True)
                terminals.append(thread)
        self.enter("warm-up")
        for thread in terminals:
            thread.start()
        log(f"  {len(terminals)} terminals selling ({profile['clients_per_tenant']} per tenant)")
        time.sleep(profile["warmup"])

        for latency, above in [(PROCESSOR_TIMEOUT_MS + 300, "the processor client's timeout"),
                               (SERVICE_TIMEOUT_MS + 600, "the gateway→service timeout"),
                               (REQUEST_TIMEOUT_MS + 500, "the request deadline")]:
            self.enter(f"latency {latency} ms")
            log(f"  processor slower than {above}")
            self.knobs(latency_ms=latency)
            time.sleep(profile["latency_phase"])

        self.enter("drops+errors")
        self.knobs(latency_ms=0, drop_after_charge_rate=0.3, error_rate=0.2)
        time.sleep(profile["drop_phase"])

        self.enter("kill payments-service")
        self.knobs(drop_after_charge_rate=0.15, error_rate=0.05, latency_ms=300)
        service.kill9()
        self.kills["payments-service"] += 1
        log("  kill -9 payments-service")
        time.sleep(profile["service_down"])
        service.start()
        log("  payments-service restarted")
        time.sleep(profile["after_restart"])

        self.enter("two gateways")
        self.knobs(latency_ms=PROCESSOR_TIMEOUT_MS + 300, drop_after_charge_rate=0.2, error_rate=0)
        gateway_b = self.start_gateway("gateway-b")
        self.set_gateways([gateway_a.url, gateway_b.url])
        log(f"  gateway-b {gateway_b.url} on the same database serves half the terminals")
        time.sleep(profile["two_gateways"])

        self.enter("kill gateway-a")
        self.knobs(latency_ms=PROCESSOR_TIMEOUT_MS + 300, drop_after_charge_rate=0.2)
        gateway_a.kill9()
        self.kills["gateway"] += 1
        self.set_gateways([gateway_b.url])
        log("  kill -9 gateway-a; gateway-b serves everyone")
        time.sleep(profile["gateway_down"])
        gateway_a.start()
        self.set_gateways([gateway_a.url, gateway_b.url])
        log("  gateway-a restarted")
        time.sleep(profile["after_restart"])

        self.enter("route flips")
        self.knobs(latency_ms=400, drop_after_charge_rate=0.15, error_rate=0.05)
        for _ in range(profile["flips"]):
            for tenant in self.tenants:
                self.routes[tenant.id] = "service" if self.routes[tenant.id] == "in-process" else "in-process"
            self.write_flags()
            self.flips += 1
            started = time.monotonic()
            log(f"  flip {self.flips}: " + ", ".join(f"{t} → {r}" for t, r in self.routes.items()))
            self.wait_routes_applied([gateway_a, gateway_b])
            time.sleep(max(0, profile["flip_every"] - (time.monotonic() - started)))

        self.enter("heal")
        self.knobs(latency_ms=0, drop_after_charge_rate=0, error_rate=0, decline_rate=0)
        for child in (service, gateway_a, gateway_b):
            if not child.running:
                child.start()
        self.set_gateways([gateway_a.url, gateway_b.url])
        self.stop_selling.set()
        deadline = time.monotonic() + 120
        for thread in terminals:
            thread.join(max(0.1, deadline - time.monotonic()))
        if any(thread.is_alive() for thread in terminals):
            raise HarnessError("terminals did not finish within 120 s of healing")
        if self.client_errors:
            raise HarnessError("a terminal failed:\n" + self.client_errors[0])
        log(f"  terminals stopped after {len(self.checkouts)} checkouts")

        self.settle(gateway_a.url)
        return self.check()

    def enter(self, phase):
        self.phase = phase
        self.phases.append(phase)
        log(f"phase: {phase}")

    def wait_for_flags(self, gateway):
        """Until the gateway routes by the file as last written (it reloads within a second)."""
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            status, body, _ = call(gateway.url, "GET", "/admin/flags", headers={"authorization": f"Bearer {self.ops}"})
            if status == 200 and self.service_url in json.dumps(body):
                return
            time.sleep(0.2)
        raise HarnessError(f"{gateway.name} did not load the flags file: {status} {body}")

    def wait_routes_applied(self, gateways, bound=5):
        """Until every gateway routes as the file says (they reload within a
        second); a gateway that does not is reported, not failed: the
        invariants hold whichever path each call took."""
        deadline = time.monotonic() + bound
        waiting = list(gateways)
        while waiting and time.monotonic() < deadline:
            for gateway in list(waiting):
                status, body, _ = call(gateway.url, "GET", "/admin/flags", timeout=2,
                                       headers={"authorization": f"Bearer {self.ops}"})
                try:
                    tenants = body["active"]["modules"]["payments"]["tenants"]
                except (TypeError, KeyError):
                    tenants = None
                if status == 200 and tenants == self.routes:
                    waiting.remove(gateway)
            if waiting:
                time.sleep(0.1)
        if waiting:
            self.notes.append(f"flip {self.flips}: " + ", ".join(g.name for g in waiting)
                              + f" did not route by the new file within {bound} s")

    def pending(self):
        return int(self.db.scalar("SELECT count(*) AS n FROM orders.orders WHERE status = 'pending'"))

    def wait_no_pending(self, bound, what):
        deadline = time.monotonic() + bound
        started = time.monotonic()
        left = self.pending()
        while left and time.monotonic() < deadline:
            time.sleep(1)
            left = self.pending()
        log(f"  {what}: {left} pending order(s) after {time.monotonic() - started:.0f} s")
        return left

    def settle(self, gateway):
        self.enter("settle")
        self.wait_no_pending(self.profile["settle_bound"], "recovery")
        status, body, _ = call(gateway, "POST", "/admin/reconciliation/run", timeout=60,
                               headers={"authorization": f"Bearer {self.ops}"})
        self.reconciliation_status = status
        if status != 200:
            self.notes.append(f"POST /admin/reconciliation/run answered {status}: {body}")
        else:
            log(f"  reconciliation sweep: {json.dumps(body)[:300]}")
            self.reconciliation = body
        self.wait_no_pending(max(15, self.profile["settle_bound"] // 4), "after reconciliation")
        # A terminal that never heard a definite answer asks again with its key:
        # once settled, the answer must be the settled order.
        unsure = [c for c in self.checkouts if not c.last or not definite(c.last[2], c.last[3])]
        rng = random.Random(self.args.seed)
        for checkout in unsure:
            self.sell(0, checkout, rng, attempts=3)
        log(f"  re-asked {len(unsure)} checkout(s) that had no definite answer")

    # -- the proof -----------------------------------------------------------

    def check(self):
        self.enter("check")
        status, ledger, _ = call(self.sim_url, "GET", "/_sim/ledger", timeout=30)
        if status != 200:
            raise HarnessError(f"GET /_sim/ledger: {status}")
        with open(os.path.join(self.root, "ledger.json"), "w") as handle:
            json.dump(ledger, handle)
        tenant_ids = [t.id for t in self.tenants]
        in_tenants = "(" + ",".join(f"'{t}'" for t in tenant_ids) + ")"
        orders = {o["id"]: o for o in self.db.rows(
            f"SELECT id::text AS id, tenant_id, status, payment_method, total_cents, idempotency_key "
            f"FROM orders.orders WHERE tenant_id IN {in_tenants}")}
        orders_by_key = {(o["tenant_id"], o["idempotency_key"]): o for o in orders.values()}
        payments = {p["id"]: p for p in self.db.rows(
            f"SELECT lower(id::text) AS id, tenant_id, lower(order_id) AS order_id, method, status, amount_cents, "
            f"processor_reference FROM payments.payments WHERE tenant_id IN {in_tenants}")}
        lines = self.db.rows(
            f"SELECT lower(order_id::text) AS order_id, tenant_id, lower(menu_item_id::text) AS item, quantity "
            f"FROM orders.order_lines WHERE tenant_id IN {in_tenants}")
        stock = {(s["tenant_id"], s["item"]): s for s in self.db.rows(
            f"SELECT tenant_id, lower(menu_item_id::text) AS item, on_hand, reserved "
            f"FROM inventory.stock WHERE tenant_id IN {in_tenants}")}
        held = self.db.rows(
            f"SELECT tenant_id, key FROM inventory.reservations WHERE status = 'held' AND tenant_id IN {in_tenants}")

        rows = []

        def row(name, checked, violations, details):
            rows.append({"invariant": name, "checked": checked, "violations": len(violations),
                         "details": violations[:8] + ([f"… {len(violations) - 8} more"] if len(violations) > 8 else []),
                         "ok": not violations})

        charges = [c for c in ledger["charges"] if c["status"] == "approved"]
        # 1. Every approved charge belongs to exactly one completed order, or was refunded.
        violations = []
        for charge in charges:
            if charge["refunded"]:
                continue
            payment = payments.get(charge["key"].lower())
            if payment is None:
                violations.append(f"charge {charge['charge_id']} ({charge['amount_cents']}) key {charge['key']}: "
                                  f"no Banyan payment has that id")
                continue
            order = orders.get(payment["order_id"] or "")
            if order is None:
                violations.append(f"charge {charge['charge_id']} ({charge['amount_cents']}): payment {payment['id']} "
                                  f"({payment['status']}) has no order")
            elif order["status"] != "completed":
                violations.append(f"charge {charge['charge_id']} ({charge['amount_cents']}): order {order['id']} is "
                                  f"{order['status']}, payment {payment['status']}, never refunded")
        row("every approved charge ↔ one completed order, or refunded", len(charges), violations, None)

        # 2. Every completed card order holds exactly one unrefunded approved charge of its total.
        held_by_order = collections.defaultdict(list)
        for charge in charges:
            payment = payments.get(charge["key"].lower())
            if payment and not charge["refunded"]:
                held_by_order[payment["order_id"]].append(charge)
        completed_card = [o for o in orders.values() if o["status"] == "completed" and o["payment_method"] == "card"]
        violations = []
        for order in completed_card:
            held_charges = held_by_order.get(order["id"], [])
            if len(held_charges) != 1:
                violations.append(f"order {order['id']} ({order['tenant_id']}) holds {len(held_charges)} unrefunded charges")
            elif held_charges[0]["amount_cents"] != order["total_cents"]:
                violations.append(f"order {order['id']}: charged {held_charges[0]['amount_cents']}, total "
                                  f"{order['total_cents']}")
        row("every completed card order holds exactly one charge", len(completed_card), violations, None)

        # 2b. Every completed cash order holds exactly one captured cash payment.
        cash_by_order = collections.defaultdict(list)
        for payment in payments.values():
            if payment["method"] == "cash" and payment["status"] == "captured":
                cash_by_order[payment["order_id"]].append(payment)
        completed_cash = [o for o in orders.values() if o["status"] == "completed" and o["payment_method"] == "cash"]
        violations = [f"order {o['id']} holds {len(cash_by_order.get(o['id'], []))} captured cash payments"
                      for o in completed_cash if len(cash_by_order.get(o["id"], [])) != 1]
        row("every completed cash order holds one cash payment", len(completed_cash), violations, None)

        # 3. Stock = start − sold, nothing reserved.
        sold = collections.Counter()
        for line in lines:
            order = orders.get(line["order_id"])
            if order and order["status"] == "completed":
                sold[(line["tenant_id"], line["item"])] += line["quantity"]
        violations = []
        reserved_violations = []
        checked = 0
        for tenant in self.tenants:
            for item in tenant.items:
                key = (tenant.id, item["id"].lower())
                checked += 1
                level = stock.get(key)
                expected = item["start"] - sold[key]
                if level is None:
                    violations.append(f"{tenant.id} {item['name']}: no stock row")
                    continue
                if level["on_hand"] != expected:
                    violations.append(f"{tenant.id} {item['name']}: on hand {level['on_hand']}, start {item['start']} "
                                      f"− sold {sold[key]} = {expected}")
                if level["reserved"] != 0:
                    reserved_violations.append(f"{tenant.id} {item['name']}: {level['reserved']} reserved")
        reserved_violations += [f"reservation {h['key']} ({h['tenant_id']}) still held" for h in held]
        row("stock = start − sold, for every item", checked, violations, None)
        row("nothing left reserved", checked, reserved_violations, None)

        # 4. No order left pending.
        pending = [o for o in orders.values() if o["status"] == "pending"]
        row("no order left pending", len(orders),
            [f"order {o['id']} ({o['tenant_id']}, {o['payment_method']}) pending" for o in pending], None)

        # 5. What each terminal was told last is what happened.
        violations = []
        told = 0
        for checkout in self.checkouts:
            last = checkout.last
            if last is None:
                continue
            told += 1
            status, detail = last[2], last[3]
            order = orders_by_key.get((checkout.tenant.id, checkout.key))
            actual = order["status"] if order else "no order"
            if status in (200, 201):
                # The order in the answer is the order in the database (a
                # cancelled one too: what it cost is rows 1 and 2's business).
                ok = detail == actual and actual != "pending"
            elif status == 402:
                ok = actual == "payment_failed"
            elif status == 409 and detail == "out_of_stock":
                ok = actual != "completed"
            else:
                ok = False
            if not ok:
                violations.append(f"{checkout.key}: told {status} {detail}, order is {actual}")
        row("every terminal's last answer is its order's outcome", told, violations, None)

        # 6. The sweep asked for ran.
        status = getattr(self, "reconciliation_status", None)
        row("the reconciliation sweep ran when asked", 1,
            [] if status == 200 else [f"POST /admin/reconciliation/run answered {status}"], None)

        self.print_table(rows, ledger, orders)
        report = {"rows": rows, "notes": self.notes, "kills": dict(self.kills), "flips": self.flips,
                  "checkouts": [{"key": c.key, "answers": c.answers} for c in self.checkouts]}
        with open(os.path.join(self.root, "report.json"), "w") as handle:
            json.dump(report, handle, indent=1, default=str)
        if not any(o["status"] == "completed" for o in orders.values()):
            raise HarnessError("no order completed: the run proved nothing")
        return all(r["ok"] for r in rows)

    def print_table(self, rows, ledger, orders):
        width = max(len(r["invariant"]) for r in rows)
        print()
        print(f"{'invariant':<{width}}  {'checked':>7}  {'violations':>10}  result")
        print(f"{'-' * width}  {'-' * 7}  {'-' * 10}  ------")
        for r in rows:
            print(f"{r['invariant']:<{width}}  {r['checked']:>7}  {r['violations']:>10}  {'PASS' if r['ok'] else 'FAIL'}")
        print()
        for r in rows:
            if r["details"]:
                print(f"{r['invariant']}:")
                for detail in r["details"]:
                    print(f"    {detail}")
        by_status = collections.Counter((o["tenant_id"], o["status"]) for o in orders.values())
        print()
        print("totals")
        for tenant in self.tenants:
            counts = ", ".join(f"{s} {by_status[(tenant.id, s)]}"
                               for s in ("completed", "payment_failed", "cancelled", "pending"))
            print(f"  orders {tenant.id} (payments first {tenant.home}): {counts}")
        answers = collections.Counter(str(a[2]) for c in self.checkouts for a in c.answers)
        print(f"  checkouts {len(self.checkouts)}, answers {sum(answers.values())}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(answers.items())))
        phases = collections.defaultdict(collections.Counter)
        for checkout in self.checkouts:
            for answer in checkout.answers:
                phases[answer[0]][str(answer[2])] += 1
        for phase in self.phases:
            if phases.get(phase):
                print(f"    {phase:<22} " + ", ".join(f"{k} {v}" for k, v in sorted(phases[phase].items())))
        totals, counters = ledger["totals"], ledger["counters"]
        print(f"  processor charges: approved {totals['approved']} ({totals['approved_cents']} cents), "
              f"declined {totals['declined']}, withheld answers {counters['charges_withheld']}, "
              f"injected errors {counters['errors_injected']}, replays {counters['charge_replays']}")
        print(f"  processor refunds: {totals['refunded']} ({totals['refunded_cents']} cents); "
              f"net charged {totals['net_cents']} cents")
        completed_cents = sum(o["total_cents"] for o in orders.values()
                              if o["status"] == "completed" and o["payment_method"] == "card")
        print(f"  completed card orders total {completed_cents} cents")
        print(f"  kills: " + ", ".join(f"{k} {v}" for k, v in sorted(self.kills.items()))
              + f"; route flips {self.flips}")
        for note in self.notes:
            print(f"  note: {note}")
        print(f"  logs, ledger and report.json: {self.root}")
        print()

    def cleanup(self):
        for child in reversed(self.children):
            try:
                child.stop()
            except Exception:
                child.kill9()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="folder with banyan, payments-service, processor-sim")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--psql", default="psql")
    parser.add_argument("--quick", action="store_true", help="the reduced bounded run")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    harness = Harness(args)
    # SIGTERM (e.g. from scripts/chaos's trap) ends the run through the same cleanup.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    try:
        ok = harness.run()
    except HarnessError as error:
        log(f"harness error: {error}")
        return 2
    except KeyboardInterrupt:
        log("interrupted")
        return 2
    finally:
        harness.cleanup()
    if ok:
        log("every invariant holds")
        return 0
    log("invariants violated (FAIL rows above)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
