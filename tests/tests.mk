# Host unit tests: one program per module, plain gcc with sanitizers.
# A test is tests/unit/<name>_test.c plus the module sources it tests (UNIT_<name>),
# built with UNIT_CFLAGS_<name> before the common flags.

HOST_TEST_CFLAGS := -std=c11 -O1 -g -Wall -Wextra -Werror -Wshadow \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Itests/unit -Iinclude -I. -Iplatform/qemu-virt

UNIT_fmt := hyp/core/fmt.c
UNIT_hsr := hyp/arch/hsr.c hyp/core/fmt.c
UNIT_sysreg :=
UNIT_pt := mm/pt.c
UNIT_mmio :=
UNIT_sha256 := hyp/core/sha256.c include/tessera/sha256.h
UNIT_fdt_ram := boot/fdt_ram.c boot/fdt_ram.h

UNIT_TESTS := fmt hsr sysreg pt mmio sha256 fdt_ram
include tests/unit/units.mk
HOST_TESTS += $(addprefix $(HOST_OUT)/tests/,$(addsuffix _test,$(UNIT_TESTS)))

# The compiler and flags they are built with, tracked (TRACK in the Makefile).
UNIT_TEST_OPTS = $(HOSTCC) | $(HOST_TEST_CFLAGS) | $(foreach t,$(UNIT_TESTS),$(UNIT_CFLAGS_$(t)))
$(eval $(call TRACK,$(HOST_OUT)/.flags/unit-tests,UNIT_TEST_OPTS))

define UNIT_TEST_RULE
$(HOST_OUT)/tests/$(1)_test: tests/unit/$(1)_test.c $(UNIT_$(1)) tests/unit/test.h \
		$(HOST_OUT)/.flags/unit-tests
	@mkdir -p $$(dir $$@)
	$(HOSTCC) $$(UNIT_CFLAGS_$(1)) $(HOST_TEST_CFLAGS) $$(filter %.c,$$^) -o $$@ -lm
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_TEST_RULE,$(t))))

# host-tests itself is defined at the end of the Makefile, once every part has added its
# programs to HOST_TESTS (a rule's prerequisites are expanded where it is read).
