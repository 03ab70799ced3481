"""The preview server: serves the output folder on 127.0.0.1 and reloads open tabs.

Live reload and the error overlay are added to HTML responses as they are sent, never
written into the output folder, so ``build/`` stays exactly what a static host gets.
Each finished rebuild (good or failed) bumps an epoch, pushed as server-sent events on
``/__newsforge/events``. A browser allows only about six connections per host, so the
tabs do not each hold one: a shared worker (``/__newsforge/live.js``) holds the one
event stream for every tab of the preview and tells each tab the epoch; a tab reloads
when the epoch it was served with is gone (a browser without shared workers opens its
own stream). A failed rebuild leaves the last good output in place (the build swaps its output
in atomically) and the error is shown over every page until a rebuild succeeds.
"""

from __future__ import annotations

import dataclasses
import html
import json
import secrets
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from newsforge.analysis import Toolkit, prepare_toolkit
from newsforge.build import build_site
from newsforge.config import Config, load_config
from newsforge.errors import NewsforgeError, format_error
from newsforge.model import Severity
from newsforge.report import console_reporter
from newsforge.watch import ChangeSet
from newsforge.watch import watch as watch_changes

EVENTS_PATH = "/__newsforge/events"
WORKER_PATH = "/__newsforge/live.js"
# How often an idle event stream sends a comment, so proxies and the browser keep it open
# and a closed tab's connection is noticed.
_POLL_SECONDS = 15.0

# One event stream for every tab: each tab connects a port, and every event goes to all.
_WORKER_SCRIPT = (
    "var ports=[],last=null,source=new EventSource(" + json.dumps(EVENTS_PATH) + ");"
    "source.onmessage=function(e){last=JSON.parse(e.data);"
    "ports.forEach(function(p){p.postMessage(last);});};"
    "onconnect=function(e){var p=e.ports[0];ports.push(p);if(last){p.postMessage(last);}};"
).encode("utf-8")

# Our own table, not the mimetypes module: that one reads the machine's /etc/mime.types,
# and the preview must answer the same everywhere.
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".xsl": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".pdf": "application/pdf",
}
_ATOM_NAMESPACE = b"http://www.w3.org/2005/Atom"


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    """What one build attempt produced, as the server needs it."""

    ok: bool
    errors: tuple[str, ...] = ()
    """Problems as ``path:line: message`` lines, shown in the overlay when not ok."""


