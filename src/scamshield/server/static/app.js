// scamshield web page: plain JavaScript, no libraries, no network beyond this server.
// Every piece of text from a message or a report is inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  config: null,   // /v1/config: features, a report key when the server lends one
  page: null,     // /v1/page: report routes, which flags are marketing or the learned model's
  adminKey: sessionStorage.getItem("adminKey"),
};
const COLOURS = ["#0b0c0c", "#a4000f", "#0b3d91", "#005a30", "#8a4b00", "#4c2c92"];
const HISTORY_KEY = "scamshield.history";
const HISTORY_MAX = 50;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

function svgEl(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : (many || one + "s")}`;
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

const VIEWS = ["check", "call", "dashboard", "campaign", "history"];

function show(view, arg) {
  for (const s of document.querySelectorAll("[data-view]")) s.hidden = s.dataset.view !== view;
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === view || (view === "campaign" && a.dataset.nav === "dashboard")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (view === "dashboard") loadDashboard();
  if (view === "campaign") loadCampaign(arg);
  if (view === "history") showHistory();
}

function route() {
  const [view, arg] = (location.hash.replace(/^#/, "") || "check").split("/");
  show(VIEWS.includes(view) ? view : "check", arg);
}

// -------------------------------------------------------------------------------------- check

// The same reading as the CLI's (scamshield.inputs.turns_from_text; tests/test_browser.py checks they
// agree): the page checks incoming calls, so "me"/"i"/"callee" is the user and "them"/"scammer"/"caller"
// the one who rang; lines with no label carry on the turn before, or open an unlabelled turn.
const SPEAKER_LABELS = { caller: "caller", them: "caller", scammer: "caller", other: "caller",
  callee: "callee", me: "callee", i: "callee", user: "callee", unknown: "unknown" };

function parseTranscript(text) {
  const turns = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = line.match(/^([A-Za-z]+)\s*:\s*(.*)$/);
    const speaker = m ? SPEAKER_LABELS[m[1].toLowerCase()] : undefined;
    if (speaker) {
      turns.push({ speaker, text: m[2].trim() });
    } else if (turns.length) {
      turns[turns.length - 1].text = (turns[turns.length - 1].text + " " + line).trim();
    } else {
      turns.push({ speaker: "unknown", text: line });
    }
  }
  return turns.filter((t) => t.text.trim());
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
  if (message.channel === "call" && !message.turns.length) {
    error.textContent = "Please write what was said, one line per turn.";
    error.hidden = false;
    return;
  }
  $("check-button").disabled = true;
  $("check-result").replaceChildren();  // never leave the last message's verdict beside a new message
  $("check-result").hidden = true;
  try {
    const verdict = await api("/v1/check", { json: message });
    remember(message.channel === "call" ? "call" : "text", message, verdict);
    renderResult($("check-result"), { message, verdict, source: message.channel === "call" ? "call" : "text" });
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    $("check-button").disabled = false;
  }
}

// ------------------------------------------------------------------------------ the result view
//
// One story per verdict. A scam or suspicious result lists the warning signs behind it; a safe one says
// what we checked (signs that fired but were outweighed or cancelled, with why) and why it still looks
// genuine; spam lists the marketing signs. Everything else, and the learned model's probabilities, is in
// the "How we worked this out" details.

const HEADLINES = {
  text: {
    scam: ["This is a scam", "Do not reply, tap any link, call back or pay."],
    suspicious: ["Be careful: this may be a scam", "Do not reply or pay. Check with the organisation on a number you find yourself."],
    spam: ["This looks like marketing spam", "We found no sign of fraud, but you did not ask for it. You can ignore it or report it to 7726."],
    safe: ["We found no signs of a scam", "It looks genuine. Below is what we checked, and what to do if you are still unsure."],
  },
  call: {
    scam: ["This call is a scam", "If you are still on the call, hang up now. Do not pay or give any details."],
    suspicious: ["Be careful: this call may be a scam", "Do not pay or give any details. If unsure, hang up and ring the organisation on a number you find yourself."],
    spam: ["This sounds like a sales call", "We found no sign of fraud. You can hang up and report the number to 7726."],
    safe: ["We found no signs of a scam in this call", "It sounds genuine. Below is what we checked, and what to do if you are still unsure."],
  },
};

function isCall(message) {
  return !!(message && message.turns);
}

function speakerName(speaker, direction) {
  const outgoing = direction === "outgoing";
  if (speaker === "caller") return outgoing ? "You" : "Caller";
  if (speaker === "callee") return outgoing ? "They" : "You";
  if (speaker === "user") return "You";
  if (speaker === "other") return "Them";
  return "";
}

function firstSentence(text) {
  const m = text.match(/^(.+?[.!?])(\s|$)/);
  return m ? m[1] : text;
}

// A flag's description as the page shows it: without sentences about the API's fields ("The note says...")
// and, for the learned model, without "the highlighted words weighed most" (its words are listed, not marked).
function plainDescription(f, model) {
  let text = f.description.replace(/(^|\s)The note [^.]*\./g, "").trim();
  if (model) text = text.replace(/;\s*the highlighted words weighed most\./, ".");
  return text;
}

function flagLists(verdict) {
  const page = state.page || { spam_flags: [], model_flags: [] };
  const spam = new Set(page.spam_flags);
  const fraudWarnings = verdict.flags.filter((f) => f.status === "warning" && !spam.has(f.id));
  const spamWarnings = verdict.flags.filter((f) => f.status === "warning" && spam.has(f.id));
  const reassuring = verdict.flags.filter((f) => f.status === "reassuring");
  // warning signs that fired but did not count (a cancelled "looks genuine" sign is only in the details)
  const checked = verdict.flags.filter((f) => (f.status === "outweighed" || f.status === "cancelled") && f.weight > 0);
  const lists = [];
  if (verdict.verdict === "scam" || verdict.verdict === "suspicious") {
    lists.push({ key: "warnings", title: verdict.verdict === "scam" ? "Why it is a scam" : "Why it may be a scam",
                 flags: fraudWarnings, mark: "warn" });
  } else if (verdict.verdict === "spam") {
    lists.push({ key: "spam", title: "Why it looks like spam", flags: spamWarnings, mark: "warn" });
    lists.push({ key: "checked", title: "What we checked", flags: checked, mark: "checked" });
  } else {
    lists.push({ key: "checked", title: "What we checked", flags: checked, mark: "checked" });
    lists.push({ key: "genuine", title: "Why it still looks genuine", flags: reassuring, mark: "good" });
  }
  let n = 0;
  for (const list of lists) {
    list.start = n + 1;
    list.numbers = new Map(list.flags.map((f) => [f.id, ++n]));
  }
  return lists;
}

function renderResult(box, { message, verdict, alert, source }) {
  box.replaceChildren();
  box.hidden = false;
  const call = isCall(message);
  const kind = call ? "call" : "text";
  const v = verdict.verdict;
  const [head, sub] = HEADLINES[kind][v];

  const banner = el("div", { class: "banner " + v, tabindex: "-1", "data-verdict": v },
    el("strong", { text: head }), el("p", { text: sub }));
  if (verdict.scam_type_label && (v === "scam" || v === "suspicious")) {
    banner.append(el("p", { class: "type", text: "Type: " + verdict.scam_type_label }));
  }
  box.append(banner);

  const lists = flagLists(verdict);
  const marked = lists.filter((l) => l.flags.length);
  const what = call ? "The call" : "The message";
  let title = what;
  if (v === "scam" || v === "suspicious") {
    if (marked.length) title = `${what}, with the warning signs marked`;
  } else if (v === "spam") {
    if (marked.length) title = `${what}, with the marketing signs marked`;
  } else if (marked.length) {
    title = `${what}, with what we checked marked`;
  }
  box.append(el("h2", { text: title }));
  box.append(messageView(message, lists, alert));

  for (const list of lists) box.append(...flagSection(list, verdict));

  box.append(...adviceSection(verdict));
  box.append(reportSection(message, verdict, source));
  box.append(feedbackSection(message, verdict, box));
  box.append(detailsSection(verdict));
  banner.focus();
}

function messageView(message, lists, alert) {
  const spans = [];
  const model = new Set((state.page && state.page.model_flags) || []);
  for (const list of lists) {
    for (const f of list.flags) {
      if (model.has(f.id)) continue;  // the model's weightiest words are listed, not marked
      for (const s of f.evidence) spans.push({ start: s.start, end: s.end, turn: s.turn, flag: f, n: list.numbers.get(f.id), mark: list.mark });
    }
  }
  if (isCall(message)) {
    const ol = el("ol", { class: "message transcript" });
    message.turns.forEach((t, i) => {
      const who = speakerName(t.speaker, message.direction);
      const li = el("li", { "data-turn": String(i) });
      if (who) li.append(el("span", { class: "speaker", text: who + ": " }));
      li.append(...highlight(t.text, spans.filter((s) => s.turn === i)));
      ol.append(li);
    });
    if (message.sender) ol.prepend(callerIdLine("li", "Number shown: ", message.sender, lists));
    if (alert) markAlert(ol, alert);
    return ol;
  }
  const div = el("div", { class: "message" });
  if (message.sender) div.append(callerIdLine("p", "From: ", message.sender, lists));
  const p = el("p");
  p.append(...highlight(message.text, spans.filter((s) => s.turn === null || s.turn === undefined)));
  div.append(p);
  return div;
}

// The number or name on the screen, with the numbers of the caller-ID signs about it (they have no words).
function callerIdLine(tag, label, sender, lists) {
  const line = el(tag, { class: "caller-id" }, el("span", { class: "speaker", text: label }), document.createTextNode(sender));
  for (const list of lists) {
    for (const f of list.flags) {
      if (f.group === "callerid" && !f.evidence.length) {
        line.append(el("sup", { class: "badge " + list.mark, text: String(list.numbers.get(f.id)), "aria-label": "see point " + list.numbers.get(f.id) }));
      }
    }
  }
  return line;
}

// Split a text at every evidence boundary and wrap the pieces that carry a flag in <mark>; a number
// after each stretch says which item of the lists below explains it.
function highlight(text, spans) {
  spans = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.end > s.start);
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { out.push(document.createTextNode(piece)); continue; }
    const kind = covering.some((s) => s.mark === "warn") ? "warn" : covering[0].mark;
    const titles = [...new Set(covering.map((s) => firstSentence(s.flag.description)))];
    const mark = el("mark", { class: kind, title: titles.join(" / "), "data-flags": covering.map((s) => s.flag.id).join(" ") });
    mark.textContent = piece;
    out.push(mark);
    const ending = [...new Set(spans.filter((s) => s.end === b && s.start <= a).map((s) => s.n))];
    for (const n of ending.sort((x, y) => x - y)) out.push(el("sup", { class: "badge " + kind, text: String(n), "aria-label": "see point " + n }));
  }
  return out;
}

function flagSection(list, verdict) {
  const model = new Set((state.page && state.page.model_flags) || []);
  if (!list.flags.length) {
    if (list.key === "checked" && verdict.verdict === "safe") {
      return [el("h2", { text: list.title }), el("p", { class: "checked-none", text:
        "We looked for threats, pressure to act fast, requests for money, codes or personal details, links and " +
        "phone numbers that are not the organisation's own, and a faked caller ID. We found none of them." })];
    }
    if (list.key === "warnings") {
      return [el("h2", { text: list.title }), el("p", { text: "The learned model reads it as a scam, but no single red flag stands out." })];
    }
    return [];
  }
  const ol = el("ol", { class: "flags " + list.key, start: String(list.start) });
  for (const f of list.flags) {
    const isModel = model.has(f.id);
    const words = [...new Set(f.evidence.map((s) => `"${s.text}"`))].join(", ");
    const li = el("li", { "data-flag": f.id, "data-status": f.status });
    const description = plainDescription(f, isModel);
    li.append(el("strong", { text: list.key === "checked" ? firstSentence(description) : description }));
    if (words) li.append(el("span", { class: "words", text: (isModel ? "Words that weighed most: " : "Words: ") + words }));
    if (f.note && !isModel) li.append(el("span", { class: "note", text: f.note }));
    if (list.key === "checked") {
      const reason = f.reason || "Not enough on its own to make this a scam.";
      li.append(el("span", { class: "reason", text: f.status === "cancelled" ? "Not a worry here: " + reason : reason }));
    }
    ol.append(li);
  }
  return [el("h2", { text: list.title }), ol];
}

// "https://www.gov.uk/guidance/..." -> "gov.uk": the whole address is the link (and its tooltip).
function sourceName(url) {
  try { return new URL(url).hostname.replace(/^www\./, ""); } catch (e) { return url; }
}

function adviceSection(verdict) {
  if (!verdict.advice.length) return [];
  const v = verdict.verdict;
  const title = v === "safe" ? "If you are still unsure" : (v === "spam" ? "What you can do" : "What to do now");
  const list = el("ul", { class: "advice" });
  const item = (a) => el("li", {}, el("span", { text: a.text + " " }), el("span", { class: "source" }, "(source: ",
    el("a", { href: a.source, rel: "noopener noreferrer", target: "_blank", title: a.source, text: sourceName(a.source) }), ")"));
  verdict.advice.slice(0, 5).forEach((a) => list.append(item(a)));
  if (verdict.advice.length > 5) {
    const more = el("ul", { class: "advice" });
    verdict.advice.slice(5).forEach((a) => more.append(item(a)));
    list.append(el("li", { class: "more" }, el("details", {}, el("summary", { text: "More advice" }), more)));
  }
  return [el("h2", { text: title }), list];
}

// ------------------------------------------------------------------------------------ reporting

function chosenRoutes(message, verdict) {
  const routes = (state.page && state.page.report_routes) || [];
  const channel = isCall(message) ? "call" : "sms";
  const fired = new Set(verdict.flags.filter((f) => f.weight > 0).map((f) => f.id));
  return routes.filter((r) => r.verdicts.includes(verdict.verdict) && (!r.channel || r.channel === channel)
    && (!r.flags.length || r.flags.some((f) => fired.has(f))));
}

function messageText(message) {
  return isCall(message) ? message.turns.map((t) => t.text).join("\n") : message.text;
}

function routeLink(r, message) {
  let href;
  if (r.kind === "tel") href = "tel:" + r.to;
  else if (r.kind === "web") href = r.to;
  else {
    let body = "";
    if (r.body === "message") body = messageText(message).slice(0, 1000);
    else if (r.body === "call_number") body = "Call " + (message.sender || "");
    href = `sms:${r.to}` + (body ? "?body=" + encodeURIComponent(body) : "");
  }
  const a = el("a", { class: "route-button", href, "data-route": r.id, text: r.label });
  if (r.kind === "web") { a.target = "_blank"; a.rel = "noopener noreferrer"; }
  return a;
}

function reportSection(message, verdict, source) {
  const v = verdict.verdict;
  const routes = chosenRoutes(message, verdict);
  const section = el("section", { class: "report", "aria-label": "Report it" });
  section.hidden = v === "safe";
  section.append(el("h2", { text: v === "spam" ? "Report it" : "Report it to the people who can act" }));
  if (routes.length) {
    if (isCall(message) && !message.sender && routes.some((r) => r.body === "call_number")) {
      section.append(el("p", { class: "hint", text: "Add the number that rang you after the word \"Call\" before you send the text to 7726." }));
    }
    const ul = el("ul", { class: "routes" });
    for (const r of routes) ul.append(el("li", { "data-route": r.id }, routeLink(r, message), el("span", { class: "route-text", text: r.text })));
    section.append(ul);
  }
  if (v === "spam") return section;
  const keep = el("div", { class: "keep" });
  keep.append(el("h3", { text: "Keep a copy in this scamshield" }),
    el("p", { text: "This adds it to the list of scams kept by this scamshield on this computer, so matching " +
      "reports are grouped on the Scam campaigns page. It is not a report to the police or your bank: use the buttons above for that." }));
  const area = el("input", { id: uid("report-area"), type: "text", maxlength: "80", autocomplete: "address-level2" });
  const money = el("input", { id: uid("report-money"), type: "number", min: "0", step: "0.01", inputmode: "decimal" });
  const story = el("textarea", { id: uid("report-story"), rows: "3", maxlength: "5000" });
  keep.append(el("details", {}, el("summary", { text: "Add details (optional)" }),
    el("label", { for: area.id, text: "Your town or county" }), area,
    el("label", { for: money.id, text: "Money lost, in pounds" }), money,
    el("label", { for: story.id, text: "What happened" }), story));
  const button = el("button", { type: "button", class: "primary keep-button", text: "Add it to this scamshield's scam list" });
  const status = el("p", { class: "keep-status", role: "status" });
  button.addEventListener("click", () => saveReport(message, { area, money, story }, button, status, false));
  keep.append(button, status);
  section.append(keep);
  return section;
}

let uidCounter = 0;
function uid(prefix) {
  uidCounter += 1;
  return `${prefix}-${uidCounter}`;
}

function reportKey(status) {
  const key = (state.config && state.config.report_key) || ($("report-key") && $("report-key").value.trim());
  if (key) return key;
  status.replaceChildren(document.createTextNode("This scamshield needs a reporting key from whoever runs it. "),
    keyBox());
  return null;
}

function keyBox() {
  if ($("report-key")) return document.createTextNode("Type it in the box above and press the button again.");
  return el("span", {}, el("label", { for: "report-key", text: "Reporting key" }),
    el("input", { id: "report-key", type: "password", autocomplete: "off" }),
    document.createTextNode("Type it in and press the button again."));
}

// Save the message in this scamshield's reports: as a scam (it joins campaigns), or as "not a scam"
// (stored, then marked so through the same feedback store as POST /v1/reports/{id}/feedback).
async function saveReport(message, fields, button, status, notScam) {
  const key = reportKey(status);
  if (!key) return;
  const body = { message };
  if (fields) {
    const area = fields.area.value.trim(), money = fields.money.value.trim(), story = fields.story.value.trim();
    if (area) body.area = area;
    if (money) body.money_lost = Number(money);
    if (story) body.what_happened = story;
  }
  if (notScam) body.what_happened = "Marked \"not a scam\" on the web page.";
  button.disabled = true;
  status.textContent = "Saving...";
  const headers = { "X-API-Key": key, "Idempotency-Key": "page-" + Date.now() + "-" + Math.random().toString(36).slice(2) };
  try {
    const r = await api("/v1/reports", { json: body, headers });
    if (notScam) {
      await api(`/v1/reports/${r.id}/feedback`, { json: { not_scam: true, note: "Marked not a scam on the web page" }, headers: { "X-API-Key": key } });
      button.textContent = "Noted";
      status.textContent = "Thank you. It is noted in this scamshield's reports as not a scam, so it will not count towards any scam campaign here.";
      return;
    }
    button.textContent = "Added";
    status.replaceChildren(document.createTextNode("Added to the scam list kept by this scamshield on this computer. " +
      "This is not a police report: to report it, use the buttons above. "));
    if (r.campaign && r.campaign.size > 1) {
      status.append(document.createTextNode(`It matches ${plural(r.campaign.size - 1, "other report")} here: `),
        el("a", { href: "#campaign/" + r.campaign.id, text: "see the campaign" }), document.createTextNode("."));
    }
  } catch (e) {
    status.textContent = "It was not saved: " + e.message;
    button.disabled = false;
  }
}

function feedbackSection(message, verdict, box) {
  const v = verdict.verdict;
  const section = el("div", { class: "feedback" }, el("h2", { text: "Was this result right?" }));
  const status = el("p", { class: "feedback-status", role: "status" });
  if (v === "scam" || v === "suspicious") {
    const no = el("button", { type: "button", class: "not-scam", text: "No: it is genuine, not a scam" });
    no.addEventListener("click", () => saveReport(message, null, no, status, true));
    section.append(el("p", { text: "If it is right, there is nothing more to do. If you know it is genuine, tell this scamshield, so it does not count towards a scam campaign here." }), no, status);
  } else {
    const yes = el("button", { type: "button", class: "was-scam", text: "No: I think it is a scam" });
    yes.addEventListener("click", async () => {
      const report = box.querySelector(".report");
      report.hidden = false;
      const keep = report.querySelector(".keep-button");
      if (keep) await saveReport(message, null, keep, report.querySelector(".keep-status"), false);
      yes.disabled = true;
      status.textContent = "Noted. Where to report it is shown above.";
      report.scrollIntoView({ block: "start" });
    });
    section.append(el("p", { text: "If it is right, there is nothing more to do. If you think it is a scam after all, keep a copy in this scamshield and see where to report it." }), yes, status);
  }
  return section;
}

function detailsSection(verdict) {
  const model = new Set((state.page && state.page.model_flags) || []);
  const names = { warning: "counts towards the result", reassuring: "a sign it is genuine", cancelled: "cancelled out", outweighed: "outweighed" };
  const ul = el("ul", { class: "detail-flags" });
  for (const f of verdict.flags) {
    ul.append(el("li", {}, el("code", { text: f.id }), document.createTextNode(` (${names[f.status] || f.status}): `),
      document.createTextNode(f.description),
      f.note ? el("span", { class: "note", text: (model.has(f.id) ? "" : "Note: ") + f.note }) : null,
      f.reason ? el("span", { class: "note", text: "Why: " + f.reason }) : null));
  }
  if (!verdict.flags.length) ul.append(el("li", { text: "No signs fired either way." }));
  return el("details", { class: "how" }, el("summary", { text: "How we worked this out" }),
    el("p", { text: `Scam risk ${Math.round(verdict.risk * 100)}%, marketing score ${Math.round(verdict.spam_score * 100)}%. ` +
      "Each sign adds to or takes from the risk; the learned model is one of the signs." }), ul);
}

// ------------------------------------------------------------------------------------- history

function loadHistory() {
  try {
    const items = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(items) ? items : [];
  } catch (e) {
    return [];
  }
}

function remember(kind, message, verdict) {
  const items = loadHistory();
  const text = messageText(message) || "";
  items.unshift({
    when: new Date().toISOString(), kind, verdict: verdict.verdict, label: verdict.scam_type_label || null,
    preview: text.slice(0, 160), message: text.length <= 5000 && kind !== "recording" ? message : null,
  });
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(0, HISTORY_MAX)));
  } catch (e) { /* storage full or off: the history is a convenience */ }
}

const KIND_NAMES = { text: "Text message", call: "Call transcript", recording: "Call recording", live: "Live call demo" };
const VERDICT_NAMES = { scam: "Scam", suspicious: "Maybe a scam", spam: "Marketing spam", safe: "No signs of a scam" };

function showHistory() {
  const list = $("history-list");
  const items = loadHistory();
  list.replaceChildren();
  $("history-clear").hidden = !items.length;
  if (!items.length) {
    list.append(el("li", { class: "empty", text: "Nothing checked in this browser yet (or the list was cleared)." }));
    return;
  }
  items.forEach((item) => {
    const li = el("li", { class: "history-item" },
      el("p", {}, el("span", { class: "pill " + item.verdict, text: VERDICT_NAMES[item.verdict] || item.verdict }),
        document.createTextNode(` ${KIND_NAMES[item.kind] || item.kind}, ${when(item.when)}${item.label ? " - " + item.label : ""}`)),
      el("p", { class: "message", text: item.preview + (item.preview.length >= 160 ? "..." : "") }));
    if (item.message) {
      const again = el("button", { type: "button", text: "Check it again" });
      again.addEventListener("click", () => checkAgain(item.message));
      li.append(again);
    }
    list.append(li);
  });
}

function when(iso) {
  const d = new Date(iso);
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short" }) + " " +
    d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

function checkAgain(message) {
  const call = isCall(message);
  $(call ? "kind-call" : "kind-sms").checked = true;
  $("check-text").value = call ? message.turns.map((t) => (t.speaker === "callee" ? "Me: " : "Caller: ") + t.text).join("\n") : message.text;
  $("check-sender").value = message.sender || "";
  location.hash = "#check";
  $("check-form").requestSubmit();
}

function clearHistory() {
  localStorage.removeItem(HISTORY_KEY);
  showHistory();
  $("history-status").textContent = "The list is cleared.";
}

// ---------------------------------------------------------------------------------------- calls

function markAlert(list, alert) {
  const li = alert.turn === null || alert.turn === undefined ? null : list.querySelector(`li[data-turn="${alert.turn}"]`);
  const scam = alert.level === "scam";
  const text = scam ? "Here it became a scam: this is when we would tell you to hang up."
    : "Here it started to look like a scam: this is when we would warn you.";
  if (li) {
    li.classList.add("alert-turn");
    li.prepend(el("span", { class: "alert-label", text }));
  } else {
    // caller ID alone tipped it, before anyone spoke
    list.insertBefore(el("li", { class: "alert-turn before" }, el("span", { class: "alert-label",
      text: scam ? "Before anyone spoke, the number shown was enough: we would tell you not to trust this call." : text })),
      list.querySelector("li[data-turn]"));
  }
}

function alertBanner(box, alert) {
  const scam = alert.level === "scam";
  box.className = "banner " + (scam ? "scam" : "suspicious");
  const what = alert.scam_type_label ? `It sounds like ${article(alert.scam_type_label)} ${alert.scam_type_label}.` : "";
  const heard = alert.evidence && alert.evidence.length ? ` We heard: "${alert.evidence[0]}".` : "";
  box.replaceChildren(
    el("strong", { text: scam ? "Hang up now - this is a scam" : "Be careful - this call may be a scam" }),
    el("p", { text: scam ? "Do not pay, do not give any details, and do not stay on the line." :
      "Do not pay or give any details. If you are unsure, hang up and ring the organisation on a number you find yourself." }),
    el("p", { class: "type", text: (what + heard).trim() }));
  box.hidden = false;
}

function article(label) {
  if (/^[A-Z]{2,}\b/.test(label)) return "AEFHILMNORSX".includes(label[0]) ? "an" : "a";  // "an HMRC ..."
  return /^[aeiou]/i.test(label) && !/^(one|uni|eu)/i.test(label) ? "an" : "a";
}

let uploadTimer = null;

async function onUpload(event) {
  event.preventDefault();
  const status = $("upload-status");
  const file = $("upload-file").files[0];
  if (!file) { status.textContent = "Choose a recording first."; return; }
  const form = new FormData();
  form.append("file", file);
  const started = Date.now();
  const tick = () => { status.textContent = `Listening to the recording and checking it... ${Math.round((Date.now() - started) / 1000)} s (about a minute for each few minutes of call).`; };
  tick();
  clearInterval(uploadTimer);
  uploadTimer = setInterval(tick, 1000);
  $("upload-button").disabled = true;
  try {
    const r = await api("/v1/calls/recording", { method: "POST", body: form });
    const message = { channel: "call", turns: r.turns };
    status.textContent = `Done: ${plural(r.turns.length, "turn")} heard.`;
    renderResult($("upload-result"), { message, verdict: r.verdict, alert: r.alert, source: "recording" });
    remember("recording", message, r.verdict);
  } catch (e) {
    status.textContent = e.status === 501 ? "Recordings cannot be checked here: speech-to-text is not installed (see above)." : e.message;
    if (e.status === 501) $("audio-missing").hidden = false;
  } finally {
    clearInterval(uploadTimer);
    $("upload-button").disabled = false;
  }
}

function onLive() {
  const turns = parseTranscript($("live-script").value);
  if (!turns.length) return;
  const sender = $("live-sender").value.trim();
  const list = $("live-transcript");
  list.replaceChildren();
  list.hidden = false;
  $("live-alert").hidden = true;
  $("live-result").hidden = true;
  $("live-meter").hidden = false;
  $("live-button").disabled = true;
  $("live-risk").textContent = "0%";
  $("live-verdict").textContent = "";
  $("live-bar").style.width = "0";
  const delay = Number(document.body.dataset.liveDelay || 1200);
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/v1/calls/live");
  const message = { channel: "call", turns: [] };
  if (sender) message.sender = sender;
  let next = 0;
  let alert = null;
  const sendNext = () => {
    if (next >= turns.length) { ws.send(JSON.stringify({ type: "end" })); return; }
    const t = turns[next];
    message.turns.push(t);
    list.append(el("li", { "data-turn": String(next) }, el("span", { class: "speaker", text: speakerName(t.speaker) + ": " }), document.createTextNode(t.text)));
    next += 1;
    ws.send(JSON.stringify({ type: "turn", speaker: t.speaker, text: t.text }));
  };
  ws.onopen = () => { ws.send(JSON.stringify({ type: "start", message: sender ? { sender } : {} })); sendNext(); };
  ws.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.type === "update") {
      const pct = Math.round(m.risk * 100);
      $("live-risk").textContent = pct + "%";
      $("live-verdict").textContent = "(" + (VERDICT_NAMES[m.verdict] || m.verdict) + ")";
      $("live-bar").style.width = pct + "%";
      setTimeout(sendNext, delay);
    } else if (m.type === "alert") {
      if (!alert || m.level === "scam") alert = m;
      alertBanner($("live-alert"), m);
      if (m.turn !== null && m.turn !== undefined) {
        const li = list.querySelector(`li[data-turn="${m.turn}"]`);
        if (li) li.classList.add("alert-turn");
      }
    } else if (m.type === "final") {
      // the call is over: its full result (with the alert moment marked) replaces the live view
      list.hidden = true;
      $("live-alert").hidden = true;
      $("live-meter").hidden = true;
      renderResult($("live-result"), { message, verdict: m.verdict, alert, source: "live" });
      remember("live", message, m.verdict);
      $("live-button").disabled = false;
    } else if (m.type === "error") {
      $("live-verdict").textContent = m.error;
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

let lastStats = null;

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
  lastStats = stats;
  $("dash-key-box").hidden = true;
  const totals = $("totals");
  totals.replaceChildren(
    el("div", {}, el("dt", { text: "Reports" }), el("dd", { text: String(stats.reports) })),
    el("div", {}, el("dt", { text: "Campaigns" }), el("dd", { text: String(stats.top_campaigns.length ? stats.campaigns : 0) })),
    el("div", {}, el("dt", { text: "Money lost" }), el("dd", { text: money(stats.money_lost) })));
  const rank = new Map(stats.top_campaigns.map((c, i) => [c.id, i + 1]));
  const series = stats.series.map((s) => {
    if (s.campaign_id === null) return s;
    const c = stats.top_campaigns.find((x) => x.id === s.campaign_id);
    return { ...s, label: `${rank.get(s.campaign_id)}. ${(c && c.scam_type_label) || "Type not known"}` };
  });
  drawChart($("chart"), stats.weeks, series, $("chart-legend"));
  chartTable(stats.weeks, series);
  const list = $("campaign-list");
  list.replaceChildren();
  if (!stats.top_campaigns.length) list.append(el("li", { text: "No campaigns yet: a campaign needs two or more matching reports." }));
  stats.top_campaigns.forEach((c, i) => list.append(campaignCard(c, i + 1)));
  $("top-numbers").replaceChildren(...stats.top_numbers.map((n) => el("li", { text: `${ukNumber(n.number)} (${plural(n.reports, "report")})` })));
  $("top-domains").replaceChildren(...stats.top_domains.map((d) => el("li", { text: `${d.domain} (${plural(d.reports, "report")})` })));
}

function campaignCard(c, rank) {
  return el("li", { class: "campaign" },
    el("h3", {}, el("span", { class: "rank", text: rank + "." }), " ",
      el("a", { href: "#campaign/" + c.id, text: c.scam_type_label || "Type not known" })),
    el("p", { text: `${plural(c.size, "report")}, ${day(c.first_seen)} to ${day(c.last_seen)}. Money lost: ${money(c.money_lost)}.` }),
    el("p", { class: "message", text: c.typical_wording.slice(0, 200) + (c.typical_wording.length > 200 ? "..." : "") }));
}

// The weeks from the first to the last, with the empty ones in between (the API lists only weeks with reports).
function fillWeeks(timeline) {
  if (!timeline.length) return { weeks: [], counts: [] };
  const byWeek = new Map(timeline.map((t) => [t.week, t.reports]));
  const weeks = [];
  const last = new Date(timeline[timeline.length - 1].week + "T00:00:00Z");
  for (let d = new Date(timeline[0].week + "T00:00:00Z"); d <= last && weeks.length < 520; d.setUTCDate(d.getUTCDate() + 7)) {
    weeks.push(d.toISOString().slice(0, 10));
  }
  return { weeks, counts: weeks.map((w) => byWeek.get(w) || 0) };
}

function weekLabel(iso) {
  return new Date(iso + "T00:00:00Z").toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
}

// Drawn at the box's real width in pixels, so the labels are 15 px whatever the screen.
function drawChart(box, weeks, series, legend) {
  box._chart = [weeks, series, legend];
  const W = Math.max(280, Math.round(box.clientWidth || 640));
  const H = W < 500 ? 220 : 300;
  const L = 36, B = 34, T = 12, R = 14, FONT = 15;
  const max = Math.max(1, ...series.flatMap((s) => s.counts));
  const x = (i) => L + (weeks.length < 2 ? (W - L - R) / 2 : (i * (W - L - R)) / (weeks.length - 1));
  const y = (v) => H - B - (v * (H - B - T)) / max;
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-label": "Reports per week, by campaign" });
  const ticks = [...new Set([0, Math.ceil(max / 2), max])];
  for (const t of ticks) {
    svg.append(svgEl("line", { x1: L, x2: W - R, y1: y(t), y2: y(t), stroke: "#b1b4b6", "stroke-width": 1 }));
    const label = svgEl("text", { x: L - 6, y: y(t) + 5, "text-anchor": "end", "font-size": FONT });
    label.textContent = String(t);
    svg.append(label);
  }
  // as many date labels as fit (about 70 px each), always the first and the last, never cut at the edges
  const fit = Math.max(2, Math.floor((W - L - R) / 72));
  const step = Math.max(1, Math.ceil((weeks.length - 1) / (fit - 1)));
  weeks.forEach((w, i) => {
    const last = i === weeks.length - 1;
    if (i % step !== 0 && !last) return;
    if (!last && i > 0 && (weeks.length - 1 - i) < step * 0.6) return; // too close to the last label
    const anchor = weeks.length < 2 ? "middle" : (i === 0 ? "start" : (last ? "end" : "middle"));
    const label = svgEl("text", { x: x(i), y: H - B + 22, "text-anchor": anchor, "font-size": FONT });
    label.textContent = weekLabel(w);
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

function redrawCharts() {
  for (const box of [$("chart"), $("campaign-chart")]) {
    if (box._chart && box.offsetParent !== null) drawChart(box, ...box._chart);
  }
}

function chartTable(weeks, series) {
  const table = $("chart-table");
  const head = el("tr", {}, el("th", { text: "Week from" }), ...series.map((s) => el("th", { text: s.label })));
  const rows = weeks.map((w, i) => el("tr", {}, el("td", { text: weekLabel(w) }), ...series.map((s) => el("td", { text: String(s.counts[i]) }))));
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
  $("campaign-title").textContent = `${c.scam_type_label || "Scam"} campaign`;
  const fact = (k, v) => el("div", {}, el("dt", { text: k }), el("dd", { text: v }));
  $("campaign-facts").replaceChildren(fact("Reports", String(c.size)), fact("First seen", day(c.first_seen)),
    fact("Last seen", day(c.last_seen)), fact("Money lost", money(c.money_lost)));
  $("campaign-wording").textContent = c.typical_wording;
  const filled = fillWeeks(c.timeline);
  drawChart($("campaign-chart"), filled.weeks, [{ campaign_id: null, label: "Reports", counts: filled.counts }], el("p"));
  $("campaign-numbers").replaceChildren(...c.numbers.map((n) => el("li", { text: `${ukNumber(n.number)} (${plural(n.reports, "report")})` })));
  $("campaign-domains").replaceChildren(...c.domains.map((d) => el("li", { text: `${d.domain} (${plural(d.reports, "report")})` })));
  if (!c.numbers.length) $("campaign-numbers").append(el("li", { class: "none", text: "None" }));
  if (!c.domains.length) $("campaign-domains").append(el("li", { class: "none", text: "None" }));
  $("campaign-areas").replaceChildren(...c.areas.map((a) => el("li", { text: `${a.area} (${plural(a.reports, "report")})` })));
  if (!c.areas.length) $("campaign-areas").append(el("li", { class: "none", text: "Not given" }));
  $("campaign-reports").replaceChildren(...c.latest_reports.map((r) => el("li", {},
    el("p", { text: `${day(r.seen_at)} - ${r.channel === "call" ? "phone call" : "text"}${r.sender ? " from " + r.sender : ""}` }),
    el("p", { class: "message", text: r.text }))));
}

// ----------------------------------------------------------------------------------------- start

async function start() {
  $("check-form").addEventListener("submit", onCheck);
  $("upload-form").addEventListener("submit", onUpload);
  $("live-button").addEventListener("click", onLive);
  $("history-clear").addEventListener("click", clearHistory);
  $("dash-key-button").addEventListener("click", () => {
    state.adminKey = $("dash-key").value.trim();
    sessionStorage.setItem("adminKey", state.adminKey);
    loadDashboard();
  });
  window.addEventListener("hashchange", route);
  let resizeTimer = null;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(redrawCharts, 150); });
  const [config, page] = await Promise.allSettled([api("/v1/config"), api("/v1/page")]);
  state.config = config.status === "fulfilled" ? config.value : null;
  state.page = page.status === "fulfilled" ? page.value : null;
  if (state.config && !state.config.features.transcription) {
    $("audio-missing").hidden = false;
    $("upload-button").disabled = true;
  }
  route();
  document.body.dataset.ready = "1";
}

start();
