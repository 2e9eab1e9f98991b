// The HookGate console: one page that signs in with an admin-API token and shows the /v1 API's data. Every value
// from the API is put into the page as text (textContent), never as markup: provider payloads are hostile.

const state = { session: null, timer: null };

/** An element with attributes and children (lists are flattened); strings become text nodes. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table with a header row, or what to do when it is empty. */
function table(id, columns, rows, empty) {
  if (!rows.length) return el("p", { class: "empty" }, empty);
  return el("table", { id }, el("thead", {}, el("tr", {}, columns.map((h) => el("th", {}, h)))), el("tbody", {}, rows));
}

/** A two-column table of names and values (headers, form fields, a record's members). */
function fieldsTable(id, pairs) {
  return el("table", { id, class: "fields" }, el("tbody", {}, pairs.map(([name, value]) => el("tr", {}, el("td", { class: "id" }, name), el("td", {}, value)))));
}

/** Replaces what `view` shows; like `el`, lists are flattened and absent children skipped. */
function render(view, ...children) {
  view.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined));
}

/** A time in UTC, with the local time on hover. */
function stamp(text) {
  if (!text) return el("span", { class: "stamp" }, "never");
  const date = new Date(text);
  const utc = date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  return el("span", { title: date.toLocaleString() + " (local)" }, utc);
}

