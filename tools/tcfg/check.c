/*
 * The rules a system description must satisfy, between its nodes and against
 * the board (docs/configuration.md, "Rules").  Each rule reports every
 * violation it finds; a node that could not be read (its 'ok' is false) is
 * left out of the rules that would only repeat that problem.
 */
#define _XOPEN_SOURCE 700 /* realpath */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tcfg.h"

/* "[0x50000000, 0x52000000)" */
struct rbuf {
	char s[48];
};

static struct rbuf fmt_range(struct range r)
{
	struct rbuf b;

	snprintf(b.s, sizeof(b.s), "[0x%08llx, 0x%08llx)", (unsigned long long)r.base,
		 (unsigned long long)(r.base + r.size));
	return b;
}

/* The board's RAM, for a message about a range outside it: "[0x40000000, 0x80000000)". */
static const char *fmt_ram(const struct board *b)
{
	static char s[256];
	size_t n = 0;
	u32 i;

	s[0] = '\0';
	for (i = 0; i < b->ram_count && n + 48 < sizeof(s); i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%s", i ? ", " : "",
				      fmt_range(b->ram[i]).s);
	return s;
}

static struct range mk(u64 base, u64 size)
{
	return (struct range){ base, size };
}

/* A range that is non-empty and below 'limit' as a whole (so sums cannot wrap). */
static bool within(struct range r, u64 limit)
{
	return r.size && r.base < limit && r.size <= limit - r.base;
}

static bool mem_sane(const struct memory *m)
{
	return m->ok && within(mk(m->pa, m->size), TCFG_PA_LIMIT) &&
	       within(mk(m->ipa, m->size), TCFG_IPA_LIMIT);
}

static bool dev_sane(const struct device *d)
{
	return d->ok && within(mk(d->pa, d->size), TCFG_PA_LIMIT) &&
	       within(mk(d->ipa, d->size), TCFG_IPA_LIMIT);
}

static bool chan_sane(const struct channel *c)
{
	return c->ok && within(mk(c->pa, c->size), TCFG_PA_LIMIT);
}

static const char *access_str(u32 access)
{
	static char s[4];

	s[0] = access & CFG_ACCESS_R ? 'r' : '-';
	s[1] = access & CFG_ACCESS_W ? 'w' : '-';
	s[2] = access & CFG_ACCESS_X ? 'x' : '-';
	s[3] = '\0';
	return s;
}

/* ---- rule: the system as a whole ---- */

static void check_root(struct system *s, const struct board *b, const struct options *o)
{
	u32 max = (1U << o->vmid_bits) - 1, i, j;

	if (s->platform && b->model && strcmp(s->platform, b->model)) {
		tcfg_error("/", "platform \"%s\" does not match the board's model \"%s\" (%s)",
			   s->platform, b->model, b->file);
	}
	if (s->part_count == 0)
		tcfg_error("/", "no partition@0 node: a system needs at least one partition");
	if (s->part_count > max) {
		tcfg_error("/",
			   "%u partitions, but %u VMID bits allow at most %u (VMID 0 is "
			   "reserved)",
			   s->part_count, o->vmid_bits, max);
	}
	s->console_partition = 0;
	if (s->console_input) {
		for (i = 0; i < s->part_count; i++)
			if (s->parts[i].label && !strcmp(s->parts[i].label, s->console_input))
				break;
		if (i == s->part_count)
			tcfg_error("/", "console-input \"%s\" names no partition",
				   s->console_input);
		else
			s->console_partition = i;
	}
	for (i = 0; i < s->part_count; i++) {
		for (j = 0; j < i; j++) {
			if (s->parts[i].label && s->parts[j].label &&
			    !strcmp(s->parts[i].label, s->parts[j].label))
				tcfg_error(s->parts[i].path, "label \"%s\" is already used by %s",
					   s->parts[i].label, s->parts[j].path);
		}
	}
	for (i = 0; i < s->chan_count; i++) {
		for (j = 0; j < i; j++) {
			if (s->chans[i].label && s->chans[j].label &&
			    !strcmp(s->chans[i].label, s->chans[j].label))
				tcfg_error(s->chans[i].path, "label \"%s\" is already used by %s",
					   s->chans[i].label, s->chans[j].path);
		}
	}
}

/* ---- rule: alignment, sizes and address-space limits ---- */

static void check_page(const char *path, const char *what, u64 v)
{
	if (!IS_ALIGNED(v, TCFG_PAGE_SIZE))
		tcfg_error(path,
			   strcmp(what, "size") ? "%s 0x%08llx is not 4 KiB aligned" :
						  "%s 0x%llx is not 4 KiB aligned",
			   what, (unsigned long long)v);
}

