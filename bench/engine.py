"""The Docker Engine API over its unix socket, and liveness probes, with the standard library only.

This is the benchmark's own view of the engine: the floor rows drive it directly, and every other row
uses it to check that sandboxes really answer and to remove what a run left behind.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import socket
import time
import urllib.parse

BENCH_LABEL = "swerex-run.bench"
RUN_LABEL = "swerex-run.bench.run"


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


class EngineError(RuntimeError):
    pass


class Engine:
    """One request a connection: a unix-socket connect costs microseconds, and it keeps threads apart."""

    def __init__(self, socket_path: str = "/var/run/docker.sock") -> None:
        self.socket_path = socket_path

    def request(self, method: str, path: str, body: object | None = None, timeout: float = 60.0):
        connection = _UnixConnection(self.socket_path, timeout)
        try:
            payload = None if body is None else json.dumps(body).encode()
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if response.status >= 400:
            raise EngineError(f"{method} {path}: {response.status} {data[:300].decode(errors='replace')}")
        if not data:
            return None
        try:
            return json.loads(data)
        except json.JSONDecodeError:
            return data.decode(errors="replace")

    def ping(self) -> bool:
        try:
            return self.request("GET", "/_ping", timeout=2.0) == "OK"
        except OSError:
            return False

    def image_exists(self, image: str) -> bool:
        try:
            self.request("GET", f"/images/{urllib.parse.quote(image, safe='')}/json")
            return True
        except EngineError:
            return False

    def containers(self, label: str | None = None, name: str | None = None) -> list[dict]:
        """All containers, running or not, that carry `label` (KEY or KEY=VALUE) or whose name contains `name`."""
        filters: dict[str, list[str]] = {}
        if label:
            filters["label"] = [label]
        if name:
            filters["name"] = [name]
        query = urllib.parse.urlencode({"all": "1", "filters": json.dumps(filters)})
        return self.request("GET", f"/containers/json?{query}")

    def create_and_start(self, name: str, image: str, command: list[str], labels: dict[str, str], port: int) -> str:
        body = {
            "Image": image,
            "Cmd": command,
            "Labels": labels,
            "ExposedPorts": {"8000/tcp": {}},
            "HostConfig": {
                "AutoRemove": True,
                "PortBindings": {"8000/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]},
            },
        }
        created = self.request("POST", f"/containers/create?name={urllib.parse.quote(name)}", body)
        self.request("POST", f"/containers/{created['Id']}/start")
        return created["Id"]

    def force_remove(self, container_id: str) -> None:
        try:
            self.request("DELETE", f"/containers/{container_id}?force=1&v=1")
        except EngineError as error:
            # 404: gone already (auto-remove won the race); 409: removal already in progress.
            if ": 404 " not in str(error) and ": 409 " not in str(error):
                raise

    def sweep(self, label: str | None = None, name_prefix: str | None = None, timeout: float = 60.0) -> int:
        """Removes every container with `label`, or named with `name_prefix`, until none is listed:
        one may still be on its way from a client that was killed mid-create."""
        removed: set[str] = set()
        deadline = time.monotonic() + timeout
        while found := self._matching(label, name_prefix):
            if time.monotonic() > deadline:
                raise EngineError(f"containers with {label or name_prefix} still listed after {timeout} s")
            for container in found:
                self.force_remove(container["Id"])
                removed.add(container["Id"])
            time.sleep(0.02)
        return len(removed)

    def _matching(self, label: str | None, name_prefix: str | None) -> list[dict]:
        if label:
            return self.containers(label=label)
        if name_prefix:
            return [
                c
                for c in self.containers(name=name_prefix)
                if any(n.lstrip("/").startswith(name_prefix) for n in c.get("Names", []))
            ]
        return []


def free_loopback_port(taken: set[int]) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in taken:
            taken.add(port)
            return port


def published_ports(container: dict) -> list[tuple[str, int]]:
    """(host address, host port) pairs that forward to the container's port 8000."""
    return [
        (p.get("IP", ""), p["PublicPort"])
        for p in container.get("Ports", [])
        if p.get("PrivatePort") == 8000 and "PublicPort" in p
    ]


async def probe_is_alive(port: int, token: str | None, timeout: float = 1.0) -> bool:
    """One GET /is_alive. With a token: true on 200 and is_alive. Without: true on any answer from
    swerex-remote (401 means its auth middleware answered, so the server is up)."""
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        key = f"X-API-Key: {token}\r\n" if token else ""
        writer.write(f"GET /is_alive HTTP/1.1\r\nHost: 127.0.0.1\r\n{key}Connection: close\r\n\r\n".encode())
        data = await asyncio.wait_for(reader.read(), timeout)
    except (OSError, asyncio.TimeoutError):
        return False
    finally:
        if writer is not None:
            writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1:2]
    if token is None:
        return status in ([b"200"], [b"401"])
    if status != [b"200"]:
        return False
    try:
        return json.loads(body).get("is_alive") is True
    except (ValueError, AttributeError):
        return False


async def wait_alive(port: int, token: str | None, interval: float, deadline: float) -> float:
    """Polls until the sandbox answers; returns the monotonic time of the first good answer."""
    while time.monotonic() < deadline:
        if await probe_is_alive(port, token):
            return time.monotonic()
        await asyncio.sleep(interval)
    raise TimeoutError(f"port {port} did not answer /is_alive")
