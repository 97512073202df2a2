"""swerex-run against SWE-ReX, the engine floor and PyYAML: runs every scenario, prints one markdown table.

Started by bench/run, inside the benchmark's venv. Progress goes to stderr, the table to stdout, and the
raw figures to bench/results/latest.json. Every container it starts carries the label
swerex-run.bench=1 plus this session's label, and is removed before the driver exits.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import generate
import report
from engine import BENCH_LABEL, RUN_LABEL, Engine, EngineError, free_loopback_port, probe_is_alive, published_ports
from engine import wait_alive

HERE = Path(__file__).resolve().parent
SESSION_LABEL = "swerex-run.bench.session"
SIXTEEN = 16
# The floor's in-process /is_alive polling, per pending sandbox. Before swerex-remote listens, every
# poll costs docker-proxy an accept and a refused dial, so sixteen pollers at 10 ms would spend CPU
# the sandboxes need on two cores; 25 ms adds at most 25 ms to a figure of several seconds.
POLL_INTERVAL = {1: 0.01, SIXTEEN: 0.025}
CHECK_INTERVAL = 0.05  # how often the driver looks for a foreground swerex-run's sandboxes


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Unavailable(Exception):
    """A tool cannot take part in a scenario; the reason goes into the table."""


class RunFailed(Exception):
    """One run went wrong; the scenario goes on, and repeated failures make the tool unavailable."""


class Bench:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.engine = Engine(options.socket)
        self.session = uuid.uuid4().hex[:8]
        self.counter = 0
        self.work = Path(tempfile.mkdtemp(prefix=f"swerex-bench-{self.session}-"))
        self.samples: dict[str, list[float]] = {}
        self.unavailable: dict[str, str] = {}
        self.failures: dict[str, list[str]] = {}
        self.extra: dict[str, list[float]] = {}
        self.children: list[subprocess.Popen] = []
        self.real_docker = shutil.which("docker")
        self.environment = dict(os.environ)
        if self.real_docker:
            self.environment["SWEREX_BENCH_REAL_DOCKER"] = self.real_docker
            self.environment["PATH"] = f"{HERE / 'shim'}:{os.environ.get('PATH', '')}"
        self.python = sys.executable

    # ----- bookkeeping -----

    def next_run(self) -> str:
        self.counter += 1
        return f"{self.session}-{self.counter}"

    def record(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)

    def fail(self, key: str, reason: str) -> None:
        reasons = self.failures.setdefault(key, [])
        reasons.append(reason)
        log(f"  {key}: run failed: {reason}")
        if len(reasons) >= 3:
            self.unavailable[key] = f"failed 3 times, last: {reason}"

    def labels(self, run: str) -> dict[str, str]:
        return {BENCH_LABEL: "1", RUN_LABEL: run, SESSION_LABEL: self.session}

    def spawn(self, argv: list[str], **kwargs) -> subprocess.Popen:
        # A session of its own, so that an interrupted benchmark can end a child with everything it started.
        child = subprocess.Popen(argv, env=self.environment, start_new_session=True, **kwargs)
        self.children.append(child)
        return child

    def end_children(self) -> None:
        """Kills every child still running, with everything it started (its own session)."""
        for child in self.children:
            if child.poll() is None:
                try:
                    os.killpg(child.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                child.wait()
        self.children = [child for child in self.children if child.poll() is None]

    def cleanup(self, run: str) -> None:
        """After a run, whether it succeeded or not: nothing of it may outlive it."""
        self.end_children()
        self.engine.sweep(label=f"{RUN_LABEL}={run}")
        self.engine.sweep(name_prefix=f"swerexbench-{run}-")

    def cleanup_session(self) -> None:
        self.end_children()
        try:
            removed = 0
            for _ in range(2):  # again after a moment, for a create the engine was still finishing
                removed += self.engine.sweep(label=f"{SESSION_LABEL}={self.session}")
                removed += self.engine.sweep(name_prefix=f"swerexbench-{self.session}-")
                time.sleep(1.0)
            if removed:
                log(f"removed {removed} leftover containers of session {self.session}")
        except (OSError, EngineError) as error:
            log(f"cleanup failed: {error}; remove containers labelled {SESSION_LABEL}={self.session}")
        shutil.rmtree(self.work, ignore_errors=True)

    # ----- the tools -----

    def swerex_run(self, *arguments: str) -> list[str]:
        return [self.options.bin, *arguments]

    def manifest(self, run: str, replicas: int, engine: str) -> Path:
        """A project manifest; container names start with the project name, which is unique to the run."""
        path = self.work / f"{run}-{engine}.yaml"
        path.write_text(
            f"project: swerexbench-{run}\n"
            "deployments:\n"
            "  sandbox:\n"
            f"    image: {self.options.image}\n"
            f"    replicas: {replicas}\n"
            f"    engine: {engine}\n"
            f"    docker_args: [\"--label\", \"{BENCH_LABEL}=1\", \"--label\", \"{RUN_LABEL}={run}\","
            f" \"--label\", \"{SESSION_LABEL}={self.session}\"]\n"
        )
        return path

    def timed(self, argv: list[str], timeout: float = 180.0) -> float:
        started = time.monotonic()
        child = self.spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise RunFailed(f"{' '.join(argv[1:3])} still running after {timeout:.0f} s")
        elapsed = time.monotonic() - started
        if child.returncode != 0:
            tail = (err or out).decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise RunFailed(f"`{' '.join(argv[1:2])}` exited {child.returncode}: {tail[0][:160]}")
        return elapsed

    def sandboxes(self, run: str) -> list[dict]:
        """The run's containers, found by label and by name, without duplicates."""
        found = {c["Id"]: c for c in self.engine.containers(label=f"{RUN_LABEL}={run}")}
        prefix = f"swerexbench-{run}-"
        for container in self.engine.containers(name=prefix):
            if any(name.lstrip("/").startswith(prefix) for name in container.get("Names", [])):
                found[container["Id"]] = container
        return list(found.values())

    def check_alive(self, run: str, expected: int) -> tuple[str | None, set[str]]:
        """Why the run's sandboxes are not all up and answering, or None; and their container ids."""
        containers = [c for c in self.sandboxes(run) if c.get("State") == "running"]
        ids = {c["Id"] for c in containers}
        if len(containers) != expected:
            return f"{len(containers)} of {expected} sandboxes running", ids
        ports = [published_ports(c) for c in containers]
        exposed = {ip for pairs in ports for ip, _ in pairs if ip != "127.0.0.1"}
        if exposed:
            self.cleanup(run)
            raise Unavailable(f"publishes port 8000 on {', '.join(sorted(exposed))}, not 127.0.0.1")
        if not all(ports):
            return "a sandbox has no published port for 8000", ids

        async def probe_all() -> list[bool]:
            return await asyncio.gather(*(probe_is_alive(pairs[0][1], None) for pairs in ports))

        answered = asyncio.run(probe_all())
        if not all(answered):
            return f"{answered.count(False)} of {expected} sandboxes not answering /is_alive", ids
        return None, ids

    def swerex_processes(self, count: int, run: str) -> tuple[float, list[subprocess.Popen], list[dict]]:
        """Starts `count` SWE-ReX processes together; returns the start time, the processes, their reports.
        SWE-ReX logs to stdout, so each process reports on a pipe of its own."""
        pipes = [os.pipe() for _ in range(count)]
        logs = [open(self.work / f"{run}-swerex-{i}.log", "wb") for i in range(count)]
        started = time.monotonic()
        children = [
            self.spawn(
                [self.python, str(HERE / "swerex_one.py"), self.options.image, run, self.session, str(write)],
                stdin=subprocess.PIPE,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                pass_fds=(write,),
            )
            for (_, write), log_file in zip(pipes, logs)
        ]
        for (_, write), log_file in zip(pipes, logs):
            os.close(write)
            log_file.close()
        lines: list[bytes] = [b""] * count

        def read(index: int) -> None:
            with os.fdopen(pipes[index][0], "rb") as report:
                lines[index] = report.readline()

        readers = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(count)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=max(0.0, started + 180 - time.monotonic()))
        if not all(lines):
            self.stop_swerex(children)
            failed = self.work / f"{run}-swerex-{lines.index(b'')}.log"
            kept = self.keep_log(failed)
            raise RunFailed(f"a SWE-ReX process did not report alive: {error_line(failed)} (log: {kept})")
        try:
            return started, children, [json.loads(line) for line in lines]
        except ValueError:
            self.stop_swerex(children)
            raise RunFailed(f"a SWE-ReX process reported something unreadable: {lines!r:.160}")

    def keep_log(self, path: Path) -> Path:
        """Copies a failed run's log out of the scratch folder, which goes at the end."""
        folder = Path(self.options.json).parent / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / path.name)
        return folder / path.name

    def stop_swerex(self, children: list[subprocess.Popen]) -> None:
        for child in children:
            if child.poll() is None:
                try:
                    child.stdin.write(b"stop\n")
                    child.stdin.flush()
                except BrokenPipeError:
                    pass
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def wait_gone(self, run: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.sandboxes(run):
            if time.monotonic() > deadline:
                raise RunFailed(f"containers still listed {timeout:.0f} s after teardown")
            time.sleep(0.02)

    async def floor_up(self, count: int, run: str) -> tuple[float, list[str]]:
        """Engine API create and start, one after another, each then polled in this process.
        Returns the time to all alive and the container ids; the time the last start took to return
        goes into `extra`."""
        loop = asyncio.get_running_loop()
        taken: set[int] = set()
        polls = []
        ids = []
        deadline = time.monotonic() + 120
        started = time.monotonic()
        for index in range(count):
            port = free_loopback_port(taken)
            token = uuid.uuid4().hex
            command = ["/bin/sh", "-c", f"swerex-remote --auth-token {token}"]
            name = f"swerexbench-{run}-floor-{index}"
            ids.append(
                await loop.run_in_executor(
                    None, self.engine.create_and_start, name, self.options.image, command, self.labels(run), port
                )
            )
            polls.append(asyncio.create_task(wait_alive(port, token, POLL_INTERVAL[count], deadline)))
        self.extra.setdefault(f"floor.{count}.started", []).append(time.monotonic() - started)
        alive = await asyncio.gather(*polls)
        return max(alive) - started, ids

    # ----- availability -----

    def check_swerex_run(self) -> str | None:
        binary = self.options.bin
        if not binary:
            return "no binary: set SWEREX_RUN_BIN or let bench/run build it"
        if not os.access(binary, os.X_OK):
            return f"no executable at {binary}"
        return None

    def check_swerex(self) -> str | None:
        if importlib.util.find_spec("swerex") is None:
            return "swe-rex is not installed in this venv"
        if not self.real_docker:
            return "no docker client on PATH (SWE-ReX drives the docker command)"
        return None

    def check_validate(self) -> str | None:
        broken = self.work / "broken.yaml"
        broken.write_text("project: broken\ndeployments:\n  a:\n    image: [not, a, string]\n    no_such_key: 1\n")
        good = self.work / "good.yaml"
        generate.manifest(good, deployments=2, image=self.options.image)
        if subprocess.run(self.swerex_run("validate", str(good)), capture_output=True).returncode != 0:
            return "`validate` rejects a valid manifest"
        if subprocess.run(self.swerex_run("validate", str(broken)), capture_output=True).returncode == 0:
            return "`validate` accepts an invalid manifest: not implemented yet"
        return None

    def check_load_yaml(self) -> str | None:
        good = self.work / "tiny.yaml"
        good.write_text("a: [1, 2]\nb: {c: d}\n")
        broken = self.work / "tiny-broken.yaml"
        broken.write_text("a: [1, 2\nb: {c: d\n")
        answer = subprocess.run(self.swerex_run("debug", "load-yaml", str(good)), capture_output=True)
        if answer.returncode != 0:
            return "no `debug load-yaml` command yet"
        if subprocess.run(self.swerex_run("debug", "load-yaml", str(broken)), capture_output=True).returncode == 0:
            return "`debug load-yaml` accepts malformed YAML: not implemented yet"
        return None

    # ----- scenarios -----

    def attempt(self, key: str, body: Callable[[], None]) -> None:
        if key in self.unavailable:
            return
        try:
            body()
        except Unavailable as reason:
            self.unavailable[key] = str(reason)
            log(f"  {key}: n/a ({reason})")
        except (RunFailed, EngineError, TimeoutError, OSError) as error:
            self.fail(key, str(error))

    def scenario_one(self, warmups: int) -> None:
        log("scenario 1: one sandbox, time to alive")
        for iteration in range(warmups + self.options.runs):
            keep = iteration >= warmups
            self.attempt("one.floor", lambda: self.one_floor(keep))
            self.attempt("one.swerex", lambda: self.one_swerex(keep))
            for engine in ("sdk", "cli"):
                self.attempt(f"one.run.{engine}", lambda engine=engine: self.one_swerex_run(engine, keep))
            log(f"  iteration {iteration + 1}/{warmups + self.options.runs}{'' if keep else ' (warm-up)'} done")

    def one_floor(self, keep: bool) -> None:
        run = self.next_run()
        try:
            elapsed, _ = asyncio.run(self.floor_up(1, run))
        finally:
            self.cleanup(run)
        if keep:
            self.record("one.floor", elapsed)

    def one_swerex(self, keep: bool) -> None:
        run = self.next_run()
        try:
            started, children, reports = self.swerex_processes(1, run)
            self.stop_swerex(children)
        finally:
            self.cleanup(run)
        if keep:
            self.record("one.swerex", reports[0]["alive"] - started)
            self.extra.setdefault("one.swerex.imports", []).append(reports[0]["imported"] - started)

    def one_swerex_run(self, engine: str, keep: bool) -> None:
        run = self.next_run()
        manifest = self.manifest(run, 1, engine)
        try:
            elapsed = self.timed(self.swerex_run("up", "-d", str(manifest)))
            problem, _ = self.check_alive(run, 1)
            if problem:
                raise Unavailable(f"`up -d` exited 0 but {problem}")
            self.timed(self.swerex_run("down", str(manifest)), timeout=60)
        finally:
            self.cleanup(run)
        if keep:
            self.record(f"one.run.{engine}", elapsed)

    def scenario_sixteen(self) -> None:
        log("scenarios 2-4: sixteen sandboxes (all alive, no-op re-apply, teardown, memory)")
        for iteration in range(self.options.runs):
            self.attempt("sixteen.floor", self.sixteen_floor)
            self.attempt("sixteen.swerex", self.sixteen_swerex)
            for engine in ("sdk", "cli"):
                self.attempt(f"sixteen.run.{engine}", lambda engine=engine: self.sixteen_swerex_run(engine))
            self.attempt("memory.run", self.memory_swerex_run)
            log(f"  iteration {iteration + 1}/{self.options.runs} done")

    def sixteen_floor(self) -> None:
        run = self.next_run()
        try:
            elapsed, ids = asyncio.run(self.floor_up(SIXTEEN, run))
            noop = self.list_from_a_process(run)
            started = time.monotonic()
            with ThreadPoolExecutor(SIXTEEN) as pool:
                list(pool.map(self.engine.force_remove, ids))
            self.wait_gone(run)
            teardown = time.monotonic() - started
        finally:
            self.cleanup(run)
        self.record("sixteen.floor", elapsed)
        self.record("noop.floor", noop)
        self.record("down.floor", teardown)

    def list_from_a_process(self, run: str) -> float:
        """The no-op floor: one process (curl) that lists the run's containers through the socket."""
        query = urllib.parse.urlencode({"filters": json.dumps({"label": [f"{RUN_LABEL}={run}"]})})
        argv = ["curl", "-sf", "--unix-socket", self.options.socket, f"http://localhost/containers/json?{query}"]
        started = time.monotonic()
        answer = subprocess.run(argv, capture_output=True)
        elapsed = time.monotonic() - started
        if answer.returncode != 0 or len(json.loads(answer.stdout or b"[]")) != SIXTEEN:
            raise RunFailed(f"curl listed the containers wrongly (exit {answer.returncode})")
        return elapsed

    def sixteen_swerex(self) -> None:
        run = self.next_run()
        try:
            started, children, reports = self.swerex_processes(SIXTEEN, run)
            elapsed = max(report["alive"] for report in reports) - started
            python_peak, client_peak = 0, 0
            for child in children:
                python_peak += peak_rss(child.pid)
                client_peak += sum(peak_rss(pid) for pid in child_pids(child.pid))
            teardown_started = time.monotonic()
            self.stop_swerex(children)
            self.wait_gone(run)
            teardown = time.monotonic() - teardown_started
        finally:
            self.cleanup(run)
        self.record("sixteen.swerex", elapsed)
        self.record("down.swerex", teardown)
        self.record("memory.swerex", python_peak)
        self.record("memory.swerex.clients", python_peak + client_peak)
        self.extra.setdefault("sixteen.swerex.imports", []).append(
            statistics.median(report["imported"] - started for report in reports)
        )

    def sixteen_swerex_run(self, engine: str) -> None:
        run = self.next_run()
        manifest = self.manifest(run, SIXTEEN, engine)
        try:
            elapsed = self.timed(self.swerex_run("up", "-d", str(manifest)))
            problem, ids = self.check_alive(run, SIXTEEN)
            if problem:
                raise Unavailable(f"`up -d` exited 0 but {problem}")
            noop = self.timed(self.swerex_run("up", "-d", str(manifest)))
            problem, again = self.check_alive(run, SIXTEEN)
            if problem or again != ids:
                raise RunFailed(f"the no-op re-apply changed the sandboxes: {problem or 'other container ids'}")
            started = time.monotonic()
            self.timed(self.swerex_run("down", str(manifest)), timeout=60)
            self.wait_gone(run)
            teardown = time.monotonic() - started
        finally:
            self.cleanup(run)
        self.record(f"sixteen.run.{engine}", elapsed)
        self.record(f"noop.run.{engine}", noop)
        self.record(f"down.run.{engine}", teardown)

    def memory_swerex_run(self) -> None:
        run = self.next_run()
        manifest = self.manifest(run, SIXTEEN, "sdk")
        log_path = self.work / f"{run}-foreground.log"
        with open(log_path, "wb") as log_file:
            child = self.spawn(self.swerex_run("up", str(manifest)), stdout=log_file, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while True:
                if child.poll() is not None:
                    tail = log_path.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
                    raise Unavailable(f"`up` (foreground) exited {child.returncode}: {tail[0][:120]}")
                problem, _ = self.check_alive(run, SIXTEEN)
                if problem is None:
                    break
                if time.monotonic() > deadline:
                    raise RunFailed(f"foreground `up`: {problem} after 180 s")
                time.sleep(CHECK_INTERVAL)
            peak = peak_rss(child.pid)
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                raise RunFailed("foreground `up` did not exit within 60 s of SIGTERM")
            if self.sandboxes(run):
                self.wait_gone(run, timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            self.cleanup(run)
        self.record("memory.run", peak)

    def scenario_loader(self, warmups: int) -> None:
        log("scenario 5: loaders")
        manifest = self.work / "manifest-1000.yaml"
        size = generate.manifest(manifest, image=self.options.image)
        big = self.work / "generic-10mb.yaml"
        big_size = generate.generic_yaml(big)
        self.extra["loader.sizes"] = [size, big_size]
        log(f"  generated {manifest.name} ({size / 1024:.0f} KiB) and {big.name} ({big_size / 1048576:.1f} MiB)")
        validate_problem = self.check_swerex_run() or self.check_validate()
        if validate_problem:
            self.unavailable["manifest.run"] = validate_problem
            self.unavailable["manifest.run.work"] = validate_problem
        load_problem = self.check_swerex_run() or self.check_load_yaml()
        if load_problem:
            self.unavailable["generic.run"] = load_problem
        for iteration in range(warmups + self.options.runs):
            keep = iteration >= warmups
            self.attempt("manifest.python", lambda: self.python_loader("pyyaml_manifest.py", manifest, "manifest", keep))
            self.attempt("manifest.run", lambda: self.run_loader(("validate", str(manifest)), "manifest.run", keep))
            self.attempt("manifest.run.work", lambda: self.run_loader_work(manifest, keep))
            if keep:  # about 15 s a run: the file is in the page cache already, a warm-up buys nothing
                self.attempt("generic.python", lambda: self.python_loader("pyyaml_load.py", big, "generic", keep))
            self.attempt(
                "generic.run", lambda: self.run_loader(("debug", "load-yaml", str(big)), "generic.run", keep)
            )

    @staticmethod
    def json_report(command: list[str], what: str, **options) -> tuple[dict, float]:
        """Runs `command`, which prints one JSON object, and returns it with the command's wall time."""
        started = time.monotonic()
        answer = subprocess.run(command, capture_output=True, **options)
        elapsed = time.monotonic() - started
        if answer.returncode != 0:
            tail = answer.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            raise RunFailed(f"{what} exited {answer.returncode}: {tail[0][:160]}")
        return json.loads(answer.stdout), elapsed

    def python_loader(self, script: str, path: Path, key: str, keep: bool) -> None:
        command = [self.python, str(HERE / script), str(path)]
        report, elapsed = self.json_report(command, script, env=self.environment)
        if keep:
            self.record(f"{key}.python", elapsed)
            self.record(f"{key}.python.work", report["work"])

    def run_loader_work(self, path: Path, keep: bool) -> None:
        """`swerex-run debug time-validate`: validate's work timed inside the process, as the Python
        reference's is after its imports."""
        command = self.swerex_run("debug", "time-validate", str(path))
        report, _ = self.json_report(command, "debug time-validate", timeout=120)
        if report.get("deployments") != 1000:
            raise RunFailed(f"debug time-validate saw {report.get('deployments')} deployments, not 1000")
        if keep:
            self.record("manifest.run.work", report["work"])

    def run_loader(self, arguments: tuple[str, ...], key: str, keep: bool) -> None:
        elapsed = self.timed(self.swerex_run(*arguments), timeout=120)
        if keep:
            self.record(key, elapsed)

    def run(self) -> None:
        problem = self.check_swerex_run()
        if problem:
            for key in ("one.run.sdk", "one.run.cli", "sixteen.run.sdk", "sixteen.run.cli", "memory.run"):
                self.unavailable[key] = problem
        problem = self.check_swerex()
        if problem:
            for key in ("one.swerex", "sixteen.swerex"):
                self.unavailable[key] = problem
        if not shutil.which("curl"):
            self.unavailable["sixteen.floor"] = "no curl for the no-op floor"
        if not self.real_docker:
            for key in ("one.run.cli", "sixteen.run.cli"):
                self.unavailable.setdefault(key, "no docker client on PATH")
        scenarios = self.options.only or ["one", "sixteen", "loader"]
        if "one" in scenarios:
            self.scenario_one(warmups=1)
        if "sixteen" in scenarios:
            self.scenario_sixteen()
        if "loader" in scenarios:
            self.scenario_loader(warmups=1)


def error_line(log_path: Path) -> str:
    """The last line of a log that names an error, else its last line."""
    lines = log_path.read_text(errors="replace").strip().splitlines() or ["no output"]
    named = [line for line in lines if "Error" in line or "error" in line or "Exception" in line]
    return (named or lines)[-1].strip()[:160]


def peak_rss(pid: int) -> int:
    """VmHWM of a live process, in bytes (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def child_pids(pid: int) -> list[int]:
    pids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                pids += [int(p) for p in children.read().split()]
    except OSError:
        pass
    return pids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs a figure (at least 5 for the README)")
    parser.add_argument("--only", action="append", choices=["one", "sixteen", "loader"], help="run only these scenarios")
    parser.add_argument("--bin", default=os.environ.get("SWEREX_RUN_BIN", ""), help="the swerex-run binary")
    parser.add_argument("--image", default=os.environ.get("SWEREX_TEST_SANDBOX_IMAGE", "swerex-sandbox:test"))
    parser.add_argument("--socket", default=os.environ.get("SWEREX_TEST_DOCKER_SOCKET", "/var/run/docker.sock"))
    parser.add_argument("--json", default=str(HERE / "results" / "latest.json"), help="where the raw figures go")
    parser.add_argument("--render", metavar="JSON", help="print the table of a saved run and exit")
    options = parser.parse_args()
    if options.render:
        print(report.render(json.loads(Path(options.render).read_text())))
        return 0
    if options.runs < 5:
        log(f"--runs {options.runs}: fewer than five runs, fine for a smoke test, not for the README")

    bench = Bench(options)
    if not bench.engine.ping():
        log(f"no Docker engine answers on {options.socket}: run scripts/testenv/up (bench/run does)")
        return 1
    if not bench.engine.image_exists(options.image):
        log(f"the engine has no image {options.image}: run scripts/testenv/up (bench/run does)")
        return 1

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    load_before = os.getloadavg()
    started = time.monotonic()
    try:
        bench.run()
    except KeyboardInterrupt:
        log("interrupted: removing this session's containers")
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second signal must not cut the clean-up short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        bench.cleanup_session()
    duration = time.monotonic() - started

    results = {
        "machine": report.machine(bench.engine, load_before, os.getloadavg(), duration),
        "samples": bench.samples,
        "extra": bench.extra,
        "unavailable": bench.unavailable,
        "failures": bench.failures,
        "binary": options.bin,
        "image": options.image,
        "runs": options.runs,
        "python": platform.python_version(),
    }
    print(report.render(results))
    Path(options.json).parent.mkdir(parents=True, exist_ok=True)
    Path(options.json).write_text(json.dumps(results, indent=2))
    log(f"raw figures in {options.json}; {duration:.0f} s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