async function api(path, options = {}) {
  const headers = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.method && options.method !== "GET" && state.session) headers["X-CSRF-Token"] = state.session.csrf_token;
  const response = await fetch(path, {
    method: options.method || "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "same-origin",
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error((json && json.detail) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return json;
}

function show(id, visible) {
  document.getElementById(id).hidden = !visible;
}

function signedIn(session) {
  state.session = session;
  document.getElementById("who").textContent = session ? `${session.name} (${session.role})` : "";
  show("nav", !!session);
  show("sign-out", !!session);
  show("sign-in", !session);
  show("view", !!session);
  if (session) route();
}

function route() {
  clearInterval(state.timer);
  const view = document.getElementById("view");
  const path = location.pathname.replace(/\/+$/, "");
  const delivery = path.match(/^\/console\/deliveries\/([^/]+)$/);
  const event = path.match(/^\/console\/events\/([^/]+)$/);
  const replay = path.match(/^\/console\/replays\/([^/]+)$/);
  const subscription = path.match(/^\/console\/subscriptions\/([^/]+)$/);
  const receipt = path.match(/^\/console\/receipts\/([^/]+)$/);
  if (path === "/console") {
    overview(view);
    state.timer = setInterval(() => overview(view), 5000);
  } else if (path === "/console/deliveries") {
    deliveries(view, new URLSearchParams(location.search));
  } else if (delivery) {
    deliveryDetail(view, decodeURIComponent(delivery[1]));
  } else if (path === "/console/events") {
    events(view, new URLSearchParams(location.search));
  } else if (event) {
    eventDetail(view, decodeURIComponent(event[1]));
  } else if (path === "/console/destinations") {
    destinations(view);
    state.timer = setInterval(() => destinations(view), 5000);
  } else if (path === "/console/receipts") {
    receipts(view, new URLSearchParams(location.search));
  } else if (receipt) {
    receiptDetail(view, decodeURIComponent(receipt[1]));
  } else if (path === "/console/audit") {
    audit(view, new URLSearchParams(location.search));
  } else if (path === "/console/retention") {
    retention(view);
    state.timer = setInterval(() => retention(view), 5000);
  } else if (path === "/console/subscriptions") {
    subscriptions(view, new URLSearchParams(location.search));
  } else if (subscription) {
    subscriptionDetail(view, decodeURIComponent(subscription[1]));
  } else if (path === "/console/replays") {
    replays(view, new URLSearchParams(location.search));
  } else if (replay) {
    replayProgress(view, decodeURIComponent(replay[1]));
  } else {
    render(view, 
      el("h1", {}, "Not here yet"),
      el("p", {}, "This screen is not part of this version of the console. The same data is in the admin API and the CLI."),
      el("p", {}, el("a", { href: "/console" }, "Back to the overview")),
    );
  }
}

/** Destinations worst first: dead work, an open circuit, a failure newer than the last success. */
function failing(destination) {
  const failedLast = destination.last_failure_at && (!destination.last_success_at || destination.last_failure_at > destination.last_success_at);
  return (destination.dead > 0 ? 4 : 0) + (destination.circuit === "open" ? 2 : 0) + (failedLast ? 1 : 0);
}

/** The ingest table's columns: a heading and the outcomes it adds up; rejections are marked when non-zero. */
const ingestColumns = [
  ["Accepted", ["accepted"]],
  ["Duplicate", ["duplicate"]],
  ["Unrecognized or unparsed", ["unrecognized", "unparsed"]],
  ["Ping", ["ping"]],
  ["401 bad signature", ["invalid_signature"], true],
  ["413 too large", ["payload_too_large"], true],
  ["429 rate limited", ["rate_limited"], true],
  ["503 unavailable", ["unavailable"], true],
  ["Other 4xx", ["unknown_source", "method_not_allowed", "bad_request"], true],
];

/** This instance's ingest requests of the last hour by source, one column per outcome group. */
function ingestTable(stats) {
  const bySource = new Map();
  for (const { source, outcome, count } of stats.data) {
    if (!bySource.has(source)) bySource.set(source, {});
    bySource.get(source)[outcome] = count;
  }
  const rows = [...bySource.entries()].map(([source, counts]) =>
    el(
      "tr",
      { "data-source": source },
      el("td", { class: "id" }, source),
      ingestColumns.map(([, outcomes, rejection]) => {
        const count = outcomes.reduce((sum, outcome) => sum + (counts[outcome] || 0), 0);
        return el("td", { class: rejection && count > 0 ? "num bad" : "num" }, count);
      }),
    ),
  );
  return table("ingest", ["Source", ...ingestColumns.map(([heading]) => heading)], rows, "No webhooks in the last hour on this instance. Point a provider at https://<host>:8443/in/<source>.");
}

async function overview(view) {
  let page, stats;
  try {
    [page, stats] = await Promise.all([api("/v1/destinations"), api("/v1/stats/ingest")]);
  } catch (error) {
    if (error.status === 401) return signedIn(null);
    render(view, el("h1", {}, "Overview"), el("p", { class: "error" }, `Cannot load the overview: ${error.message}`));
    return;
  }
  const destinations = page.data.slice().sort((a, b) => failing(b) - failing(a) || b.dead - a.dead || b.due - a.due);
  const rows = destinations.map((d) =>
    el(
      "tr",
      { "data-destination": d.name },
      el("td", { class: "id" }, d.name),
      el("td", {}, d.kind),
      el("td", { class: d.circuit === "open" ? "bad" : d.circuit === "half_open" ? "warn" : "" }, d.circuit || "–"),
      el("td", { class: "num" }, d.pending),
      el("td", { class: "num" }, d.due),
      el("td", { class: "num" }, d.in_flight),
      el(
        "td",
        { class: d.dead > 0 ? "num bad" : "num" },
        d.dead > 0 ? el("a", { href: `/console/deliveries?status=dead&destination=${encodeURIComponent(d.name)}` }, d.dead) : d.dead,
      ),
      el("td", {}, stamp(d.last_success_at)),
      el("td", {}, stamp(d.last_failure_at)),
    ),
  );
  render(view,
    el("h1", {}, "Overview"),
    el("p", { class: "stamp" }, "Refreshes every 5 s."),
    el("h2", {}, "Delivery backlog, failing destinations first"),
    table("destinations", ["Destination", "Kind", "Circuit", "Pending", "Due", "In flight", "Dead", "Last success", "Last failure"], rows, "No destinations yet: add targets and routes to routes.yaml, or create a subscription."),
    el("h2", {}, "Ingest in the last hour"),
    el("p", { class: "stamp" }, "Requests this gateway instance answered since ", stamp(stats.since), ", rejections included (they are never stored)."),
    ingestTable(stats),
  );
}

/** A failure shown in the view; a lapsed session goes back to the sign-in. */
function failed(view, title, error) {
  if (error.status === 401) return signedIn(null);
  render(view, el("h1", {}, title), el("p", { class: "error" }, error.message));
}

const deliveryColumns = ["Delivery", "Event", "Destination", "Status", "Attempts", "Next attempt", "Last status"];

/** One delivery in a list: its id and event as links, status, attempts, when next, the last answer. */
function deliveryRow(d) {
  return el(
    "tr",
    { "data-delivery": d.id },
    el("td", { class: "id" }, el("a", { href: `/console/deliveries/${encodeURIComponent(d.id)}` }, d.id)),
    el("td", { class: "id" }, el("a", { href: `/console/events/${encodeURIComponent(d.event_id)}` }, d.event_id)),
    el("td", { class: "id" }, d.destination),
    el("td", { class: statusClass(d.status) }, d.status),
    el("td", { class: "num" }, d.attempts),
    el("td", {}, stamp(d.next_attempt_at)),
    el("td", { class: "num" }, d.last_status ?? "–"),
  );
}

/**
 * Deliveries by status and destination (from the URL, so a filtered list is a link), newest first, a page at a
 * time. Unless a status is asked for, the newest dead ones come first, above everything else.
 */
async function deliveries(view, query) {
  const filters = apiQuery(query, ["status", "destination", "event_id", "since", "until", "cursor"]);
  const withDead = !query.get("status") && !query.get("cursor");
  const dead = new URLSearchParams(filters);
  dead.set("status", "dead");
  dead.set("limit", "10");
  let page, deadPage;
  try {
    [page, deadPage] = await Promise.all([api(`/v1/deliveries?${filters}`), withDead ? api(`/v1/deliveries?${dead}`) : null]);
  } catch (error) {
    return failed(view, "Deliveries", error);
  }
  dead.delete("limit");
  render(view,
    el("h1", {}, "Deliveries"),
    filterForm("/console/deliveries", query, [
      ["status", "Status", "dead, pending, succeeded…"],
      ["destination", "Destination", "target:billing"],
      ["since", "Since", "2h"],
      ["until", "Until", "30m"],
    ]),
    deadPage && deadPage.data.length
      ? [
          el("h2", {}, "Dead: the retry schedule ran out"),
          table("dead-deliveries", deliveryColumns, deadPage.data.map(deliveryRow), ""),
          deadPage.next_cursor ? el("p", {}, el("a", { href: `/console/deliveries?${dead}` }, "All dead deliveries")) : null,
          el("h2", {}, "All, newest first"),
        ]
      : null,
    table("deliveries", deliveryColumns, page.data.map(deliveryRow), "No delivery matches. Clear the filter, or widen the time range."),
    nextPage("/console/deliveries", query, page.next_cursor),
  );
}

/** A filter form whose fields are the URL's query: submitting it opens the filtered list as a link of its own. */
function filterForm(path, query, fields) {
  const form = el(
    "form",
    { class: "filters", id: "filters" },
    fields.map(([name, label, hint]) =>
      el("label", {}, label, " ", el("input", { name, value: query.get(name) || "", placeholder: hint, class: "filter", "aria-label": label })),
    ),
    el("button", { type: "submit" }, "Filter"),
  );
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    const next = new URLSearchParams();
    for (const [name] of fields) {
      const value = form.elements[name].value.trim();
      if (value) next.set(name, value);
    }
    history.pushState(null, "", next.size ? `${path}?${next}` : path);
    route();
  });
  return form;
}

