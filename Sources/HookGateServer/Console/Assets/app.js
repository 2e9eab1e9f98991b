// The HookGate console: one page that signs in with an admin-API token and shows the /v1 API's data. Every value
// from the API is put into the page as text (textContent), never as markup: provider payloads are hostile.

const state = { session: null, timer: null };

/** An element with attributes and children; strings become text nodes. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
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
  if (path === "/console") {
    overview(view);
    state.timer = setInterval(() => overview(view), 5000);
  } else {
    view.replaceChildren(
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

async function overview(view) {
  let page;
  try {
    page = await api("/v1/destinations");
  } catch (error) {
    if (error.status === 401) return signedIn(null);
    view.replaceChildren(el("h1", {}, "Overview"), el("p", { class: "error" }, `Cannot load destinations: ${error.message}`));
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
      el("td", { class: d.dead > 0 ? "num bad" : "num" }, d.dead),
      el("td", {}, stamp(d.last_success_at)),
      el("td", {}, stamp(d.last_failure_at)),
    ),
  );
  const head = el("tr", {}, ...["Destination", "Kind", "Circuit", "Pending", "Due", "In flight", "Dead", "Last success", "Last failure"].map((h) => el("th", {}, h)));
  view.replaceChildren(
    el("h1", {}, "Overview"),
    el("p", { class: "stamp" }, "Destinations, failing first. Refreshes every 5 s."),
    rows.length
      ? el("table", { id: "destinations" }, el("thead", {}, head), el("tbody", {}, ...rows))
      : el("p", { class: "empty" }, "No destinations yet: add targets and routes to routes.yaml, or create a subscription."),
  );
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
