// scamshield web page: plain JavaScript, no libraries, no network beyond this server.
// Every piece of text from a message or a report is inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { config: null, lastMessage: null, lastVerdict: null, adminKey: sessionStorage.getItem("adminKey") };
const COLOURS = ["#0b0c0c", "#a4000f", "#0b3d91", "#005a30", "#8a4b00", "#4c2c92"];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (options.json !== undefined) headers["Content-Type"] = "application/json";
  const resp = await fetch(path, {
    method: options.method || (options.json !== undefined ? "POST" : "GET"),
    headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
  });
  let data = null;
  try { data = await resp.json(); } catch (e) { data = null; }
  if (!resp.ok) {
    const err = new Error((data && data.error) || `The server answered ${resp.status}.`);
    err.status = resp.status;
    throw err;
  }
  return data;
}

// ------------------------------------------------------------------------------------ routing

function show(view, arg) {
  for (const s of document.querySelectorAll("[data-view]")) s.hidden = s.dataset.view !== view;
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === view || (view === "campaign" && a.dataset.nav === "dashboard")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (view === "dashboard") loadDashboard();
  if (view === "campaign") loadCampaign(arg);
}

function route() {
  const [view, arg] = (location.hash.replace(/^#/, "") || "check").split("/");
  show(["check", "call", "dashboard", "campaign"].includes(view) ? view : "check", arg);
}

// -------------------------------------------------------------------------------------- check

function parseTranscript(text) {
  const turns = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = line.match(/^(caller|them|scammer|me|callee|i|you)\s*:\s*(.*)$/i);
    if (m) {
      const who = m[1].toLowerCase();
      turns.push({ speaker: ["me", "callee", "i"].includes(who) ? "callee" : "caller", text: m[2] });
    } else if (turns.length) {
      turns[turns.length - 1].text += " " + line;
    } else {
      turns.push({ speaker: "caller", text: line });
    }
  }
  return turns;
}

function buildMessage() {
  const kind = document.querySelector('input[name="kind"]:checked').value;
  const text = $("check-text").value;
  const sender = $("check-sender").value.trim();
  const message = kind === "call" ? { channel: "call", turns: parseTranscript(text) } : { channel: "sms", text };
  if (sender) message.sender = sender;
  return message;
}

async function onCheck(event) {
  event.preventDefault();
  const error = $("check-error");
  error.hidden = true;
  if (!$("check-text").value.trim()) {
    error.textContent = "Please paste the message first.";
    error.hidden = false;
    $("check-text").focus();
    return;
  }
  const message = buildMessage();
  $("check-button").disabled = true;
  try {
    const verdict = await api("/v1/check", { json: message });
    state.lastMessage = message;
    state.lastVerdict = verdict;
    renderVerdict(message, verdict);
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    $("check-button").disabled = false;
  }
}

const HEADLINES = {
  scam: ["This looks like a scam", "Do not reply, click, call back or pay."],
  suspicious: ["Be careful: this may be a scam", "Check with the organisation using a number you find yourself."],
  spam: ["This looks like marketing spam", "You can ignore it or report it to 7726."],
  safe: ["We found no warning signs", "That does not prove it is genuine: if in doubt, check independently."],
};

function renderVerdict(message, verdict) {
  const banner = $("verdict-banner");
  banner.className = "banner " + verdict.verdict;
  banner.replaceChildren();
  const [head, sub] = HEADLINES[verdict.verdict];
  banner.append(el("strong", { text: head }));
  if (verdict.scam_type_label) banner.append(el("span", { text: "Type: " + verdict.scam_type_label + ". " }));
  banner.append(el("span", { text: `Risk ${Math.round(verdict.risk * 100)}%. ${sub}` }));

  const flags = verdict.flags.filter((f) => f.weight > 0);
  const numbered = new Map(flags.map((f, i) => [f.id, i + 1]));
  const box = $("highlighted");
  box.replaceChildren();
  if (message.turns) {
    message.turns.forEach((t, i) => {
      const p = el("p", {}, el("span", { class: "speaker", text: t.speaker === "caller" ? "Caller: " : "Me: " }));
      p.append(...highlight(t.text, flags, numbered, i));
      box.append(p);
    });
  } else {
    box.append(...highlight(message.text, flags, numbered, null));
  }

  const list = $("flag-list");
  list.replaceChildren();
  if (!flags.length) list.append(el("li", { text: "No warning signs found." }));
  for (const f of flags) {
    const words = f.evidence.map((s) => `"${s.text}"`).join(", ");
    list.append(el("li", { "data-flag": f.id },
      el("strong", { text: f.description }),
      words ? el("span", { class: "words", text: "Words: " + words }) : null,
      f.note ? el("span", { class: "note", text: f.note }) : null));
  }
  // The first few steps matter most; the rest wait behind "More advice" so the page stays short.
  const advice = $("advice-list");
  advice.replaceChildren();
  const item = (a) => el("li", {}, el("span", { text: a.text + " " }), el("span", { class: "source", text: "(" + a.source + ")" }));
  verdict.advice.slice(0, 4).forEach((a) => advice.append(item(a)));
  if (verdict.advice.length > 4) {
    const more = el("ul", { class: "advice" });
    verdict.advice.slice(4).forEach((a) => more.append(item(a)));
    advice.append(el("li", { class: "more" }, el("details", {}, el("summary", { text: "More advice" }), more)));
  }
  $("report-status").textContent = "";
  $("report-button").disabled = false;
  $("result").hidden = false;
  banner.focus();
}

// Split a text at every evidence boundary and wrap the pieces that carry a flag in <mark>.
function highlight(text, flags, numbered, turn) {
  const spans = [];
  for (const f of flags) {
    for (const s of f.evidence) {
      if ((s.turn === null || s.turn === undefined ? null : s.turn) !== turn) continue;
      if (s.start < 0 || s.end > text.length || s.end <= s.start) continue;
      spans.push({ start: s.start, end: s.end, flag: f });
    }
  }
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { out.push(document.createTextNode(piece)); continue; }
    const titles = [...new Set(covering.map((s) => s.flag.description))];
    const mark = el("mark", { title: titles.join(" / "), "data-flags": covering.map((s) => s.flag.id).join(" ") });
    mark.textContent = piece;
    out.push(mark);
    const ending = [...new Set(spans.filter((s) => s.end === b && s.start <= a).map((s) => numbered.get(s.flag.id)))];
    for (const n of ending.sort((x, y) => x - y)) out.push(el("sup", { class: "badge", text: String(n), "aria-label": "warning sign " + n }));
  }
  return out;
}

