/*
 * What the hypervisor needs beyond the description itself, derived from a
 * valid configuration: each partition's stage-2 mappings (memory, devices,
 * channels, the GICV), its channel endpoints, the INTIDs its virtual
 * distributor reports, and how many stage-2 tables it takes, counted by
 * building them with the hypervisor's own builder (mm/pt.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../../mm/pt.h"
#include "tcfg.h"

/* ---- stage-2 table count ---- */

/*
 * Tables live in host memory but the builder stores 40-bit "physical"
 * addresses in descriptors, so each table gets a fake address: its index.
 */
struct host_alloc {
	struct pt_alloc ops;
	pte_t **tables;
	u32 count;
	u32 cap;
};

static pte_t *host_alloc_table(struct pt_alloc *self, u64 *pa)
{
	struct host_alloc *h = (struct host_alloc *)self;

	if (h->count == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		h->tables = realloc(h->tables, h->cap * sizeof(*h->tables));
		if (!h->tables) {
			fprintf(stderr, "tcfg: out of memory\n");
			exit(1);
		}
	}
	h->tables[h->count] = tcfg_alloc(LPAE_ENTRIES * sizeof(pte_t));
	*pa = (u64)(h->count + 1) << LPAE_PAGE_SHIFT;
	return h->tables[h->count++];
}

static pte_t *host_table(struct pt_alloc *self, u64 pa)
{
	struct host_alloc *h = (struct host_alloc *)self;

	return h->tables[(pa >> LPAE_PAGE_SHIFT) - 1];
}

static u32 count_s2_tables(const struct partition *p)
{
	struct host_alloc h = { { host_alloc_table, host_table }, NULL, 0, 0 };
	struct pt pt;
	u32 i, count;

	if (pt_init(&pt, &h.ops) != PT_OK)
		tcfg_error(p->path, "stage 2: cannot allocate the root table");
	for (i = 0; i < p->map_count; i++) {
		const struct cfg_region *r = &p->maps[i].cfg;
		enum pt_err err =
			pt_map(&pt, r->ipa, r->pa, r->size, pt_s2_attrs(r->kind, r->access));

		if (err != PT_OK)
			tcfg_error(p->path, "stage 2: mapping %s failed (pt_map error %d)",
				   p->maps[i].what, (int)err);
	}
	count = pt.table_count;
	for (i = 0; i < h.count; i++)
		free(h.tables[i]);
	free(h.tables);
	return count;
}

/* ---- mappings and endpoints ---- */

static void add_map(struct partition *p, u64 pa, u64 ipa, u64 size, u32 access, u32 kind, u32 flags,
		    const char *what)
{
	struct mapping *m = &p->maps[p->map_count++];

	m->cfg = (struct cfg_region){ pa, ipa, size, access, kind, flags };
	snprintf(m->what, sizeof(m->what), "%s", what);
}

static void layout_partition(struct partition *p, const struct system *s, const struct board *b)
{
	u32 i, k, max_intid = 2 * TCFG_SPI_BASE - 1;

	p->maps = tcfg_alloc((p->mem_count + p->dev_count + s->chan_count + 1) * sizeof(*p->maps));
	p->endpoints = tcfg_alloc(s->chan_count * sizeof(*p->endpoints));
	for (i = 0; i < p->mem_count; i++) {
		const struct memory *m = &p->mems[i];

		add_map(p, m->pa, m->ipa, m->size, m->access, CFG_REGION_RAM, CFG_REGION_CLEAR,
			m->path);
	}
	for (i = 0; i < p->dev_count; i++) {
		const struct device *d = &p->devs[i];

		/* Devices are read-write and never executable (pt_s2_attrs sets XN). */
		add_map(p, d->pa, d->ipa, d->size, CFG_ACCESS_R | CFG_ACCESS_W, CFG_REGION_DEVICE,
			0, d->path);
		for (k = 0; k < d->irq_count; k++)
			max_intid = MAX(max_intid, d->irqs[k]);
	}
	for (i = 0; i < s->chan_count; i++) {
		const struct channel *c = &s->chans[i];

		for (k = 0; k < 2; k++) {
			const struct end *e = &c->ends[k], *peer = &c->ends[1 - k];

			if (e->part != p->id)
				continue;
			add_map(p, c->pa, e->ipa, c->size, e->access, CFG_REGION_SHARED, 0,
				e->path);
			p->endpoints[p->endpoint_count++] = (struct cfg_endpoint){
				.channel = i,
				.peer = peer->part,
				.irq = (u16)e->doorbell_irq,
				.peer_irq = (u16)peer->doorbell_irq,
				.ipa = e->ipa,
				.size = c->size,
				.access = e->access,
			};
			max_intid = MAX(max_intid, e->doorbell_irq);
		}
	}
	add_map(p, b->gicv.base, p->gicc_ipa, b->gicv.size, CFG_ACCESS_R | CFG_ACCESS_W,
		CFG_REGION_GICV, 0, "GICV (gicc-ipa)");
	max_intid = MAX(max_intid, p->uart_irq);
	/* GICD_TYPER reports INTIDs in multiples of 32 (GICv2 4.3.2). */
	p->virq_count = (max_intid / 32 + 1) * 32;
	p->s2_table_count = count_s2_tables(p);
}

/* Number the distinct image files: each is linked into the hypervisor once. */
static void layout_images(struct system *s)
{
	u32 i, k, j, n = 0;

	for (i = 0; i < s->part_count; i++)
		n += s->parts[i].mem_count;
	s->image_files = tcfg_alloc(n * sizeof(*s->image_files));
	s->image_sizes = tcfg_alloc(n * sizeof(*s->image_sizes));
	for (i = 0; i < s->part_count; i++) {
		for (k = 0; k < s->parts[i].mem_count; k++) {
			struct memory *m = &s->parts[i].mems[k];

			if (!m->image)
				continue;
			for (j = 0; j < s->image_file_count; j++)
				if (!strcmp(s->image_files[j], m->image_file))
					break;
			if (j == s->image_file_count) {
				s->image_files[j] = m->image_file;
				s->image_sizes[j] = m->image_size;
				s->image_file_count++;
			}
			m->image_sym = j;
		}
	}
}

void layout_system(struct system *s, const struct board *b)
{
	u32 i;

	layout_images(s);
	for (i = 0; i < s->part_count; i++)
		layout_partition(&s->parts[i], s, b);
}
