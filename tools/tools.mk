# Host tools, included by the top-level Makefile.
#
# Uses:    HOSTCC (the host C compiler), HOST_OUT (directory for host binaries)
# Defines: TCFG           the configuration compiler, tools/tcfg (docs/configuration.md)
#          TCFG_DTCFLAGS  dtc flags for board and system descriptions
#          config-tests   phony: the tcfg tests (tests/config), appended to HOST_CHECKS;
#                         $(TCFG) is appended to HOST_CHECKS_DEPS (host-checks-build)
#
# A system description becomes the hypervisor's tables like this (GEN = $(OUT)/gen,
# which the hypervisor's CFLAGS already include, next to -Iinclude -Iplatform/$(PLATFORM)):
#
#   $(GEN)/platform.dtb: platform/$(PLATFORM)/platform.dts
#           @mkdir -p $(dir $@)
#           dtc $(TCFG_DTCFLAGS) -o $@ $<
#   $(GEN)/system.dtb: configs/$(PLATFORM)/$(CONFIG).dts
#           @mkdir -p $(dir $@)
#           dtc $(TCFG_DTCFLAGS) -o $@ $<
#   $(GEN)/config.c $(GEN)/config_gen.h $(GEN)/images.txt &: $(TCFG) $(GEN)/platform.dtb \
#                   $(GEN)/system.dtb <the guest images>
#           $(TCFG) --platform $(GEN)/platform.dtb --system $(GEN)/system.dtb \
#                   --name $(CONFIG) --vmid-bits $(VMID_BITS) --images $(GUEST_OUT) --out $(GEN)
#   -include $(GEN)/config.d
#
# then compile $(GEN)/config.c with the hypervisor's objects (anything
# that includes config_gen.h must depend on it).  config.d names the image files and both
# DTBs, so a rebuilt guest image regenerates the tables.  `tcfg --memory-map` prints the
# physical memory map of a configuration.

TCFG := $(HOST_OUT)/tcfg
# A host program: it takes the configuration schema from include/abi/config.h and nothing
# from the hypervisor's own folders (tests/gates/layers.py checks it).
# It records each guest image's SHA-256 with the hypervisor's own implementation (tested on
# its own against FIPS 180-4 and sha256sum: tests/unit/sha256_test.c).
TCFG_SRCS := $(wildcard tools/tcfg/*.c) hyp/core/sha256.c
TCFG_HDRS := $(wildcard tools/tcfg/*.h) include/abi/config.h include/tessera/types.h \
	include/tessera/bits.h include/tessera/sha256.h
TCFG_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wconversion \
	-Wmissing-prototypes -Wstrict-prototypes -Wvla -Iinclude

# System descriptions number their nodes (partition@0) without "reg" properties: tcfg
# checks the numbering, so dtc's unit-address check only adds noise; a dtb-overlay's
# "chosen" node is merged into the partition's root, where it belongs, not the description's.
TCFG_DTCFLAGS := -W no-unit_address_vs_reg -W no-chosen_node_is_root -I dts -O dtb

# The compiler and flags it is built with, tracked (TRACK in the Makefile).
TCFG_BUILD_OPTS = $(HOSTCC) | $(TCFG_CFLAGS)
$(eval $(call TRACK,$(HOST_OUT)/.flags/tcfg,TCFG_BUILD_OPTS))

$(TCFG): $(TCFG_SRCS) $(TCFG_HDRS) $(HOST_OUT)/.flags/tcfg
	@mkdir -p $(dir $@)
	$(HOSTCC) $(TCFG_CFLAGS) -o $@ $(TCFG_SRCS) -lfdt

HOST_CHECKS += config-tests
HOST_CHECKS_DEPS += $(TCFG)

.PHONY: config-tests
config-tests: $(TCFG)
	tests/config/run_config_tests.sh --tcfg $(TCFG) --work $(HOST_OUT)/config-tests