static void check_pa_ipa(const char *path, bool ok, u64 pa, const u64 *ipa, u64 size)
{
	if (!ok)
		return;
	check_page(path, "pa", pa);
	if (ipa)
		check_page(path, "ipa", *ipa);
	check_page(path, "size", size);
	if (!size) {
		tcfg_error(path, "size is zero");
		return;
	}
	if (!within(mk(pa, size), TCFG_PA_LIMIT))
		tcfg_error(path, "%s is beyond the 40-bit physical address space",
			   fmt_range(mk(pa, size)).s);
	if (ipa && !within(mk(*ipa, size), TCFG_IPA_LIMIT))
		tcfg_error(path, "IPA range %s is beyond the 32-bit IPA space",
			   fmt_range(mk(*ipa, size)).s);
}

static void check_alignment(const struct system *s, const struct board *b)
{
	u32 i, j, k;

	for (i = 0; i < s->part_count; i++) {
		const struct partition *p = &s->parts[i];

		for (j = 0; j < p->mem_count; j++)
			check_pa_ipa(p->mems[j].path, p->mems[j].ok, p->mems[j].pa, &p->mems[j].ipa,
				     p->mems[j].size);
		for (j = 0; j < p->dev_count; j++)
			check_pa_ipa(p->devs[j].path, p->devs[j].ok, p->devs[j].pa, &p->devs[j].ipa,
				     p->devs[j].size);
		if (!p->ok)
			continue;
		check_page(p->path, "gicd-ipa", p->gicd_ipa);
		check_page(p->path, "gicc-ipa", p->gicc_ipa);
		check_page(p->path, "uart-ipa", p->uart_ipa);
		if (!within(mk(p->gicd_ipa, TCFG_EMUL_PAGE), TCFG_IPA_LIMIT))
			tcfg_error(p->path, "gicd-ipa 0x%llx is beyond the 32-bit IPA space",
				   (unsigned long long)p->gicd_ipa);
		if (!within(mk(p->gicc_ipa, b->gicv.size), TCFG_IPA_LIMIT))
			tcfg_error(p->path, "gicc-ipa 0x%llx is beyond the 32-bit IPA space",
				   (unsigned long long)p->gicc_ipa);
		if (!within(mk(p->uart_ipa, TCFG_EMUL_PAGE), TCFG_IPA_LIMIT))
			tcfg_error(p->path, "uart-ipa 0x%llx is beyond the 32-bit IPA space",
				   (unsigned long long)p->uart_ipa);
		if (p->entry % 4)
			tcfg_error(p->path,
				   "entry 0x%llx is not 4-byte aligned (guests start in "
				   "ARM state)",
				   (unsigned long long)p->entry);
		if (p->has_dtb_ipa && p->dtb_ipa % 8)
			tcfg_error(p->path, "dtb-ipa 0x%llx is not 8-byte aligned",
				   (unsigned long long)p->dtb_ipa);
	}
	for (i = 0; i < s->chan_count; i++) {
		const struct channel *c = &s->chans[i];

		check_pa_ipa(c->path, c->ok, c->pa, NULL, c->size);
		for (k = 0; k < c->end_count; k++) {
			const struct end *e = &c->ends[k];

			if (!e->ok)
				continue;
			check_page(e->path, "ipa", e->ipa);
			if (e->has_gpio) {
				check_page(e->path, "doorbell-pl061", e->gpio_ipa);
				if (!within(mk(e->gpio_ipa, TCFG_EMUL_PAGE), TCFG_IPA_LIMIT))
					tcfg_error(e->path,
						   "doorbell-pl061 0x%llx is beyond the 32-bit "
						   "IPA space",
						   (unsigned long long)e->gpio_ipa);
			}
			if (c->ok && c->size && !within(mk(e->ipa, c->size), TCFG_IPA_LIMIT))
				tcfg_error(e->path, "IPA range %s is beyond the 32-bit IPA space",
					   fmt_range(mk(e->ipa, c->size)).s);
		}
	}
}

/* ---- rule: physical memory ownership ---- */

enum phys_kind { PHYS_MEM, PHYS_CHAN, PHYS_DEV };

struct phys {
	struct range r;
	const char *path;
	enum phys_kind kind;
};

