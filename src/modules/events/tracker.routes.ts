import type { FastifyPluginAsync } from "fastify";
import { EMAIL_PATTERN } from "../../domain/email.ts";

/**
 * The website tracker. Embed it with a public key that has only the `ingest` scope:
 *   <script src="https://accord.example.com/t.js" data-key="acc_…" async></script>
 * It sends a page view on load and, for a form with an email field, a form submission on
 * submit (with the email typed in when it is one; anonymous otherwise), sending an event
 * again when Accord answers 503 or cannot be reached (up to three times),
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
  // Cut to the API's limits without splitting a character (half of one is refused).
  function cut(text, max) {
    text = String(text);
    if (text.length <= max) return text;
    var code = text.charCodeAt(max - 1);
    return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
  }
  function base() {
    var p = { url: cut(location.href, 2000), title: cut(document.title, 500) };
    if (document.referrer) p.referrer = cut(document.referrer, 2000);
    ["utm_source", "utm_medium", "utm_campaign", "utm_content"].forEach(function (k) { if (params.get(k)) p[k] = cut(params.get(k), 2000); });
    return p;
  }
  // The API's own test of an email; anything else is sent as an anonymous form submission.
  var EMAIL = ${EMAIL_PATTERN};
  function send(type, properties, email) {
    var event = { id: uuid(), type: type, occurredAt: new Date().toISOString(), visitorId: visitorId, properties: properties || base() };
    if (email && EMAIL.test(email) && email.length <= 254) event.email = email;
    if (params.get("utm_campaign")) event.campaign = cut(params.get("utm_campaign"), 200);
    return post(JSON.stringify(event), 0);
  }
  // Sent again, a few times, when Accord is busy (503) or unreachable: the event id makes a
  // repeat count once.
  function post(body, attempt) {
    function later(seconds) {
      if (attempt >= 3) return;
      return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); })
        .then(function () { return post(body, attempt + 1); });
    }
    return fetch(endpoint, {
      method: "POST",
      keepalive: true,
      headers: { "content-type": "application/json", authorization: "Bearer " + key },
      body: body
    }).then(function (res) {
      if (res.status === 503) return later(Math.min(30, Number(res.headers.get("retry-after")) || 1));
      return res;
    }, function () { return later(2); });
  }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.querySelector) return;
    // An email field, else a text field named like one (not an opt-in checkbox or hidden field).
    var input = form.querySelector('input[type="email"]') ||
      form.querySelector('input[name*="email" i]:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]):not([type="submit"])');
    // Forms that ask for no email (a search box) are not a submission the agreement scores.
    if (!input) return;
    var p = base();
    p.form = cut(form.getAttribute("id") || form.getAttribute("name") || form.getAttribute("action") || "form", 200);
    send("form_submit", p, input.value ? input.value.trim() : null);
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
