"""Take the README screenshots of a running opencity with the system Chromium.

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8000 \
        --login dispatcher@kazan.demo --password opencity-demo

Writes docs/screenshot-home.png (the home page, signed out) and, given a staff login,
docs/screenshot-staff.png (the staff area). Never downloads a browser.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from opencity.web.tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="base URL of a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--login", help="e-mail or phone of a staff user for the staff shot")
    parser.add_argument("--password", help="that user's password")
    parser.add_argument("--out", default=str(ROOT / "docs"), help="output directory")
    parser.add_argument("--lang", default="ru", help="interface language (ru, en, tt)")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=860)
    args = parser.parse_args()

    if not Path(CHROMIUM_PATH).exists():
        parser.error(f"Chromium not found at {CHROMIUM_PATH}: apt-get install -y chromium")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    base = args.url.rstrip("/")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": args.width, "height": args.height},
            locale=args.lang,
            extra_http_headers={"Accept-Language": args.lang},
        )
        page = context.new_page()
        page.goto(base + "/")
        page.screenshot(path=str(out / "screenshot-home.png"))
        print(out / "screenshot-home.png")

        if args.login and args.password:
            page.goto(base + "/accounts/login/?next=/staff/")
            page.fill("#id_username", args.login)
            page.fill("#id_password", args.password)
            page.get_by_test_id("login-submit").click()
            page.wait_for_url("**/staff/")
            page.screenshot(path=str(out / "screenshot-staff.png"))
            print(out / "screenshot-staff.png")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
