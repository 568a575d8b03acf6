/*
 * The board description (platform/<board>/platform.dts): what the board has
 * and what the hypervisor keeps for itself.  Its format is fixed by the
 * platform folder; this file reads it and checks that it is self-consistent.
 * Messages name the node as "<dtb file>:<path>".
 */
#include <libfdt.h>
#include <string.h>

#include "tcfg.h"

struct board_node {
	struct node n;
	char path[TCFG_PATH_MAX + 64];
};

/* Find the board's node 'name' (a child of the root), reporting its absence. */
static bool find(struct board_node *bn, const struct board *b, const void *fdt, const char *name,
		 bool *ok)
{
	snprintf(bn->path, sizeof(bn->path), "%s:/%s", b->file, name);
	bn->n.fdt = fdt;
	bn->n.path = bn->path;
	bn->n.off = fdt_subnode_offset(fdt, 0, name);
	if (bn->n.off < 0) {
		tcfg_error(bn->path, "missing node");
		*ok = false;
		return false;
	}
	return true;
}

/* A property holding exactly one (base, size) pair, 4 KiB aligned. */
static bool one_range(const struct node *n, const char *name, struct range *r, bool *ok)
{
	struct range *v;
	u32 count;

	if (!prop_ranges(n, name, &v, &count, ok))
		return false;
	if (count != 1) {
		tcfg_error(n->path, "\"%s\" must be one <base size> pair", name);
		*ok = false;
		return false;
	}
	*r = v[0];
	if (!r->size || !IS_ALIGNED(r->base | r->size, TCFG_PAGE_SIZE) ||
	    r->size > TCFG_PA_LIMIT - r->base || r->base >= TCFG_PA_LIMIT) {
		tcfg_error(n->path,
			   "\"%s\" [0x%llx, +0x%llx) must be non-empty, 4 KiB aligned and "
			   "below 1 TiB",
			   name, (unsigned long long)r->base, (unsigned long long)r->size);
		*ok = false;
		return false;
	}
	return true;
}

static void read_root(struct board *b, const void *fdt, bool *ok)
{
	static const char *const known[] = { "compatible", "model", "reserved-interrupts", NULL };
	static const char *const nodes[] = { "cpus",	     "memory",	      "hypervisor",
					     "image-store",  "gic",	      "uart",
					     "guest-layout", "reserved-mmio", NULL };
	char path[TCFG_PATH_MAX + 64];
	struct node n = { fdt, 0, path };
	const char *compatible;
	u32 *irqs, count;
	int child;

	snprintf(path, sizeof(path), "%s:/", b->file);
	prop_check_known(&n, known, ok);
	if (prop_string(&n, "compatible", true, &compatible, ok) &&
	    strcmp(compatible, "tessera,platform")) {
		tcfg_error(path, "compatible must be \"tessera,platform\"");
		*ok = false;
	}
	prop_string(&n, "model", true, &b->model, ok);
	if (prop_cells(&n, "reserved-interrupts", true, &irqs, &count, ok)) {
		for (u32 i = 0; i < count; i++) {
			if (irqs[i] >= TCFG_INTID_LIMIT) {
				tcfg_error(path, "reserved interrupt %u is not an INTID", irqs[i]);
				*ok = false;
			} else {
				b->reserved_irq[irqs[i]] = true;
			}
		}
	}
	fdt_for_each_subnode(child, fdt, 0)
	{
		const char *name = fdt_get_name(fdt, child, NULL);
		const char *const *k;

		for (k = nodes; *k && strcmp(*k, name); k++)
			;
		if (!*k) {
			tcfg_error(path, "unknown node \"%s\"", name);
			*ok = false;
		}
	}
}

static void read_cpus(struct board *b, const void *fdt, bool *ok)
{
	static const char *const known[] = { "count", "mpidr", "compatible", "pmu-compatible",
					     NULL };
	struct board_node bn = { 0 };
	u32 *mpidr, count;

	if (!find(&bn, b, fdt, "cpus", ok))
		return;
	prop_check_known(&bn.n, known, ok);
	b->cpu_compatible = "arm,cortex-a15";
	prop_string(&bn.n, "compatible", false, &b->cpu_compatible, ok);
	prop_string(&bn.n, "pmu-compatible", false, &b->pmu_compatible, ok);
	if (!prop_u32(&bn.n, "count", true, &b->cpu_count, ok))
		return;
	if (b->cpu_count == 0 || b->cpu_count > CFG_CPU_MAX) {
		tcfg_error(bn.path, "count must be 1..%u (CFG_CPU_MAX)", CFG_CPU_MAX);
		*ok = false;
	}
	if (prop_cells(&bn.n, "mpidr", true, &mpidr, &count, ok) && count != b->cpu_count) {
		tcfg_error(bn.path, "mpidr has %u entries for %u CPUs", count, b->cpu_count);
		*ok = false;
	}
}

