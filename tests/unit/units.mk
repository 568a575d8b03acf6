# Host unit tests declared outside tests/tests.mk, in its conventions:
# UNIT_<name> lists the module sources that tests/unit/<name>_test.c tests
# (headers may be listed too: they are prerequisites, only .c files are
# compiled).  Include this file after "UNIT_TESTS := ..." and before
# UNIT_TESTS is first expanded (the HOST_TESTS line and the rule loop).

# The virtual GIC on a fake GICv2 (tests/unit/fake_gic.c): distributor
# emulation, list registers, and a randomised reference-model check.
UNIT_vgic := vgic/vgic.c vgic/fast.c vgic/vgicd.c tests/unit/fake_gic.c tests/unit/fake_gic.h \
	vgic/vgic.h include/dev/gicv2.h

# The VMID allocator: scripted cases and an exhaustive model check.
UNIT_vmid := mm/vmid.c mm/vmid.h

# The physical GIC driver, built for the host on the alignment-checking MMIO accessors of
# tests/unit/gic_io (first on its include path, in place of include/tessera/io.h).
UNIT_gic := vgic/gic.c vgic/vgic.h include/dev/gicv2.h tests/unit/gic_io/tessera/io.h
UNIT_CFLAGS_gic := -Itests/unit/gic_io

UNIT_TESTS += vgic vmid gic

# The doorbell GPIO: the emulated PL061 of a channel end, and a model of its interrupt.
UNIT_vgpio := hyp/dev/vgpio.c hyp/dev/vgpio.h
UNIT_TESTS += vgpio
