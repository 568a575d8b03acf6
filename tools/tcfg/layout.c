/*
 * What the hypervisor needs beyond the description itself, derived from a
 * valid configuration: each partition's stage-2 mappings (memory, devices,
 * channels, the GICV), its channel endpoints, the INTIDs its virtual
 * distributor reports, and how many stage-2 tables it takes.
 */
#include <stdlib.h>
#include <string.h>

#include "arch/lpae.h"
#include "tcfg.h"

/* ---- stage-2 table count ---- */

/*
 * The stage-2 builder (mm/pt.c, ARM ARM B3.6) maps each region with the
 * largest block its alignment allows: a 1 GiB level-1 slot that a region
 * fills with an output address aligned to 1 GiB is one block, any other slot
 * it touches needs a level-2 table; inside such a slot a 2 MiB slot likewise
 * needs a level-3 table unless it is one block.  Regions never overlap, so
 * the tables are the root plus the distinct slots counted here.  The host
 * test tests/config/check_tables.c builds the same mappings with the
 * hypervisor's own builder and checks that it takes exactly this many.
 */
#define L1_SPAN (1ULL << 30)
#define L2_SPAN (1ULL << 21)
#define L1_SLOTS 4U /* 32-bit IPA space */
#define L2_SLOTS (L1_SLOTS * 512U)

static bool fills_block(const struct cfg_region *r, u64 slot, u64 span)
{
	return r->ipa <= slot && r->ipa + r->size >= slot + span &&
	       (r->pa + (slot - r->ipa)) % span == 0;
}

static u32 count_s2_tables(const struct partition *p)
{
	static bool l2_table[L1_SLOTS], l3_table[L2_SLOTS];
	u32 i, count = 1; /* the root */

	memset(l2_table, 0, sizeof(l2_table));
	memset(l3_table, 0, sizeof(l3_table));
	for (i = 0; i < p->map_count; i++) {
		const struct cfg_region *r = &p->maps[i].cfg;
		u64 s, t, end = r->ipa + r->size;

		if (end > L1_SLOTS * L1_SPAN)
			tcfg_error(p->path, "stage 2: %s ends beyond the 32-bit IPA space",
				   p->maps[i].what);
		for (s = r->ipa & ~(L1_SPAN - 1); s < end; s += L1_SPAN) {
			if (fills_block(r, s, L1_SPAN))
				continue;
			if (!l2_table[s / L1_SPAN]) {
				l2_table[s / L1_SPAN] = true;
				count++;
			}
			for (t = s > (r->ipa & ~(L2_SPAN - 1)) ? s : r->ipa & ~(L2_SPAN - 1);
			     t < end && t < s + L1_SPAN; t += L2_SPAN) {
				if (fills_block(r, t, L2_SPAN) || l3_table[t / L2_SPAN])
					continue;
				l3_table[t / L2_SPAN] = true;
				count++;
			}
		}
	}
	return count;
}

/* ---- mappings and endpoints ---- */

static void add_map(struct partition *p, u64 pa, u64 ipa, u64 size, u32 access, u32 kind, u32 flags,
		    const char *what)
{
	struct mapping *m = &p->maps[p->map_count++];

	m->cfg = (struct cfg_region){
		pa, ipa, size, access, kind, flags, LPAE_S2_ATTRS(kind, access)
	};
	snprintf(m->what, sizeof(m->what), "%s", what);
}

/* 1 + the index of end k of channel ci among all ends with a doorbell GPIO; 0 if it has none. */
static u16 gpio_number(const struct system *s, u32 ci, u32 k)
{
	u32 i, j, n = 0;

	if (!s->chans[ci].ends[k].has_gpio)
		return 0;
	for (i = 0; i <= ci; i++)
		for (j = 0; j < 2 && (i < ci || j < k); j++)
			n += s->chans[i].ends[j].has_gpio;
	return (u16)(n + 1);
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
			/* A Linux end sees the memory Strongly-ordered: no cache on either side. */
			add_map(p, c->pa, e->ipa, c->size, e->access,
				e->has_gpio || peer->has_gpio ? CFG_REGION_SHARED_NC :
								CFG_REGION_SHARED,
				0, e->path);
			p->endpoints[p->endpoint_count++] = (struct cfg_endpoint){
				.channel = i,
				.peer = peer->part,
				.irq = (u16)e->doorbell_irq,
				.peer_irq = (u16)peer->doorbell_irq,
				.ipa = e->ipa,
				.size = c->size,
				.access = e->access,
				.gpio = gpio_number(s, i, k),
				.peer_gpio = gpio_number(s, i, 1 - k),
				.gpio_ipa = e->has_gpio ? e->gpio_ipa : 0,
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

void layout_system(struct system *s, const struct board *b)
{
	u32 i;

	for (i = 0; i < s->part_count; i++)
		layout_partition(&s->parts[i], s, b);
}