static void read_memory(struct board *b, const void *fdt, bool *ok)
{
	static const char *const known[] = { "region", NULL };
	struct board_node bn = { 0 };
	u32 i;

	if (find(&bn, b, fdt, "memory", ok)) {
		prop_check_known(&bn.n, known, ok);
		if (prop_ranges(&bn.n, "region", &b->ram, &b->ram_count, ok)) {
			for (i = 0; i < b->ram_count; i++) {
				struct range r = b->ram[i];

				if (!r.size || !IS_ALIGNED(r.base | r.size, TCFG_PAGE_SIZE) ||
				    r.base >= TCFG_PA_LIMIT || r.size > TCFG_PA_LIMIT - r.base) {
					tcfg_error(bn.path,
						   "region %u must be non-empty, 4 KiB "
						   "aligned and below 1 TiB",
						   i);
					*ok = false;
				} else if (r.size >= (1ULL << 32) - MIN(r.base, 1ULL << 32)) {
					/*
					 * The hypervisor clears, loads and copies guest RAM
					 * through a 1:1 map of its 32-bit address space, whose
					 * ranges end at a 32-bit address (exclusive): RAM ending
					 * at 4 GiB exactly would end at 0 there.
					 */
					tcfg_error(bn.path,
						   "region %u ends beyond 4 GiB: the hypervisor "
						   "maps RAM 1:1 in its 32-bit address space; "
						   "describe the RAM below 4 GiB only (up to "
						   "4 GiB - 4 KiB)",
						   i);
					*ok = false;
				}
				for (u32 j = 0; j < i; j++) {
					if (ranges_overlap(r, b->ram[j])) {
						tcfg_error(bn.path, "regions %u and %u overlap", j,
							   i);
						*ok = false;
					}
				}
			}
		}
	}
	if (find(&bn, b, fdt, "hypervisor", ok)) {
		prop_check_known(&bn.n, known, ok);
		if (one_range(&bn.n, "region", &b->hyp, ok) && b->ram_count) {
			for (i = 0; i < b->ram_count && !range_inside(b->hyp, b->ram[i]); i++)
				;
			if (i == b->ram_count) {
				tcfg_error(bn.path, "region is not inside the board's RAM");
				*ok = false;
			}
		}
	}
	/* Where guest images go by default: a window the store is packed into from its base. */
	if (find(&bn, b, fdt, "image-store", ok)) {
		prop_check_known(&bn.n, known, ok);
		one_range(&bn.n, "region", &b->store, ok);
	}
}

static void gic_frame_inside(const struct board_node *bn, const struct board *b, struct range r,
			     const char *name, bool *ok)
{
	if (range_inside(r, b->gic))
		return;
	tcfg_error(
		bn->path,
		"\"%s\" [0x%08llx, 0x%08llx) is not inside the GIC's region [0x%08llx, 0x%08llx)",
		name, (unsigned long long)r.base, (unsigned long long)(r.base + r.size),
		(unsigned long long)b->gic.base, (unsigned long long)(b->gic.base + b->gic.size));
	*ok = false;
}

