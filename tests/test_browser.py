"""The web page in a real headless Chromium (Debian's package, driven by Playwright), at a desktop width
(1280 px) and a phone width (390 px): a scam text, a genuine text whose warning signs were outweighed, a
call from a spoofed number, an uploaded recording, the live call demo, the dashboard, a campaign page,
the local history, marking a result, and the offline API docs.

Every page load asserts that nothing was requested from another host, that the page never scrolls
sideways, and that no script error or dialog happened. Each result is checked for one story: a safe
result has no warning-sign heading and no report button unless asked; a scam result has no "genuine"
heading and none of the learned model's probabilities outside "How we worked this out". Screenshots go
to artifacts/screenshots/ (look at them)."""

from __future__ import annotations

import json
import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest_service import REPO, ServerProcess

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCAM = ("HMRC: You owe £1,200 in unpaid tax. Pay today with Google Play vouchers or a warrant will be issued "
        "for your arrest. Call 020 7946 0321 now.")
# A genuine bank alert that rushes you ("urgently") and names the bank: both signs fire, both are outweighed
# or cancelled by the official route it sends you to.
GENUINE = ("HSBC: A payment of £450.00 to J SMITH was attempted. If this was not you, call us urgently on the "
           "number on the back of your card. We will never ask you to move money.")
SPOOFED_CALL = ("Caller: Hello, this is HMRC. You owe unpaid tax and a court order has been issued against you.\n"
                "Me: Oh dear, what do I need to do?\n"
                "Caller: Go and buy iTunes vouchers for the amount today, and read me the codes when I call you back.")

if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
    pytest.skip("Debian's chromium is not installed (scripts/setup installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    # no API keys in the environment: serve lends the page a write key, as for a local user
    srv = ServerProcess(f"sqlite:///{tmp}/demo.sqlite3", tmp, demo=True, keys=False).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Visit:
    """A page at one width, recording errors, dialogs and any request that leaves the server."""

    def __init__(self, browser, server, width: str) -> None:
        self.width = width
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORTS[width], device_scale_factor=1)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        origin = urlsplit(server.url)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: self.errors.append("dialog: " + d.message))  # an XSS alert() lands here

        def watch(request) -> None:
            url = urlsplit(request.url)
            if url.scheme in ("data", "blob", "about"):
                return
            if (url.hostname, url.port) != (origin.hostname, origin.port):
                self.foreign.append(request.url)

        self.page.on("request", watch)

    def open(self, path: str = "/") -> Visit:
        self.page.goto(self.server.url + path)
        self.page.wait_for_selector("body[data-ready='1']")
        return self

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors
        assert not self.foreign, f"requests to another host: {self.foreign}"


@pytest.fixture(params=list(VIEWPORTS))
def visit(request, browser, server):
    v = Visit(browser, server, request.param)
    yield v.open()
    v.close()


@pytest.fixture
def phone(browser, server):
    v = Visit(browser, server, "phone")
    yield v.open()
    v.close()


