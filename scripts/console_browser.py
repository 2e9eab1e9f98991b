"""Drives the console in headless Chromium (scripts/console-test): sign-in, what a session cookie may and may not
do, and that the page runs under its Content-Security-Policy without a violation. Exits non-zero on the first
failed check, naming it."""

import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import WebDriverWait

base, admin_token, viewer_token, scratch = sys.argv[1:5]


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
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "sign-in-error").text != "")


def fetch_status(driver, path, method="GET", csrf=False):
    """The status of a request the page itself makes, with its cookie; with the session's CSRF token if `csrf`."""
    return driver.execute_async_script(
        """
        const [path, method, csrf, done] = arguments;
        const headers = {"Content-Type": "application/json"};
        const go = (token) => fetch(path, {method, headers: token ? {...headers, "X-CSRF-Token": token} : headers,
            body: method === "GET" ? undefined : JSON.stringify({filter: {status: "dead"}, dry_run: true})}).then(r => done(r.status));
        if (csrf) fetch("/console/session").then(r => r.json()).then(s => go(s.csrf_token)); else go(null);
        """,
        path,
        method,
        csrf,
    )


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
    check(driver.execute_script("return document.cookie") == "", "the session cookie is out of the page's reach (HttpOnly)")
    cookie = next(c for c in driver.get_cookies() if c["name"] == "hookgate_console")
    check(cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", "the cookie is HttpOnly and SameSite=Strict")
    check(fetch_status(driver, "/v1/replays", "POST") == 403, "a change without the CSRF token is refused")
    check(fetch_status(driver, "/v1/replays", "POST", csrf=True) == 200, "a change with the CSRF token goes through")

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
    check(violations(driver) == [], "no Content-Security-Policy violation and no uncaught error")
finally:
    driver.quit()
