import type { FastifyPluginAsync } from "fastify";

/**
 * The website tracker. Embed it with a public key that has only the `ingest` scope:
 *   <script src="https://accord.example.com/t.js" data-key="acc_…" async></script>
 * It sends a page view on load and a form submission (with the email typed in) on submit,
 * under an anonymous visitor id kept in localStorage; Accord stitches the visitor's earlier
 * page views to the lead once a form names them. `window.accord.track(type, properties, email)`
 * sends other events.
 */
export const trackerSource = `(function () {
  var script = document.currentScript;
  if (!script || window.accord) return;
  var key = script.getAttribute("data-key");
  var endpoint = new URL("/api/v1/events", script.src).href;
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "v" + Date.now().toString(36) + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  }
  var visitorId;
  try {
    visitorId = localStorage.getItem("accord_vid");
    if (!visitorId) { visitorId = uuid(); localStorage.setItem("accord_vid", visitorId); }
  } catch (e) { visitorId = uuid(); }
  var params = new URLSearchParams(location.search);
  function base() {
    var p = { url: location.href, title: document.title.slice(0, 500) };
    if (document.referrer) p.referrer = document.referrer.slice(0, 2000);
    ["utm_source", "utm_medium", "utm_campaign", "utm_content"].forEach(function (k) { if (params.get(k)) p[k] = params.get(k); });
    return p;
  }
  function send(type, properties, email) {
    var event = { id: uuid(), type: type, occurredAt: new Date().toISOString(), visitorId: visitorId, properties: properties || base() };
    if (email) event.email = email;
    if (params.get("utm_campaign")) event.campaign = params.get("utm_campaign");
    return fetch(endpoint, {
      method: "POST",
      keepalive: true,
      headers: { "content-type": "application/json", authorization: "Bearer " + key },
      body: JSON.stringify(event)
    }).catch(function () {});
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.querySelector) return;
    var input = form.querySelector('input[type="email"], input[name*="email" i]');
    if (!input || !input.value) return;
    var p = base();
    p.form = String(form.getAttribute("id") || form.getAttribute("name") || form.getAttribute("action") || "form").slice(0, 200);
    send("form_submit", p, input.value.trim());
  }, true);
  window.accord = { visitorId: visitorId, track: function (type, properties, email) { return send(type, Object.assign(base(), properties || {}), email); } };
  send("page_view");
})();
`;

export function trackerRoutes(): FastifyPluginAsync {
  return async (app) => {
    app.get(
      "/t.js",
      { config: { access: { public: true } }, schema: { hide: true } },
      async (_request, reply) =>
        reply
          .header("content-type", "application/javascript; charset=utf-8")
          .header("cache-control", "public, max-age=3600")
          .header("access-control-allow-origin", "*")
          .send(trackerSource),
    );
  };
}