def shot(visit: Visit, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert_no_sideways_scroll(visit.page)
    visit.page.screenshot(path=str(SHOTS / f"{name}-{visit.width}.png"), full_page=True)


def assert_no_sideways_scroll(page) -> None:
    wide = page.evaluate("""() => {
        const out = [];
        for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width && r.right > document.documentElement.clientWidth + 1 && e.offsetParent !== null)
                out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));
        }
        return {scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth, wide: out.slice(0, 5)};
    }""")
    assert wide["scroll"] <= wide["width"], wide


def visible_text(locator) -> str:
    """Text a reader sees without opening "How we worked this out" or "More advice"."""
    return locator.evaluate("""(node) => {
        const copy = node.cloneNode(true);
        copy.querySelectorAll('details, [hidden]').forEach((d) => d.remove());
        return copy.innerText || copy.textContent;
    }""")


def result_headings(result) -> list[str]:
    return [h.strip() for h in result.locator("h2:visible").all_inner_texts()]


def assert_one_story(result, verdict: str, channel: str = "sms") -> None:
    banner = result.locator(".banner")
    expect(banner).to_have_attribute("data-verdict", verdict)
    headings = result_headings(result)
    seen = visible_text(result).lower()
    assert "learned model: probability" not in seen, "the model's probability belongs in the details only"
    assert "report number" not in seen
    if verdict == "safe":
        bad = [h for h in headings if "warning" in h.lower() or h.startswith(("Why it is a scam", "Why it may", "Report"))]
        assert not bad, headings
        assert "If you are still unsure" in headings, headings
        assert result.locator(".report").is_hidden(), "no report button on a safe result unless asked"
        assert "this is a scam" not in banner.inner_text().lower()
    else:
        assert not any("genuine" in h.lower() for h in headings), headings
        assert "What to do now" in headings, headings
        assert "reads like unwanted bulk" not in seen, "a scam is not also called marketing"
    if channel == "sms":
        advice = " ".join(result.locator(".advice li").all_inner_texts()).lower()
        assert "hang up" not in advice and "press 1" not in advice, advice


def check(visit: Visit, text: str, *, call: bool = False, sender: str | None = None):
    page = visit.page
    if call:
        page.check("#kind-call")
    page.fill("#check-text", text)
    if sender:
        page.fill("#check-sender", sender)
    page.click("#check-button")
    result = page.locator("#check-result")
    expect(result.locator(".banner")).to_be_visible()
    return result


# ------------------------------------------------------------------------------------------ results


def test_scam_text(visit):
    result = check(visit, SCAM)
    assert_one_story(result, "scam")
    banner = result.locator(".banner").inner_text()
    assert "This is a scam" in banner and "HMRC" in banner
    marked = "".join(result.locator(".message mark").all_text_contents()).lower()
    assert "google play" in marked and "warrant" in marked and "020 7946 0321" in marked
    assert result.locator(".message sup.badge").count() >= 3
    flags = result.locator("ol.flags").inner_text()
    assert "Words:" in flags and re.search(r"reported \d+ times", flags.lower())
    # the real routes, one tap each: a prepared text to 7726, Report Fraud, and (bank or money) 159
    forward = result.locator("a[data-route=forward_7726]")
    assert forward.get_attribute("href").startswith("sms:7726?body=HMRC")
    assert result.locator("a[data-route=report_fraud_web]").get_attribute("href") == "https://www.reportfraud.police.uk"
    assert result.locator("a[data-route=report_fraud_phone]").get_attribute("href") == "tel:03001232040"
    assert result.locator("a[data-route=hmrc_60599]").count() == 1
    shot(visit, "scam-text")

    result.locator(".keep-button").click()
    status = result.locator(".keep-status")
    expect(status).to_contain_text("kept by this scamshield")
    assert "not a police report" in status.inner_text()
    assert "see the campaign" in status.inner_text()
    shot(visit, "scam-text-kept")
    status.locator("a").click()
    expect(visit.page.locator("#campaign-title")).to_contain_text("HMRC")
    assert "020 7946 0321" in visit.page.inner_text("#campaign-numbers")


def test_genuine_text_with_outweighed_signs_reads_as_one_story(visit):
    result = check(visit, GENUINE, sender="HSBC")
    assert_one_story(result, "safe")
    headings = result_headings(result)
    assert headings[:1] == ["The message, with what we checked marked"], headings
    assert "What we checked" in headings and "Why it still looks genuine" in headings
    checked = result.locator("ol.flags.checked").inner_text()
    assert "Rushes you" in checked and "Not enough to make this a scam" in checked
    assert "Not a worry here" in checked, "the bank's name is cancelled by the official route, and says why"
    # the learned model's probability is there for whoever opens the details
    result.locator("details.how summary").click()
    assert "probability" in result.locator("details.how").inner_text()
    shot(visit, "genuine-text")

    # the person can still say it is a scam: the routes appear, and a copy is kept
    result.locator("button.was-scam").click()
    expect(result.locator(".report")).to_be_visible()
    expect(result.locator(".keep-status")).to_contain_text("kept by this scamshield")


def test_call_from_a_spoofed_number(visit):
    result = check(visit, SPOOFED_CALL, call=True, sender="0300 200 3300")
    assert_one_story(result, "scam", channel="call")
    banner = result.locator(".banner").inner_text()
    assert "This call is a scam" in banner and "hang up now" in banner.lower()
    assert result.locator(".message.transcript li[data-turn]").count() == 3
    assert "0300 200 3300" in result.locator(".caller-id").inner_text()
    flags = result.locator("ol.flags").inner_text()
    assert "faked" in flags and "only uses to receive calls" in flags
    text_7726 = result.locator("a[data-route=call_7726]")
    assert text_7726.get_attribute("href") == "sms:7726?body=" + "Call%200300%20200%203300"
    assert result.locator("a[data-route=forward_7726]").count() == 0, "forwarding a text is not for a call"
    shot(visit, "spoofed-call")


def test_uploaded_recording_gets_the_full_result(visit, tmp_path):
    from scamshield.server.features import has_transcription

    synth = pytest.importorskip("scamshield.calls.synth")
    if not (synth.tools_available() and has_transcription()):
        pytest.skip("needs espeak-ng, sox and a speech recogniser")
    recording = synth.synthesize(synth.HMRC_CALL, tmp_path / "call.wav", stereo=True)
    page = visit.page
    page.goto(visit.server.url + "/#call")
    page.set_input_files("#upload-file", str(recording.path))
    page.click("#upload-button")
    result = page.locator("#upload-result")
    expect(result.locator(".banner")).to_be_visible(timeout=180_000)
    assert_one_story(result, "scam", channel="call")
    assert result.locator(".message.transcript li[data-turn]").count() >= 6
    alert = result.locator("li.alert-turn")
    expect(alert).to_have_count(1)
    assert "hang up" in alert.inner_text().lower()
    assert result.locator(".message mark").count() >= 2
    assert result.locator(".advice li").count() >= 3
    shot(visit, "recording")


def test_live_demo_alert_is_an_instruction_then_the_full_result(visit):
    page = visit.page
    page.goto(visit.server.url + "/#call")
    page.evaluate("document.body.dataset.liveDelay = '400'")  # the alert shows until the call ends
    page.click("#live-button")
    alert = page.locator("#live-alert")
    expect(alert).to_be_visible(timeout=20_000)
    expect(alert.locator("strong")).to_have_text("Hang up now - this is a scam", timeout=20_000)
    result = page.locator("#live-result")
    expect(result.locator(".banner")).to_be_visible(timeout=20_000)
    assert_one_story(result, "scam", channel="call")
    assert result.locator(".message.transcript li[data-turn]").count() == 6
    assert "hang up" in result.locator("li.alert-turn").inner_text().lower()
    assert alert.is_hidden(), "once the call is over its result replaces the live alert"
    expect(page.locator("#live-button")).to_be_enabled(timeout=20_000)
    shot(visit, "live-call")


def test_bank_scam_offers_159_and_the_banks_own_call_checks(phone):
    result = check(phone, "Barclays fraud team: your account is at risk. Move your money to a safe account "
                          "today and do not tell anyone at the branch.")
    assert_one_story(result, "scam")
    assert result.locator("a[data-route=bank_159]").get_attribute("href") == "tel:159"
    advice = result.locator(".advice").first.text_content()  # "More advice" too, open or not
    assert all(bank in advice for bank in ("Monzo", "Starling", "Nationwide", "Revolut", "Barclays", "NatWest"))


def test_without_speech_to_text_the_page_gives_the_one_step_that_adds_it(browser, server):
    v = Visit(browser, server, "phone")

    def no_audio(route):
        response = route.fetch()
        config = response.json()
        config["features"]["transcription"] = False
        route.fulfill(response=response, json=config)

    v.page.route("**/v1/config", no_audio)
    v.open("/#call")
    notice = v.page.locator("#audio-missing")
    expect(notice).to_be_visible()
    assert "scripts/demo" in notice.inner_text()
    expect(v.page.locator("#upload-button")).to_be_disabled()
    shot(v, "no-speech-to-text")
    v.close()


# ---------------------------------------------------------------------------------- campaigns


def _chart_is_readable(page, box: str) -> None:
    sizes = page.evaluate(f"""() => {{
        const svg = document.querySelector('{box} svg');
        const bounds = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].map((t) => {{
            const r = t.getBoundingClientRect();
            return {{h: r.height, left: r.left - bounds.left, right: bounds.right - r.right, text: t.textContent}};
        }});
    }}""")
    assert sizes
    for s in sizes:
        assert s["h"] >= 14, s  # drawn at 15 px whatever the screen
        assert s["left"] >= 0 and s["right"] >= 0, f"label cut at the edge: {s}"


def test_dashboard(visit):
    page = visit.page
    page.goto(visit.server.url + "/#dashboard")
    page.wait_for_selector("#campaign-list li.campaign")
    assert page.locator("#chart svg polyline").count() >= 2
    ranks = page.locator("#campaign-list .rank").all_inner_texts()
    assert ranks == [f"{i}." for i in range(1, len(ranks) + 1)], ranks
    assert len(ranks) == 5
    text = page.inner_text("#view-dashboard")
    assert "(1 reports)" not in text and " 1 reports" not in text
    assert re.search(r"020 7946 0321 \(\d+ reports?\)", page.inner_text("#top-numbers"))
    assert "£" in page.inner_text("#totals")
    _chart_is_readable(page, "#chart")
    legend = page.inner_text("#chart-legend")
    assert "1. " in legend and "#" not in legend
    shot(visit, "dashboard")


def test_campaign_page(visit):
    page = visit.page
    page.goto(visit.server.url + "/#dashboard")
    page.wait_for_selector("#campaign-list li.campaign")
    page.locator("#campaign-list a").first.click()
    page.wait_for_selector("#campaign-chart svg")
    assert page.inner_text("#campaign-wording").strip()
    assert "campaign" in page.inner_text("#campaign-title")
    cid = page.url.rsplit("/", 1)[1]
    with urllib.request.urlopen(f"{visit.server.url}/v1/campaigns/{cid}") as resp:
        timeline = json.load(resp)["timeline"]
    first, last = timeline[0]["week"], timeline[-1]["week"]
    from datetime import date

    weeks = (date.fromisoformat(last) - date.fromisoformat(first)).days // 7 + 1
    assert page.locator("#campaign-chart svg circle").count() == weeks, "every week drawn, empty ones too"
    _chart_is_readable(page, "#campaign-chart")
    assert "(1 reports)" not in page.inner_text("#view-campaign")
    shot(visit, "campaign")


# ----------------------------------------------------------------------- history, feedback, docs


def test_history_is_kept_in_this_browser_and_can_be_cleared(phone):
    page = phone.page
    check(phone, "Royal Mail: your parcel is held. Pay the £1.45 fee at https://rm-redelivery.top/pay")
    page.goto(phone.server.url + "/#history")
    items = page.locator("#history-list li.history-item")
    expect(items).to_have_count(1)
    assert "Scam" in items.first.inner_text() and "Royal Mail" in items.first.inner_text()
    shot(phone, "history")
    items.first.locator("button").click()
    expect(page.locator("#check-result .banner")).to_be_visible()
    page.goto(phone.server.url + "/#history")
    expect(items).to_have_count(2)
    page.click("#history-clear")
    expect(page.locator("#history-list li.history-item")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('scamshield.history')") is None


def test_marking_a_result_not_a_scam_feeds_the_feedback_store(phone, server):
    text = "Hi, it's Dr Patel's surgery. Your flu jab is booked for Tuesday 10am, call 0161 496 0999 to change it."
    result = check(phone, text)
    if result.locator("button.not-scam").count() == 0:  # the engine already calls it safe: mark a scam instead
        result = check(phone, "URGENT: your account is locked. Call 0161 496 0999 now to unlock it or lose access.")
    result.locator("button.not-scam").click()
    expect(result.locator(".feedback-status")).to_contain_text("noted in this scamshield's reports as not a scam")
    with urllib.request.urlopen(f"{server.url}/v1/numbers/01614960999/reputation") as resp:
        rep = json.load(resp)
    assert rep["not_scam"] >= 1 and rep["reports"] == 0, rep


TRANSCRIPTS = [
    "Caller: This is HMRC.\nMe: Oh no.\nCaller: Buy vouchers\nand read me the codes.",
    "hello this is your bank\nthere is a problem",
    "  them : hi\n\nI: who is this?\nscammer: police\nnote: a line of my own\nuser: ok\nother: fine",
    "Caller Name: not a label\nCALLEE: hello\nunknown: mumbling",
]


@pytest.mark.parametrize("text", TRANSCRIPTS)
def test_the_page_reads_a_pasted_transcript_as_the_cli_does(phone, text):
    """One reading of a pasted call: the page's parser (app.js) gives the CLI's turns (inputs.turns_from_text),
    with the user as the callee, as on an incoming call."""
    from scamshield.inputs import turns_from_text

    as_incoming = {"caller": "caller", "other": "caller", "callee": "callee", "user": "callee", "unknown": "unknown"}
    want = [{"speaker": as_incoming[t.speaker], "text": t.text} for t in turns_from_text(text)]
    assert phone.page.evaluate("t => parseTranscript(t)", text) == want


def test_api_docs_work_offline(phone):
    page = phone.page
    page.goto(phone.server.url + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("scamshield", timeout=20_000)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator(".opblock").count() >= 10


# ------------------------------------------------------------------------------- safety, access


def test_report_text_with_script_tags_is_shown_as_text(phone):
    page = phone.page
    nasty = "<img src=x onerror=alert(1)><script>alert(2)</script> Parcel fee: pay at https://xss-fee.top/a"
    result = check(phone, nasty)
    assert result.locator(".message img, .message script").count() == 0
    assert "<script>alert(2)</script>" in result.locator(".message").inner_text()
    result.locator(".keep-button").click()
    expect(result.locator(".keep-status")).to_contain_text("kept by this scamshield")
    result = check(phone, nasty.replace("/a", "/b"))
    result.locator(".keep-button").click()
    expect(result.locator(".keep-status")).to_contain_text("see the campaign")
    result.locator(".keep-status a").click()
    expect(page.locator("#campaign-wording")).to_contain_text("<script>")
    assert page.locator("#view-campaign img, #view-campaign script").count() == 0


def test_readable_and_keyboard_reachable(phone):
    page = phone.page
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
    # every form control has a label
    unlabeled = page.evaluate("""[...document.querySelectorAll('input, textarea')]
        .filter(e => !document.querySelector(`label[for="${e.id}"]`)).map(e => e.id)""")
    assert unlabeled == []
    # the keyboard alone reaches the message box and the button, with a visible focus ring
    reached = []
    for _ in range(14):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if reached[-1] == "check-button":
            break
    assert "check-text" in reached and "check-button" in reached
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.fill("#check-text", SCAM)
    page.focus("#check-button")
    page.keyboard.press("Enter")
    expect(page.locator("#check-result .banner")).to_be_focused()
    # the result's own controls are labelled too
    unlabeled = page.evaluate("""[...document.querySelectorAll('#check-result input, #check-result textarea')]
        .filter(e => !document.querySelector(`label[for="${e.id}"]`)).map(e => e.id)""")
    assert unlabeled == []
