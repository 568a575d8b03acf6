# Tessera's U-Boot boot script (tools/boot.cmd; tools/image.mk makes boot.scr of it
# with mkimage -T script).  The same script serves every board.
#
# U-Boot's distro boot finds boot.scr on a FAT partition and runs it with devtype,
# devnum, distro_bootpart and prefix naming where it was found; tessera.uimg lies
# next to it.  It is loaded at kernel_addr_r (QEMU virt 0x40400000, sunxi 0x42000000),
# well below the hypervisor's region 0x48000000-0x48ffffff, into which bootm copies
# it; bootm then enters it in HYP mode with r2 = U-Boot's own device tree.
echo "Tessera: loading ${prefix}tessera.uimg from ${devtype} ${devnum}:${distro_bootpart}"
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}tessera.uimg
bootm ${kernel_addr_r} - ${fdtcontroladdr}
echo "Tessera: bootm failed"