static void read_gic(struct board *b, const void *fdt, bool *ok)
{
	static const char *const known[] = { "region",
					     "distributor",
					     "cpu-interface",
					     "hyp-interface",
					     "virtual-cpu-interface",
					     "irq-count",
					     NULL };
	struct board_node bn = { 0 };
	bool whole;

	if (!find(&bn, b, fdt, "gic", ok))
		return;
	prop_check_known(&bn.n, known, ok);
	/*
	 * The whole GIC: the frames the hypervisor uses and those it does not,
	 * such as the GIC-400's per-CPU aliases of the hypervisor interface
	 * (GIC-400 TRM, memory map); no partition device may overlap any of it.
	 */
	whole = one_range(&bn.n, "region", &b->gic, ok);
	if (one_range(&bn.n, "distributor", &b->gicd, ok) && whole)
		gic_frame_inside(&bn, b, b->gicd, "distributor", ok);
	if (one_range(&bn.n, "cpu-interface", &b->gicc, ok) && whole)
		gic_frame_inside(&bn, b, b->gicc, "cpu-interface", ok);
	if (one_range(&bn.n, "hyp-interface", &b->gich, ok) && whole)
		gic_frame_inside(&bn, b, b->gich, "hyp-interface", ok);
	if (one_range(&bn.n, "virtual-cpu-interface", &b->gicv, ok) && whole)
		gic_frame_inside(&bn, b, b->gicv, "virtual-cpu-interface", ok);
	if (prop_u32(&bn.n, "irq-count", true, &b->irq_count, ok) &&
	    (b->irq_count < 64 || b->irq_count > 1024 || b->irq_count % 32)) {
		/* GICD_TYPER.ITLinesNumber: 32 * (N + 1) INTIDs (GICv2 4.3.2). */
		tcfg_error(bn.path, "irq-count must be a multiple of 32 in 64..1024");
		*ok = false;
	}
}

static void read_uart(struct board *b, const void *fdt, bool *ok)
{
	static const char *const known[] = { "region", "irq", NULL };
	struct board_node bn = { 0 };

	if (!find(&bn, b, fdt, "uart", ok))
		return;
	prop_check_known(&bn.n, known, ok);
	one_range(&bn.n, "region", &b->uart, ok);
	/* The hypervisor's own interrupt: no partition's, whatever reserved-interrupts lists. */
	if (prop_u32(&bn.n, "irq", true, &b->uart_irq, ok) && b->uart_irq < TCFG_INTID_LIMIT)
		b->reserved_irq[b->uart_irq] = true;
}

static void read_guest_layout(struct board *b, const void *fdt, bool *ok)
{
	static const char *const known[] = { "ram", "gicd", "gicc", "uart", "uart-irq", NULL };
	struct board_node bn = { 0 };

	if (!find(&bn, b, fdt, "guest-layout", ok))
		return;
	prop_check_known(&bn.n, known, ok);
	prop_addr(&bn.n, "ram", true, &b->guest_ram, ok);
	prop_addr(&bn.n, "gicd", true, &b->guest_gicd, ok);
	prop_addr(&bn.n, "gicc", true, &b->guest_gicc, ok);
	prop_addr(&bn.n, "uart", true, &b->guest_uart, ok);
	if (prop_u32(&bn.n, "uart-irq", true, &b->guest_uart_irq, ok) &&
	    (b->guest_uart_irq < TCFG_SPI_BASE || b->guest_uart_irq >= TCFG_INTID_LIMIT)) {
		tcfg_error(bn.path, "uart-irq must be an SPI (32..1019)");
		*ok = false;
	}
}

/*
 * Optional: MMIO no partition may have, one property each, named for what it is: pages the
 * firmware's secure monitor runs from or powers CPUs with, clock and reset control shared
 * with the hypervisor's own devices, the DRAM controller.
 */
static void read_reserved_mmio(struct board *b, const void *fdt, bool *ok)
{
	struct board_node bn = { 0 };
	int poff, count = 0;

	snprintf(bn.path, sizeof(bn.path), "%s:/reserved-mmio", b->file);
	bn.n.fdt = fdt;
	bn.n.path = bn.path;
	bn.n.off = fdt_subnode_offset(fdt, 0, "reserved-mmio");
	if (bn.n.off < 0)
		return;
	fdt_for_each_property_offset(poff, fdt, bn.n.off) count++;
	if (!count)
		return;
	b->reserved = tcfg_alloc((size_t)count * sizeof(*b->reserved));
	fdt_for_each_property_offset(poff, fdt, bn.n.off)
	{
		const char *name;

		fdt_getprop_by_offset(fdt, poff, &name, NULL);
		if (one_range(&bn.n, name, &b->reserved[b->reserved_count].r, ok))
			b->reserved[b->reserved_count++].name = name;
	}
}

bool board_parse(struct board *b, const char *file, const void *fdt)
{
	bool ok = true;

	memset(b, 0, sizeof(*b));
	b->file = file;
	read_root(b, fdt, &ok);
	read_cpus(b, fdt, &ok);
	read_memory(b, fdt, &ok);
	read_gic(b, fdt, &ok);
	read_uart(b, fdt, &ok);
	read_reserved_mmio(b, fdt, &ok);
	read_guest_layout(b, fdt, &ok);
	return ok;
}
