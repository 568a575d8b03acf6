/*
 * The system description (configs/<board>/<name>.dts): its node structure,
 * its properties and each value on its own.  Rules that relate nodes to each
 * other or to the board are in check.c.
 *
 * Nodes are numbered: partition@N, channel@N, memory@N, device@N and end@N
 * must appear with N = 0, 1, ... in order, so the index a node has in the
 * generated tables (partition ID, channel index) is visible in its name.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "tcfg.h"

static bool name_is(const char *name, const char *base)
{
	size_t bl = strlen(base);

	return !strncmp(name, base, bl) && (name[bl] == '@' || name[bl] == '\0');
}

/*
 * Count the children of n named base@N for each base in 'bases', checking
 * that each kind is numbered 0, 1, ... in order; report any other child.
 */
static void count_children(const struct node *n, const char *const *bases, const char *plain,
			   u32 *counts, bool *ok)
{
	int child;
	u32 i;

	for (i = 0; bases[i]; i++)
		counts[i] = 0;
	fdt_for_each_subnode(child, n->fdt, n->off)
	{
		const char *name = fdt_get_name(n->fdt, child, NULL);
		char path[TCFG_PATH_MAX];
		bool well_formed = true; /* (its own flag: @ffffffff is a valid unit too) */
		u32 unit;

		node_child_path(path, sizeof(path), n->path, name);
		if (plain && !strcmp(name, plain))
			continue; /* the one unnumbered child this node may have */
		for (i = 0; bases[i]; i++) {
			if (node_unit(n, name, bases[i], &unit, &well_formed))
				break;
		}
		*ok &= well_formed;
		if (!bases[i]) {
			tcfg_error(path, "unknown node");
			*ok = false;
			continue;
		}
		if (well_formed && unit != counts[i]) {
			tcfg_error(path,
				   "%s nodes must be numbered 0, 1, ... in order: expected "
				   "%s@%x",
				   bases[i], bases[i], counts[i]);
			*ok = false;
		}
		counts[i]++;
	}
}

/* A node with no children allowed. */
static void no_children(const struct node *n, bool *ok)
{
	static const char *const none[] = { NULL };
	u32 counts[1];

	count_children(n, none, NULL, counts, ok);
}

static void child_node(struct node *c, char *path, const struct node *parent, int off)
{
	node_child_path(path, TCFG_PATH_MAX, parent->path, fdt_get_name(parent->fdt, off, NULL));
	c->fdt = parent->fdt;
	c->off = off;
	c->path = path;
}

/* A partition's label is not all digits: the console monitor reads a number as its index. */
static bool read_label(const struct node *n, const char **label, bool partition, bool *ok)
{
	if (!prop_string(n, "label", true, label, ok))
		return false;
	if (!label_valid(*label)) {
		tcfg_error(n->path, "label \"%s\" must be 1..%u characters of [a-z0-9_-]", *label,
			   CFG_NAME_MAX - 1);
		*ok = false;
		return false;
	}
	if (partition && strspn(*label, "0123456789") == strlen(*label)) {
		tcfg_error(n->path,
			   "label \"%s\" is all digits: the console monitor would read it as "
			   "partition %s's index",
			   *label, *label);
		*ok = false;
		return false;
	}
	return true;
}

/* An image name: relative, no "..", characters safe in make and assembler strings. */
static bool image_name_valid(const char *s)
{
	const char *c;

	if (!*s || *s == '/' ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+-/") !=
		    strlen(s))
		return false;
	for (c = s; c; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if (!strncmp(c, "..", 2) && (c[2] == '/' || c[2] == '\0'))
			return false;
	}
	return true;
}

/*
 * ipa: required, unless the partition is identity-mapped; then it defaults to pa and may
 * only equal it.
 */
static void read_ipa(const struct node *n, bool identity, u64 pa, u64 *ipa, bool *ok)
{
	if (!prop_addr(n, "ipa", !identity, ipa, ok)) {
		*ipa = pa;
		return;
	}
	if (identity && *ipa != pa) {
		tcfg_error(n->path,
			   "ipa 0x%08llx differs from pa 0x%08llx in an identity-mapped "
			   "partition (identity-map)",
			   (unsigned long long)*ipa, (unsigned long long)pa);
		*ok = false;
	}
}