Builder = Callable[[Config], BuildOutcome]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a request path leads: a file (200), a redirect (301) or nothing (404)."""

    status: int
    file: Path | None = None
    location: str | None = None


_NOT_FOUND = Resolution(HTTPStatus.NOT_FOUND)


def resolve_request(root: Path, base_path: str, target: str) -> Resolution:
    """Map a raw request target to a file inside ``root``, never outside it.

    ``base_path`` is the URL path the site lives under ('/' or '/archive/'). Clean
    URLs: ``/a/b/`` serves ``a/b/index.html`` and ``/a/b`` redirects to ``/a/b/`` when
    ``a/b`` is a folder. Percent-decoding happens exactly once; backslashes, NUL bytes,
    ``.``/``..`` segments and symlinks whose target lies outside ``root`` give 404.
    """
    split = urlsplit(target)
    raw_path = split.path
    if not raw_path.startswith("/") or split.scheme or split.netloc:
        return _NOT_FOUND
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return _NOT_FOUND
    if "\\" in raw_path or "\\" in path or "\x00" in path:
        return _NOT_FOUND
    if not path.startswith(base_path):
        if path in ("/", base_path.rstrip("/")):
            return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=base_path)
        return _NOT_FOUND
    segments = path[len(base_path):].split("/")
    if any(segment in (".", "..") for segment in segments):
        return _NOT_FOUND
    names = [segment for segment in segments if segment]
    try:
        top = root.resolve(strict=True)
        found = top.joinpath(*names).resolve(strict=True)
        if found.is_dir():
            if not path.endswith("/"):
                # Rebuilt from the checked names, so '//evil.example' cannot become a
                # protocol-relative redirect.
                location = base_path + "".join(quote(name) + "/" for name in names)
                if split.query:
                    location += "?" + split.query
                return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=location)
            found = (found / "index.html").resolve(strict=True)
        elif path.endswith("/"):  # '/page.html/' names a folder that is not there
            return _NOT_FOUND
    except (OSError, RuntimeError):  # missing, unreadable, a symlink loop, a bad name
        return _NOT_FOUND
    if not found.is_relative_to(top) or not found.is_file():
        return _NOT_FOUND
    return Resolution(HTTPStatus.OK, file=found)


def content_type(path: Path, head: bytes = b"") -> str:
    """The Content-Type for a file, given its name and its first bytes (for Atom feeds)."""
    suffix = path.suffix.lower()
    if suffix == ".xml" and _ATOM_NAMESPACE in head:
        return "application/atom+xml"
    return _CONTENT_TYPES.get(suffix, "application/octet-stream")


def live_reload_snippet(epoch: str, error: str | None) -> bytes:
    """The markup added before ``</body>``: the error overlay (if any) and the reload script."""
    overlay = ""
    if error is not None:
        overlay = (
            '<div id="newsforge-error" role="alert" style="position:fixed;left:0;right:0;'
            "bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;"
            "padding:1em 1.25em;background:#2a0c0c;color:#ffe3e3;border-top:4px solid #e5484d;"
            'font:14px/1.5 ui-monospace,Menlo,Consolas,monospace">'
            "<strong>newsforge: the last rebuild failed; the last good site is shown."
            "</strong>"
            f'<pre style="white-space:pre-wrap;margin:.6em 0 0">{html.escape(error)}</pre>'
            "</div>"
        )
    # A JS string literal that cannot close the script element early.
    literal = json.dumps(epoch).replace("<", "\\u003c")
    script = (
        f'<script id="newsforge-live-reload">(function(){{var epoch={literal};'
        "function seen(d){if(d.epoch!==epoch){location.reload();}}"
        "try{var w=new SharedWorker(" + json.dumps(WORKER_PATH) + ",{name:'newsforge'});"
        "w.port.onmessage=function(e){seen(e.data);};w.port.start();}"
        "catch(err){var s=new EventSource(" + json.dumps(EVENTS_PATH) + ");"
        "s.onmessage=function(e){seen(JSON.parse(e.data));};}})();</script>"
    )
    return (overlay + script).encode("utf-8")


def inject(page: bytes, snippet: bytes) -> bytes:
    """``page`` with ``snippet`` inserted before its last ``</body>`` (or at its end)."""
    at = page.lower().rfind(b"</body>")
    if at < 0:
        return page + snippet
    return page[:at] + snippet + page[at:]


class PreviewState:
    """The build epoch, the last error and the running configuration, shared by threads."""

    def __init__(self, config: Config, builder: Builder) -> None:
        self._builder = builder
        self._changed = threading.Condition()
        self._instance = secrets.token_hex(4)  # a restarted server makes old tabs reload
        self._epoch = 0
        self._building = False
        self._closed = False
        self._streams = 0
        self._starts: tuple[int, float] = (0, 0.0)
        self._error: str | None = None
        self.config = config
        self._overrides = _overrides(config)

    @property
    def epoch(self) -> str:
        """The token pages are served with; it changes after every build attempt."""
        return self.snapshot()[0]

    @property
    def error(self) -> str | None:
        """The last build's problems when it failed, else None."""
        return self.snapshot()[1]

    def snapshot(self) -> tuple[str, str | None]:
        """The epoch and the error, read together (a page must not mix two builds)."""
        with self._changed:
            return f"{self._instance}.{self._epoch}", self._error

    def rebuild(self, changes: ChangeSet | None) -> Config:
        """Build once (reloading the configuration if it changed); returns the config used."""
        started = time.monotonic()
        what = changes.describe() if changes is not None else "first build"
        print(f"newsforge: building ({what})", flush=True)
        config = self.config
        outcome: BuildOutcome
        if changes is not None and changes.config:
            try:
                config = self._reload_config()
            except NewsforgeError as error:
                outcome = BuildOutcome(False, (format_error(error),))
                return self._finish(outcome)
        with self._changed:
            self._building = True
            self._starts = (self._starts[0] + 1, started)
            self.config = config
        outcome = self._builder(config)
        return self._finish(outcome)

    def _finish(self, outcome: BuildOutcome) -> Config:
        if not outcome.ok:
            print("newsforge: build failed; still serving the last good site", flush=True)
        with self._changed:
            self._building = False
            self._epoch += 1
            self._error = None if outcome.ok else "\n".join(outcome.errors) or "build failed"
            self._changed.notify_all()
            return self.config

    def _reload_config(self) -> Config:
        return dataclasses.replace(_config_on_disk(self.config), **self._overrides)

    def wait_for_change(self, seen: str, timeout: float) -> None:
        """Block until the epoch differs from ``seen``, ``timeout`` passes or we close."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while f"{self._instance}.{self._epoch}" == seen and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._changed.wait(left)

    def wait_until_built(self, timeout: float) -> None:
        """Block while a build is running (a missing file may be mid-swap)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._building and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._changed.wait(left)

    @property
    def last_start(self) -> tuple[int, float]:
        """How many builds have started, and when the last one did (time.monotonic)."""
        with self._changed:
            return self._starts

    def count_stream(self, change: int) -> None:
        """One more (or one fewer) open event stream."""
        with self._changed:
            self._streams += change

    @property
    def streams(self) -> int:
        """How many event streams are open (one per browser, or per tab without workers)."""
        with self._changed:
            return self._streams

    @property
    def closed(self) -> bool:
        """True once the server is stopping."""
        with self._changed:
            return self._closed

    @property
    def building(self) -> bool:
        """True while a build runs."""
        with self._changed:
            return self._building

    def close(self) -> None:
        """Release every waiting request so the server can stop at once."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


def _overrides(config: Config) -> dict[str, Any]:
    """Fields the command line set differently from the file (--out, --base-url).

    A reloaded configuration keeps them, so editing newsforge.yaml while serving does not
    silently move the output folder.
    """
    try:
        on_disk = _config_on_disk(config)
    except NewsforgeError:
        return {}
    return {field.name: getattr(config, field.name)
            for field in dataclasses.fields(config)
            if getattr(config, field.name) != getattr(on_disk, field.name)}


def _config_on_disk(config: Config) -> Config:
    """The configuration as its file says now (defaults when the site has no file)."""
    source = config.source_file
    return load_config(source) if source is not None else load_config(root=config.root)


class _Handler(BaseHTTPRequestHandler):
    server: _PreviewHTTPServer
    server_version = "newsforge-preview"
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds an idle keep-alive connection may hold its thread
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for
    # the client's delayed ACK (~40 ms), capping a keep-alive connection at ~25 requests/s.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:  # the stdlib's naming
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the console is for build messages, not one line per request."""

    def _respond(self, send_body: bool) -> None:
        state = self.server.state
        target = urlsplit(self.path).path
        if target == EVENTS_PATH:
            self._events(state)
            return
        if target == WORKER_PATH:
            self._send(HTTPStatus.OK, _WORKER_SCRIPT, "text/javascript; charset=utf-8",
                       send_body)
            return
        config = state.config
        found = resolve_request(config.output, config.base_path, self.path)
        if found.status == HTTPStatus.NOT_FOUND and state.building:
            # The build swaps build/ in at its very end; wait rather than 404 mid-swap.
            state.wait_until_built(timeout=60.0)
            found = resolve_request(config.output, config.base_path, self.path)
        if found.status == HTTPStatus.MOVED_PERMANENTLY:
            assert found.location is not None
            self._send(found.status, b"", "text/plain; charset=utf-8", send_body,
                       extra={"Location": found.location})
            return
        if found.file is None:
            self._send(HTTPStatus.NOT_FOUND, self._decorate(_not_found_page(config), state),
                       "text/html; charset=utf-8", send_body)
            return
        try:
            body = found.file.read_bytes()
        except OSError:
            self._send(HTTPStatus.NOT_FOUND, b"not found", "text/plain; charset=utf-8",
                       send_body)
            return
        kind = content_type(found.file, body[:512])
        if kind.startswith("text/html"):
            body = self._decorate(body, state)
        self._send(HTTPStatus.OK, body, kind, send_body)

    def _decorate(self, page: bytes, state: PreviewState) -> bytes:
        return inject(page, live_reload_snippet(*state.snapshot()))

    def _events(self, state: PreviewState) -> None:
        """A server-sent event stream: the epoch now, then at every change, until the
        browser goes away or the server closes (each stream holds one thread)."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        sent = ""
        state.count_stream(+1)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not state.closed:
                epoch, error = state.snapshot()
                if epoch != sent:
                    event = json.dumps({"epoch": epoch, "failed": error is not None})
                    self.wfile.write(f"data: {event}\n\n".encode())
                    sent = epoch
                else:
                    self.wfile.write(b": waiting\n\n")
                self.wfile.flush()
                state.wait_for_change(sent, self.server.poll_seconds)
        except (ConnectionError, OSError):
            pass  # the tab (or the worker) went away
        finally:
            state.count_stream(-1)

    def _send(self, status: int, body: bytes, kind: str, send_body: bool,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def _not_found_page(config: Config) -> bytes:
    """The site's own 404.html when it has one (as a static host would serve it)."""
    own = resolve_request(config.output, config.base_path, config.base_path + "404.html")
    if own.file is not None:
        try:
            return own.file.read_bytes()
        except OSError:
            pass  # vanished mid-swap: the plain page below will do
    return b"<!doctype html><title>Not found</title><body><h1>404 Not found</h1></body>"


