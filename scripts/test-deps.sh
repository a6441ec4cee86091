#!/usr/bin/env bash
# What the unit tests compare against beyond the repository: Debian's python3-django, the second real-world corpus
# (next to this machine's CPython standard library) of the extraction-equivalence test. Installed as root when
# missing; otherwise the tests that need it skip with a message saying how to install it.
set -euo pipefail
if [ -d /usr/lib/python3/dist-packages/django ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "[test-deps] python3-django is not installed (apt-get install python3-django): the Django corpus tests will skip" >&2
  exit 0
fi
echo "[test-deps] installing python3-django ..."
DEBIAN_FRONTEND=noninteractive apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-django >/dev/null