static void read_memory(struct memory *m, const struct node *n, bool identity)
{
	static const char *const known[] = { "pa",    "ipa",	      "size", "access",
					     "image", "image-offset", NULL };
	bool ok = true;

	prop_check_known(n, known, &ok);
	no_children(n, &ok);
	prop_addr(n, "pa", true, &m->pa, &ok);
	read_ipa(n, identity, m->pa, &m->ipa, &ok);
	prop_addr(n, "size", true, &m->size, &ok);
	m->access = CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X;
	prop_access(n, "access", "rwx", &m->access, &ok);
	if (prop_string(n, "image", false, &m->image, &ok) && !image_name_valid(m->image)) {
		tcfg_error(n->path,
			   "image \"%s\" must be a relative path of [A-Za-z0-9._+-/] "
			   "without \"..\"",
			   m->image);
		ok = false;
	}
	if (prop_addr(n, "image-offset", false, &m->image_offset, &ok) && !m->image) {
		tcfg_error(n->path, "image-offset without image");
		ok = false;
	}
	m->ok = ok;
}

/* Does the string list (len bytes, NUL-separated) hold 'want'? */
static bool strings_have(const char *list, u32 len, const char *want)
{
	u32 at;

	for (at = 0; list && at < len; at += (u32)strlen(list + at) + 1)
		if (!strcmp(list + at, want))
			return true;
	return false;
}

/*
 * Devices that read and write memory by themselves (bus masters).  With no IOMMU they are
 * programmed with guest physical addresses that must be real ones: tcfg demands that their
 * partition be identity-mapped (check.c).  QEMU virt's virtio and fw_cfg (its DMA interface)
 * and PCIe host (whatever sits behind it), and the H3's Ethernet, SD/MMC and USB controllers
 * (Linux's bindings); the H3's DMA engine no partition may have (the board's reserved-mmio).
 */
static bool known_dma_master(const struct device *d)
{
	static const char *const masters[] = { "virtio,mmio",
					       "qemu,fw-cfg-mmio",
					       "pci-host-ecam-generic",
					       "allwinner,sun8i-h3-emac",
					       "allwinner,sun7i-a20-mmc",
					       "allwinner,sun8i-h3-ehci",
					       "allwinner,sun8i-h3-ohci",
					       "generic-ehci",
					       "generic-ohci",
					       "allwinner,sun8i-h3-musb",
					       NULL };
	u32 i;

	for (i = 0; masters[i]; i++)
		if (strings_have(d->compatible, d->compatible_len, masters[i]))
			return true;
	return false;
}

/*
 * irq-types: one trigger per irqs entry, as the device tree's interrupt flags
 * (bindings/interrupt-controller/irq.h).  A GICv2 SPI is level-sensitive active-high or
 * rising-edge (GICv2 1.4.2, 4.3.13): an inverted signal must be inverted before the GIC,
 * so "level-low" and "edge-falling" are refused rather than passed to a guest whose GIC
 * driver would refuse them.
 */
static void read_irq_types(struct device *d, const struct node *n, bool *ok)
{
	const char *list;
	u32 len, at, i = 0;

	d->irq_flags = tcfg_alloc((d->irq_count + 1) * sizeof(*d->irq_flags));
	for (i = 0; i < d->irq_count; i++)
		d->irq_flags[i] = 4; /* IRQ_TYPE_LEVEL_HIGH */
	if (!prop_strings(n, "irq-types", false, &list, &len, ok))
		return;
	for (at = 0, i = 0; at < len; at += (u32)strlen(list + at) + 1, i++) {
		const char *t = list + at;

		if (i >= d->irq_count)
			continue;
		if (!strcmp(t, "level-high")) {
			d->irq_flags[i] = 4;
		} else if (!strcmp(t, "edge-rising")) {
			d->irq_flags[i] = 1;
		} else if (!strcmp(t, "level-low") || !strcmp(t, "edge-falling")) {
			tcfg_error(n->path,
				   "irq-types \"%s\" for INTID %u: a GICv2 SPI is level-high or "
				   "edge-rising (GICv2 4.3.13); invert the signal before the GIC",
				   t, d->irqs[i]);
			*ok = false;
		} else {
			tcfg_error(n->path, "unknown irq-types \"%s\" (level-high, edge-rising)",
				   t);
			*ok = false;
		}
	}
	if (i != d->irq_count) {
		tcfg_error(n->path, "irq-types has %u entries but irqs has %u: give one per irq", i,
			   d->irq_count);
		*ok = false;
	}
}