static void check_phys_one(const struct phys *a, const struct board *b)
{
	const struct {
		struct range r;
		const char *what;
	} blocks[] = {
		{ b->gicd, "the GIC distributor" },
		{ b->gicc, "the GIC CPU interface" },
		{ b->gich, "the GIC hypervisor interface" },
		{ b->gicv, "the GIC virtual CPU interface" },
		{ b->uart, "the hypervisor's UART" },
	};
	u32 i, n;

	if (a->kind == PHYS_DEV) {
		for (i = 0; i < b->ram_count; i++)
			if (ranges_overlap(a->r, b->ram[i]))
				tcfg_error(a->path,
					   "%s lies in the board's RAM %s (a device "
					   "must be MMIO)",
					   fmt_range(a->r).s, fmt_range(b->ram[i]).s);
		for (n = 0, i = 0; i < ARRAY_SIZE(blocks); i++)
			if (ranges_overlap(a->r, blocks[i].r)) {
				tcfg_error(a->path, "%s overlaps %s %s", fmt_range(a->r).s,
					   blocks[i].what, fmt_range(blocks[i].r).s);
				n++;
			}
		/* Any other frame of the GIC: an alias of one of those, a reserved page, MSI. */
		if (!n && ranges_overlap(a->r, b->gic))
			tcfg_error(a->path,
				   "%s overlaps the GIC's registers %s (board /gic/region)",
				   fmt_range(a->r).s, fmt_range(b->gic).s);
		for (i = 0; i < b->reserved_count; i++)
			if (ranges_overlap(a->r, b->reserved[i].r))
				tcfg_error(a->path,
					   "%s overlaps the board's %s %s, which the firmware or "
					   "the hypervisor needs (board /reserved-mmio)",
					   fmt_range(a->r).s, b->reserved[i].name,
					   fmt_range(b->reserved[i].r).s);
		return;
	}
	for (i = 0; i < b->ram_count && !range_inside(a->r, b->ram[i]); i++)
		;
	if (i == b->ram_count)
		tcfg_error(a->path, "%s is outside the board's RAM %s", fmt_range(a->r).s,
			   fmt_ram(b));
	if (ranges_overlap(a->r, b->hyp))
		tcfg_error(a->path, "%s overlaps the hypervisor's reserved region %s",
			   fmt_range(a->r).s, fmt_range(b->hyp).s);
}

static void check_phys(const struct system *s, const struct board *b)
{
	struct phys *items;
	u32 n = 0, i, j;

	for (i = 0; i < s->part_count; i++)
		n += s->parts[i].mem_count + s->parts[i].dev_count;
	items = tcfg_alloc((n + s->chan_count) * sizeof(*items));
	n = 0;
	for (i = 0; i < s->part_count; i++) {
		const struct partition *p = &s->parts[i];

		for (j = 0; j < p->mem_count; j++)
			if (mem_sane(&p->mems[j]))
				items[n++] = (struct phys){ mk(p->mems[j].pa, p->mems[j].size),
							    p->mems[j].path, PHYS_MEM };
		for (j = 0; j < p->dev_count; j++)
			if (dev_sane(&p->devs[j]))
				items[n++] = (struct phys){ mk(p->devs[j].pa, p->devs[j].size),
							    p->devs[j].path, PHYS_DEV };
	}
	for (i = 0; i < s->chan_count; i++)
		if (chan_sane(&s->chans[i]))
			items[n++] = (struct phys){ mk(s->chans[i].pa, s->chans[i].size),
						    s->chans[i].path, PHYS_CHAN };
	for (i = 0; i < n; i++) {
		check_phys_one(&items[i], b);
		for (j = 0; j < i; j++) {
			/* A device in RAM is reported above, against the board's RAM. */
			if ((items[i].kind == PHYS_DEV) != (items[j].kind == PHYS_DEV))
				continue;
			if (ranges_overlap(items[i].r, items[j].r))
				tcfg_error(items[i].path, "%s overlaps %s %s",
					   fmt_range(items[i].r).s, items[j].path,
					   fmt_range(items[j].r).s);
		}
	}
	free(items);
}

/* ---- rule: each partition's IPA space ---- */

struct ipa_item {
	struct range r;
	const char *path; /* where a problem is reported */
	const char *self; /* how the item names itself there: "" for a node */
	char what[TCFG_PATH_MAX + 48]; /* how another item's problem names it */
};

