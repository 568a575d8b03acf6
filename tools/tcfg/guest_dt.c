/*
 * Each partition's device tree: the machine the partition sees, shaped like
 * the one QEMU's "virt" machine generates (hw/arm/virt.c) so that Linux and
 * bare-metal guests built for QEMU accept it unchanged.  Built with libfdt's
 * sequential-write API, then placed in the partition's RAM (by default the
 * last 64 KiB of its lowest-IPA memory region) and checked against its images.
 */
#include <libfdt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tcfg.h"

#define DT_BUF_SIZE (256 * 1024)
#define PHANDLE_GIC 1U
#define PHANDLE_CLK 2U

/* Device tree interrupt specifier cells (bindings/interrupt-controller/arm,gic.yaml). */
#define GIC_SPI 0U
#define GIC_PPI 1U
#define IRQ_EDGE_RISING 1U
#define IRQ_LEVEL_HIGH 4U
#define PPI_CPU_MASK_SHIFT 8

/* PSCI 0.2 function IDs, SMC32 (Arm DEN 0022). */
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0x84000003U

#define PL011_CLOCK_HZ 24000000U /* QEMU virt's apb-pclk */

static void dt_ok(int err, const char *what)
{
	if (err < 0) {
		fprintf(stderr, "tcfg: internal error: building the device tree (%s): %s\n", what,
			fdt_strerror(err));
		exit(1);
	}
}

static void begin(void *fdt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void begin(void *fdt, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	dt_ok(fdt_begin_node(fdt, name), name);
}

static void end(void *fdt)
{
	dt_ok(fdt_end_node(fdt), "end node");
}

static void u32p(void *fdt, const char *name, u32 v)
{
	dt_ok(fdt_property_u32(fdt, name, v), name);
}

static void strp(void *fdt, const char *name, const char *v)
{
	dt_ok(fdt_property(fdt, name, v, (int)strlen(v) + 1), name);
}

/* A string list given as "a\0b" with its total length (final NUL included). */
static void strsp(void *fdt, const char *name, const char *v, size_t len)
{
	dt_ok(fdt_property(fdt, name, v, (int)len), name);
}

static void emptyp(void *fdt, const char *name)
{
	dt_ok(fdt_property(fdt, name, NULL, 0), name);
}

static void cellsp(void *fdt, const char *name, const u32 *v, u32 count)
{
	fdt32_t *c = tcfg_alloc(count * sizeof(*c) + 1);
	u32 i;

	for (i = 0; i < count; i++)
		c[i] = cpu_to_fdt32(v[i]);
	dt_ok(fdt_property(fdt, name, c, (int)(count * sizeof(*c))), name);
	free(c);
}

/* reg = <base size> with #address-cells = #size-cells = 2; two ranges if size2. */
static void regp(void *fdt, u64 base, u64 size, u64 base2, u64 size2)
{
	u32 v[8] = { (u32)(base >> 32),	 (u32)base,  (u32)(size >> 32),	 (u32)size,
		     (u32)(base2 >> 32), (u32)base2, (u32)(size2 >> 32), (u32)size2 };

	cellsp(fdt, "reg", v, size2 ? 8 : 4);
}

/* interrupts = <GIC_SPI n flags> per INTID: each its own flags, or all 'flags'. */
static void spi_interrupts_each(void *fdt, const u32 *intids, u32 count, const u32 *each, u32 flags)
{
	u32 *v = tcfg_alloc(3 * count * sizeof(*v) + 1), i;

	for (i = 0; i < count; i++) {
		v[3 * i] = GIC_SPI;
		v[3 * i + 1] = intids[i] - TCFG_SPI_BASE;
		v[3 * i + 2] = each ? each[i] : flags;
	}
	cellsp(fdt, "interrupts", v, 3 * count);
	free(v);
}

static void spi_interrupts(void *fdt, const u32 *intids, u32 count, u32 flags)
{
	spi_interrupts_each(fdt, intids, count, NULL, flags);
}

/* A node name from a compatible string: "arm,pl031" -> "pl031". */
static void device_node_name(char *buf, size_t size, const struct device *d)
{
	const char *c = d->compatible ? d->compatible : "device";
	const char *comma = strchr(c, ',');
	size_t i, n = 0;

	if (comma && comma[1])
		c = comma + 1;
	for (i = 0; c[i] && n + 1 < size && n < 31; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,._+-",
			   c[i]))
			buf[n++] = c[i];
	buf[n] = '\0';
	if (!n)
		snprintf(buf, size, "device");
}

