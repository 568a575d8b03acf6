#!/bin/sh
# Run qemu-system-arm on the console: interactively (Ctrl-A x quits), or for a
# bounded time with --timeout SECONDS, after which it is stopped and the run
# counts as a success (a hypervisor does not exit by itself).  --images
# IMAGES.TXT (tcfg's listing of the image store) places every guest image at
# its store address with QEMU's generic loader, as U-Boot's FIT loadables do on
# a board.
#
#   tools/run-qemu.sh [--timeout N] [--show] [--images IMAGES.TXT] -- <qemu arguments>
#   (--show prints the QEMU command line first: to run it by hand, with '-s -S' say)
#   tools/run-qemu.sh --loader-args IMAGES.TXT   (prints those -device options)
set -eu

# The generic loader options for each line "<address> <size> <sha256> <file>".
loader_args() {
	grep -v '^#' "$1" | while read -r addr size sha file; do
		printf ' -device loader,file=%s,addr=%s,force-raw=on' "$file" "$addr"
	done
}

timeout=""
images=""
show=""
while [ $# -gt 0 ]; do
	case $1 in
	--timeout) timeout=$2; shift 2 ;;
	--images) images=$2; shift 2 ;;
	--show) show=1; shift ;;
	--loader-args) loader_args "$2"; exit 0 ;;
	--) shift; break ;;
	*) break ;;
	esac
done

# File names from tcfg are absolute build paths without spaces: word splitting is safe.
# shellcheck disable=SC2046
set -- qemu-system-arm -nographic -nic none "$@" $([ -z "$images" ] || loader_args "$images")
[ -z "$show" ] || echo "$*" >&2
if [ -z "$timeout" ]; then
	echo "tessera: starting QEMU; quit with Ctrl-A then x" >&2
	exec "$@"
fi

status=0
# Input from a pipe or a file goes to the console (a script typing monitor commands);
# a terminal's does not, so that the run ends when the time is up, not when typed at.
if [ -t 0 ]; then
	timeout --foreground -k 5 "$timeout" "$@" </dev/null || status=$?
else
	timeout --foreground -k 5 "$timeout" "$@" || status=$?
fi
if [ "$status" = 124 ]; then
	echo
	echo "tessera: stopped QEMU after $timeout s (TIMEOUT=$timeout)" >&2
	exit 0
fi
exit "$status"