static void check_ipa(const struct system *s, const struct board *b)
{
	u32 i, j, k, n, max = 0;
	struct ipa_item *items;

	for (i = 0; i < s->part_count; i++)
		max = MAX(max, s->parts[i].mem_count + s->parts[i].dev_count);
	items = tcfg_alloc((max + 4 * s->chan_count + 3) * sizeof(*items));
	for (i = 0; i < s->part_count; i++) {
		const struct partition *p = &s->parts[i];

		if (!p->ok)
			continue;
		n = 0;
		items[n] = (struct ipa_item){ mk(p->gicd_ipa, TCFG_EMUL_PAGE), p->path,
					      "the emulated GICD page (gicd-ipa) at ", "" };
		snprintf(items[n++].what, sizeof(items->what),
			 "the emulated GICD page (gicd-ipa) of %s", p->path);
		items[n] = (struct ipa_item){ mk(p->gicc_ipa, b->gicv.size), p->path,
					      "the GICV mapping (gicc-ipa) at ", "" };
		snprintf(items[n++].what, sizeof(items->what), "the GICV mapping (gicc-ipa) of %s",
			 p->path);
		items[n] = (struct ipa_item){ mk(p->uart_ipa, TCFG_EMUL_PAGE), p->path,
					      "the emulated UART page (uart-ipa) at ", "" };
		snprintf(items[n++].what, sizeof(items->what),
			 "the emulated UART page (uart-ipa) of %s", p->path);
		for (j = 0; j < p->mem_count; j++) {
			if (!mem_sane(&p->mems[j]))
				continue;
			items[n] = (struct ipa_item){ mk(p->mems[j].ipa, p->mems[j].size),
						      p->mems[j].path, "", "" };
			snprintf(items[n++].what, sizeof(items->what), "%s", p->mems[j].path);
		}
		for (j = 0; j < p->dev_count; j++) {
			if (!dev_sane(&p->devs[j]))
				continue;
			items[n] = (struct ipa_item){ mk(p->devs[j].ipa, p->devs[j].size),
						      p->devs[j].path, "", "" };
			snprintf(items[n++].what, sizeof(items->what), "%s", p->devs[j].path);
		}
		for (j = 0; j < s->chan_count; j++) {
			const struct channel *c = &s->chans[j];

			for (k = 0; k < c->end_count; k++) {
				const struct end *e = &c->ends[k];

				if (!chan_sane(c) || !e->ok || !e->resolved || e->part != i ||
				    !within(mk(e->ipa, c->size), TCFG_IPA_LIMIT))
					continue;
				items[n] =
					(struct ipa_item){ mk(e->ipa, c->size), e->path, "", "" };
				snprintf(items[n++].what, sizeof(items->what), "%s", e->path);
				if (!e->has_gpio ||
				    !within(mk(e->gpio_ipa, TCFG_EMUL_PAGE), TCFG_IPA_LIMIT))
					continue;
				items[n] = (struct ipa_item){
					mk(e->gpio_ipa, TCFG_EMUL_PAGE), e->path,
					"the doorbell GPIO page (doorbell-pl061) at ", ""
				};
				snprintf(items[n++].what, sizeof(items->what),
					 "the doorbell GPIO page (doorbell-pl061) of %s", e->path);
			}
		}
		for (j = 0; j < n; j++)
			for (k = 0; k < j; k++)
				if (ranges_overlap(items[j].r, items[k].r))
					tcfg_error(items[j].path, "%sIPA %s overlaps %s %s",
						   items[j].self, fmt_range(items[j].r).s,
						   items[k].what, fmt_range(items[k].r).s);
	}
	free(items);
}

/* ---- rule: CPUs ---- */

static void check_cpus(const struct system *s, const struct board *b)
{
	const struct partition *owner[CFG_CPU_MAX] = { NULL };
	u32 i, j;

	for (i = 0; i < s->part_count; i++) {
		const struct partition *p = &s->parts[i];

		for (j = 0; j < p->cpu_count; j++) {
			u32 cpu = p->cpus[j];

			if (cpu >= b->cpu_count)
				tcfg_error(p->path,
					   "CPU %u is not on the board (it has CPUs 0..%u)", cpu,
					   b->cpu_count - 1);
			else if (owner[cpu] == p)
				tcfg_error(p->path, "CPU %u is listed twice", cpu);
			else if (owner[cpu])
				tcfg_error(p->path, "CPU %u is already assigned to %s", cpu,
					   owner[cpu]->path);
			else
				owner[cpu] = p;
		}
	}
}

/* ---- rule: interrupts ---- */

struct virq {
	u32 intid;
	const char *path;
	char what[TCFG_PATH_MAX + 32];
};

static bool spi_ok(const char *path, const char *what, u32 intid)
{
	if (intid < TCFG_SPI_BASE || intid >= TCFG_INTID_LIMIT) {
		tcfg_error(path, "%s %u must be an SPI (INTID 32..1019)", what, intid);
		return false;
	}
	return true;
}