/** Copies from the API's query the names it takes, so a list is a link and the API sees only what it knows. */
function apiQuery(query, names) {
  const picked = new URLSearchParams();
  for (const name of names) if (query.get(name)) picked.set(name, query.get(name));
  return picked;
}

/** A link to the next page of a list, keeping its filters. */
function nextPage(path, query, cursor) {
  if (!cursor) return null;
  const next = new URLSearchParams(query);
  next.set("cursor", cursor);
  return el("p", {}, el("a", { href: `${path}?${next}`, id: "next-page" }, "Next page"));
}

/** Events by source, type and time, or the ones a search names, newest first, a page at a time. */
async function events(view, query) {
  let page;
  try {
    page = await api(`/v1/events?${apiQuery(query, ["source", "type", "since", "until", "search", "cursor"])}`);
  } catch (error) {
    return failed(view, "Events", error);
  }
  const rows = page.data.map((e) =>
    el(
      "tr",
      { "data-event": e.id },
      el("td", { class: "id" }, el("a", { href: `/console/events/${encodeURIComponent(e.id)}` }, e.id)),
      el("td", {}, stamp(e.time)),
      el("td", {}, String(e.source).replace(/^hookgate\//, "")),
      el("td", {}, e.type),
      el("td", { class: "id" }, e.subject ?? "–"),
      el("td", { class: "id" }, e.providereventid ?? "–"),
    ),
  );
  render(view, 
    el("h1", {}, "Events"),
    filterForm("/console/events", query, [
      ["search", "Find", "event id, provider event id or subject"],
      ["source", "Source", "stripe"],
      ["type", "Type", "payment.*"],
      ["since", "Since", "2h or 2026-12-07T10:00:00Z"],
      ["until", "Until", "RFC 3339 or 30m"],
    ]),
    table("events", ["Event", "Time (provider)", "Source", "Type", "Subject", "Provider event id"], rows, "No event matches. Clear a filter, widen the time range, or check the source id in routes.yaml."),
    nextPage("/console/events", query, page.next_cursor),
  );
}

/** Bytes from base64, and as text when they are UTF-8. */
function decoded(base64) {
  const bytes = Uint8Array.from(atob(base64 || ""), (c) => c.charCodeAt(0));
  try {
    return { bytes, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { bytes, text: null };
  }
}

/** A receipt body shown safely: JSON pretty-printed, a form as its fields, other text as it is, bytes as hex. */
function bodyView(receipt) {
  const { bytes, text } = decoded(receipt.body);
  const type = String(receipt.headers["content-type"] || "");
  if (text === null) {
    const hex = Array.from(bytes.slice(0, 4096), (b) => b.toString(16).padStart(2, "0")).join(" ");
    return el("pre", { class: "body", id: "receipt-body" }, `${bytes.length} bytes, not UTF-8:\n${hex}`);
  }
  if (type.includes("application/x-www-form-urlencoded")) {
    return fieldsTable("receipt-body", [...new URLSearchParams(text)]);
  }
  try {
    return el("pre", { class: "body", id: "receipt-body" }, JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    return el("pre", { class: "body", id: "receipt-body" }, text);
  }
}

/** One event: the CloudEvent, the raw receipt it came from, its deliveries, and (for an admin) a redelivery. */
async function eventDetail(view, id, notice = "") {
  let event, receipt, destinations;
  try {
    [event, receipt, destinations] = await Promise.all([
      api(`/v1/events/${encodeURIComponent(id)}`),
      api(`/v1/events/${encodeURIComponent(id)}/receipt`).catch(() => null),
      state.session.role === "admin" ? api("/v1/destinations").then((page) => page.data.map((d) => d.name)) : [],
    ]);
  } catch (error) {
    return failed(view, `Event ${id}`, error);
  }
  const { deliveries: list, ...cloudEvent } = event;
  const rows = list.map((d) =>
    el(
      "tr",
      { "data-delivery": d.id },
      el("td", { class: "id" }, el("a", { href: `/console/deliveries/${encodeURIComponent(d.id)}` }, d.id)),
      el("td", { class: "id" }, d.destination),
      el("td", { class: statusClass(d.status) }, d.status),
      el("td", { class: "num" }, d.attempts),
      el("td", {}, stamp(d.next_attempt_at)),
      el("td", { class: "num" }, d.last_status ?? "–"),
    ),
  );
  const message = el("p", { id: "action-result", role: "status" }, notice);
  render(view,
    el("h1", {}, "Event ", el("span", { class: "id" }, event.id)),
    el("p", {}, `${event.type} from ${String(event.source).replace(/^hookgate\//, "")}, `, stamp(event.time)),
    state.session.role === "admin" ? redeliveryControls(view, id, destinations, message) : null,
    message,
    el("h2", {}, "Deliveries"),
    table("event-deliveries", ["Delivery", "Destination", "Status", "Attempts", "Next attempt", "Last status"], rows, "No route matched this event, so nothing was delivered. Check routes.yaml, then redeliver."),
    el("h2", {}, "CloudEvent"),
    el("pre", { class: "body", id: "cloudevent" }, JSON.stringify(cloudEvent, null, 2)),
    el("h2", {}, "Raw receipt"),
    receipt
      ? receiptView(receipt)
      : el("p", { class: "empty" }, "The receipt is not stored any more (retention removed its body)."),
  );
}

/**
 * Redelivery of one event: to what the routes and subscriptions select today, or to the destinations ticked (the
 * API's `targets`), each a new delivery or a new attempt series of the existing one.
 */
function redeliveryControls(view, id, destinations, message) {
  const send = async (button, body) => {
    button.disabled = true;
    try {
      const result = await api(`/v1/events/${encodeURIComponent(id)}/redeliver`, { method: "POST", body });
      const queued = (result.deliveries || []).map((d) => d.destination);
      message.textContent = `Queued ${queued.length === 1 ? "one delivery" : `${queued.length} deliveries`} again: ${queued.join(", ")}.`;
      // Redrawn with the new deliveries, the message kept.
      setTimeout(() => eventDetail(view, id, message.textContent), 500);
    } catch (error) {
      message.textContent = `Not redelivered: ${error.message}`;
      button.disabled = false;
    }
  };
  const routes = el("button", { id: "redeliver", type: "button" }, "Redeliver to current routes");
  routes.addEventListener("click", () => send(routes, {}));
  const chosen = el("button", { id: "redeliver-chosen", type: "submit" }, "Redeliver to the ticked destinations");
  const form = el(
    "form",
    { id: "redeliver-form", class: "filters" },
    "Or only to: ",
    destinations.map((name) => el("label", {}, el("input", { type: "checkbox", name: "target", value: name }), " ", el("span", { class: "id" }, name))),
    chosen,
  );
  form.addEventListener("submit", (submitted) => {
    submitted.preventDefault();
    const targets = [...form.querySelectorAll("input[name=target]:checked")].map((box) => box.value);
    if (!targets.length) {
      message.textContent = "Tick at least one destination, or redeliver to the current routes.";
      return;
    }
    send(chosen, { targets });
  });
  return [el("p", {}, routes), destinations.length ? form : null];
}

const replayFilters = [
  ["status", "Status", "dead"],
  ["destination", "Destination", "target:billing"],
  ["type", "Type", "payment.*"],
  ["source", "Source", "stripe"],
  ["since", "Since", "6h"],
  ["until", "Until", "RFC 3339 or 30m"],
];

/**
 * A bulk replay: the filter is counted first (a dry run sends nothing), and only that count, for that unchanged
 * filter, can be replayed. The filter's fields start from the URL, so a link can carry a prepared replay.
 */
function replays(view, query) {
  const form = el(
    "form",
    { id: "replay-form", class: "filters" },
    replayFilters.map(([name, label, hint]) => el("label", {}, label, " ", el("input", { name, value: query.get(name) || "", placeholder: hint }))),
    el("button", { type: "submit", id: "dry-run" }, "Count matches (dry run)"),
  );
  const result = el("p", { id: "dry-run-result", role: "status" });
  const start = el("button", { type: "button", id: "start-replay", hidden: "" }, "Replay");
  let counted = null;
  const filter = () => {
    const value = {};
    for (const [name] of replayFilters) if (form.elements[name].value.trim()) value[name] = form.elements[name].value.trim();
    return value;
  };
  form.addEventListener("input", () => {
    counted = null;
    start.hidden = true;
    result.textContent = "The filter changed: count again before replaying.";
  });
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    start.hidden = true;
    try {
      const dry = await api("/v1/replays", { method: "POST", body: { filter: filter(), dry_run: true } });
      counted = JSON.stringify(filter());
      result.textContent = `${dry.matched} deliveries match. Nothing was sent.`;
      start.textContent = `Replay these ${dry.matched}`;
      start.hidden = dry.matched === 0 || state.session.role !== "admin";
    } catch (error) {
      result.textContent = error.status === 403 ? "Counting and replaying need an admin token." : `Cannot count: ${error.message}`;
    }
  });
  start.addEventListener("click", async () => {
    if (counted !== JSON.stringify(filter())) return;
    start.disabled = true;
    try {
      const created = await api("/v1/replays", { method: "POST", body: { filter: filter(), dry_run: false } });
      history.pushState(null, "", `/console/replays/${encodeURIComponent(created.id)}`);
      route();
    } catch (error) {
      result.textContent = `Not replayed: ${error.message}`;
      start.disabled = false;
    }
  });
  render(
    view,
    el("h1", {}, "Bulk replay"),
    el("p", {}, "Every field narrows the replay; give at least one. Count first: the dry run says how many deliveries would be sent again, and sends nothing. Replays are paced per destination (its replay_rate), and live traffic goes first."),
    form,
    result,
    el("p", {}, start),
  );
}

/** A replay's progress, redrawn every second while it runs, with a cancel for an admin. */
async function replayProgress(view, id) {
  clearTimeout(state.timer);
  let replay;
  try {
    replay = await api(`/v1/replays/${encodeURIComponent(id)}`);
  } catch (error) {
    return failed(view, `Replay ${id}`, error);
  }
  if (decodeURIComponent(location.pathname) !== `/console/replays/${id}`) return;
  const done = replay.succeeded + replay.failed + replay.cancelled;
  const message = el("p", { id: "action-result", role: "status" });
  const cancel = el("button", { id: "cancel-replay", type: "button", class: "danger" }, "Cancel what is not sent yet");
  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    try {
      await api(`/v1/replays/${encodeURIComponent(id)}`, { method: "DELETE" });
      replayProgress(view, id);
    } catch (error) {
      message.textContent = `Not cancelled: ${error.message}`;
      cancel.disabled = false;
    }
  });
  const counts = ["matched", "queued", "succeeded", "failed", "cancelled"].map((name) =>
    el("div", { class: "count" }, el("span", { class: "stamp" }, name), el("strong", { id: `replay-${name}` }, replay[name])),
  );
  render(
    view,
    el("h1", {}, "Replay ", el("span", { class: "id" }, replay.id)),
    el("p", {}, "State ", el("strong", { id: "replay-state" }, replay.state), ", started by ", replay.created_by, " at ", stamp(replay.created_at), "."),
    el("p", { class: "stamp" }, "Filter: ", el("code", {}, JSON.stringify(replay.filter))),
    el("progress", { id: "replay-progress", max: String(Math.max(replay.matched, 1)), value: String(done) }),
    el("div", { class: "counts" }, counts),
    replay.state === "running" && state.session.role === "admin" ? el("p", {}, cancel) : null,
    message,
    el("p", {}, el("a", { href: `/console/deliveries?status=failed` }, "Failed deliveries"), " · ", el("a", { href: "/console/replays" }, "Another replay")),
  );
  if (replay.state === "running") state.timer = setTimeout(() => replayProgress(view, id), 1000);
}