static void cpus_node(void *fdt, const struct partition *p, const struct board *b)
{
	u32 i;

	begin(fdt, "cpus");
	u32p(fdt, "#address-cells", 1);
	u32p(fdt, "#size-cells", 0);
	for (i = 0; i < p->cpu_count; i++) {
		begin(fdt, "cpu@%x", i);
		strp(fdt, "device_type", "cpu");
		strp(fdt, "compatible", b->cpu_compatible);
		u32p(fdt, "reg", i); /* MPIDR Aff0 = vCPU index (docs/hypercalls.md, PSCI) */
		strp(fdt, "enable-method", "psci");
		end(fdt);
	}
	end(fdt);
}

static void gic_timer_nodes(void *fdt, const struct partition *p, const struct board *b)
{
	/* PPI flags: level-high, and a CPU mask of the partition's vCPUs (GICv2 binding). */
	u32 ppi = ((1U << p->cpu_count) - 1) << PPI_CPU_MASK_SHIFT | IRQ_LEVEL_HIGH;
	/* Secure physical (INTID 29), non-secure physical (30), virtual (27), Hyp (26). */
	const u32 timer[] = {
		GIC_PPI, 13, ppi, GIC_PPI, 14, ppi, GIC_PPI, 11, ppi, GIC_PPI, 10, ppi
	};

	begin(fdt, "intc@%llx", (unsigned long long)p->gicd_ipa);
	strp(fdt, "compatible", "arm,cortex-a15-gic");
	u32p(fdt, "#interrupt-cells", 3);
	u32p(fdt, "#address-cells", 0); /* no interrupt-map users: dtc's interrupt_provider */
	emptyp(fdt, "interrupt-controller");
	regp(fdt, p->gicd_ipa, TCFG_EMUL_PAGE, p->gicc_ipa, b->gicv.size);
	u32p(fdt, "phandle", PHANDLE_GIC);
	end(fdt);

	begin(fdt, "timer");
	strp(fdt, "compatible", "arm,armv7-timer");
	cellsp(fdt, "interrupts", timer, ARRAY_SIZE(timer));
	emptyp(fdt, "always-on");
	end(fdt);
}

/*
 * The PMU (ARM ARM C12): the partition's counters are its CPUs' own (the hypervisor checks each
 * access and keeps the last event counter).  No `interrupts`: the overflow interrupt is not
 * routed to the partition, so Linux counts (perf stat) but does not sample.
 */
static void pmu_node(void *fdt, const struct board *b)
{
	if (!b->pmu_compatible)
		return;
	begin(fdt, "pmu");
	strp(fdt, "compatible", b->pmu_compatible);
	end(fdt);
}