class _PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: PreviewState,
                 poll_seconds: float) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.state = state
        self.poll_seconds = poll_seconds
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A tab closed mid-response is routine; anything else is a bug worth printing.
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)


class Preview:
    """A running preview: server thread, optional watcher thread, and their shared state."""

    def __init__(self, state: PreviewState, httpd: _PreviewHTTPServer) -> None:
        self.state = state
        self._httpd = httpd
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        host, port = str(httpd.server_address[0]), int(httpd.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}{state.config.base_path}"

    def start(self, watch: bool, quiet: float) -> None:
        """Start serving, and watching when asked; returns once both are running."""
        server = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                  name="newsforge-server", daemon=True)
        server.start()
        self._threads.append(server)
        if watch:
            ready = threading.Event()
            watcher = threading.Thread(
                target=watch_changes, args=(self.state.config, self.state.rebuild, self._stop),
                kwargs={"quiet": quiet, "ready": ready}, name="newsforge-watch", daemon=True)
            watcher.start()
            self._threads.append(watcher)
            ready.wait(timeout=10.0)

    def wait(self) -> None:
        """Block until ``close`` is called (or Ctrl-C raises KeyboardInterrupt).

        Sleeps rather than waiting on the stop event: a KeyboardInterrupt landing inside
        ``Event.wait`` can leave the event's lock held, and ``close`` would then hang
        setting it (seen under load: the preview never stopped on Ctrl-C)."""
        while not self._stop.is_set():
            time.sleep(0.2)

    def close(self) -> None:
        """Stop serving and watching; waits briefly for the threads to end."""
        self._stop.set()
        self.state.close()
        self._httpd.shutdown()
        self._httpd.server_close()
        for thread in self._threads:
            # A rebuild in progress may outlive this; the build's atomic swap makes
            # leaving it behind at exit safe.
            thread.join(timeout=5.0)