static void read_device(struct device *d, const struct node *n, bool identity)
{
	static const char *const known[] = { "pa",	   "ipa",	"size",	      "irqs",
					     "compatible", "irq-types", "dma-master", NULL };
	bool ok = true;
	int child;

	prop_check_known(n, known, &ok);
	d->fdt = n->fdt;
	d->extra_off = -1;
	fdt_for_each_subnode(child, n->fdt, n->off)
	{
		char path[TCFG_PATH_MAX];
		const char *name = fdt_get_name(n->fdt, child, NULL);

		if (!strcmp(name, "dt-properties") && d->extra_off < 0) {
			d->extra_off = child;
			continue;
		}
		node_child_path(path, sizeof(path), n->path, name);
		tcfg_error(path, "unknown node (a device may have one dt-properties node)");
		ok = false;
	}
	prop_addr(n, "pa", true, &d->pa, &ok);
	read_ipa(n, identity, d->pa, &d->ipa, &ok);
	prop_addr(n, "size", true, &d->size, &ok);
	prop_cells(n, "irqs", false, &d->irqs, &d->irq_count, &ok);
	prop_strings(n, "compatible", false, &d->compatible, &d->compatible_len, &ok);
	read_irq_types(d, n, &ok);
	d->dma_master = prop_flag(n, "dma-master", &ok) || known_dma_master(d);
	d->primecell = strings_have(d->compatible, d->compatible_len, "arm,primecell");
	d->ok = ok;
}

static void read_fault_policy(struct partition *p, const struct node *n, bool *ok)
{
	const char *policy;
	u32 *limit, count;
	bool has_limit;

	p->fault_policy = CFG_FAULT_STOP;
	if (prop_string(n, "fault-policy", false, &policy, ok)) {
		if (!strcmp(policy, "stop")) {
			p->fault_policy = CFG_FAULT_STOP;
		} else if (!strcmp(policy, "restart")) {
			p->fault_policy = CFG_FAULT_RESTART;
		} else if (!strcmp(policy, "inject")) {
			p->fault_policy = CFG_FAULT_INJECT;
		} else {
			tcfg_error(n->path, "unknown fault-policy \"%s\" (stop, restart or inject)",
				   policy);
			*ok = false;
			return;
		}
	} else if (fdt_getprop(n->fdt, n->off, "fault-policy", NULL)) {
		return; /* there but malformed, said: restart-limit cannot be judged */
	}
	has_limit = prop_cells(n, "restart-limit", false, &limit, &count, ok);
	if (p->fault_policy != CFG_FAULT_RESTART) {
		if (has_limit) {
			tcfg_error(n->path, "restart-limit without fault-policy = \"restart\"");
			*ok = false;
		}
		return;
	}
	if (!has_limit) {
		tcfg_error(n->path,
			   "fault-policy \"restart\" needs restart-limit = <max window-ms>");
		*ok = false;
	} else if (count != 2 || limit[0] == 0 || limit[1] == 0) {
		tcfg_error(n->path, "restart-limit must be <max window-ms>, both at least 1");
		*ok = false;
	} else if (limit[0] > CFG_RESTART_MAX) {
		tcfg_error(n->path, "restart-limit allows %u restarts per window, at most %u",
			   limit[0], CFG_RESTART_MAX);
		*ok = false;
	} else {
		p->restart_max = limit[0];
		p->restart_window_ms = limit[1];
	}
}

/* reset-limit: the bound on restarts the guest asks for (PSCI SYSTEM_RESET), any policy. */
static void read_reset_limit(struct partition *p, const struct node *n, bool *ok)
{
	u32 *limit, count;

	p->reset_max = CFG_RESET_MAX_DEFAULT;
	p->reset_window_ms = CFG_RESET_WINDOW_MS_DEFAULT;
	if (!prop_cells(n, "reset-limit", false, &limit, &count, ok))
		return;
	if (count != 2 || limit[0] == 0 || limit[1] == 0) {
		tcfg_error(n->path, "reset-limit must be <max window-ms>, both at least 1");
		*ok = false;
	} else if (limit[0] > CFG_RESTART_MAX) {
		tcfg_error(n->path, "reset-limit allows %u resets per window, at most %u", limit[0],
			   CFG_RESTART_MAX);
		*ok = false;
	} else {
		p->reset_max = limit[0];
		p->reset_window_ms = limit[1];
	}
}