static void check_virqs(const struct system *s, const struct partition *p, u32 pi, struct virq *v)
{
	u32 n = 0, j, k;

	if (p->ok && spi_ok(p->path, "uart-irq", p->uart_irq)) {
		v[n] = (struct virq){ p->uart_irq, p->path, "" };
		snprintf(v[n++].what, sizeof(v->what), "uart-irq of %s", p->path);
	}
	for (j = 0; j < p->dev_count; j++) {
		const struct device *d = &p->devs[j];

		for (k = 0; d->ok && k < d->irq_count; k++) {
			v[n] = (struct virq){ d->irqs[k], d->path, "" };
			snprintf(v[n++].what, sizeof(v->what), "irqs of %s", d->path);
		}
	}
	for (j = 0; j < s->chan_count; j++) {
		for (k = 0; k < s->chans[j].end_count; k++) {
			const struct end *e = &s->chans[j].ends[k];

			if (!e->ok || !e->resolved || e->part != pi)
				continue;
			v[n] = (struct virq){ e->doorbell_irq, e->path, "" };
			snprintf(v[n++].what, sizeof(v->what), "doorbell-irq of %s", e->path);
		}
	}
	for (j = 0; j < n; j++)
		for (k = 0; k < j; k++)
			/* (One device listing it twice is check_irqs' "listed twice".) */
			if (v[j].intid == v[k].intid && v[j].path != v[k].path)
				tcfg_error(v[j].path, "INTID %u is used twice in %s: also %s",
					   v[j].intid, p->path, v[k].what);
}

static void check_irqs(const struct system *s, const struct board *b)
{
	const char **owner = tcfg_alloc(TCFG_INTID_LIMIT * sizeof(*owner));
	struct virq *v;
	u32 i, j, k, max = 0;

	/* Physical: passthrough interrupts. */
	for (i = 0; i < s->part_count; i++) {
		const struct partition *p = &s->parts[i];
		u32 n = 1;

		for (j = 0; j < p->dev_count; j++) {
			const struct device *d = &p->devs[j];

			n += d->irq_count;
			for (k = 0; d->ok && k < d->irq_count; k++) {
				u32 intid = d->irqs[k];

				if (intid < TCFG_SPI_BASE)
					tcfg_error(d->path,
						   "INTID %u is not an SPI (passthrough "
						   "takes INTIDs 32 and up)",
						   intid);
				else if (intid >= b->irq_count)
					tcfg_error(d->path,
						   "INTID %u is beyond the board's %u "
						   "interrupts",
						   intid, b->irq_count);
				else if (intid >= TCFG_INTID_LIMIT)
					tcfg_error(d->path,
						   "INTID %u is special (GICv2 3.2.5: 1020-1023 "
						   "are no interrupt's)",
						   intid);
				else if (b->reserved_irq[intid])
					tcfg_error(d->path,
						   "INTID %u is reserved by the hypervisor "
						   "(board reserved-interrupts)",
						   intid);
				else if (owner[intid] == d->path)
					tcfg_error(d->path, "INTID %u is listed twice in irqs",
						   intid);
				else if (owner[intid])
					tcfg_error(d->path, "INTID %u is already assigned to %s",
						   intid, owner[intid]);
				else
					owner[intid] = d->path;
			}
		}
		max = MAX(max, n);
	}
	/* Virtual: doorbells are SPIs; no INTID twice inside a partition. */
	for (i = 0; i < s->chan_count; i++)
		for (k = 0; k < s->chans[i].end_count; k++)
			if (s->chans[i].ends[k].ok)
				spi_ok(s->chans[i].ends[k].path, "doorbell-irq",
				       s->chans[i].ends[k].doorbell_irq);
	v = tcfg_alloc((max + 2 * s->chan_count) * sizeof(*v));
	for (i = 0; i < s->part_count; i++)
		check_virqs(s, &s->parts[i], i, v);
	free(v);
	free(owner);
}

/* ---- rule: channels ---- */

static void check_channels(struct system *s)
{
	u32 i, j, k;

	for (i = 0; i < s->chan_count; i++) {
		struct channel *c = &s->chans[i];

		for (k = 0; k < c->end_count; k++) {
			struct end *e = &c->ends[k];

			if (!e->ok)
				continue;
			for (j = 0; j < s->part_count; j++)
				if (s->parts[j].label && !strcmp(s->parts[j].label, e->partition))
					break;
			if (j == s->part_count) {
				tcfg_error(e->path, "partition \"%s\" does not exist",
					   e->partition);
				continue;
			}
			e->part = j;
			e->resolved = true;
			/*
			 * The emulated PL061 exists so that Linux user space, which cannot
			 * make hypercalls, can ring and wait: a guest that can call
			 * DOORBELL_RING has no use for it.
			 */
			if (e->has_gpio && !s->parts[j].kernel.name)
				tcfg_error(e->path,
					   "doorbell-pl061 is for a Linux partition (one with "
					   "\"kernel\"), and \"%s\" has none: its guest rings "
					   "with DOORBELL_RING",
					   e->partition);
		}
		if (c->end_count == 2 && c->ends[0].resolved && c->ends[1].resolved &&
		    c->ends[0].part == c->ends[1].part)
			tcfg_error(c->path,
				   "both ends are in partition \"%s\": a channel joins two "
				   "partitions",
				   c->ends[0].partition);
	}
}