static void uart_nodes(void *fdt, const struct partition *p)
{
	static const char pl011[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	const u32 clocks[] = { PHANDLE_CLK, PHANDLE_CLK };

	begin(fdt, "apb-pclk");
	strp(fdt, "compatible", "fixed-clock");
	u32p(fdt, "#clock-cells", 0);
	u32p(fdt, "clock-frequency", PL011_CLOCK_HZ);
	strp(fdt, "clock-output-names", "clockP");
	u32p(fdt, "phandle", PHANDLE_CLK);
	end(fdt);

	begin(fdt, "pl011@%llx", (unsigned long long)p->uart_ipa);
	strsp(fdt, "compatible", pl011, sizeof(pl011));
	regp(fdt, p->uart_ipa, TCFG_EMUL_PAGE, 0, 0);
	spi_interrupts(fdt, &p->uart_irq, 1, IRQ_LEVEL_HIGH);
	cellsp(fdt, "clocks", clocks, 2);
	strsp(fdt, "clock-names", clock_names, sizeof(clock_names));
	end(fdt);
}

static void device_nodes(void *fdt, const struct partition *p)
{
	char name[32];
	u32 i;

	for (i = 0; i < p->dev_count; i++) {
		const struct device *d = &p->devs[i];

		device_node_name(name, sizeof(name), d);
		begin(fdt, "%s@%llx", name, (unsigned long long)d->ipa);
		if (d->compatible)
			strsp(fdt, "compatible", d->compatible, d->compatible_len);
		regp(fdt, d->ipa, d->size, 0, 0);
		if (d->irq_count)
			spi_interrupts_each(fdt, d->irqs, d->irq_count, d->irq_flags,
					    IRQ_LEVEL_HIGH);
		if (d->primecell) {
			/* Linux's AMBA bus reads the peripheral ID only with its APB clock on. */
			u32p(fdt, "clocks", PHANDLE_CLK);
			strp(fdt, "clock-names", "apb_pclk");
		}
		end(fdt);
	}
}

static void channel_nodes(void *fdt, const struct partition *p, const struct system *s)
{
	u32 i;

	for (i = 0; i < p->endpoint_count; i++) {
		const struct cfg_endpoint *e = &p->endpoints[i];
		u32 irq = e->irq;

		begin(fdt, "tessera-channel@%llx", (unsigned long long)e->ipa);
		strp(fdt, "compatible", "tessera,channel");
		regp(fdt, e->ipa, e->size, 0, 0);
		/* With a doorbell GPIO the interrupt is the PL061's, named there only. */
		if (!e->gpio)
			spi_interrupts(fdt, &irq, 1, IRQ_EDGE_RISING); /* doorbells are edges */
		u32p(fdt, "tessera,channel-id", i);
		strp(fdt, "tessera,channel-name", s->chans[e->channel].label);
		strp(fdt, "tessera,peer", s->parts[e->peer].label);
		if (!(e->access & CFG_ACCESS_W))
			emptyp(fdt, "read-only");
		end(fdt);
	}
}

/*
 * A channel end's doorbell GPIO: the emulated PL061 (hyp/dev/vgpio.c) that Linux's own
 * gpio-pl061 driver probes on the AMBA bus, line 0 "<channel>-doorbell-in" (the peer's
 * rings, as rising edges) and line 1 "<channel>-doorbell-out" (a write of 1 rings the peer).
 */
static void gpio_nodes(void *fdt, const struct partition *p, const struct system *s)
{
	static const char pl061[] = "arm,pl061\0arm,primecell";
	u32 i, k;

	for (i = 0; i < p->endpoint_count; i++) {
		const struct cfg_endpoint *e = &p->endpoints[i];
		char names[2 * TCFG_PATH_MAX + 8];
		u32 irq = e->irq;
		int len;

		if (!e->gpio)
			continue;
		len = snprintf(names, sizeof(names), "%s-doorbell-in%c%s-doorbell-out%c",
			       s->chans[e->channel].label, 0, s->chans[e->channel].label, 0);
		for (k = 2; k < 8; k++) /* the PL061's other six lines: unnamed, unused */
			names[len++] = 0;
		begin(fdt, "pl061@%llx", (unsigned long long)e->gpio_ipa);
		strsp(fdt, "compatible", pl061, sizeof(pl061));
		regp(fdt, e->gpio_ipa, TCFG_EMUL_PAGE, 0, 0);
		spi_interrupts(fdt, &irq, 1, IRQ_EDGE_RISING);
		emptyp(fdt, "gpio-controller");
		u32p(fdt, "#gpio-cells", 2);
		emptyp(fdt, "interrupt-controller");
		u32p(fdt, "#interrupt-cells", 2);
		strsp(fdt, "gpio-line-names", names, (size_t)len);
		u32p(fdt, "clocks", PHANDLE_CLK);
		strp(fdt, "clock-names", "apb_pclk");
		end(fdt);
	}
}

/* ---- what the description adds: dt-properties of devices, dtb-overlay ---- */

/*
 * Copy the properties of src's node soff onto dst's node doff, replacing same-named ones.
 * Returns 0, or libfdt's error (-FDT_ERR_NOSPACE when the tree outgrows its buffer).
 */
static int copy_props(void *dst, int doff, const void *src, int soff)
{
	int poff, err = 0;

	fdt_for_each_property_offset(poff, src, soff)
	{
		const char *name;
		int len;
		const void *v = fdt_getprop_by_offset(src, poff, &name, &len);

		/* Phandles are the generated tree's own (GIC, clock): references do not carry. */
		if (!v || !strcmp(name, "phandle") || !strcmp(name, "linux,phandle"))
			continue;
		err = fdt_setprop(dst, doff, name, v, len);
		if (err < 0)
			break;
	}
	return err;
}

/* Merge src's node soff into dst's node doff: properties, then subnodes, recursively. */
static int merge(void *dst, int doff, const void *src, int soff)
{
	int child, err = copy_props(dst, doff, src, soff);

	fdt_for_each_subnode(child, src, soff)
	{
		const char *name = fdt_get_name(src, child, NULL);
		int d;

		if (err < 0)
			break;
		d = fdt_subnode_offset(dst, doff, name);
		if (d == -FDT_ERR_NOTFOUND)
			d = fdt_add_subnode(dst, doff, name);
		err = d < 0 ? d : merge(dst, d, src, child);
	}
	return err;
}

/*
 * Apply dt-properties and dtb-overlay to the finished tree 'fdt' (DT_BUF_SIZE bytes).
 * What they add is the description's, so a tree they make too big is its error.
 */
static void extras(void *fdt, const struct partition *p)
{
	char name[32], path[64];
	bool any = p->overlay_off >= 0;
	int err = 0;
	u32 i;

	for (i = 0; i < p->dev_count; i++)
		any |= p->devs[i].extra_off >= 0;
	if (!any)
		return;
	dt_ok(fdt_open_into(fdt, fdt, DT_BUF_SIZE), "open");
	for (i = 0; i < p->dev_count && err >= 0; i++) {
		const struct device *d = &p->devs[i];

		if (d->extra_off < 0)
			continue;
		device_node_name(name, sizeof(name), d);
		snprintf(path, sizeof(path), "/%s@%llx", name, (unsigned long long)d->ipa);
		err = copy_props(fdt, fdt_path_offset(fdt, path), d->fdt, d->extra_off);
	}
	if (err >= 0 && p->overlay_off >= 0)
		err = merge(fdt, 0, p->fdt, p->overlay_off);
	if (err == -FDT_ERR_NOSPACE)
		tcfg_error(p->path,
			   "its device tree with the dt-properties and dtb-overlay added is over "
			   "%d KiB",
			   DT_BUF_SIZE / 1024);
	else
		dt_ok(err, "dt-properties, dtb-overlay");
	dt_ok(fdt_pack(fdt), "pack");
}

static u8 *build(const struct partition *p, const struct system *s, const struct board *b,
		 u32 *size)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2";
	void *fdt = tcfg_alloc(DT_BUF_SIZE);
	char buf[64];
	u32 i;

	dt_ok(fdt_create(fdt, DT_BUF_SIZE), "create");
	dt_ok(fdt_finish_reservemap(fdt), "reservemap");
	begin(fdt, "%s", "");
	u32p(fdt, "#address-cells", 2);
	u32p(fdt, "#size-cells", 2);
	strp(fdt, "compatible", "linux,dummy-virt");
	snprintf(buf, sizeof(buf), "tessera,%s", p->label);
	strp(fdt, "model", buf);
	u32p(fdt, "interrupt-parent", PHANDLE_GIC);

	begin(fdt, "chosen");
	if (p->bootargs)
		strp(fdt, "bootargs", p->bootargs);
	if (p->initrd.name) {
		/* Linux reads these as #address-cells numbers: the root's 2 (of_read_number). */
		dt_ok(fdt_property_u64(fdt, "linux,initrd-start", p->initrd.ipa), "initrd");
		dt_ok(fdt_property_u64(fdt, "linux,initrd-end", p->initrd.ipa + p->initrd.size),
		      "initrd");
	}
	snprintf(buf, sizeof(buf), "/pl011@%llx", (unsigned long long)p->uart_ipa);
	strp(fdt, "stdout-path", buf);
	end(fdt);

	begin(fdt, "hypervisor");
	strp(fdt, "compatible", "tessera,hypervisor");
	u32p(fdt, "partition-id", p->id);
	strp(fdt, "partition-name", p->label);
	end(fdt);

	begin(fdt, "psci");
	strsp(fdt, "compatible", psci, sizeof(psci));
	strp(fdt, "method", "hvc");
	u32p(fdt, "cpu_off", PSCI_CPU_OFF);
	u32p(fdt, "cpu_on", PSCI_CPU_ON);
	end(fdt);

	for (i = 0; i < p->mem_count; i++) {
		begin(fdt, "memory@%llx", (unsigned long long)p->mems[i].ipa);
		strp(fdt, "device_type", "memory");
		regp(fdt, p->mems[i].ipa, p->mems[i].size, 0, 0);
		end(fdt);
	}
	cpus_node(fdt, p, b);
	gic_timer_nodes(fdt, p, b);
	pmu_node(fdt, b);
	uart_nodes(fdt, p);
	device_nodes(fdt, p);
	channel_nodes(fdt, p, s);
	gpio_nodes(fdt, p, s);
	end(fdt);
	dt_ok(fdt_finish(fdt), "finish");
	extras(fdt, p);
	*size = fdt_totalsize(fdt);
	return fdt;
}