async function onReport() {
  const status = $("report-status");
  if (!state.lastMessage) return;
  const key = (state.config && state.config.report_key) || $("report-key").value.trim();
  if (!key) {
    $("report-key-box").hidden = false;
    status.textContent = "This service needs a reporting key: type it in above and press the button again.";
    $("report-key").focus();
    return;
  }
  const body = { message: state.lastMessage };
  const area = $("report-area").value.trim();
  const money = $("report-money").value.trim();
  const story = $("report-story").value.trim();
  if (area) body.area = area;
  if (money) body.money_lost = Number(money);
  if (story) body.what_happened = story;
  $("report-button").disabled = true;
  status.textContent = "Sending your report...";
  try {
    const r = await api("/v1/reports", { json: body, headers: { "X-API-Key": key } });
    status.replaceChildren(document.createTextNode(`Thank you. Your report number is ${r.id}. `));
    if (r.campaign && r.campaign.size > 1) {
      status.append(document.createTextNode(`It matches ${r.campaign.size - 1} other report(s): `),
        el("a", { href: "#campaign/" + r.campaign.id, text: "see the campaign" }), document.createTextNode("."));
    }
  } catch (e) {
    status.textContent = "The report was not saved: " + e.message;
    $("report-button").disabled = false;
  }
}

// ---------------------------------------------------------------------------------------- calls

function addTurn(list, turn, index) {
  const li = el("li", { "data-turn": String(index) },
    el("span", { class: "speaker", text: turn.speaker === "caller" ? "Caller: " : "Me: " }),
    document.createTextNode(turn.text));
  list.append(li);
  return li;
}

function markAlert(li, alert) {
  if (!li) return;
  li.classList.add("alert-turn");
  li.prepend(el("span", { class: "alert-label", text: alert.message || "Scam alert here" }));
}

async function onUpload(event) {
  event.preventDefault();
  const status = $("upload-status");
  const file = $("upload-file").files[0];
  if (!file) { status.textContent = "Choose a recording first."; return; }
  const form = new FormData();
  form.append("file", file);
  status.textContent = "Transcribing... this can take a while for a long call.";
  try {
    const r = await api("/v1/calls/recording", { method: "POST", body: form });
    const list = $("upload-transcript");
    list.replaceChildren();
    const items = r.turns.map((t, i) => addTurn(list, t, i));
    if (r.alert && r.alert.turn !== null && r.alert.turn !== undefined) markAlert(items[r.alert.turn], r.alert);
    status.textContent = `Verdict: ${r.verdict.verdict}${r.verdict.scam_type_label ? " (" + r.verdict.scam_type_label + ")" : ""}.`;
  } catch (e) {
    status.textContent = e.message;
  }
}

