"""Drives the console in headless Chromium (scripts/console-test): sign-in, what a session cookie may and may not
do, and that the page runs under its Content-Security-Policy without a violation. Exits non-zero on the first
failed check, naming it."""

import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

base, admin_token, viewer_token, scratch, sink_port = sys.argv[1:6]
received = []


class Sink(BaseHTTPRequestHandler):
    """The billing target, once it is up: records each delivery and accepts it."""

    def do_POST(self):
        received.append((self.headers.get("webhook-id"), self.rfile.read(int(self.headers.get("content-length", 0)))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def check(condition, what):
    if not condition:
        raise SystemExit(f"console: FAILED: {what}")
    print(f"console: ok: {what}")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800", f"--user-data-dir={scratch}/chromium"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def sign_in(driver, token, accepted=True):
    field = WebDriverWait(driver, 10).until(shown.visibility_of_element_located((By.ID, "token")))
    field.send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "#sign-in-form button").click()
    if accepted:
        WebDriverWait(driver, 10).until(shown.visibility_of_element_located((By.ID, "view")))
    else:
        WebDriverWait(driver, 10).until(lambda d: text(d, "sign-in-error") != "")


def fetch_status(driver, path, method="GET", csrf=False, body=None):
    """The status of a request the page itself makes, with its cookie; with the session's CSRF token if `csrf`. The
    body of a write is `body`, or a replay's dry run."""
    return driver.execute_async_script(
        """
        const [path, method, csrf, body, done] = arguments;
        const headers = {"Content-Type": "application/json"};
        const go = (token) => fetch(path, {method, headers: token ? {...headers, "X-CSRF-Token": token} : headers,
            body: method === "GET" ? undefined : JSON.stringify(body)}).then(r => done(r.status));
        if (csrf) fetch("/console/session").then(r => r.json()).then(s => go(s.csrf_token)); else go(null);
        """,
        path,
        method,
        csrf,
        body if body is not None else {"filter": {"status": "dead"}, "dry_run": True},
    )


def snap(driver, name):
    """A screenshot for docs/ when HOOKGATE_CONSOLE_SCREENSHOTS names a directory (scripts/console-screenshots)."""
    directory = os.environ.get("HOOKGATE_CONSOLE_SCREENSHOTS")
    if directory:
        driver.save_screenshot(os.path.join(directory, f"console-{name}.png"))


def text(driver, element_id):
    """The text of an element by id, read in one step: a live view may redraw it between a find and a read."""
    return driver.execute_script("const e = document.getElementById(arguments[0]); return e ? e.textContent : null", element_id) or ""


def cell(driver, row_selector, heading):
    """The text of a row's cell under the column headed `heading`, read in one step like `text`."""
    return driver.execute_script("""
        const row = document.querySelector(arguments[0]);
        if (!row) return null;
        const headings = [...row.closest("table").querySelectorAll("thead th")].map((th) => th.textContent);
        const cell = row.children[headings.indexOf(arguments[1])];
        return cell ? cell.textContent : null""", row_selector, heading) or ""


def violations(driver):
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"] or "Uncaught" in e["message"]]


driver = browser()
try:
    driver.set_script_timeout(10)
    driver.get(f"{base}/console")
    sign_in(driver, "not-a-valid-token-at-all", accepted=False)
    check("not valid" in driver.find_element(By.ID, "sign-in-error").text, "a wrong token is refused with a message")

    driver.get(f"{base}/console")
    sign_in(driver, admin_token)
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.CSS_SELECTOR, "#destinations tr[data-destination='target:billing']")))
    check(driver.find_element(By.ID, "who").text == "oncall (admin)", "an admin token signs in as its name and role")
    check(text(driver, "ingest") and cell(driver, "#ingest tr[data-source='stripe']", "Accepted") == "4",
          "the overview counts the last hour's accepted webhooks by source")
    check(cell(driver, "#ingest tr[data-source='stripe']", "401 bad signature") == "1", "and the forged one as a 401 rejection")
    snap(driver, "overview")
    check(driver.execute_script("return document.cookie") == "", "the session cookie is out of the page's reach (HttpOnly)")
    cookie = next(c for c in driver.get_cookies() if c["name"] == "hookgate_console")
    check(cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", "the cookie is HttpOnly and SameSite=Strict")
    check(fetch_status(driver, "/v1/replays", "POST") == 403, "a change without the CSRF token is refused")
    check(fetch_status(driver, "/v1/replays", "POST", csrf=True) == 200, "a change with the CSRF token goes through")

    # The seeded deliveries go to a port nothing listens on: dead after their one attempt. From the overview to one
    # of them, its attempts, and a replay that makes a second attempt.
    dead = WebDriverWait(driver, 20).until(
        shown.element_to_be_clickable((By.CSS_SELECTOR, "#destinations tr[data-destination='target:billing'] a[href*='status=dead']")))
    dead.click()
    first = WebDriverWait(driver, 10).until(shown.element_to_be_clickable((By.CSS_SELECTOR, "#deliveries tbody tr a")))
    check("status=dead" in driver.current_url, "the overview's dead count links to the dead deliveries")
    snap(driver, "dead-deliveries")
    first.click()
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.CSS_SELECTOR, "#attempts tbody tr")))
    check(text(driver, "delivery-status") == "dead", "a dead delivery shows its status")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#attempts tbody tr")) == 1, "and its one attempt")
    delivery_url = driver.current_url
    # The target comes back; the replay reaches it and the page shows the success without a reload.
    sink = ThreadingHTTPServer(("127.0.0.1", int(sink_port)), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    driver.find_element(By.ID, "replay").click()
    WebDriverWait(driver, 15).until(lambda d: text(d, "delivery-status") == "succeeded")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#attempts tbody tr")) == 2, "a replay makes a second attempt, shown on the delivery")
    check(len(received) == 1 and received[0][0], "and the sink received it, with its webhook-id")
    snap(driver, "delivery")

    # The ledger target never answers and retries once after an hour: its delivery says when and why.
    driver.get(f"{base}/console/deliveries?destination=target:ledger")
    WebDriverWait(driver, 10).until(shown.element_to_be_clickable((By.CSS_SELECTOR, "#deliveries tbody tr a"))).click()
    WebDriverWait(driver, 10).until(lambda d: "Retry" in text(d, "next-attempt"))
    check(text(driver, "next-attempt").endswith("Retry 1 of 1 in the schedule: 1 h after attempt 1 failed."),
          "a delivery waiting for a retry says when and which schedule entry")
    snap(driver, "delivery-retry")

    # The event with markup in its payload: shown as text in the receipt and the CloudEvent, and nothing ran.
    driver.get(f"{base}/console/events")
    box = WebDriverWait(driver, 10).until(shown.element_to_be_clickable((By.NAME, "search")))
    box.send_keys("evt_scratch_4", Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "search=evt_scratch_4" in d.current_url)
    check(True, "the search box works from the keyboard: type, then Enter")
    # The unfiltered list stays until the search's answer replaces it.
    WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 1)
    found = WebDriverWait(driver, 10).until(shown.element_to_be_clickable((By.CSS_SELECTOR, "#events tbody tr a")))
    check(len(driver.find_elements(By.CSS_SELECTOR, "#events tbody tr")) == 1, "a search by provider event id finds the one event")
    found.click()
    body = WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.ID, "receipt-body")))
    check("<script>window.__hookgate_xss=1</script>" in body.text and '"><img src=x' in body.text, "hostile markup is shown as text")
    check('"description"' in body.text and "\n" in body.text, "a JSON body is pretty-printed")
    check(driver.find_elements(By.CSS_SELECTOR, "#view img, #view script") == [], "no element was made from the payload")
    check(driver.execute_script("return window.__hookgate_xss") is None, "no script from the payload ran")
    snap(driver, "event")
    check(driver.find_elements(By.CSS_SELECTOR, "#event-deliveries tbody tr"), "the event lists its deliveries")
    check(driver.find_elements(By.ID, "redeliver"), "an admin may redeliver the event")
    driver.find_element(By.CSS_SELECTOR, "#redeliver-form input[value='target:ledger']").click()
    driver.find_element(By.ID, "redeliver-chosen").click()
    WebDriverWait(driver, 10).until(lambda d: text(d, "action-result").startswith("Queued"))
    check(text(driver, "action-result") == "Queued one delivery again: target:ledger.", "or redeliver it to the one destination ticked")

    # A bulk replay of everything the billing target had: counted first (nothing sent), then paced at its replay_rate
    # of one a second, so there is time to watch it and cancel the rest.
    driver.get(f"{base}/console/replays?destination=target:billing")
    WebDriverWait(driver, 10).until(shown.element_to_be_clickable((By.ID, "dry-run"))).click()
    WebDriverWait(driver, 10).until(lambda d: "match" in text(d, "dry-run-result"))
    before = len(received)
    check(text(driver, "dry-run-result").startswith("4 deliveries match"), "a dry run counts the matching deliveries")
    check(len(received) == before, "and sends nothing")
    driver.find_element(By.ID, "start-replay").click()
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.ID, "replay-progress")))
    check("/console/replays/rpl_" in driver.current_url, "starting it opens the replay's own page")
    WebDriverWait(driver, 15).until(lambda d: int(text(d, "replay-succeeded") or 0) >= 1)
    check(text(driver, "replay-state") == "running", "progress updates live while it runs")
    snap(driver, "replay")
    driver.find_element(By.ID, "cancel-replay").click()
    WebDriverWait(driver, 10).until(lambda d: text(d, "replay-state") == "cancelled")
    cancelled = int(text(driver, "replay-cancelled"))
    time.sleep(2)  # what was in flight at the cancel lands
    check(cancelled >= 1 and len(received) - before == 4 - cancelled, "cancel stops what was not sent, and it is not sent")

    # A subscription: created from the console, its secret shown once and gone after a reload.
    driver.get(f"{base}/console/subscriptions")
    form = WebDriverWait(driver, 10).until(shown.visibility_of_element_located((By.ID, "create-subscription")))
    form.find_element(By.NAME, "url").send_keys(f"http://127.0.0.1:{sink_port}/subscriber")
    form.find_element(By.NAME, "types").send_keys("payment.*")
    form.find_element(By.CSS_SELECTOR, "button").click()
    secret = WebDriverWait(driver, 10).until(shown.visibility_of_element_located((By.ID, "new-secret"))).text
    check(secret.startswith("whsec_"), "a new subscription's secret is shown")
    check(driver.find_elements(By.ID, "copy-secret"), "with a copy button")
    snap(driver, "subscription-created")
    check(secret not in driver.current_url, "and is not in the URL")
    driver.find_element(By.CSS_SELECTOR, "#subscriptions a[href^='/console/subscriptions/']").click()
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.ID, "subscription")))
    check(secret not in driver.find_element(By.TAG_NAME, "body").text, "once: its own page does not show it again")
    driver.refresh()
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.ID, "subscription")))
    check(secret not in driver.page_source, "nor does a reload")

    # The other screens: health, receipts that made no event, and the audit trail of what was just done.
    driver.get(f"{base}/console/destinations")
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.CSS_SELECTOR, "#destination-health tr[data-destination='target:billing']")))
    check(True, "the destinations screen shows the billing target's health")
    snap(driver, "destinations")
    driver.get(f"{base}/console/receipts")
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.CSS_SELECTOR, "#view .empty")))
    check("No unrecognized receipt" in driver.find_element(By.ID, "view").text, "no unrecognized receipt says so")
    driver.get(f"{base}/console/audit")
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.CSS_SELECTOR, "#audit tbody tr")))
    actions = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#audit tbody td:nth-child(3)")]
    check({"delivery.replay", "replay.create", "replay.cancel", "subscription.create"} <= set(actions), f"the audit log shows the console's actions ({', '.join(sorted(set(actions)))})")
    snap(driver, "audit")

    # Retention: the settings, and an erasure (started with the session, as the API takes it) listed without the
    # customer's value, its progress refreshed until it is done.
    erasure = {"customer": {"email": "Erase.Me@example.com"}}
    check(fetch_status(driver, "/v1/erasures", "POST", csrf=True, body=erasure) == 202, "an admin starts an erasure")
    driver.get(f"{base}/console/retention")
    state_cell = (By.CSS_SELECTOR, "#erasures tbody tr td:nth-child(5)")
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(*state_cell) and d.find_element(*state_cell).text == "done")
    text = driver.find_element(By.ID, "view").text
    check("customer email" in text and "erase.me" not in text.lower(), "the retention screen lists the erasure, done, without the email")
    settings = driver.find_element(By.ID, "retention-settings").text
    check("30 d" in settings and "90 d" in settings and "400 d" in settings, "and the retention settings")
    snap(driver, "retention")

    driver.get(f"{base}/console/deliveries/dlv_0000")
    WebDriverWait(driver, 10).until(shown.visibility_of_element_located((By.CSS_SELECTOR, "#view h1")))
    check(driver.find_element(By.ID, "who").text == "oncall (admin)", "a deep link opens signed in")

    driver.find_element(By.ID, "sign-out").click()
    WebDriverWait(driver, 10).until(shown.visibility_of_element_located((By.ID, "token")))
    check(fetch_status(driver, "/v1/destinations") == 401, "after sign-out the cookie no longer reads the API")

    driver.get(f"{base}/console")
    sign_in(driver, viewer_token)
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.ID, "destinations")))
    check(driver.find_element(By.ID, "who").text == "dashboards (viewer)", "a viewer token signs in as a viewer")
    check(fetch_status(driver, "/v1/replays", "POST", csrf=True) == 403, "a viewer cannot change anything, even with the CSRF token")
    driver.get(delivery_url)
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.CSS_SELECTOR, "#attempts tbody tr")))
    check(driver.find_elements(By.ID, "replay") == [], "a viewer sees no replay button")
    driver.find_element(By.CSS_SELECTOR, "a[href^='/console/events/']").click()
    WebDriverWait(driver, 10).until(shown.presence_of_element_located((By.ID, "cloudevent")))
    check(driver.find_elements(By.ID, "redeliver") == [], "nor a redeliver button")
    check(violations(driver) == [], "no Content-Security-Policy violation and no uncaught error")
except Exception:
    # What the page showed and logged, so a CI failure can be read without a rerun.
    print(f"console: at {driver.current_url}\n{driver.find_element(By.TAG_NAME, 'body').text}", file=sys.stderr)
    for entry in driver.get_log("browser"):
        print(f"console: browser log: {entry['message']}", file=sys.stderr)
    raise
finally:
    driver.quit()
