"""One SWE-ReX sandbox the way its users start one: import, build a DockerDeployment, asyncio.run(start()).

Writes one JSON line to file descriptor REPORT_FD when the deployment is alive (monotonic clock, shared by
every process on the machine; SWE-ReX's own log goes to stdout), holds the sandbox until a line arrives
on stdin, then stops it the same way. Arguments: IMAGE RUN_ID SESSION REPORT_FD.
"""

import asyncio
import json
import os
import sys
import time

from swerex.deployment.docker import DockerDeployment

image, run_id, session, report_fd = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
imported = time.monotonic()
deployment = DockerDeployment(
    image=image,
    docker_args=[
        *("--label", "swerex-run.bench=1"),
        *("--label", f"swerex-run.bench.run={run_id}"),
        *("--label", f"swerex-run.bench.session={session}"),
    ],
)
asyncio.run(deployment.start())
alive = time.monotonic()
report = {"imported": imported, "alive": alive, "name": deployment.container_name}
os.write(report_fd, (json.dumps(report) + "\n").encode())
os.close(report_fd)
sys.stdin.readline()
asyncio.run(deployment.stop())