/** A comma- or space-separated list as an array. */
function words(text) {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** A secret shown once, selectable, with a copy button; it is in the page only until the next navigation. */
function secretOnce(secret) {
  const value = el("code", { id: "new-secret", class: "secret" }, secret);
  const copy = el("button", { type: "button", id: "copy-secret" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(secret);
      copy.textContent = "Copied";
    } catch {
      getSelection().selectAllChildren(value);
      copy.textContent = "Selected: press Ctrl+C";
    }
  });
  return el("div", { class: "notice", role: "alert" }, el("p", {}, el("strong", {}, "The signing secret, shown this once: "), value, " ", copy), el("p", { class: "stamp" }, "Give it to the receiver now. HookGate will not show it again; rotate it to get a new one."));
}

/** Subscriptions, and (for an admin) a form that creates one. */
async function subscriptions(view, query, created = null) {
  let page;
  try {
    page = await api(`/v1/subscriptions?${apiQuery(query, ["cursor"])}`);
  } catch (error) {
    return failed(view, "Subscriptions", error);
  }
  const rows = page.data.map((sub) =>
    el(
      "tr",
      { "data-subscription": sub.id },
      el("td", { class: "id" }, el("a", { href: `/console/subscriptions/${encodeURIComponent(sub.id)}` }, sub.id)),
      el("td", { class: "id" }, sub.url),
      el("td", {}, sub.types.join(", ")),
      el("td", { class: sub.status === "disabled" ? "bad" : "ok" }, sub.status),
      el("td", {}, sub.disabled_reason ?? ""),
      el("td", {}, sub.description ?? ""),
    ),
  );
  const form = el(
    "form",
    { id: "create-subscription", class: "filters" },
    el("label", {}, "URL ", el("input", { name: "url", required: "", placeholder: "https://hooks.example.com/in", type: "url" })),
    el("label", {}, "Types ", el("input", { name: "types", required: "", placeholder: "payment.*, order.created" })),
    el("label", {}, "Sources ", el("input", { name: "sources", placeholder: "all (or: stripe, shopify)" })),
    el("label", {}, "Description ", el("input", { name: "description", placeholder: "who receives it" })),
    el("button", { type: "submit" }, "Create"),
  );
  const message = el("p", { id: "action-result", role: "status" });
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    const body = { url: form.elements.url.value.trim(), types: words(form.elements.types.value) };
    if (form.elements.sources.value.trim()) body.sources = words(form.elements.sources.value);
    if (form.elements.description.value.trim()) body.description = form.elements.description.value.trim();
    try {
      const sub = await api("/v1/subscriptions", { method: "POST", body });
      subscriptions(view, query, sub);
    } catch (error) {
      message.textContent = `Not created: ${error.message}`;
    }
  });
  render(
    view,
    el("h1", {}, "Subscriptions"),
    created ? [el("p", {}, "Created ", el("a", { class: "id", href: `/console/subscriptions/${encodeURIComponent(created.id)}` }, created.id), "."), secretOnce(created.secret)] : null,
    state.session.role === "admin" ? [el("h2", {}, "New subscription"), form, message] : null,
    table("subscriptions", ["Subscription", "URL", "Types", "Status", "Disabled because", "Description"], rows, "No subscription yet. An admin can create one above, or with `hookgate subscriptions create`."),
    nextPage("/console/subscriptions", query, page.next_cursor),
  );
}

