"""The Python reference for loading a generic YAML file: PyYAML's CSafeLoader. Prints the in-process
time (after imports) as JSON. Argument: FILE."""

import json
import sys
import time

started = time.monotonic()
import yaml  # noqa: E402

imported = time.monotonic()
with open(sys.argv[1], "rb") as file:
    document = yaml.load(file, Loader=yaml.CSafeLoader)
done = time.monotonic()
print(json.dumps({"imports": imported - started, "work": done - imported, "items": len(document)}))
