# QEMU virt: the board's console driver and how QEMU runs it.
PLAT_SRCS := platform/uart/pl011.c
QEMU_MACHINE := -M virt,virtualization=on,gic-version=2 -cpu cortex-a15 -smp 4 -m 1024