/** One subscription with its verbs: edit types, re-enable, rotate the secret, send a test, delete. */
async function subscriptionDetail(view, id, notice = null) {
  let sub;
  try {
    sub = await api(`/v1/subscriptions/${encodeURIComponent(id)}`);
  } catch (error) {
    return failed(view, `Subscription ${id}`, error);
  }
  const path = `/v1/subscriptions/${encodeURIComponent(id)}`;
  const message = el("p", { id: "action-result", role: "status" });
  const act = (label, buttonID, run, confirmText = null) => {
    const button = el("button", { type: "button", id: buttonID, class: buttonID === "delete" ? "danger" : "" }, label);
    button.addEventListener("click", async () => {
      if (confirmText && !confirm(confirmText)) return;
      button.disabled = true;
      try {
        await run();
      } catch (error) {
        message.textContent = `${label}: ${error.message}`;
        button.disabled = false;
      }
    });
    return button;
  };
  const types = el("input", { name: "types", value: sub.types.join(", "), "aria-label": "Types" });
  const actions = el(
    "div",
    { class: "actions" },
    types,
    act("Save types", "save-types", async () => subscriptionDetail(view, id, (await api(path, { method: "PATCH", body: { types: words(types.value) } })) && "Types saved.")),
    sub.status === "disabled" ? act("Enable again", "enable", async () => subscriptionDetail(view, id, (await api(path, { method: "PATCH", body: { status: "active" } })) && "Enabled.")) : null,
    act("Rotate secret", "rotate", async () => subscriptionDetail(view, id, secretOnce((await api(`${path}/rotate-secret`, { method: "POST" })).secret)), "Rotate the signing secret? The old one keeps signing alongside the new one for 24 hours."),
    act("Send a test event", "send-test", async () => {
      await api(`${path}/test`, { method: "POST" });
      message.textContent = "A hookgate.test event was sent; its delivery is under Deliveries.";
    }),
    act("Delete", "delete", async () => {
      await api(path, { method: "DELETE" });
      history.pushState(null, "", "/console/subscriptions");
      route();
    }, `Delete ${id}? Its pending deliveries are not sent.`),
  );
  render(
    view,
    el("h1", {}, "Subscription ", el("span", { class: "id" }, sub.id)),
    notice instanceof Node ? notice : notice ? el("p", { role: "status" }, notice) : null,
    fieldsTable("subscription", [
      ["URL", sub.url],
      ["Types", sub.types.join(", ")],
      ["Sources", sub.sources ? sub.sources.join(", ") : "all"],
      ["Status", sub.status],
      ["Disabled because", sub.disabled_reason ?? "–"],
      ["Description", sub.description ?? "–"],
      ["Created", stamp(sub.created_at)],
    ]),
    el("p", {}, el("a", { href: `/console/deliveries?destination=${encodeURIComponent(`subscription:${sub.id}`)}` }, "Its deliveries")),
    state.session.role === "admin" ? actions : null,
    message,
  );
}

