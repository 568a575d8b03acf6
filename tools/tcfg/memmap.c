/*
 * tcfg --memory-map: who owns each range of the physical address space, for
 * a valid configuration.  One line per range, sorted by address: the
 * hypervisor's RAM and devices, each partition's RAM and passthrough devices,
 * the channels, and the free RAM between them.  'access' is what the
 * owning partitions' stage 2 grants ("---": no partition maps it).
 */
#include <stdlib.h>
#include <string.h>

#include "tcfg.h"

struct entry {
	struct range r;
	char owner[40];
	char access[16];
	char what[TCFG_PATH_MAX + 224];
};

struct map {
	struct entry *e;
	u32 count;
	u32 cap;
};

static struct entry *add(struct map *m, struct range r, const char *owner, const char *access)
{
	struct entry *e;

	if (m->count == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 32;
		m->e = realloc(m->e, m->cap * sizeof(*m->e));
		if (!m->e) {
			fprintf(stderr, "tcfg: out of memory\n");
			exit(1);
		}
	}
	e = &m->e[m->count++];
	memset(e, 0, sizeof(*e));
	e->r = r;
	snprintf(e->owner, sizeof(e->owner), "%s", owner);
	snprintf(e->access, sizeof(e->access), "%s", access);
	return e;
}

static const char *rights(u32 access)
{
	static char s[4];

	s[0] = access & CFG_ACCESS_R ? 'r' : '-';
	s[1] = access & CFG_ACCESS_W ? 'w' : '-';
	s[2] = access & CFG_ACCESS_X ? 'x' : '-';
	s[3] = '\0';
	return s;
}

/* "32 MiB", "64 KiB", "1536 KiB": the largest binary unit that divides the size. */
static const char *human(u64 size, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	u32 u = 0;

	while (u + 1 < ARRAY_SIZE(units) && size && size % 1024 == 0) {
		size /= 1024;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)size, units[u]);
	return buf;
}

static int by_base(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->r.base < y->r.base ? -1 : x->r.base > y->r.base;
}

static void add_board(struct map *m, const struct board *b)
{
	snprintf(add(m, b->hyp, "hypervisor", "---")->what, sizeof(m->e->what),
		 "hypervisor image, stacks, tables, device trees");
	snprintf(add(m, b->gicd, "hypervisor", "---")->what, sizeof(m->e->what),
		 "GIC distributor (emulated for partitions at gicd-ipa)");
	snprintf(add(m, b->gicc, "hypervisor", "---")->what, sizeof(m->e->what),
		 "GIC CPU interface");
	snprintf(add(m, b->gich, "hypervisor", "---")->what, sizeof(m->e->what),
		 "GIC hypervisor interface");
	snprintf(add(m, b->gicv, "every partition", "rw-")->what, sizeof(m->e->what),
		 "GIC virtual CPU interface (each partition's GICC, at gicc-ipa)");
	snprintf(add(m, b->uart, "hypervisor", "---")->what, sizeof(m->e->what),
		 "console UART, IRQ %u (emulated for partitions at uart-ipa)", b->uart_irq);
	for (u32 i = 0; i < b->reserved_count; i++)
		snprintf(add(m, b->reserved[i].r, "reserved", "---")->what, sizeof(m->e->what),
			 "%s (board /reserved-mmio: no partition)", b->reserved[i].name);
}

/* The image store: "image store: a.bin at +0x0, b.bin at +0x5000" (cut short if long). */
static void add_store(struct map *m, const struct system *s)
{
	struct entry *e;
	u32 i;
	int n;

	if (!s->store.size)
		return;
	e = add(m, s->store, "hypervisor", "---");
	n = snprintf(e->what, sizeof(e->what), "image store:");
	for (i = 0; i < s->image_file_count && n > 0 && (size_t)n < sizeof(e->what); i++) {
		const char *name = strrchr(s->image_files[i], '/');

		n += snprintf(e->what + n, sizeof(e->what) - (size_t)n, "%s %s at +0x%llx",
			      i ? "," : "", name ? name + 1 : s->image_files[i],
			      (unsigned long long)(s->image_store_pa[i] - s->store.base));
	}
}