static void read_partition(struct partition *p, const struct node *n, const struct board *b)
{
	static const char *const known[] = { "label",	     "cpus",	      "entry",
					     "fault-policy", "restart-limit", "reset-limit",
					     "bootargs",     "dtb-ipa",	      "gicd-ipa",
					     "gicc-ipa",     "uart-ipa",      "uart-irq",
					     "kernel",	     "initrd",	      "identity-map",
					     "watchdog",     "manages",	      NULL };
	static const char *const bases[] = { "memory", "device", NULL };
	u32 counts[2], *cpus, count, mi = 0, di = 0;
	bool ok = true;
	int child, len;

	prop_check_known(n, known, &ok);
	read_label(n, &p->label, true, &ok);
	if (prop_cells(n, "cpus", true, &cpus, &count, &ok)) {
		if (count > CFG_CPU_MAX) {
			tcfg_error(n->path, "cpus lists %u CPUs, at most %u are supported", count,
				   CFG_CPU_MAX);
			ok = false;
		} else {
			memcpy(p->cpus, cpus, count * sizeof(*cpus));
			p->cpu_count = count;
		}
	}
	if (prop_string(n, "kernel", false, &p->kernel.name, &ok) &&
	    !image_name_valid(p->kernel.name)) {
		tcfg_error(n->path,
			   "kernel \"%s\" must be a relative path of [A-Za-z0-9._+-/] without "
			   "\"..\"",
			   p->kernel.name);
		ok = false;
	}
	if (prop_string(n, "initrd", false, &p->initrd.name, &ok)) {
		if (!image_name_valid(p->initrd.name)) {
			tcfg_error(n->path,
				   "initrd \"%s\" must be a relative path of [A-Za-z0-9._+-/] "
				   "without \"..\"",
				   p->initrd.name);
			ok = false;
		} else if (!p->kernel.name) {
			tcfg_error(n->path, "initrd without kernel: the initrd is the kernel's");
			ok = false;
		}
	}
	/* A kernel partition starts at its kernel (linux.c): entry is derived. */
	p->has_entry = prop_addr(n, "entry", !p->kernel.name, &p->entry, &ok);
	if (p->has_entry && p->kernel.name) {
		tcfg_error(n->path, "entry and kernel both given: a partition with a kernel "
				    "starts at the kernel, where tcfg places it");
		ok = false;
	}
	p->identity_map = prop_flag(n, "identity-map", &ok);
	read_fault_policy(p, n, &ok);
	read_reset_limit(p, n, &ok);
	/* At most what Linux keeps (arch/arm COMMAND_LINE_SIZE, 1024 with the NUL): not cut. */
	if (prop_string(n, "bootargs", false, &p->bootargs, &ok) &&
	    strlen(p->bootargs) > TCFG_BOOTARGS_MAX) {
		tcfg_error(n->path,
			   "bootargs is %zu characters, more than a kernel command line's %u",
			   strlen(p->bootargs), TCFG_BOOTARGS_MAX);
		ok = false;
	}
	p->has_dtb_ipa = prop_addr(n, "dtb-ipa", false, &p->dtb_ipa, &ok);
	p->gicd_ipa = b->guest_gicd;
	p->gicc_ipa = b->guest_gicc;
	p->uart_ipa = b->guest_uart;
	p->uart_irq = b->guest_uart_irq;
	prop_addr(n, "gicd-ipa", false, &p->gicd_ipa, &ok);
	prop_addr(n, "gicc-ipa", false, &p->gicc_ipa, &ok);
	prop_addr(n, "uart-ipa", false, &p->uart_ipa, &ok);
	prop_u32(n, "uart-irq", false, &p->uart_irq, &ok);
	if (prop_u32(n, "watchdog", false, &p->watchdog_ms, &ok) &&
	    (p->watchdog_ms == 0 || p->watchdog_ms > CFG_WATCHDOG_MAX_MS)) {
		tcfg_error(n->path, "watchdog = <%u>: the timeout is 1 to %u ms", p->watchdog_ms,
			   CFG_WATCHDOG_MAX_MS);
		ok = false;
	}
	p->phandle = fdt_get_phandle(n->fdt, n->off);
	p->manages = fdt_getprop(n->fdt, n->off, "manages", &len);
	p->manages_len = p->manages ? (u32)len : 0;

	count_children(n, bases, "dtb-overlay", counts, &ok);
	p->mems = tcfg_alloc(counts[0] * sizeof(*p->mems));
	p->devs = tcfg_alloc(counts[1] * sizeof(*p->devs));
	p->mem_count = counts[0];
	p->dev_count = counts[1];
	if (!p->mem_count) {
		tcfg_error(n->path, "no memory@0 node: a partition needs RAM");
		ok = false;
	}
	p->fdt = n->fdt;
	p->overlay_off = fdt_subnode_offset(n->fdt, n->off, "dtb-overlay");
	fdt_for_each_subnode(child, n->fdt, n->off)
	{
		const char *name = fdt_get_name(n->fdt, child, NULL);
		struct node c;

		if (name_is(name, "memory")) {
			child_node(&c, p->mems[mi].path, n, child);
			read_memory(&p->mems[mi++], &c, p->identity_map);
		} else if (name_is(name, "device")) {
			child_node(&c, p->devs[di].path, n, child);
			read_device(&p->devs[di++], &c, p->identity_map);
		}
	}
	p->ok = ok;
}