def start_preview(config: Config, *, host: str = "127.0.0.1", port: int = 8000,
                  watch: bool = False, builder: Builder | None = None,
                  quiet: float = 0.2, poll_seconds: float = _POLL_SECONDS) -> Preview:
    """Bind, build once, then serve (and watch) in background threads.

    Port 0 picks a free port (see ``Preview.url``). A failed first build still serves,
    with the error shown over every page, so the author can fix it and watch it reload.
    """
    if builder is None:
        toolkit = prepare_toolkit()  # kept warm: every rebuild starts without loading it

        def builder(config: Config) -> BuildOutcome:
            return build_once(config, toolkit)

    state = PreviewState(config, builder)
    try:
        httpd = _PreviewHTTPServer((host, port), state, poll_seconds)
    except OSError as error:
        raise NewsforgeError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                             hint="pick another --port or stop the program using it") from None
    try:
        state.rebuild(None)
        preview = Preview(state, httpd)
        preview.start(watch, quiet)
    except BaseException:
        httpd.server_close()
        raise
    return preview


def serve(config: Config, host: str = "127.0.0.1", port: int = 8000, watch: bool = False) -> int:
    """Build, serve ``config.output`` on ``host:port`` and, with ``watch``, rebuild on change.

    Runs until Ctrl-C, then stops its threads and returns 0.
    """
    try:
        preview = start_preview(config, host=host, port=port, watch=watch)
    except KeyboardInterrupt:
        return 0
    try:
        # Inside the try: a Ctrl-C right after the announcement must still stop the threads.
        print(f"newsforge: serving {config.output} at {preview.url}"
              f"{' (watching for changes)' if watch else ''}; press Ctrl-C to stop",
              flush=True)
        preview.wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
    print("newsforge: stopped", flush=True)
    return 0


def build_once(config: Config, toolkit: Toolkit | None = None) -> BuildOutcome:
    """Run the real build and describe the result for the overlay.

    Anything a build raises is caught here on purpose: the preview must survive a broken
    template or a bug, show it in the page and recover on the next save.
    """
    try:
        result = build_site(config, console_reporter(quiet=False, verbose=False), strict=False,
                            toolkit=toolkit)
    except NewsforgeError as error:
        return BuildOutcome(False, (format_error(error),))
    except Exception as error:  # see the docstring
        traceback.print_exc()
        return BuildOutcome(False, (f"{type(error).__name__}: {error}",))
    if result.ok:
        return BuildOutcome(True)
    # Errors are why it failed; warnings only matter when --strict made them fatal.
    errors = [p for p in result.problems if p.severity is Severity.ERROR] or result.problems
    return BuildOutcome(False, tuple(problem.format() for problem in errors))