/** Every destination's health and backlog; refreshed every 5 s. */
async function destinations(view) {
  let page;
  try {
    page = await api("/v1/destinations");
  } catch (error) {
    return failed(view, "Destinations", error);
  }
  const link = (d, status, count) => (count > 0 ? el("a", { href: `/console/deliveries?status=${status}&destination=${encodeURIComponent(d.name)}` }, count) : count);
  const rows = page.data.map((d) =>
    el(
      "tr",
      { "data-destination": d.name },
      el("td", { class: "id" }, d.name),
      el("td", { class: "id" }, d.url ?? ""),
      el("td", { class: d.circuit === "open" ? "bad" : d.circuit === "half_open" ? "warn" : "" }, d.circuit || "–"),
      el("td", { class: "num" }, link(d, "pending", d.pending)),
      el("td", { class: "num" }, d.due),
      el("td", { class: "num" }, d.in_flight, " / ", d.max_in_flight ?? "–"),
      el("td", { class: d.dead > 0 ? "num bad" : "num" }, link(d, "dead", d.dead)),
      el("td", {}, stamp(d.last_success_at)),
      el("td", {}, stamp(d.last_failure_at)),
    ),
  );
  render(
    view,
    el("h1", {}, "Destinations"),
    el("p", { class: "stamp" }, "Health and backlog, refreshed every 5 s. The delivery engine has no pause: to stop sending to a target, remove it from its routes in routes.yaml; a subscription can be deleted. An open circuit already holds traffic back and probes every 30 s."),
    table("destination-health", ["Destination", "URL", "Circuit", "Pending", "Due", "In flight / cap", "Dead", "Last success", "Last failure"], rows, "No destinations yet: add targets and routes to routes.yaml, or create a subscription."),
  );
}

