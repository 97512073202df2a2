"""The Python reference for loading a manifest: PyYAML's CSafeLoader, then SWE-ReX's own pydantic
DockerDeploymentConfig for each deployment. Prints the in-process time (after imports) as JSON.
Argument: FILE (a project manifest: `project:` and `deployments:`)."""

import json
import sys
import time

started = time.monotonic()
import yaml  # noqa: E402
from swerex.deployment.config import DockerDeploymentConfig  # noqa: E402

# swerex-run's own keys on top of SWE-ReX's; SWE-ReX's model rejects unknown keys, so they go first.
RUNNER_KEYS = {"replicas", "engine", "docker_endpoint", "docker_tls", "docker_cert_path", "docker_use_ssh", "docker_env"}

imported = time.monotonic()
with open(sys.argv[1], "rb") as file:
    document = yaml.load(file, Loader=yaml.CSafeLoader)
configs = [
    DockerDeploymentConfig(**{k: v for k, v in spec.items() if k not in RUNNER_KEYS})
    for spec in document["deployments"].values()
]
done = time.monotonic()
assert len(configs) == len(document["deployments"])
print(json.dumps({"imports": imported - started, "work": done - imported, "count": len(configs)}))
