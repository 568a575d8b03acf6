#!/bin/sh
# Run qemu-system-arm on the console: interactively (Ctrl-A x quits), or for a
# bounded time with --timeout SECONDS, after which it is stopped and the run
# counts as a success (a hypervisor does not exit by itself).
#
#   tools/run-qemu.sh [--timeout N] -- <qemu arguments>
set -eu

timeout=""
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done

set -- qemu-system-arm -nographic -nic none "$@"
if [ -z "$timeout" ]; then
	echo "tessera: starting QEMU; quit with Ctrl-A then x" >&2
	exec "$@"
fi

status=0
timeout --foreground -k 5 "$timeout" "$@" </dev/null || status=$?
if [ "$status" = 124 ]; then
	echo
	echo "tessera: stopped QEMU after $timeout s (TIMEOUT=$timeout)" >&2
	exit 0
fi
exit "$status"
