"""The markdown table: one row a tool and measurement, each figure a median with its min–max spread."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

Check = Callable[[float, float | None, float | None], bool]


@dataclass
class Row:
    group: str
    measurement: str
    tool: str
    key: str
    unit: str = "time"
    reference: str | None = None
    floor: str | None = None
    target: str = ""
    check: Check | None = None


def _alive_rows(engine: str) -> list[Row]:
    return [
        Row("1", "One sandbox: process start to alive", f"`swerex-run up -d` ({engine})", f"one.run.{engine}",
            reference="one.swerex", floor="one.floor", target="≤ floor + 50 ms",
            check=lambda m, r, f: f is not None and m <= f + 0.05),
    ]


ROWS: list[Row] = [
    *_alive_rows("sdk"),
    *_alive_rows("cli"),
    Row("1", "One sandbox: process start to alive", "SWE-ReX: `asyncio.run(DockerDeployment(...).start())` script",
        "one.swerex", reference="one.swerex", floor="one.floor"),
    Row("1", "One sandbox: process start to alive", "floor: Engine API create + start, in-process `/is_alive` polling",
        "one.floor", reference="one.swerex", floor="one.floor"),
    *[
        Row("2", "Sixteen sandboxes to all alive", f"`swerex-run up -d`, `replicas: 16` ({engine})",
            f"sixteen.run.{engine}", reference="sixteen.swerex", floor="sixteen.floor",
            target="≤ 0.5× SWE-ReX and ≤ 1.2× floor",
            check=lambda m, r, f: r is not None and f is not None and m <= 0.5 * r and m <= 1.2 * f)
        for engine in ("sdk", "cli")
    ],
    Row("2", "Sixteen sandboxes to all alive", "SWE-ReX: 16 processes started together, one deployment each",
        "sixteen.swerex", reference="sixteen.swerex", floor="sixteen.floor"),
    Row("2", "Sixteen sandboxes to all alive", "floor: sequential create + start, in-process polling",
        "sixteen.floor", reference="sixteen.swerex", floor="sixteen.floor"),
    *[
        Row("3", "Teardown of sixteen (until none is listed)", f"`swerex-run down` ({engine})", f"down.run.{engine}",
            reference="down.swerex", floor="down.floor", target="< 1 s", check=lambda m, r, f: m < 1.0)
        for engine in ("sdk", "cli")
    ],
    Row("3", "Teardown of sixteen (until none is listed)", "SWE-ReX: `stop()` in each of the 16 processes",
        "down.swerex", reference="down.swerex", floor="down.floor"),
    Row("3", "Teardown of sixteen (until none is listed)", "floor: 16 concurrent `DELETE /containers/ID?force=1`",
        "down.floor", reference="down.swerex", floor="down.floor"),
    *[
        Row("3", "No-op re-apply of sixteen running", f"`swerex-run up -d` again ({engine})", f"noop.run.{engine}",
            floor="noop.floor", target="< 150 ms", check=lambda m, r, f: m < 0.150)
        for engine in ("sdk", "cli")
    ],
    Row("3", "No-op re-apply of sixteen running", "floor: `curl` lists them by label over the socket", "noop.floor",
        floor="noop.floor"),
    Row("4", "Peak RSS holding sixteen", "`swerex-run up` (sdk, foreground): VmHWM", "memory.run", unit="memory",
        reference="memory.swerex", target="≤ 0.25× SWE-ReX", check=lambda m, r, f: r is not None and m <= 0.25 * r),
    Row("4", "Peak RSS holding sixteen", "SWE-ReX: sum of the 16 python processes' VmHWM", "memory.swerex",
        unit="memory", reference="memory.swerex"),
    Row("4", "Peak RSS holding sixteen", "SWE-ReX: the same plus their 16 `docker run` clients",
        "memory.swerex.clients", unit="memory", reference="memory.swerex"),
    Row("5", "Load + validate a 1,000-deployment manifest", "`swerex-run validate` (process)", "manifest.run",
        reference="manifest.python.work"),
    Row("5", "Load + validate a 1,000-deployment manifest",
        "`swerex-run debug time-validate`: the same work, in-process (read, load, validate)", "manifest.run.work",
        reference="manifest.python.work", target="≥ 5× faster than PyYAML + pydantic",
        check=lambda m, r, f: r is not None and m * 5 <= r),
    Row("5", "Load + validate a 1,000-deployment manifest",
        "PyYAML `CSafeLoader` + pydantic `DockerDeploymentConfig` (process, with imports)", "manifest.python",
        reference="manifest.python.work"),
    Row("5", "Load + validate a 1,000-deployment manifest", "the same, in-process (load + validate only)",
        "manifest.python.work", reference="manifest.python.work"),
    Row("5", "Load a 10 MB generic YAML file", "`swerex-run debug load-yaml` (process)", "generic.run",
        reference="generic.python.work", target="(none set)"),
    Row("5", "Load a 10 MB generic YAML file", "PyYAML `CSafeLoader` (process, with import)", "generic.python",
        reference="generic.python.work"),
    Row("5", "Load a 10 MB generic YAML file", "PyYAML `CSafeLoader`, in-process (load only)", "generic.python.work",
        reference="generic.python.work"),
]

# Figures measured within another tool's run share that run's availability.
DERIVED = {
    "noop.run.sdk": "sixteen.run.sdk",
    "noop.run.cli": "sixteen.run.cli",
    "down.run.sdk": "sixteen.run.sdk",
    "down.run.cli": "sixteen.run.cli",
    "down.swerex": "sixteen.swerex",
    "memory.swerex": "sixteen.swerex",
    "memory.swerex.clients": "sixteen.swerex",
    "noop.floor": "sixteen.floor",
    "down.floor": "sixteen.floor",
    "manifest.python.work": "manifest.python",
    "manifest.run.work": "manifest.run",
    "generic.python.work": "generic.python",
}


def _format(value: float, unit: str) -> str:
    if unit == "memory":
        return f"{value / 1048576:.1f} MiB"
    if value < 1.0:
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def _spread(values: list[float], unit: str) -> str:
    low, high = min(values), max(values)
    if unit == "memory":
        return f"{low / 1048576:.1f}–{high / 1048576:.1f} MiB"
    if high < 1.0:
        digits = 0 if low >= 0.01 else 1
        return f"{low * 1000:.{digits}f}–{high * 1000:.{digits}f} ms"
    return f"{low:.2f}–{high:.2f} s"


def _median(samples: dict[str, list[float]], key: str | None) -> float | None:
    values = samples.get(key or "", [])
    return statistics.median(values) if values else None


def _noisy(values: list[float]) -> bool:
    """Spread too wide to judge a target: the slowest run took more than twice the fastest."""
    return len(values) > 1 and min(values) > 0 and max(values) > 2 * min(values)


def render(results: dict) -> str:
    """The table and its notes from the figures the driver saves (bench/results/latest.json)."""
    samples, unavailable, failures = results["samples"], results["unavailable"], results["failures"]
    extra, machine = results["extra"], results["machine"]
    lines = [
        "| # | Measurement | Tool | Median | Spread (min–max) | Runs | × reference | × floor | Target | Met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in ROWS:
        source = DERIVED.get(row.key, row.key)
        values = samples.get(row.key, [])
        failed = len(failures.get(source, []))
        if not values:
            reason = unavailable.get(source) or unavailable.get(row.key)
            if reason is None:
                reason = "every run failed" if failed else "not run"
            lines.append(
                f"| {row.group} | {row.measurement} | {row.tool} | n/a ({reason}) | | 0 | | | {row.target} | — |"
            )
            continue
        median = statistics.median(values)
        reference, floor = _median(samples, row.reference), _median(samples, row.floor)
        ratio = f"{median / reference:.2f}×" if reference else "—"
        floor_ratio = f"{median / floor:.2f}×" if floor else "—"
        met = "—"
        if row.check is not None:
            met = "yes" if row.check(median, reference, floor) else "no"
            compared = [values, samples.get(row.reference or "", []), samples.get(row.floor or "", [])]
            if any(_noisy(figures) for figures in compared):
                met += " (noisy)"
        runs = f"{len(values)}" + (f" ({failed} failed)" if failed else "")
        lines.append(
            f"| {row.group} | {row.measurement} | {row.tool} | {_format(median, row.unit)} | "
            f"{_spread(values, row.unit)} | {runs} | {ratio} | {floor_ratio} | {row.target} | {met} |"
        )
    sizes = extra.get("loader.sizes")
    notes = [
        "",
        f"Machine: {machine['summary']}.",
        "× reference: against SWE-ReX in rows 1–4, against PyYAML in-process in row 5. "
        "Times run from process start (fork and exec included) unless the tool says in-process. "
        "(noisy): this row, its reference or its floor had a run more than twice as slow as another, "
        "so the verdict says little; run again on a quieter machine.",
    ]
    if sizes:
        notes.append(f"Inputs: the manifest is {sizes[0] / 1024:.0f} KiB, the generic file {sizes[1] / 1048576:.1f} MiB.")
    for key, label in (("one.swerex.imports", "alone"), ("sixteen.swerex.imports", "each of sixteen, median")):
        if extra.get(key):
            notes.append(
                f"SWE-ReX: process start to imports done {_format(statistics.median(extra[key]), 'time')} ({label})."
            )
    for count, label in ((1, "one sandbox"), (16, "the last of sixteen, one after another")):
        started = extra.get(f"floor.{count}.started")
        if started:
            notes.append(
                f"Floor: create + start returned after {_format(statistics.median(started), 'time')} ({label}); "
                "from there to alive is swerex-remote's own start-up."
            )
    return "\n".join(lines + notes)


def machine(engine, load_before: tuple[float, ...], load_after: tuple[float, ...], duration: float) -> dict:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), cpu)
    except OSError:
        pass
    system = platform.system()
    try:
        with open("/etc/os-release") as release:
            system = next(
                (line.split("=", 1)[1].strip().strip('"') for line in release if line.startswith("PRETTY_NAME=")),
                system,
            )
    except OSError:
        pass
    try:
        version = engine.request("GET", "/version")
        docker = f"dockerd {version.get('Version')} (API {version.get('ApiVersion')})"
    except Exception:  # noqa: BLE001 - the table is still worth printing
        docker = "dockerd (version unknown)"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1073741824
    summary = (
        f"{os.cpu_count()} × {cpu}, {memory:.0f} GiB, {system}, kernel {platform.release()}, {docker}, "
        f"Python {platform.python_version()}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {duration:.0f} s in all"
    )
    return {"summary": summary, "cpu": cpu, "cores": os.cpu_count(), "docker": docker, "system": system}