/** Receipts that produced no known event: unrecognized (a type no mapping knows) or unparsed (a body that is not one). */
async function receipts(view, query) {
  const status = query.get("status") || "unrecognized";
  let page;
  try {
    page = await api(`/v1/receipts?${apiQuery(new URLSearchParams({ ...Object.fromEntries(query), status }), ["status", "source", "cursor"])}`);
  } catch (error) {
    return failed(view, "Receipts", error);
  }
  const rows = page.data.map((r) =>
    el(
      "tr",
      { "data-receipt": r.id },
      el("td", { class: "id" }, el("a", { href: `/console/receipts/${encodeURIComponent(r.id)}` }, r.id)),
      el("td", {}, stamp(r.received_at)),
      el("td", {}, r.source),
      el("td", { class: "warn" }, r.status),
      el("td", { class: "num" }, r.body_bytes),
      el("td", { class: "id" }, r.dedupe_key),
    ),
  );
  render(
    view,
    el("h1", {}, "Receipts"),
    el("p", {}, ["unrecognized", "unparsed"].map((s) => [s === status ? el("strong", {}, s) : el("a", { href: `/console/receipts?status=${s}` }, s), " "])),
    el("p", { class: "stamp" }, "Verified requests HookGate stored but could not turn into a known event. Nothing was lost: after a mapping is added, `hookgate renormalize` turns them into events."),
    table("receipts", ["Receipt", "Received", "Source", "Status", "Bytes", "Dedupe key"], rows, `No ${status} receipt: every verified request became a known event.`),
    nextPage("/console/receipts", query, page.next_cursor),
  );
}

/** One receipt as it arrived: headers and body, shown safely. */
async function receiptDetail(view, id) {
  let receipt;
  try {
    receipt = await api(`/v1/receipts/${encodeURIComponent(id)}`);
  } catch (error) {
    return failed(view, `Receipt ${id}`, error);
  }
  render(view, el("h1", {}, "Receipt ", el("span", { class: "id" }, receipt.id)), receiptView(receipt), receipt.events.length ? el("p", {}, "Events: ", receipt.events.map((e) => [el("a", { class: "id", href: `/console/events/${encodeURIComponent(e)}` }, e), " "])) : null);
}

/** A receipt's status, headers and body. */
function receiptView(receipt) {
  return [
    el("p", { class: "stamp" }, `${receipt.source}, ${receipt.status}, ${receipt.body_bytes} bytes, received `, stamp(receipt.received_at)),
    fieldsTable("receipt-headers", Object.entries(receipt.headers).map(([name, value]) => [name, String(value)])),
    bodyView(receipt),
  ];
}

/** Where an audit target is shown in the console, by its id's prefix. */
function targetLink(target) {
  const screens = { evt_: "events", dlv_: "deliveries", rpl_: "replays", sub_: "subscriptions" };
  const screen = screens[String(target).slice(0, 4)];
  return screen ? el("a", { class: "id", href: `/console/${screen}/${encodeURIComponent(target)}` }, target) : el("span", { class: "id" }, target);
}

/** Who did what, newest first. */
async function audit(view, query) {
  let page;
  try {
    page = await api(`/v1/audit?${apiQuery(query, ["cursor"])}`);
  } catch (error) {
    return failed(view, "Audit log", error);
  }
  const rows = page.data.map((a) =>
    el("tr", {}, el("td", {}, stamp(a.at)), el("td", {}, a.actor), el("td", {}, a.action), el("td", {}, targetLink(a.target)), el("td", { class: "detail" }, JSON.stringify(a.detail))),
  );
  render(
    view,
    el("h1", {}, "Audit log"),
    table("audit", ["When", "Who", "Action", "Target", "Detail"], rows, "Nothing yet: every replay, redelivery and subscription change made with an admin token is recorded here."),
    nextPage("/console/audit", query, page.next_cursor),
  );
}

/** A period of seconds the way people say it; null keeps forever. */
function period(seconds) {
  if (seconds === null || seconds === undefined) return "forever";
  const units = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
  const [unit, size] = units.find(([, size]) => seconds >= size) || units[3];
  return `${Math.floor(seconds / size)} ${unit}`;
}