/* ---- rule: entry, device tree placement, images ---- */

static const struct memory *mem_at(const struct partition *p, u64 ipa)
{
	u32 i;

	for (i = 0; i < p->mem_count; i++) {
		const struct memory *m = &p->mems[i];

		if (mem_sane(m) && ipa >= m->ipa && ipa - m->ipa < m->size)
			return m;
	}
	return NULL;
}

static void check_entry_dtb(const struct partition *p)
{
	const struct memory *m;
	u32 i;

	if (!p->ok)
		return;
	for (i = 0; i < p->mem_count && mem_sane(&p->mems[i]); i++)
		;
	if (i < p->mem_count)
		return; /* a memory region is already reported */
	if (p->has_dtb_ipa && !mem_at(p, p->dtb_ipa))
		tcfg_error(p->path, "dtb-ipa 0x%llx is not inside a memory region of the partition",
			   (unsigned long long)p->dtb_ipa);
	if (!p->has_entry)
		return; /* a kernel partition whose kernel could not be placed: reported */
	m = mem_at(p, p->entry);
	if (!m)
		tcfg_error(p->path, "entry 0x%llx is not inside a memory region of the partition",
			   (unsigned long long)p->entry);
	else if (!(m->access & CFG_ACCESS_X))
		tcfg_error(p->path, "entry 0x%llx is in %s, which is not executable (access %s)",
			   (unsigned long long)p->entry, m->path, access_str(m->access));
	/* No image anywhere: it would run the zeros of its cleared RAM, without a word. */
	for (i = 0; i < p->mem_count && !p->mems[i].image; i++)
		;
	if (m && i == p->mem_count && !p->kernel.name)
		tcfg_warn(p->path,
			  "loads no image (no memory@N has \"image\", no \"kernel\"): it "
			  "starts at 0x%llx in cleared RAM",
			  (unsigned long long)p->entry);
}

bool image_find(const char *path, const char *name, const struct options *o, char **file, u64 *size)
{
	char full[PATH_MAX + 1];
	struct stat st;

	if (!o->images_dir) {
		tcfg_error(path, "image \"%s\" given but no --images directory", name);
		return false;
	}
	snprintf(full, sizeof(full), "%s/%s", o->images_dir, name);
	if (stat(full, &st) != 0) {
		tcfg_error(path, "image \"%s\" not found in %s (%s)", name, o->images_dir,
			   strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode) || st.st_size == 0 || (u64)st.st_size > UINT32_MAX) {
		tcfg_error(path, "image \"%s\" is not a regular file of 1 byte to 4 GiB", name);
		return false;
	}
	*size = (u64)st.st_size;
	*file = realpath(full, NULL);
	if (!*file) {
		tcfg_error(path, "image \"%s\": %s", name, strerror(errno));
		return false;
	}
	return true;
}

static void check_image(struct memory *m, const struct options *o)
{
	if (!m->ok || !m->image)
		return;
	if (!image_find(m->path, m->image, o, &m->image_file, &m->image_size))
		return;
	if (m->image_offset >= m->size || m->image_size > m->size - m->image_offset)
		tcfg_error(m->path,
			   "image \"%s\" (0x%llx bytes) at offset 0x%llx does not fit "
			   "the region (0x%llx bytes)",
			   m->image, (unsigned long long)m->image_size,
			   (unsigned long long)m->image_offset, (unsigned long long)m->size);
}

/* ---- rule: the image store ---- */

/* Report 'path' [r) if it overlaps the store. */
static void store_overlap(const struct system *s, const char *path, struct range r)
{
	/* The board's window (its store_path names the board's file): say how to move it. */
	bool board = strcmp(s->store_path, "/image-store") != 0;

	if (ranges_overlap(r, s->store))
		tcfg_error(path, "%s overlaps the image store %s (%s%s)", fmt_range(r).s,
			   fmt_range(s->store).s, s->store_path,
			   board ? ", the board's window: an image-store node in the system "
				   "moves it, docs/configuration.md" :
				   "");
}

