#!/usr/bin/env python3
"""The hypervisor's own size stays inside what tcfg counts for it (check.hyp-own).

    hyp_own.py --elf tessera.elf [--nm arm-none-eabi-nm] [--tcfg-h tools/tcfg/tcfg.h]

tcfg refuses a system whose guest images, device trees and stage-2 tables do not fit the
hypervisor's region beside the hypervisor itself, which it cannot measure (it runs before
the hypervisor is compiled): it counts TCFG_HYP_OWN_DEFAULT bytes for it (--hyp-own).  This
gate measures the linked image, [__hyp_start, __hyp_end) less the guest images
(tcfg_image_*), the partitions' device trees (p<N>_dtb) and the stage-2 pool (s2_tables),
and fails if the budget is too small, so that tcfg's check stays the one that speaks first.
"""
import argparse
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--nm", default="arm-none-eabi-nm")
    ap.add_argument("--tcfg-h", default="tools/tcfg/tcfg.h")
    args = ap.parse_args()
    with open(args.tcfg_h) as f:
        budget = int(re.search(r"#define TCFG_HYP_OWN_DEFAULT (0x[0-9a-fA-F]+)", f.read())
                     .group(1), 16)
    out = subprocess.run([args.nm, "-S", args.elf], capture_output=True, text=True,
                         check=True).stdout
    addr, sizes = {}, {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            addr[parts[2]] = int(parts[0], 16)
        elif len(parts) == 4:
            addr[parts[3]] = int(parts[0], 16)
            sizes[parts[3]] = int(parts[1], 16)
    total = addr["__hyp_end"] - addr["__hyp_start"]
    payload = sum(s for n, s in sizes.items()
                  if n.startswith("tcfg_image_") or re.match(r"p\d+_dtb$", n) or
                  n == "s2_tables")
    own = total - payload
    print("hyp-own: the hypervisor takes 0x%x bytes of its region besides guest images, "
          "device trees and stage-2 tables; tcfg counts 0x%x (TCFG_HYP_OWN_DEFAULT)%s"
          % (own, budget, "" if own <= budget else ": raise it"))
    return 0 if own <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