function onLive() {
  const turns = parseTranscript($("live-script").value);
  if (!turns.length) return;
  const list = $("live-transcript");
  list.replaceChildren();
  $("live-alert").hidden = true;
  $("live-meter").hidden = false;
  $("live-button").disabled = true;
  const delay = Number(document.body.dataset.liveDelay || 1200);
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/calls/live");
  const items = [];
  let next = 0;
  const sendNext = () => {
    if (next >= turns.length) { ws.send(JSON.stringify({ type: "end" })); return; }
    const t = turns[next];
    items.push(addTurn(list, t, next));
    next += 1;
    ws.send(JSON.stringify({ type: "turn", speaker: t.speaker, text: t.text }));
  };
  ws.onopen = () => { ws.send(JSON.stringify({ type: "start", message: {} })); sendNext(); };
  ws.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.type === "update") {
      const pct = Math.round(m.risk * 100);
      $("live-risk").textContent = pct + "%";
      $("live-verdict").textContent = "(" + m.verdict + ")";
      $("live-bar").style.width = pct + "%";
      setTimeout(sendNext, delay);
    } else if (m.type === "alert") {
      const box = $("live-alert");
      box.className = "banner " + (m.level === "scam" ? "scam" : "suspicious");
      box.textContent = m.message;
      box.hidden = false;
      if (m.turn !== null && m.turn !== undefined) markAlert(items[m.turn], m);
    } else if (m.type === "final" || m.type === "error") {
      if (m.type === "error") $("live-verdict").textContent = m.error;
      $("live-button").disabled = false;
    }
  };
  ws.onclose = () => { $("live-button").disabled = false; };
}

// ------------------------------------------------------------------------------------ dashboard

function intelHeaders() {
  return state.adminKey ? { "X-API-Key": state.adminKey } : {};
}

function money(x) {
  return "£" + Number(x || 0).toLocaleString("en-GB", { maximumFractionDigits: 0 });
}

// +447700900123 -> "07700 900123": the way UK numbers are written on a phone or a letter.
function ukNumber(e164) {
  if (!/^\+44\d{10}$/.test(e164)) return e164;
  const n = "0" + e164.slice(3);
  if (n.startsWith("02")) return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
  if (n.startsWith("07")) return `${n.slice(0, 5)} ${n.slice(5)}`;
  return `${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`;
}

function day(iso) {
  return iso ? new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" }) : "-";
}

async function loadDashboard() {
  const err = $("dash-error");
  err.hidden = true;
  let stats;
  try {
    stats = await api("/v1/stats", { headers: intelHeaders() });
  } catch (e) {
    if (e.status === 401 || e.status === 403) $("dash-key-box").hidden = false;
    err.textContent = e.message;
    err.hidden = false;
    return;
  }
  $("dash-key-box").hidden = true;
  const totals = $("totals");
  totals.replaceChildren(
    el("div", {}, el("dt", { text: "Reports" }), el("dd", { text: String(stats.reports) })),
    el("div", {}, el("dt", { text: "Campaigns" }), el("dd", { text: String(stats.top_campaigns.length ? stats.campaigns : 0) })),
    el("div", {}, el("dt", { text: "Money lost" }), el("dd", { text: money(stats.money_lost) })));
  drawChart($("chart"), stats.weeks, stats.series, $("chart-legend"));
  chartTable(stats.weeks, stats.series);
  const list = $("campaign-list");
  list.replaceChildren();
  if (!stats.top_campaigns.length) list.append(el("li", { text: "No campaigns yet: a campaign needs two or more matching reports." }));
  for (const c of stats.top_campaigns) list.append(campaignCard(c));
  const nums = $("top-numbers");
  nums.replaceChildren(...stats.top_numbers.map((n) => el("li", { text: `${ukNumber(n.number)} (${n.reports} reports)` })));
  const doms = $("top-domains");
  doms.replaceChildren(...stats.top_domains.map((d) => el("li", { text: `${d.domain} (${d.reports} reports)` })));
}

function campaignCard(c) {
  return el("li", { class: "campaign" },
    el("h3", {}, el("a", { href: "#campaign/" + c.id, text: `Campaign ${c.id}: ${c.scam_type_label || "type not known"}` })),
    el("p", { text: `${c.size} reports, ${day(c.first_seen)} to ${day(c.last_seen)}. Money lost: ${money(c.money_lost)}.` }),
    el("p", { class: "message", text: c.typical_wording.slice(0, 200) + (c.typical_wording.length > 200 ? "..." : "") }));
}