static void read_end(struct end *e, const struct node *n)
{
	static const char *const known[] = { "partition",      "ipa", "access", "doorbell-irq",
					     "doorbell-pl061", NULL };
	bool ok = true;

	prop_check_known(n, known, &ok);
	no_children(n, &ok);
	prop_string(n, "partition", true, &e->partition, &ok);
	prop_addr(n, "ipa", true, &e->ipa, &ok);
	e->access = CFG_ACCESS_R | CFG_ACCESS_W;
	prop_access(n, "access", "rw", &e->access, &ok);
	prop_u32(n, "doorbell-irq", true, &e->doorbell_irq, &ok);
	e->has_gpio = prop_addr(n, "doorbell-pl061", false, &e->gpio_ipa, &ok);
	e->ok = ok;
}

static void read_channel(struct channel *ch, const struct node *n)
{
	static const char *const known[] = { "label", "pa", "size", NULL };
	static const char *const bases[] = { "end", NULL };
	u32 counts[1];
	bool ok = true;
	int child;

	prop_check_known(n, known, &ok);
	read_label(n, &ch->label, false, &ok);
	prop_addr(n, "pa", true, &ch->pa, &ok);
	prop_addr(n, "size", true, &ch->size, &ok);
	count_children(n, bases, NULL, counts, &ok);
	if (counts[0] != 2) {
		tcfg_error(n->path, "a channel needs exactly two ends (end@0, end@1), not %u",
			   counts[0]);
		ok = false;
	}
	fdt_for_each_subnode(child, n->fdt, n->off)
	{
		struct node c;

		if (!name_is(fdt_get_name(n->fdt, child, NULL), "end") || ch->end_count == 2)
			continue;
		child_node(&c, ch->ends[ch->end_count].path, n, child);
		read_end(&ch->ends[ch->end_count++], &c);
	}
	ch->ok = ok;
}

static void read_root(struct system *s, const struct node *n, bool *ok)
{
	static const char *const known[] = { "compatible", "platform", "console-input", NULL };
	const char *compatible;

	prop_check_known(n, known, ok);
	if (prop_string(n, "compatible", true, &compatible, ok) &&
	    strcmp(compatible, "tessera,system")) {
		tcfg_error(n->path, "compatible must be \"tessera,system\", not \"%s\"",
			   compatible);
		*ok = false;
	}
	prop_string(n, "platform", true, &s->platform, ok);
	prop_string(n, "console-input", false, &s->console_input, ok);
}

/* The system's own image store window, in place of the board's (/image-store). */
static void read_store(struct system *s, const struct node *n)
{
	static const char *const known[] = { "pa", "size", NULL };
	bool ok = true;

	prop_check_known(n, known, &ok);
	no_children(n, &ok);
	prop_addr(n, "pa", true, &s->store_window.base, &ok);
	prop_addr(n, "size", true, &s->store_window.size, &ok);
	s->has_store_window = ok;
}

void system_parse(struct system *s, const char *file, const void *fdt, const struct board *b)
{
	static const char *const bases[] = { "partition", "channel", NULL };
	struct node root = { fdt, 0, "/" };
	u32 counts[2], pi = 0, ci = 0;
	bool ok = true;
	int child;

	s->file = file;
	read_root(s, &root, &ok);
	count_children(&root, bases, "image-store", counts, &ok);
	s->part_count = counts[0];
	s->chan_count = counts[1];
	s->store_window = b->store;
	snprintf(s->store_path, sizeof(s->store_path), "%s:/image-store", b->file);
	s->parts = tcfg_alloc(s->part_count * sizeof(*s->parts));
	s->chans = tcfg_alloc(s->chan_count * sizeof(*s->chans));
	fdt_for_each_subnode(child, fdt, 0)
	{
		const char *name = fdt_get_name(fdt, child, NULL);
		struct node c;

		if (name_is(name, "partition")) {
			child_node(&c, s->parts[pi].path, &root, child);
			s->parts[pi].id = pi;
			read_partition(&s->parts[pi++], &c, b);
		} else if (name_is(name, "channel")) {
			child_node(&c, s->chans[ci].path, &root, child);
			read_channel(&s->chans[ci++], &c);
		} else if (!strcmp(name, "image-store")) {
			child_node(&c, s->store_path, &root, child);
			read_store(s, &c);
		}
	}
}
