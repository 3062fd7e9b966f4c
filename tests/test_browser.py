"""The web page in a real headless Chromium (Debian's package, driven by Playwright): check a message
and see its red flags highlighted, submit a report, watch the live call demo, open the dashboard.
Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest_service import REPO, ServerProcess

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = REPO / "artifacts" / "screenshots"
SCAM = ("HMRC: You owe £1,200 in unpaid tax. Pay today with Google Play vouchers or a warrant will be issued "
        "for your arrest. Call 020 7946 0321 now.")

if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
    pytest.skip("Debian's chromium is not installed (scripts/setup installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


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


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 414, "height": 896}, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: errors.append("dialog: " + d.message))  # an XSS alert() would land here
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']")
    yield page
    context.close()
    assert not errors, errors


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_check_a_message_highlights_its_red_flags_and_reports_it(page):
    page.fill("#check-text", SCAM)
    page.click("#check-button")
    page.wait_for_selector("#result:not([hidden])")
    banner = page.inner_text("#verdict-banner")
    assert "This looks like a scam" in banner and "HMRC" in banner
    marks = page.locator("#highlighted mark")
    assert marks.count() >= 3
    marked = "".join(marks.all_text_contents()).lower()
    assert "google play" in marked and "warrant" in marked and "020 7946 0321" in marked
    # each highlighted stretch says which warning sign it is, and the list explains it
    assert page.locator("#highlighted sup.badge").count() >= 3
    flags = page.inner_text("#flag-list")
    assert "Words:" in flags and "reported 3 times" in flags.lower()
    assert page.locator("#advice-list > li").count() >= 3
    shot(page, "check-result")

    page.click("#report-button")
    sync_api.expect(page.locator("#report-status")).to_contain_text("report number")
    status = page.inner_text("#report-status")
    assert "Thank you" in status and "see the campaign" in status
    shot(page, "report-sent")
    page.click("#report-status a")
    sync_api.expect(page.locator("#campaign-title")).to_contain_text("HMRC")
    assert "020 7946 0321" in page.inner_text("#campaign-numbers")


def test_a_transcript_is_highlighted_turn_by_turn(page):
    page.check("#kind-call")
    page.fill("#check-text", "Caller: This is HMRC, there is a warrant for your arrest.\nMe: Oh no.\n"
                             "Caller: Pay with iTunes vouchers and tell nobody.")
    page.click("#check-button")
    page.wait_for_selector("#result:not([hidden])")
    paragraphs = page.locator("#highlighted p")
    assert paragraphs.count() == 3
    assert paragraphs.nth(2).locator("mark").count() >= 1


def test_report_text_with_script_tags_is_shown_as_text(page, server):
    nasty = "<img src=x onerror=alert(1)><script>alert(2)</script> Parcel fee: pay at https://xss-fee.top/a"
    page.fill("#check-text", nasty)
    page.click("#check-button")
    page.wait_for_selector("#result:not([hidden])")
    assert page.locator("#highlighted img, #highlighted script").count() == 0
    assert "<script>alert(2)</script>" in page.inner_text("#highlighted")
    page.click("#report-button")
    sync_api.expect(page.locator("#report-status")).to_contain_text("report number")
    page.fill("#check-text", nasty.replace("/a", "/b"))
    page.click("#check-button")
    page.wait_for_selector("#result:not([hidden])")
    page.click("#report-button")
    sync_api.expect(page.locator("#report-status")).to_contain_text("see the campaign")
    page.click("#report-status a")
    sync_api.expect(page.locator("#campaign-wording")).to_contain_text("<script>")
    assert page.locator("#view-campaign img, #view-campaign script").count() == 0


def test_live_call_demo_marks_the_alert_moment(page):
    page.evaluate("document.body.dataset.liveDelay = '50'")
    page.goto(page.url.split("#")[0] + "#call")
    page.click("#live-button")
    page.wait_for_selector("#live-alert:not([hidden])", timeout=20_000)
    page.wait_for_selector("#live-transcript li.alert-turn")
    assert "alert" in page.inner_text("#live-alert").lower() or "warning" in page.inner_text("#live-alert").lower()
    sync_api.expect(page.locator("#live-button")).to_be_enabled(timeout=20_000)
    assert page.locator("#live-transcript li").count() == 6
    shot(page, "live-call")


def test_dashboard_shows_campaigns_chart_and_top_numbers(page):
    page.goto(page.url.split("#")[0] + "#dashboard")
    page.wait_for_selector("#campaign-list li.campaign")
    assert page.locator("#chart svg polyline").count() >= 2
    assert page.locator("#campaign-list li.campaign").count() == 5
    assert re.search(r"020 7946 0321 \(\d+ reports\)", page.inner_text("#top-numbers"))
    assert "£" in page.inner_text("#totals")
    shot(page, "dashboard")
    page.locator("#campaign-list a").first.click()
    page.wait_for_selector("#campaign-chart svg")
    assert page.inner_text("#campaign-wording").strip()
    shot(page, "campaign")


def test_readable_and_keyboard_reachable(page):
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
    # no sideways scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # every form control has a label
    unlabeled = page.evaluate("""[...document.querySelectorAll('input, textarea')]
        .filter(e => e.type !== 'radio' || true).filter(e => !document.querySelector(`label[for="${e.id}"]`))
        .map(e => e.id)""")
    assert unlabeled == []
    # the keyboard alone reaches the message box and the button, with a visible focus ring
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if reached[-1] == "check-button":
            break
    assert "check-text" in reached and "check-button" in reached
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.fill("#check-text", SCAM)
    page.focus("#check-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#result:not([hidden])")


def test_upload_a_recording_marks_the_alert_moment(page, tmp_path):
    from scamshield.server.features import has_transcription

    synth = pytest.importorskip("scamshield.calls.synth")
    if not (synth.tools_available() and has_transcription()):
        pytest.skip("needs espeak-ng, sox and a speech recogniser")
    recording = synth.synthesize(synth.HMRC_CALL, tmp_path / "call.wav", stereo=True)
    page.goto(page.url.split("#")[0] + "#call")
    page.set_input_files("#upload-file", str(recording.path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-transcript li.alert-turn", timeout=120_000)
    assert page.locator("#upload-transcript li").count() >= 6
    assert "Scam alert" in page.inner_text("#upload-transcript li.alert-turn")
    sync_api.expect(page.locator("#upload-status")).to_contain_text("scam")
    shot(page, "recording")