/*
 * The store index of image 'file' (named 'name' in node 'path'), of 'size' bytes: a file
 * already stored is stored once; a new one goes at *at, with its SHA-256.
 */
static u32 store_add(struct system *s, const char *path, const char *name, const char *file,
		     u64 size, u64 *at)
{
	u32 j;

	for (j = 0; j < s->image_file_count; j++)
		if (!strcmp(s->image_files[j], file))
			return j;
	s->image_chunks[j] = tcfg_alloc((size_t)tcfg_chunk_count(size) * SHA256_SIZE);
	if (!tcfg_image_digest(file, size, s->image_sha256[j], s->image_chunks[j])) {
		tcfg_error(path, "image \"%s\" cannot be read whole", name);
		return j;
	}
	s->image_files[j] = file;
	s->image_sizes[j] = size;
	s->image_store_pa[j] = *at;
	*at += ALIGN_UP(size, TCFG_PAGE_SIZE);
	s->image_file_count++;
	return j;
}

/*
 * Each distinct image file once, packed from the window's base at 4 KiB
 * boundaries, with its SHA-256, which the hypervisor checks the copy against.
 * Only the hypervisor maps the store: it lies in the board's RAM, inside its
 * window, and no partition memory, channel, device or the hypervisor's own
 * region overlaps it, so a restart copies from memory no partition can write.
 */
static void check_store(struct system *s, const struct board *b)
{
	struct range w = s->store_window;
	u32 i, k, n = 0;
	u64 at;

	for (i = 0; i < s->part_count; i++)
		n += s->parts[i].mem_count + 2; /* + kernel and initrd */
	s->image_files = tcfg_alloc(n * sizeof(*s->image_files));
	s->image_sizes = tcfg_alloc(n * sizeof(*s->image_sizes));
	s->image_store_pa = tcfg_alloc(n * sizeof(*s->image_store_pa));
	s->image_sha256 = tcfg_alloc(n * sizeof(*s->image_sha256));
	s->image_chunks = tcfg_alloc(n * sizeof(*s->image_chunks));
	at = w.base;
	for (i = 0; i < s->part_count; i++) {
		struct partition *p = &s->parts[i];

		for (k = 0; k < p->mem_count; k++) {
			struct memory *m = &p->mems[k];

			if (m->image_file)
				m->image_sym = store_add(s, m->path, m->image, m->image_file,
							 m->image_size, &at);
		}
		if (p->kernel.file)
			p->kernel.sym = store_add(s, p->path, p->kernel.name, p->kernel.file,
						  p->kernel.size, &at);
		if (p->initrd.file)
			p->initrd.sym = store_add(s, p->path, p->initrd.name, p->initrd.file,
						  p->initrd.size, &at);
	}
	s->store = mk(w.base, at - w.base);
	if (!s->image_file_count)
		return;
	if (!IS_ALIGNED(w.base | w.size, TCFG_PAGE_SIZE)) {
		tcfg_error(s->store_path, "[0x%08llx, +0x%llx) is not 4 KiB aligned",
			   (unsigned long long)w.base, (unsigned long long)w.size);
		return;
	}
	if (s->store.size > w.size || !within(s->store, TCFG_PA_LIMIT)) {
		tcfg_error(s->store_path,
			   "the guest images (0x%llx bytes, each from a 4 KiB boundary) do not "
			   "fit the image store %s",
			   (unsigned long long)s->store.size, fmt_range(w).s);
		return;
	}
	for (i = 0; i < b->ram_count && !range_inside(s->store, b->ram[i]); i++)
		;
	if (i == b->ram_count)
		tcfg_error(s->store_path, "the image store %s is outside the board's RAM %s",
			   fmt_range(s->store).s, fmt_ram(b));
	if (ranges_overlap(s->store, b->hyp))
		tcfg_error(s->store_path,
			   "the image store %s overlaps the hypervisor's reserved region %s",
			   fmt_range(s->store).s, fmt_range(b->hyp).s);
	for (i = 0; i < s->part_count; i++) {
		const struct partition *p = &s->parts[i];

		for (k = 0; k < p->mem_count; k++)
			if (mem_sane(&p->mems[k]))
				store_overlap(s, p->mems[k].path,
					      mk(p->mems[k].pa, p->mems[k].size));
		for (k = 0; k < p->dev_count; k++)
			if (dev_sane(&p->devs[k]))
				store_overlap(s, p->devs[k].path,
					      mk(p->devs[k].pa, p->devs[k].size));
	}
	for (i = 0; i < s->chan_count; i++)
		if (chan_sane(&s->chans[i]))
			store_overlap(s, s->chans[i].path, mk(s->chans[i].pa, s->chans[i].size));
}

