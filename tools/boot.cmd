# Tessera's U-Boot boot script (tools/boot.cmd; tools/image.mk makes boot.scr of it
# with mkimage -T script).  The same script serves every board.
#
# U-Boot's distro boot finds boot.scr on a FAT partition and runs it with devtype,
# devnum, distro_bootpart and prefix naming where it was found; tessera.itb, the FIT
# image of the whole system, lies next to it.  It is loaded at kernel_addr_r (QEMU virt
# 0x40400000, sunxi 0x42000000), well below the hypervisor's region 0x48000000; bootm
# checks every subimage's SHA-256 (and, where U-Boot's device tree holds a required key,
# the configuration's signature), copies the hypervisor to its region and each guest
# image to the image store, and enters the hypervisor in HYP mode with r2 = U-Boot's own
# device tree.  The configuration is named (#tessera): U-Boot's best-match search would
# look for a device tree in it, and it has none.
echo "Tessera: loading ${prefix}tessera.itb from ${devtype} ${devnum}:${distro_bootpart}"
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}tessera.itb
bootm ${kernel_addr_r}#tessera - ${fdtcontroladdr}
echo "Tessera: bootm failed"