function drawChart(box, weeks, series, legend) {
  const W = 640, H = 300, L = 44, B = 40, T = 12, R = 12;
  const max = Math.max(1, ...series.flatMap((s) => s.counts));
  const x = (i) => L + (weeks.length < 2 ? 0 : (i * (W - L - R)) / (weeks.length - 1));
  const y = (v) => H - B - (v * (H - B - T)) / max;
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Reports per week, by campaign" });
  const ticks = [0, Math.ceil(max / 2), max];
  for (const t of ticks) {
    svg.append(svgEl("line", { x1: L, x2: W - R, y1: y(t), y2: y(t), stroke: "#b1b4b6", "stroke-width": 1 }));
    const label = svgEl("text", { x: L - 6, y: y(t) + 5, "text-anchor": "end", "font-size": 14 });
    label.textContent = String(t);
    svg.append(label);
  }
  weeks.forEach((w, i) => {
    if (i % Math.ceil(weeks.length / 6) !== 0 && i !== weeks.length - 1) return;
    const label = svgEl("text", { x: x(i), y: H - B + 22, "text-anchor": "middle", "font-size": 14 });
    label.textContent = new Date(w).toLocaleDateString("en-GB", { day: "numeric", month: "short" });
    svg.append(label);
  });
  legend.replaceChildren();
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const pts = s.counts.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    svg.append(svgEl("polyline", { points: pts, fill: "none", stroke: colour, "stroke-width": s.campaign_id === null ? 5 : 3,
      "stroke-dasharray": s.campaign_id === null ? "" : (k % 2 ? "8 4" : "") }));
    s.counts.forEach((v, i) => svg.append(svgEl("circle", { cx: x(i), cy: y(v), r: 4, fill: colour })));
    const sw = el("span", { class: "swatch" });
    sw.style.background = colour;
    legend.append(el("span", {}, sw, document.createTextNode(s.label)));
  });
  box.replaceChildren(svg);
}

function chartTable(weeks, series) {
  const table = $("chart-table");
  const head = el("tr", {}, el("th", { text: "Week from" }), ...series.map((s) => el("th", { text: s.label })));
  const rows = weeks.map((w, i) => el("tr", {}, el("td", { text: w }), ...series.map((s) => el("td", { text: String(s.counts[i]) }))));
  table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

async function loadCampaign(id) {
  let c;
  try {
    c = await api("/v1/campaigns/" + encodeURIComponent(id), { headers: intelHeaders() });
  } catch (e) {
    $("campaign-title").textContent = e.message;
    return;
  }
  $("campaign-title").textContent = `Campaign ${c.id}: ${c.scam_type_label || "type not known"}`;
  const fact = (k, v) => el("div", {}, el("dt", { text: k }), el("dd", { text: v }));
  $("campaign-facts").replaceChildren(fact("Reports", String(c.size)), fact("First seen", day(c.first_seen)),
    fact("Last seen", day(c.last_seen)), fact("Money lost", money(c.money_lost)));
  $("campaign-wording").textContent = c.typical_wording;
  drawChart($("campaign-chart"), c.timeline.map((t) => t.week), [{ campaign_id: null, label: "Reports", counts: c.timeline.map((t) => t.reports) }], el("p"));
  $("campaign-numbers").replaceChildren(...c.numbers.map((n) => el("li", { text: `${ukNumber(n.number)} (${n.reports} reports)` })));
  $("campaign-domains").replaceChildren(...c.domains.map((d) => el("li", { text: `${d.domain} (${d.reports} reports)` })));
  $("campaign-areas").replaceChildren(...c.areas.map((a) => el("li", { text: `${a.area} (${a.reports} reports)` })));
  $("campaign-reports").replaceChildren(...c.latest_reports.map((r) => el("li", {},
    el("p", { text: `${day(r.seen_at)} - ${r.channel === "call" ? "phone call" : "text"}${r.sender ? " from " + r.sender : ""}` }),
    el("p", { class: "message", text: r.text }))));
}

// ----------------------------------------------------------------------------------------- start

async function start() {
  $("check-form").addEventListener("submit", onCheck);
  $("report-button").addEventListener("click", onReport);
  $("upload-form").addEventListener("submit", onUpload);
  $("live-button").addEventListener("click", onLive);
  $("dash-key-button").addEventListener("click", () => {
    state.adminKey = $("dash-key").value.trim();
    sessionStorage.setItem("adminKey", state.adminKey);
    loadDashboard();
  });
  window.addEventListener("hashchange", route);
  try {
    state.config = await api("/v1/config");
    if (!state.config.report_key) $("report-key-box").hidden = false;
    if (!state.config.features.transcription) {
      $("upload-status").textContent = "Recordings cannot be checked on this server: speech-to-text is not installed.";
    }
  } catch (e) {
    state.config = null;
  }
  route();
  document.body.dataset.ready = "1";
}

start();
