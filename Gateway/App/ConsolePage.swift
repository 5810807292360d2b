/// The migration console's one page: HTML, CSS and script inline, nothing
/// fetched from anywhere but this gateway's admin API (no CDN, no
/// framework; works offline). The page itself holds no data: it asks for the
/// ops token (or takes it from the URL's fragment, which browsers never
/// send, and drops it from the address bar), keeps it in sessionStorage, and
/// sends it as a bearer token on every admin call — the same calls, audited
/// the same way, as `banyan flags` makes.
///
/// A fragment can also drive one flip without a human, which is how the
/// console's test runs it in headless Chromium:
/// `#token=T&flip=payments,demo-bistro,service&reason=R&actor=A` fills the
/// form, previews, applies, and leaves the outcome in `#autopilot` and in
/// `body[data-autopilot]`.
enum ConsolePage {
    static let html = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Banyan migration console</title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d2b24; background: #f7faf8; }
          h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
          table { border-collapse: collapse; background: #fff; } th, td { border: 1px solid #cfdcd4; padding: .25rem .5rem; text-align: left; }
          th { background: #e6efe9; } td.service { background: #dff3e4; } td.shadow { background: #fff4d6; }
          td.held, .bad { background: #fbdada; } .muted { color: #66776d; } .ok { color: #176b36; }
          form { background: #fff; border: 1px solid #cfdcd4; padding: .75rem; display: inline-block; }
          label { margin-right: .75rem; } input[type=text] { width: 16rem; } pre { background: #fff; border: 1px solid #cfdcd4; padding: .5rem; white-space: pre-wrap; }
          #error { color: #a11; font-weight: 600; }
        </style>
        </head>
        <body>
        <h1>Banyan migration console</h1>
        <div id="version" class="muted">Loading…</div>
        <div id="error"></div>
        <div id="login" hidden>
          <form id="token-form"><label>Ops token <input type="password" id="token-input" autocomplete="off"></label><button>Use</button></form>
        </div>

        <h2>Tenants × modules</h2>
        <div class="muted">* explicit entry · % rollout cohort · ! held in-process by the gate · shadow diffs and breakers as measured</div>
        <table id="grid"></table>

        <h2>Move a tenant</h2>
        <form id="flip">
          <label>Module <select id="flip-module"></select></label>
          <label>Tenant <input type="text" id="flip-tenant" list="tenant-list"></label><datalist id="tenant-list"></datalist>
          <label>Home <select id="flip-home"><option>in-process</option><option>service</option><option>shadow</option></select></label><br><br>
          <label>Reason <input type="text" id="flip-reason" required></label>
          <label>By <input type="text" id="flip-actor" value="console"></label>
          <button type="button" id="flip-preview">Preview</button>
          <button type="button" id="flip-apply" disabled>Apply</button>
        </form>
        <pre id="flip-result" hidden></pre>

        <h2>Services</h2>
        <table id="services"></table>

        <h2>Modules: which should leave, and why</h2>
        <table id="modules"></table>

        <h2>Flags history</h2>
        <table id="history"></table>

        <pre id="autopilot" hidden></pre>
        <script>
        "use strict";
        const $ = (id) => document.getElementById(id);
        let token = sessionStorage.getItem("banyan-ops-token") || "";
        let current = null;    // GET /admin/flags: {active, version}
        let previewed = null;  // the candidate document the preview showed

        const params = new URLSearchParams(location.hash.slice(1));
        if (params.get("token")) {
          token = params.get("token");
          sessionStorage.setItem("banyan-ops-token", token);
        }
        if (location.hash) history.replaceState(null, "", location.pathname);

        async function api(method, path, body, headers) {
          const response = await fetch(path, {
            method, headers: Object.assign({ authorization: "Bearer " + token },
              body === undefined ? {} : { "content-type": "application/json" }, headers || {}),
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await response.text();
          let json = null;
          try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
          if (!response.ok) {
            const error = new Error(json && json.detail ? json.detail + " (" + response.status + " " + json.code + ")" : response.status + " " + text.slice(0, 200));
            error.status = response.status;
            throw error;
          }
          return { json, etag: response.headers.get("etag") };
        }

        // An optional section: a gateway without it (404) shows a note, not an error.
        async function optional(path) {
          try { return (await api("GET", path)).json; } catch (e) { if (e.status === 404) return null; throw e; }
        }

        function cell(row, text, cls, tag) {
          const td = document.createElement(tag || "td");
          td.textContent = text;
          if (cls) td.className = cls;
          row.appendChild(td);
          return td;
        }

        function table(id, header, rows) {
          const t = $(id);
          t.replaceChildren();
          const head = t.insertRow();
          header.forEach((h) => cell(head, h, null, "th"));
          rows.forEach((r) => { const row = t.insertRow(); r.forEach((c) => cell(row, c.text ?? c, c.cls)); });
        }

        async function refresh() {
          $("error").textContent = "";
          if (!token) { $("login").hidden = false; $("version").textContent = "The console needs the ops token."; return; }
          try {
            const flags = await api("GET", "/admin/flags");
            current = { active: flags.json.active, version: flags.json.version };
            const status = (await api("GET", "/admin/flags/status")).json;
            const shadow = await optional("/admin/shadow");
            const modules = await optional("/admin/modules");
            const history = (await api("GET", "/admin/flags/history?limit=20")).json;
            render(status, shadow, modules, history);
          } catch (e) {
            $("error").textContent = e.message;
            if (e.status === 401) { $("login").hidden = false; }
          }
        }

        function shadowRate(shadow, module, tenant) {
          if (!shadow || !shadow.by_module) return "";
          let comparisons = 0, diffs = 0;
          for (const entry of shadow.by_module) {
            if (entry.module !== module) continue;
            for (const t of entry.tenants || []) {
              if (t.tenant === tenant) { comparisons += t.comparisons || 0; diffs += t.diffs || 0; }
            }
          }
          return comparisons ? " diffs " + Math.round(100 * diffs / comparisons) + "% of " + comparisons : "";
        }

        function render(status, shadow, modules, history) {
          const applied = status.applied;
          $("version").textContent = "flags.json " + (applied.version || "(built-in defaults)") + " · " +
            (applied.all_applied ? "applied by every running gateway (" + applied.instances.length + ")"
                                 : "NOT applied by: " + applied.instances.filter((i) => !i.applied).map((i) => i.instance).join(", "));
          const breakers = {};
          for (const [module, service] of Object.entries(status.services)) {
            if (service.breaker && service.breaker.state) breakers[module] = service.breaker.state;
          }
          table("grid", ["tenant"].concat(status.modules), status.tenants.map((t) => [t.tenant].concat(status.modules.map((m) => {
            const home = t.homes[m];
            const mark = home.why === "explicit" ? "*" : home.why === "rollout" ? "%" : "";
            const held = home.served !== home.home && home.home === "service";
            let text = home.home + mark + (held ? "!" : "");
            if (home.home === "shadow") text += shadowRate(shadow, m, t.tenant);
            if (home.home !== "in-process" && breakers[m] && breakers[m] !== "closed") text += " breaker " + breakers[m];
            return { text, cls: held ? "held" : home.home };
          }))));
          table("services", ["module", "url", "ready", "contract", "breaker"], Object.entries(status.services).sort().map(([m, s]) => [
            m, s.url, { text: s.ready ? "yes" : "no: " + (s.problem || ""), cls: s.ready ? "ok" : "bad" },
            { text: s.compatible === true ? "compatible" : s.compatible === false ? "INCOMPATIBLE: " + s.breaking.join("; ") : "unchecked",
              cls: s.compatible === false ? "bad" : null },
            s.breaker ? s.breaker.state : "",
          ]));
          if (modules && modules.modules) {
            table("modules", ["module", "calls/min", "CPU ms/call", "p50 ms", "p99 ms", "errors", "DB ms/call", "why"], modules.modules.map((m) => {
              const w = m.minute || {};
              const f = (x) => x === undefined || x === null ? "" : (Math.round(x * 100) / 100).toString();
              return [m.module, f(w.calls_per_minute), f(w.cpu_ms_per_call), f(w.p50_ms), f(w.p99_ms), f(w.error_rate), f(w.db_ms_per_call), m.why || ""];
            }));
          } else {
            table("modules", ["module signals"], [["not served by this gateway"]]);
          }
          table("history", ["#", "at", "who", "source", "gate", "reason", "what"], history.map((h) => [
            String(h.id), h.at, h.actor, h.source, h.gate.result, h.reason || "",
            h.changes.map((c) => c.module + " " + (c.tenant || c.setting) + ": " + (c.from ?? "none") + " → " + (c.to ?? "none")).join("; "),
          ]));
          const select = $("flip-module");
          if (!select.options.length) status.modules.forEach((m) => select.add(new Option(m, m)));
          $("tenant-list").replaceChildren(...status.tenants.map((t) => new Option(t.tenant)));
        }

        // The candidate: the routing in force with one tenant pinned to the chosen home.
        function candidate() {
          const doc = JSON.parse(JSON.stringify(current.active));
          const module = $("flip-module").value, tenant = $("flip-tenant").value.trim();
          doc.modules = doc.modules || {};
          doc.modules[module] = doc.modules[module] || { default: "in-process", tenants: {} };
          doc.modules[module].tenants = doc.modules[module].tenants || {};
          doc.modules[module].tenants[tenant] = $("flip-home").value;
          return doc;
        }

        function show(text) { $("flip-result").hidden = false; $("flip-result").textContent = text; }

        async function preview() {
          $("flip-apply").disabled = true;
          if (!$("flip-tenant").value.trim()) { show("Name the tenant."); return null; }
          const doc = candidate();
          const answer = (await api("POST", "/admin/flags/preview", { document: doc })).json;
          const moves = answer.changes.tenant_changes.map((c) => c.module + " " + c.tenant + ": " + c.from + " → " + c.to + " (" + c.why + ")");
          const gate = answer.refused.length ? "Gate refuses: " + answer.refused.map((f) => f.module + ": " + f.problem).join("; ") : "Gate: passes.";
          show((moves.length ? moves.join("\n") : "No tenant changes home.") + "\n" + gate);
          previewed = answer.refused.length ? null : doc;
          $("flip-apply").disabled = previewed === null;
          return answer;
        }

        async function apply() {
          const reason = $("flip-reason").value.trim();
          if (!reason) { show("Say why: the reason goes in the audit trail."); return null; }
          if (!previewed) { show("Preview first."); return null; }
          const answer = (await api("PUT", "/admin/flags", { document: previewed, reason },
            { "if-match": '"' + current.version + '"', "x-banyan-actor": $("flip-actor").value.trim() || "console" })).json;
          show("Written " + answer.version + " (audit #" + answer.audit_id + ").");
          previewed = null;
          $("flip-apply").disabled = true;
          await refresh();
          return answer;
        }

        function guarded(action) {
          return async () => { try { return await action(); } catch (e) { show(e.message); return null; } };
        }
        $("flip-preview").addEventListener("click", guarded(preview));
        $("flip-apply").addEventListener("click", guarded(apply));
        $("token-form").addEventListener("submit", (event) => {
          event.preventDefault();
          token = $("token-input").value.trim();
          sessionStorage.setItem("banyan-ops-token", token);
          $("login").hidden = true;
          refresh();
        });

        async function autopilot() {
          const [module, tenant, home] = (params.get("flip") || "").split(",");
          if (!module) return;
          $("flip-module").value = module; $("flip-tenant").value = tenant; $("flip-home").value = home;
          $("flip-reason").value = params.get("reason") || ""; $("flip-actor").value = params.get("actor") || "console";
          let outcome;
          try {
            const previewedAnswer = await preview();
            const applied = previewed ? await apply() : null;
            outcome = { preview: previewedAnswer, applied };
          } catch (e) {
            outcome = { error: e.message };
          }
          $("autopilot").hidden = false;
          $("autopilot").textContent = JSON.stringify(outcome);
          document.body.dataset.autopilot = outcome.applied ? "applied" : "not-applied";
        }

        refresh().then(autopilot);
        </script>
        </body>
        </html>
        """#
}