static void add_partition(struct map *m, const struct partition *p)
{
	u32 i, k;
	int n;

	for (i = 0; i < p->mem_count; i++) {
		const struct memory *mem = &p->mems[i];
		struct entry *e =
			add(m, (struct range){ mem->pa, mem->size }, p->label, rights(mem->access));

		n = snprintf(e->what, sizeof(e->what), "RAM %s at IPA 0x%08llx", mem->path,
			     (unsigned long long)mem->ipa);
		if (mem->image && n > 0 && (size_t)n < sizeof(e->what))
			n += snprintf(e->what + n, sizeof(e->what) - (size_t)n,
				      ", image %s at +0x%llx", mem->image,
				      (unsigned long long)mem->image_offset);
		if (p->kernel.name && p->kernel.pa >= mem->pa &&
		    p->kernel.pa - mem->pa < mem->size && n > 0 && (size_t)n < sizeof(e->what))
			n += snprintf(e->what + n, sizeof(e->what) - (size_t)n,
				      ", kernel %s at +0x%llx", p->kernel.name,
				      (unsigned long long)(p->kernel.pa - mem->pa));
		if (p->initrd.name && p->initrd.pa >= mem->pa &&
		    p->initrd.pa - mem->pa < mem->size && n > 0 && (size_t)n < sizeof(e->what))
			n += snprintf(e->what + n, sizeof(e->what) - (size_t)n,
				      ", initrd %s at +0x%llx", p->initrd.name,
				      (unsigned long long)(p->initrd.pa - mem->pa));
		if (p->dtb_pa >= mem->pa && p->dtb_pa - mem->pa < mem->size && n > 0 &&
		    (size_t)n < sizeof(e->what))
			snprintf(e->what + n, sizeof(e->what) - (size_t)n,
				 ", device tree at +0x%llx",
				 (unsigned long long)(p->dtb_pa - mem->pa));
	}
	for (i = 0; i < p->dev_count; i++) {
		const struct device *d = &p->devs[i];
		struct entry *e = add(m, (struct range){ d->pa, d->size }, p->label, "rw-");

		n = snprintf(e->what, sizeof(e->what), "device %s%s%s at IPA 0x%08llx", d->path,
			     d->compatible ? " " : "", d->compatible ? d->compatible : "",
			     (unsigned long long)d->ipa);
		for (k = 0; k < d->irq_count && n > 0 && (size_t)n < sizeof(e->what); k++)
			n += snprintf(e->what + n, sizeof(e->what) - (size_t)n, "%s%u",
				      k ? ", " : ", INTID ", d->irqs[k]);
	}
}

static void add_channel(struct map *m, const struct channel *c, const struct system *s)
{
	const struct end *a = &c->ends[0], *b = &c->ends[1];
	char owner[40], access[16];
	struct entry *e;

	snprintf(owner, sizeof(owner), "%s, %s", s->parts[a->part].label, s->parts[b->part].label);
	snprintf(access, sizeof(access), "%s/", rights(a->access));
	snprintf(access + 4, sizeof(access) - 4, "%s", rights(b->access));
	e = add(m, (struct range){ c->pa, c->size }, owner, access);
	snprintf(e->what, sizeof(e->what),
		 "channel \"%s\" %s at IPA 0x%08llx / 0x%08llx, doorbells %u / %u", c->label,
		 c->path, (unsigned long long)a->ipa, (unsigned long long)b->ipa, a->doorbell_irq,
		 b->doorbell_irq);
}

/* Free RAM: the parts of the board's RAM no entry covers. */
static void add_free(struct map *m, const struct board *b)
{
	u32 i, k, used = m->count;

	qsort(m->e, m->count, sizeof(*m->e), by_base);
	for (i = 0; i < b->ram_count; i++) {
		u64 at = b->ram[i].base, end = range_end(b->ram[i]);

		for (k = 0; k < used && at < end; k++) {
			struct range r = m->e[k].r;

			if (range_end(r) <= at || r.base >= end)
				continue;
			if (r.base > at)
				snprintf(add(m, (struct range){ at, r.base - at }, "free", "---")
						 ->what,
					 sizeof(m->e->what), "RAM");
			at = MAX(at, range_end(r));
		}
		if (at < end)
			snprintf(add(m, (struct range){ at, end - at }, "free", "---")->what,
				 sizeof(m->e->what), "RAM");
	}
	qsort(m->e, m->count, sizeof(*m->e), by_base);
}

void memmap_print(FILE *f, const struct system *s, const struct board *b)
{
	struct map m = { NULL, 0, 0 };
	char size[24];
	u32 i;

	add_board(&m, b);
	add_store(&m, s);
	for (i = 0; i < s->part_count; i++)
		add_partition(&m, &s->parts[i]);
	for (i = 0; i < s->chan_count; i++)
		add_channel(&m, &s->chans[i], s);
	add_free(&m, b);

	fprintf(f, "Physical memory map of system \"%s\" on %s:\n", s->name, b->model);
	fprintf(f, "%-23s %10s  %-16s %-8s %s\n", "range", "size", "owner", "access", "use");
	for (i = 0; i < m.count; i++) {
		const struct entry *e = &m.e[i];

		fprintf(f, "0x%08llx-0x%08llx %10s  %-16s %-8s %s\n", (unsigned long long)e->r.base,
			(unsigned long long)(range_end(e->r) - 1),
			human(e->r.size, size, sizeof(size)), e->owner, e->access, e->what);
	}
	free(m.e);
}
