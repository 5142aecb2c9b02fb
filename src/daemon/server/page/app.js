// The status page: fetches /api/status and refreshes whenever /api/events announces something.
// Plain DOM code, no build step; every value is inserted as text, never as HTML.

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function replace(parent, children) {
  parent.replaceChildren(...children);
}

function renderSummary(status) {
  const last = status.lastReconcile;
  const text = last
    ? `Last reconcile ${new Date(last.at).toLocaleString()}: ${last.outcome}, ${last.changes} change(s) in ${last.durationMs} ms`
    : "No reconcile yet";
  $("summary").textContent = `${text} · ${status.services.length} services · Autopilot ${status.version}`;
}

function renderTargets(status) {
  replace(
    $("targets"),
    status.targets.map((target) => {
      const item = el(
        "li",
        `${target.name}: ${target.reachable ? "reachable" : "unreachable"}, breaker ${target.breaker}`,
        target.breaker,
      );
      if (target.lastError) item.title = target.lastError;
      return item;
    }),
  );
}

function renderServices(status) {
  replace(
    $("services"),
    status.services.map((service) => {
      const row = el("tr");
      const name = el("td");
      if (service.href && /^https?:\/\//.test(service.href)) {
        const link = el("a", service.name);
        link.href = service.href;
        link.rel = "noreferrer";
        name.append(link);
      } else {
        name.textContent = service.name;
      }
      row.append(
        name,
        el("td", service.group),
        el("td", service.health, service.health),
        el("td", service.sso === "none" ? "—" : service.sso),
        el("td", service.widget ?? "—"),
        el("td", service.drift ? "drift" : "—", service.drift ? "drift" : "muted"),
        el("td", service.lastChange ? new Date(service.lastChange).toLocaleString() : "—"),
      );
      return row;
    }),
  );
}

function renderList(id, items, format, empty) {
  replace($(id), items.length ? items.map(format) : [el("li", empty, "muted")]);
}

function renderGraph(graph) {
  const container = $("graph");
  if (graph.nodes.length === 0) {
    replace(container, [el("p", "No dependencies declared.", "muted")]);
    return;
  }
  // Layered layout: a node's column is one more than its deepest dependency's.
  const depth = new Map();
  const deps = (node) => graph.edges.filter((edge) => edge.from === node).map((edge) => edge.to);
  const depthOf = (node, seen = new Set()) => {
    if (depth.has(node)) return depth.get(node);
    if (seen.has(node)) return 0;
    seen.add(node);
    const value = Math.max(-1, ...deps(node).map((dep) => depthOf(dep, seen))) + 1;
    depth.set(node, value);
    return value;
  };
  const columns = [];
  for (const node of graph.nodes) {
    const column = depthOf(node);
    columns[column] = columns[column] ?? [];
    columns[column].push(node);
  }
  const position = new Map();
  const width = 180;
  const height = 40;
  columns.forEach((column, x) => {
    column.forEach((node, y) => {
      position.set(node, { x: 10 + x * (width + 40), y: 10 + y * (height + 16) });
    });
  });
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const totalWidth = columns.length * (width + 40) + 20;
  const totalHeight = Math.max(...columns.map((c) => c.length)) * (height + 16) + 20;
  svg.setAttribute("viewBox", `0 0 ${totalWidth} ${totalHeight}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Dependency graph");
  const defs = document.createElementNS(ns, "defs");
  const marker = document.createElementNS(ns, "marker");
  marker.setAttribute("id", "arrow");
  marker.setAttribute("viewBox", "0 0 10 10");
  marker.setAttribute("refX", "10");
  marker.setAttribute("refY", "5");
  marker.setAttribute("markerWidth", "6");
  marker.setAttribute("markerHeight", "6");
  marker.setAttribute("orient", "auto");
  const tip = document.createElementNS(ns, "path");
  tip.setAttribute("d", "M0,0 L10,5 L0,10 z");
  marker.append(tip);
  defs.append(marker);
  svg.append(defs);
  for (const edge of graph.edges) {
    const from = position.get(edge.from);
    const to = position.get(edge.to);
    if (!from || !to) continue;
    const line = document.createElementNS(ns, "line");
    line.setAttribute("x1", String(from.x));
    line.setAttribute("y1", String(from.y + height / 2));
    line.setAttribute("x2", String(to.x + width));
    line.setAttribute("y2", String(to.y + height / 2));
    svg.append(line);
  }
  for (const [node, at] of position) {
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", String(at.x));
    rect.setAttribute("y", String(at.y));
    rect.setAttribute("width", String(width));
    rect.setAttribute("height", String(height));
    rect.setAttribute("rx", "6");
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", String(at.x + 8));
    label.setAttribute("y", String(at.y + height / 2 + 4));
    label.textContent = node;
    svg.append(rect, label);
  }
  replace(container, [svg]);
}

async function refresh() {
  const response = await fetch("/api/status", { headers: { accept: "application/json" } });
  if (response.status === 401) {
    window.location.assign("/login");
    return;
  }
  const status = await response.json();
  renderSummary(status);
  renderTargets(status);
  renderServices(status);
  renderList(
    "alerts",
    status.alerts,
    (alert) =>
      el(
        "li",
        `${alert.severity}: ${alert.title} (since ${new Date(alert.startsAt).toLocaleString()})`,
        alert.severity,
      ),
    "No active alerts.",
  );
  renderList(
    "healing",
    status.healing,
    (event) =>
      el(
        "li",
        `${new Date(event.at).toLocaleString()} · ${event.service} (${event.container}): ${event.action}${event.attempt ? ` #${event.attempt}` : ""} — ${event.reason}`,
      ),
    "No healing actions yet.",
  );
  renderList(
    "audit",
    status.audit,
    (entry) =>
      el(
        "li",
        `#${entry.seq} ${new Date(entry.at).toLocaleString()} ${entry.actor} ${entry.action} ${entry.target}/${entry.objectKey}: ${entry.outcome}`,
      ),
    "The audit log is empty.",
  );
  renderGraph(status.graph);
  document.body.dataset.loaded = "true";
}

let pending;
function scheduleRefresh() {
  clearTimeout(pending);
  pending = setTimeout(() => refresh().catch(() => {}), 150);
}

refresh().catch(() => {
  $("summary").textContent = "Could not load the status.";
});
const events = new EventSource("/api/events");
for (const type of ["reconcile", "drift", "healing", "alert", "audit", "breaker"])
  events.addEventListener(type, scheduleRefresh);