/** Bytes in the largest unit that keeps the number above one. */
function size(bytes) {
  if (bytes === null || bytes === undefined) return "not measured yet";
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

/** Retention settings, this instance's last pruning pass, the storage size, and the erasures; refreshed every 5 s. */
async function retention(view) {
  let settings, erasures;
  try {
    [settings, erasures] = await Promise.all([api("/v1/retention"), api("/v1/erasures?limit=50")]);
  } catch (error) {
    return failed(view, "Retention", error);
  }
  const pass = settings.last_prune;
  const removed = pass ? Object.entries(pass.removed).filter(([, rows]) => rows > 0).map(([table, rows]) => `${rows} ${table}`).join(", ") || "nothing was due" : null;
  const rows = erasures.data.map((e) =>
    el(
      "tr",
      { "data-erasure": e.id },
      el("td", { class: "id" }, e.id),
      el("td", {}, stamp(e.created_at)),
      el("td", {}, e.created_by),
      el("td", {}, e.scope),
      el("td", { class: e.state === "failed" ? "bad" : e.state === "done" ? "ok" : "warn" }, e.state),
      el("td", { class: "num" }, `${e.scanned} / ${e.total}`),
      el("td", { class: "num" }, e.events),
      el("td", { class: "num" }, e.receipts),
      el("td", { class: "num" }, e.deliveries_cancelled),
      el("td", { class: "detail" }, e.error ?? ""),
    ),
  );
  render(
    view,
    el("h1", {}, "Retention"),
    fieldsTable("retention-settings", [
      ["receipt bodies and headers", period(settings.receipt_bodies_seconds)],
      ["events, with receipts, deliveries and attempts", period(settings.events_seconds)],
      ["audit entries", period(settings.audit_seconds)],
      ["storage size", size(settings.storage_bytes)],
      ["last pruning pass (this instance)", pass ? el("span", {}, stamp(pass.finished_at), ` – ${removed}`) : "none yet: the first runs a minute after start"],
    ]),
    el("p", { class: "stamp" }, "An event is kept while any of its deliveries can still be attempted. `hookgate prune --dry-run` shows what a pass would remove now."),
    el("h2", {}, "Erasures"),
    el("p", { class: "stamp" }, "Each erasure records which kinds of customer value it was given, never the values. Start one with `hookgate erase --customer-email …` or POST /v1/erasures."),
    table("erasures", ["Erasure", "Started", "By", "Scope", "State", "Scanned", "Events", "Receipts", "Deliveries cancelled", "Error"], rows, "No erasure yet."),
  );
}

function statusClass(status) {
  return status === "dead" ? "bad" : status === "succeeded" ? "ok" : status === "failed" ? "warn" : "";
}

/** One delivery: its state, every attempt in order, and (for an admin) a replay; redrawn while it is under way. */
/** When and why a delivery is attempted next; nothing when no attempt is planned. */
function nextAttempt(next) {
  if (!next) return null;
  const when = next.reason === "in_flight" ? "Now" : ["Next attempt ", stamp(next.at)];
  return el("p", { id: "next-attempt", "data-reason": next.reason, class: next.reason === "circuit_open" ? "warn" : "" }, when, ": ", next.detail);
}

async function deliveryDetail(view, id) {
  clearTimeout(state.timer);
  let delivery;
  try {
    delivery = await api(`/v1/deliveries/${encodeURIComponent(id)}`);
  } catch (error) {
    return failed(view, `Delivery ${id}`, error);
  }
  // The engineer may have moved on while this was loading.
  if (decodeURIComponent(location.pathname) !== `/console/deliveries/${id}`) return;
  const attempts = delivery.attempts.map((a) =>
    el(
      "tr",
      {},
      el("td", { class: "num" }, a.number),
      el("td", {}, stamp(a.started_at)),
      el("td", { class: "num" }, `${a.duration_ms} ms`),
      el("td", { class: a.status_code >= 200 && a.status_code < 300 ? "num ok" : "num bad" }, a.status_code ?? "–"),
      el("td", {}, a.error ?? ""),
      el("td", {}, a.response_snippet ? el("pre", { class: "snippet" }, a.response_snippet) : ""),
    ),
  );
  const message = el("p", { id: "action-result", role: "status" });
  const replay = el("button", { id: "replay", type: "button" }, "Replay now");
  replay.addEventListener("click", async () => {
    replay.disabled = true;
    try {
      await api(`/v1/deliveries/${encodeURIComponent(id)}/replay`, { method: "POST" });
      message.textContent = "Queued again: a new attempt series with the same webhook-id.";
      state.timer = setTimeout(() => deliveryDetail(view, id), 500);
    } catch (error) {
      message.textContent = `Not replayed: ${error.message}`;
      replay.disabled = false;
    }
  });
  render(view,
    el("h1", {}, "Delivery ", el("span", { class: "id" }, delivery.id)),
    el(
      "p",
      {},
      "To ",
      el("span", { class: "id" }, delivery.destination),
      " for event ",
      el("a", { class: "id", href: `/console/events/${encodeURIComponent(delivery.event_id)}` }, delivery.event_id),
      ". Status ",
      el("strong", { id: "delivery-status", class: delivery.status === "dead" ? "bad" : "" }, delivery.status),
      ".",
    ),
    nextAttempt(delivery.next_attempt),
    state.session.role === "admin" ? el("p", {}, replay) : el("p", { class: "stamp" }, "Viewers may look; replaying needs an admin token."),
    message,
    table("attempts", ["#", "Started", "Took", "Status", "Error", "Response"], attempts, "No attempt yet: the first one is due at the time above."),
  );
  if (delivery.status === "pending" || delivery.status === "in_flight") state.timer = setTimeout(() => deliveryDetail(view, id), 2000);
}

document.getElementById("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("token");
  const error = document.getElementById("sign-in-error");
  error.textContent = "";
  try {
    const session = await api("/console/session", { method: "POST", body: { token: input.value } });
    input.value = "";
    signedIn(session);
  } catch (failure) {
    error.textContent = failure.status === 401 ? "That token is not valid." : `Cannot sign in: ${failure.message}`;
  }
});

document.getElementById("sign-out").addEventListener("click", async () => {
  try {
    await api("/console/session", { method: "DELETE" });
  } finally {
    signedIn(null);
  }
});

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href^='/console']");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  history.pushState(null, "", link.getAttribute("href"));
  route();
});
window.addEventListener("popstate", () => state.session && route());

api("/console/session").then(signedIn, () => signedIn(null));
