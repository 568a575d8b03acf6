#!/bin/sh
# Debug the hypervisor with gdb: QEMU starts halted with its gdb stub on
# localhost:1234, and gdb-multiarch attaches with the ELF's symbols.
#
#   tools/debug.sh build/<board>/<config>/tessera.elf <qemu machine and boot arguments>
#
# In gdb: 'continue' to boot, Ctrl-C to stop, 'info registers', 'x/4i $pc',
# 'break hyp_vec_trap'.  The console is in the QEMU log: build/debug-console.log
set -eu
elf=$1
shift
tools/deps.sh debug
log=build/debug-console.log
port=${GDB_PORT:-1234}

# QEMU with SIGINT blocked: Ctrl-C at gdb's prompt (the terminal's SIGINT goes to its whole
# foreground process group) must stop the target through the stub, not make QEMU quit, as
# its SIGINT handler would.  The mask is inherited across exec and QEMU (7.2) leaves SIGINT
# blocked in every thread; it stays in the terminal's session, so a closed terminal still
# hangs it up (SIGHUP), as it does gdb.  python3 execs it: $! is QEMU's pid.
python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGINT])
os.execvp(sys.argv[1], sys.argv[1:])' qemu-system-arm -nographic -nic none "$@" -S \
	-gdb tcp:127.0.0.1:"$port" -serial file:"$log" -monitor none &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT INT TERM
echo "tessera: QEMU halted at reset, gdb stub on 127.0.0.1:$port, console in $log"
gdb-multiarch -q "$elf" \
	-ex "set confirm off" \
	-ex "target remote 127.0.0.1:$port" \
	-ex "echo Tessera halted at reset: 'continue' to boot, 'break hyp_vec_trap' to stop on a guest trap.\n"