/* The memory region holding IPA 'ipa', or NULL. */
static const struct memory *mem_at(const struct partition *p, u64 ipa)
{
	u32 i;

	for (i = 0; i < p->mem_count; i++)
		if (ipa >= p->mems[i].ipa && ipa - p->mems[i].ipa < p->mems[i].size)
			return &p->mems[i];
	return NULL;
}

/* Report the device tree's window overlapping 'what' at IPA range r. */
static void dtb_overlap(const struct partition *p, struct range window, struct range r,
			const char *what)
{
	if (ranges_overlap(window, r))
		tcfg_error(p->path,
			   "the device tree at IPA [0x%08llx, 0x%08llx) overlaps %s [0x%08llx, "
			   "0x%08llx): set dtb-ipa",
			   (unsigned long long)window.base, (unsigned long long)range_end(window),
			   what, (unsigned long long)r.base, (unsigned long long)range_end(r));
}

static void place(struct partition *p)
{
	const struct memory *m = NULL;
	struct range window;
	u32 i;

	if (p->has_dtb_ipa) {
		m = mem_at(p, p->dtb_ipa);
		window = (struct range){ p->dtb_ipa, p->dtb_size };
		if (p->dtb_size > m->size - (p->dtb_ipa - m->ipa)) {
			tcfg_error(p->path,
				   "the device tree (%u bytes) at dtb-ipa 0x%llx does not "
				   "fit in %s",
				   p->dtb_size, (unsigned long long)p->dtb_ipa, m->path);
			return;
		}
	} else {
		m = &p->mems[0]; /* a partition has at least one (system.c) */
		for (i = 1; i < p->mem_count; i++)
			if (p->mems[i].ipa < m->ipa)
				m = &p->mems[i];
		if (m->size < TCFG_DTB_WINDOW || p->dtb_size > TCFG_DTB_WINDOW) {
			tcfg_error(p->path,
				   "the device tree (%u bytes) does not fit the last 64 KiB "
				   "of %s: set dtb-ipa",
				   p->dtb_size, m->path);
			return;
		}
		p->dtb_ipa = m->ipa + m->size - TCFG_DTB_WINDOW;
		window = (struct range){ p->dtb_ipa, TCFG_DTB_WINDOW };
	}
	p->dtb_pa = m->pa + (p->dtb_ipa - m->ipa);
	for (i = 0; i < p->mem_count; i++) {
		const struct memory *im = &p->mems[i];
		struct range img = { im->ipa + im->image_offset, im->image_size };

		if (im->image && ranges_overlap(window, img))
			tcfg_error(p->path,
				   "the device tree at IPA [0x%08llx, 0x%08llx) overlaps "
				   "image \"%s\" of %s at [0x%08llx, 0x%08llx)%s",
				   (unsigned long long)window.base,
				   (unsigned long long)range_end(window), im->image, im->path,
				   (unsigned long long)img.base, (unsigned long long)range_end(img),
				   p->has_dtb_ipa ? "" : ": set dtb-ipa");
	}
	if (p->kernel.name) {
		/* The kernel decompresses itself from the start of its region (linux.c). */
		const struct memory *km = mem_at(p, p->kernel.ipa);
		struct range k = { km->ipa, p->kernel.ipa + p->kernel.size - km->ipa };
		struct range rd = { p->initrd.ipa, p->initrd.size };
		struct range scratch = { range_end(k), linux_scratch_end(p) - range_end(k) };

		dtb_overlap(p, window, k, "the kernel and what it decompresses");
		dtb_overlap(p, window, scratch,
			    "what the zImage decompressor writes after it (bss, stack, heap)");
		if (p->initrd.name)
			dtb_overlap(p, window, rd, "the initrd");
	}
}

void guest_dt_build(struct system *s, const struct board *b, const struct options *o)
{
	u64 payload = 0, tables = 0;
	u32 i;

	for (i = 0; i < s->part_count; i++) {
		struct partition *p = &s->parts[i];

		p->dtb = build(p, s, b, &p->dtb_size);
		place(p);
		payload += ALIGN_UP((u64)p->dtb_size, 16);
		tables += (u64)p->s2_table_count * TCFG_PAGE_SIZE;
	}
	/*
	 * The device trees are part of the hypervisor image (the guest images are in the
	 * store), inside its region with the hypervisor's own code, data, stacks and Hyp tables
	 * (--hyp-own) and the stage-2 pool.
	 */
	if (payload + tables + o->hyp_own > b->hyp.size)
		tcfg_error("/",
			   "the device trees (0x%llx bytes) do not fit the hypervisor's region "
			   "(board \"hypervisor\", 0x%llx bytes) beside the stage-2 tables (0x%llx "
			   "bytes) and the hypervisor itself (--hyp-own 0x%llx bytes)",
			   (unsigned long long)payload, (unsigned long long)b->hyp.size,
			   (unsigned long long)tables, (unsigned long long)o->hyp_own);
}