/* ---- rule: DMA masters need IPA == PA ---- */

/*
 * A bus master passed through is programmed by the guest with guest physical addresses
 * (IPAs) and, with no IOMMU (SMMU) in front of it, uses them as physical addresses: it
 * reads and writes the right memory only if each RAM region of its partition is mapped at
 * IPA == PA, and it could reach any other memory anyway: passing one through trusts the
 * partition with the whole bus.
 */
static void check_dma(const struct partition *p)
{
	u32 i, j;

	for (i = 0; i < p->dev_count; i++) {
		const struct device *d = &p->devs[i];

		if (!d->ok || !d->dma_master)
			continue;
		for (j = 0; j < p->mem_count; j++) {
			const struct memory *m = &p->mems[j];

			if (!m->ok || m->ipa == m->pa)
				continue;
			tcfg_error(d->path,
				   "a DMA master (%s) needs its partition's RAM at IPA == PA "
				   "(the device uses guest addresses as physical ones, there is "
				   "no IOMMU), but %s is at IPA 0x%08llx, PA 0x%08llx: set "
				   "identity-map in %s",
				   d->compatible ? d->compatible : "dma-master", m->path,
				   (unsigned long long)m->ipa, (unsigned long long)m->pa, p->path);
		}
	}
}

/* One partition a manages entry names: by phandle (cells) or by label (strings). */
static int managed_index(const struct system *s, const u8 *v, u32 len, bool strings)
{
	u32 i, ph = strings ? 0 : (u32)v[0] << 24 | (u32)v[1] << 16 | (u32)v[2] << 8 | v[3];

	for (i = 0; i < s->part_count; i++) {
		const struct partition *q = &s->parts[i];

		if (strings ? q->label && strlen(q->label) == len && !memcmp(q->label, v, len) :
			      q->phandle && q->phandle == ph)
			return (int)i;
	}
	return -1;
}

/*
 * manages = <&a &b> or "a", "b": resolved to a mask of partition indices.  A value that is
 * NUL-terminated printable text is labels; anything else must be whole phandle cells (a
 * phandle's first byte is 0 below 2^24, so it never reads as text).
 */
static void check_manages(struct system *s)
{
	u32 i, at, e;

	for (i = 0; i < s->part_count; i++) {
		struct partition *p = &s->parts[i];
		const u8 *v = p->manages;
		bool strings = p->manages_len && v[0] && !v[p->manages_len - 1];

		for (at = 0; strings && at < p->manages_len; at++)
			strings = v[at] == 0 || (v[at] >= 0x20 && v[at] < 0x7f);
		if (v && !strings && (p->manages_len == 0 || p->manages_len % 4)) {
			tcfg_error(p->path, "manages must be phandles (<&label ...>) or labels");
			continue;
		}
		for (at = 0, e = 0; v && at < p->manages_len; e++) {
			u32 len = strings ? (u32)strlen((const char *)v + at) : 4;
			int m = managed_index(s, v + at, len, strings);

			if (m < 0 && strings)
				tcfg_error(p->path, "manages names no partition (entry %u, \"%s\")",
					   e, (const char *)v + at);
			else if (m < 0)
				tcfg_error(
					p->path,
					"manages names no partition (entry %u, phandle %u: not a "
					"labelled partition node; <&label> or \"label\")",
					e,
					(u32)v[at] << 24 | (u32)v[at + 1] << 16 |
						(u32)v[at + 2] << 8 | v[at + 3]);
			else if ((u32)m == i)
				tcfg_error(p->path,
					   "a partition cannot manage itself (PSCI "
					   "SYSTEM_RESET restarts it, within reset-limit)");
			else if (m >= 32)
				tcfg_error(p->path,
					   "manages %s: only partitions 0-31 can be managed",
					   s->parts[m].path);
			else
				p->manages_mask |= 1U << m;
			at += strings ? len + 1 : 4;
		}
	}
}

void check_system(struct system *s, const struct board *b, const struct options *o)
{
	u32 i, j;

	check_root(s, b, o);
	check_channels(s); /* resolves ends to partitions, used below */
	check_alignment(s, b);
	check_phys(s, b);
	check_ipa(s, b);
	check_cpus(s, b);
	check_irqs(s, b);
	check_manages(s);
	for (i = 0; i < s->part_count; i++) {
		for (j = 0; j < s->parts[i].mem_count; j++)
			check_image(&s->parts[i].mems[j], o);
		check_dma(&s->parts[i]);
		linux_place(&s->parts[i], o); /* sets entry from the kernel */
		check_entry_dtb(&s->parts[i]);
	}
	check_store(s, b);
}
