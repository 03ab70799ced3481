#!/usr/bin/env python3
"""Preview-server benchmark: requests per second on loopback, idle and during rebuilds.

    python bench/bench_serve.py --n 200 --clients 8 --requests 4000

Builds a generated archive of N articles, starts the preview server on 127.0.0.1 (a free
port), and sends a bounded number of GET requests over keep-alive connections from
several client threads, first while the server is idle, then while real rebuilds run.
Prints requests per second and the number of failed requests for each. A figure, never
an assertion; every request goes to this machine's loopback address only.
"""

from __future__ import annotations

import argparse
import http.client
import tempfile
import threading
import time
from pathlib import Path

from corpus import DEFAULT_GEN, ensure_corpus

from newsforge.config import default_config, replace
from newsforge.server import Preview, start_preview
from newsforge.watch import ChangeSet

PAGES = ("/", "/en/", "/archive/", "/static/style.css", "/sitemap.xml", "/404.html")


def _client(preview: Preview, requests: int, failures: list[str]) -> None:
    host, port = preview.url.removeprefix("http://").split("/")[0].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for n in range(requests):
            conn.request("GET", PAGES[n % len(PAGES)])
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                failures.append(str(response.status))
    except (OSError, http.client.HTTPException) as error:
        failures.append(type(error).__name__)
    finally:
        conn.close()


def _round(preview: Preview, clients: int, requests: int, rebuild: bool) -> tuple[float, int]:
    failures: list[str] = []
    per_client = requests // clients
    threads = [threading.Thread(target=_client, args=(preview, per_client, failures))
               for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    if rebuild:
        while any(thread.is_alive() for thread in threads):
            preview.state.rebuild(ChangeSet(content=(preview.state.config.content,)))
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return per_client * clients / elapsed, len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="articles in the archive")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--requests", type=int, default=4000, help="requests per round")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="gen_corpus.py")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        content = ensure_corpus(work, args.n, "md", args.gen)
        site = work / f"serve-site-{args.n}"
        site.mkdir(exist_ok=True)
        config = replace(default_config(site), content=content, output=site / "build")
        preview = start_preview(config, port=0)
        try:
            for label, rebuild in (("idle", False), ("during rebuilds", True)):
                rate, failed = _round(preview, args.clients, args.requests, rebuild)
                print(f"{label:16} {rate:8.0f} requests/s  {failed} failed "
                      f"({args.requests} requests, {args.clients} clients)")
        finally:
            preview.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
