#!/bin/sh
# The config compiler's tests (tests/run.py and `make config-tests` run this):
# see run_config_tests.py.  Default tcfg: build/host/tcfg, built by make.
exec python3 "$(dirname "$0")/run_config_tests.py" "$@"
