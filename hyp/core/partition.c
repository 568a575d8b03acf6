/*
 * Partitions: built from the configuration at boot, started, stopped and
 * restarted without a host OS.
 *
 * A partition runs while at least one of its vCPUs is ON.  Stopping one
 * asks each of its CPUs to park its vCPU (cpu_request); the CPU that parks
 * the last one finishes the job: the partition's passthrough interrupts are
 * silenced and, for a restart, its RAM is cleared, its images reloaded from
 * the pristine copies in the image store, a fresh VMID taken and its boot
 * vCPU started at the entry point.  Nothing waits on another CPU.
 *
 * The image store (cfg_system.store_pa) is memory only the hypervisor maps:
 * tcfg refuses a configuration in which any partition, channel or device
 * overlaps it.  So its copies are checked against their SHA-256 once, at
 * boot just before the partition's first start (partition_boot, on the
 * partition's own boot CPU, all partitions in parallel), not at every start:
 * a restart copies from memory no guest can have written since (only a bus
 * master a partition owns could: docs/threat-model.md), and a large image is
 * not hashed again on the restart path.
 *
 * Locking: p->lock protects state, vcpus_on, restart bookkeeping and each
 * vCPU's power/start fields.
 */
#include <string.h>

#include "abi/hypercall.h"
#include "abi/smccc.h"
#include "arch/sysreg.h"
#include "config_gen.h"
#include "hyp/core/cpu.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/vgpio.h"
#include "mm/mm.h"
#include "platform/uart.h"
#include "tessera/sha256.h"
#include "vgic/vgic.h"

struct partition partitions[CFG_PARTITION_COUNT];
struct vgpio vgpios[CFG_GPIO_COUNT ? CFG_GPIO_COUNT : 1];

/*
 * The doorbell's measured path (make bench) ends here in a tail call to vgic_raise(), two
 * instructions fewer a ring than a call and return: kept although this file is built
 * without sibling calls (the Makefile's COLD_OPT).
 */
#ifndef __clang__ /* (GCC's attribute; the host fuzzers are built with clang) */
__attribute__((optimize("optimize-sibling-calls")))
#endif
void partition_ring(const struct cfg_endpoint *e)
{
	/* A peer end with a doorbell GPIO interrupts only if its line's interrupt is enabled. */
	if (!e->peer_gpio || vgpio_ring(&vgpios[e->peer_gpio - 1]))
		vgic_raise(&partitions[e->peer].vgic, e->peer_irq);
}
static struct vcpu vcpu_storage[PLAT_CPU_COUNT];
/*
 * The vCPU of a CPU, its address opaque to the compiler, so its fields are reached from it at
 * small offsets (Thumb-2's 16-bit stores), not from the anchor of this file's statics at 396
 * and more (32-bit encodings): code size only.
 */
static struct vcpu *vcpu_of_cpu(u32 cpu)
{
	struct vcpu *v = &vcpu_storage[cpu];

	HIDE_VALUE(v);
	return v;
}

static bool all_started; /* partitions_init() has asked for every first start it could */
static u32 powered_off; /* power_off_if_all_down() has tried, once a boot (partitions_init) */
_Static_assert(PART_STOPPED == 0 && VCPU_OFF == 0, "partitions and vCPUs start so: zeroed");

static void *pa_ptr(u64 pa)
{
	/* The hypervisor maps RAM 1:1; tcfg refuses a board whose RAM reaches beyond 4 GiB. */
	return (void *)(uintptr_t)pa;
}

/*
 * A long job on this CPU, interrupts masked, must not hold up a VMID generation change on
 * others, nor, on the CPU the console UART interrupts (console_server), lose what is typed meanwhile
 * or hold up the other sources' lines (the UART's interrupt follows the source whose line is
 * next, and that may be this partition's or a hypervisor line this CPU wrote):
 * a UART's receive FIFO holds a few milliseconds of input, clearing a Linux partition's RAM
 * takes about a hundred on a board, copying its images and cleaning its RAM by VA some tens.
 * So a load calls this after every PARTITION_LOAD_CHUNK bytes it clears, copies or cleans.
 */
static void serve_flush_requests(void)
{
	struct cpu *c = this_cpu();

	if (__atomic_load_n(&c->requests, __ATOMIC_ACQUIRE) & CPU_REQ_TLB_FLUSH) {
		__atomic_fetch_and(&c->requests, ~CPU_REQ_TLB_FLUSH, __ATOMIC_ACQ_REL);
		vmid_handle_flush_request(&vmid_allocator, c->index);
	}
	if (c->index == console_server())
		console_irq();
	else if (!UART_HAS_TX_IRQ) /* a UART_BAUD build: it may be the CPU that drains */
		(void)console_poll();
}

/* What a load does to a range of RAM (pa_ptr()), a chunk at a time (range_chunked()). */
enum range_op {
	RANGE_ZERO_VFP, /* zeroed with the VFP registers (mem_zero_vfp's rule) */
	RANGE_ZERO,
	RANGE_COPY, /* copied from 'from' */
	RANGE_CLEAN, /* cleaned and invalidated to the point of coherency by VA */
};

/*
 * 'op' on the 'left' bytes at 'at' (from 'from'), serving this CPU's requests after each chunk;
 * the addresses are RAM's, below 4 GiB (pa_ptr()).
 */
static __attribute__((noinline)) void range_chunked(enum range_op op, uintptr_t at, uintptr_t from,
						    size_t left)
{
	size_t n;

	for (; left; at += n, from += n, left -= n) {
		n = MIN((size_t)PARTITION_LOAD_CHUNK, left);
		if (op == RANGE_ZERO_VFP)
			mem_zero_vfp((void *)at, n);
		else if (op == RANGE_ZERO)
			mem_zero((void *)at, n);
		else if (op == RANGE_COPY)
			memcpy((void *)at, (const void *)from, n);
		else
			dcache_clean_inval_range(at, at + n);
		serve_flush_requests();
	}
}

/*
 * Fresh memory for a (re)start: RAM cleared, images and the device tree copied in, what the
 * guest may see with its MMU and caches off (B2.2.7) in memory; each vCPU drops stale
 * instructions from its own CPU's I-cache as it starts (guest_arch_reset).
 *
 * A restart goes through the Hyp map's write-back view and cleans and invalidates the RAM to
 * the point of coherency by VA after (B2.2.6: by VA reaches every CPU's caches, where the
 * guest's last run may have left lines; invalidated too, for the guest starts with its caches
 * off and its stores would go past a valid line that later hides them, A3.5.7).  The first load (boot) finds its cleared RAM still Normal
 * non-cacheable in the Hyp map (boot/mmu.c), so its stores go to memory and nothing needs
 * cleaning: no cache holds a line of that RAM, for no translation regime mapped it
 * cacheable since the boot loader handed over (U-Boot cleans and invalidates its data
 * caches to the point of coherency, every level, and turns them off before it enters an
 * image: docs/bench.md, Boot), and speculative accesses bring lines in only through a
 * cacheable mapping (B2.2.2).  Then that RAM turns write-back (hyp_map_cacheable, break
 * before make) with no line of it in any cache, as A3.5.7 asks of a change of attributes,
 * so the guest sees memory as written with its caches off or on.  'vfp': clear with the
 * VFP registers (mem_zero_vfp), on a CPU of the partition's.
 */
static void load_memory(struct partition *p, const struct cfg_partition *cfg, bool vfp)
{
	bool first = !p->ram_wb;
	const struct cfg_range *c = cfg->clears;
	const struct cfg_image *im = cfg->images;
	const struct cfg_region *r = cfg->regions;
	u32 n; /* (the tables walked by count: COLD_OPT would reload an end pointer each pass) */

	/* The cleared regions but the images' whole lines, which the copy overwrites (tcfg). */
	for (n = cfg->clear_count; n--; c++)
		range_chunked(vfp ? RANGE_ZERO_VFP : RANGE_ZERO, (uintptr_t)c->pa, 0,
			      (size_t)c->size);
	for (n = cfg->image_count; n--; im++)
		range_chunked(RANGE_COPY, (uintptr_t)im->pa, (uintptr_t)im->store_pa, im->size);
	memcpy(pa_ptr(cfg->dtb_pa), cfg->dtb, cfg->dtb_size);
	dsb(); /* non-cacheable stores complete (outer shareable: the full system's DSB) */
	for (n = cfg->region_count; n--; r++) {
		if (r->kind != CFG_REGION_RAM)
			continue;
		/* RAM its starts clear: Normal non-cacheable in the Hyp map until its first load. */
		if (first && (r->flags & CFG_REGION_CLEAR))
			hyp_map_cacheable(r->pa, r->size);
		else
			range_chunked(RANGE_CLEAN, (uintptr_t)r->pa, 0, (size_t)r->size);
	}
	p->ram_wb = true;
	/*
	 * (The cleans and hyp_map_cacheable end with a DSB.)  No ICIALLUIS or BPIALLIS here: they
	 * would empty every CPU's I-cache and predictors, the other partitions' too, at each
	 * restart.  Only this partition's CPUs can hold lines of its RAM (the Hyp map has it
	 * execute-never), and each drops them as its vCPU starts (guest_arch_reset).
	 */
}

/*
 * The store's files, checked in chunks at boot (struct cfg_image): chunks checked so far, and
 * whether one did not match.  Each partition started at boot checks its share of the chunks
 * of every file it loads, then waits for the rest: the CPUs of all partitions that load a
 * file hash it at once, a partition starts once every chunk of its files is checked.
 */
static struct {
	u32 checked;
	u32 bad;
} store_files[CFG_STORE_FILE_COUNT ? CFG_STORE_FILE_COUNT : 1];

/* Bit n: partitions_init() asked partition n's boot CPU for its first start. */
static u32 boot_mask;
_Static_assert(CFG_PARTITION_COUNT <= 32, "boot_mask and cfg_image.loaders hold a bit each");

/* Send the boot CPU of each partition in 'mask' to partition_boot(). */
static __attribute__((noinline)) void request_boot(u32 mask)
{
	u32 k;

	for (k = 0; k < CFG_PARTITION_COUNT; k++)
		if (mask & BIT(k))
			cpu_request(cfg_system.partitions[k].cpus[0], CPU_REQ_PART_BOOT);
}

/*
 * Hash this partition's share of each file it loads (each file once): its rank's equal
 * share among the partitions started at boot that load it (tcfg's cfg_image.loaders).  The
 * CPU that checks a file's last chunk sends each of them back to partition_boot().
 */
static void check_share(const struct cfg_partition *cfg)
{
	u8 digest[SHA256_SIZE], diff;
	u32 k, c, end, n, rank, sharers, left;
	const struct cfg_image *im = cfg->images;

	for (left = cfg->image_count; left--; im++) {
		if (im->repeat)
			continue; /* a file loaded twice: its share is done */
		sharers = im->loaders & boot_mask;
		for (n = 0, rank = 0, k = sharers; k; k &= k - 1, n++) /* a set bit each pass */
			rank += (k & -k) < BIT(cfg->id);
		n = MAX(n, 1U); /* (partition cfg->id is one of them) */
		end = im->chunk_count * (rank + 1) / n;
		for (c = im->chunk_count * rank / n; c < end; c++) {
			u32 at = c * im->chunk_size;

			/* A sixteenth of a file (7 MiB of a 112 MiB store): paused to serve. */
			sha256_paused(pa_ptr(im->store_pa + at), MIN(im->size - at, im->chunk_size),
				      digest, PARTITION_HASH_STEP, serve_flush_requests);
			for (diff = 0, k = SHA256_SIZE; k--;) /* (last byte first: an OR) */
				diff |= digest[k] ^
					im->chunk_sha256[c][k]; /* (memcmp: 100 bytes more) */
			if (diff)
				__atomic_store_n(&store_files[im->file].bad, 1, __ATOMIC_RELAXED);
			serve_flush_requests(); /* between chunks, as range_chunked() does */
			if (__atomic_add_fetch(&store_files[im->file].checked, 1,
					       __ATOMIC_ACQ_REL) != im->chunk_count)
				continue;
			request_boot(sharers);
		}
	}
}

/*
 * Is every chunk of the partition's files checked (by it or by the others that load them)?
 * Not inline: `make bench` watches its first call, when the partition's share is done
 * (tools/bench.py, the board estimate).
 */
static __attribute__((noinline)) bool images_checked(const struct cfg_partition *cfg)
{
	const struct cfg_image *im = cfg->images;
	u32 n;

	for (n = cfg->image_count; n--; im++)
		if (__atomic_load_n(&store_files[im->file].checked, __ATOMIC_ACQUIRE) <
		    im->chunk_count)
			return false;
	return true;
}

/* Once they are all checked: do they match?  Says which image does not. */
static bool images_intact(const struct cfg_partition *cfg)
{
	const struct cfg_image *im = cfg->images;
	u32 n;

	for (n = cfg->image_count; n--; im++) {
		if (__atomic_load_n(&store_files[im->file].bad, __ATOMIC_RELAXED)) {
			/* The boot loader's last write (bootm's device tree) is the usual cause. */
			log_error(
				"%s: image %s (%u bytes at 0x%08llx in the image "
				"store) does not match its SHA-256: not starting it (written over "
				"after it was loaded? U-Boot's bootm copies its device tree below "
				"fdt_high last)",
				cfg->tag, im->name, im->size, im->store_pa);
			return false;
		}
	}
	return true;
}

static bool stop_unlock(struct partition *p, u32 state, bool restart);

void partition_boot(struct partition *p)
{
	if (__atomic_load_n(&p->images_verdict, __ATOMIC_ACQUIRE) != IMAGES_PENDING)
		return; /* checked already: restarts come through partition_start() */
	if (!p->share_checked) {
		u32 cpu = this_cpu()->index;

		p->share_checked = true;
		/*
		 * Long work with interrupts masked, a chunk between looks at its requests (up to a
		 * sixteenth of an image file), while partitions with smaller images may already run
		 * and restart: like a load (partition_start), it takes no part in VMID rollovers.
		 */
		vmid_cpu_offline(&vmid_allocator, cpu);
		check_share(p->cfg);
		vmid_cpu_online(&vmid_allocator, cpu);
	}
	if (!images_checked(p->cfg))
		return; /* file_checked() sends this CPU back here */
	/*
	 * Halted for good when bad, so that nothing can start it later unchecked; a start asked
	 * for while it was checked is dropped with it (it would show "restarting" for ever).
	 */
	if (!images_intact(p->cfg)) {
		spin_lock(&p->lock);
		p->cannot_run = true;
		(void)stop_unlock(p, PART_HALTED, false); /* (no vCPU is on: it never ran) */
		__atomic_store_n(&p->images_verdict, IMAGES_BAD, __ATOMIC_RELEASE);
		return;
	}
	__atomic_store_n(&p->images_verdict, IMAGES_OK, __ATOMIC_RELEASE);
	partition_start(p);
}

void partition_start(struct partition *p)
{
	const struct cfg_partition *cfg = p->cfg;
	struct vcpu *v0;
	const struct vcpu *v;
	const struct cfg_endpoint *e;
	u32 run, i, cpu = this_cpu()->index, vmid;
	u64 generation;

	spin_lock(&p->lock);
	/* A vCPU on, a load or the last park under way: not now (a restart waits for them). */
	if (p->vcpus_on || p->loading || p->parking) {
		spin_unlock(&p->lock);
		return;
	}
	/*
	 * Every caller brings a start that was asked for (the first one, partitions_init; a
	 * restart; CPU_REQ_PART_START).  A stop since (partition_stop clears restart_pending)
	 * is the last word: it stays stopped, as a stop while it loads leaves it (below).
	 */
	if (!p->restart_pending && p->state == PART_STOPPED) {
		spin_unlock(&p->lock);
		log_info("%s: stopped", cfg->tag);
		return;
	}
	/* Never a partition whose images were not found intact (a manager's start included). */
	if (p->state == PART_HALTED || p->images_verdict != IMAGES_OK) {
		spin_unlock(&p->lock);
		return;
	}
	p->loading = true;
	p->entries_told = 0;
	p->restart_pending = false;
	p->switched_off = false;
	spin_unlock(&p->lock);

	/*
	 * Clearing and reloading RAM is long work with interrupts masked: while
	 * it lasts this CPU takes no part in VMID generation changes, so no CPU
	 * entering its guest waits for this one's flush; it flushes for what it
	 * missed when it comes back (vmid_cpu_online), and the request below
	 * sends it through the entry path's VMID check before its own guest runs
	 * again.  Nothing here enters a guest.
	 */
	vmid_cpu_offline(&vmid_allocator, cpu);
	/*
	 * On a CPU of its own the VFP registers are the partition's, and its next run starts
	 * from their reset state (vcpu_start: vfp_reset): its RAM is cleared with them.
	 */
	v = this_cpu()->vcpu;
	load_memory(p, cfg, v && v->part == p);
	vuart_init(p);
	/* (Counted: a partition without channels has no endpoint table, NULL, never stepped.) */
	for (i = cfg->endpoint_count, e = cfg->endpoints; i--; e++)
		if (e->gpio)
			vgpio_reset(&vgpios[e->gpio - 1]);
	vgic_dist_init(&p->vgic, cfg, p->vgics);
	vmid_cpu_online(&vmid_allocator, cpu);
	vmid_assign(&vmid_allocator, &p->vmid, cpu);
	cpu_request(cpu, CPU_REQ_TLB_FLUSH);

	spin_lock(&p->lock);
	p->loading = false;
	if (p->stop_after_load) { /* stopped while it loaded: it stays stopped */
		p->stop_after_load = false;
		spin_unlock(&p->lock);
		log_info("%s: stopped", cfg->tag);
		return;
	}
	p->state = PART_RUNNING;
	run = ++p->starts;
	p->started_at = timer_now();
	p->watchdog_deadline = ~0ULL; /* armed by the run's first kick */
	v0 = p->vcpus[0];
	v0->power = VCPU_ON;
	v0->start_pending = true;
	v0->start_pc = (u32)cfg->entry;
	v0->start_r0 = 0;
	v0->start_r1 = ~0U; /* no machine type: the device tree describes the machine */
	v0->start_r2 = (u32)cfg->dtb_ipa;
	p->vcpus_on = 1;
	vmid = p->vmid.id;
	generation = p->vmid.generation;
	spin_unlock(&p->lock);
	log_info("%s: start %u, VMID %u generation %llu, entry 0x%08x, "
		 "device tree at 0x%08x; stage-2 pool: %u of %u tables used",
		 cfg->tag, run, vmid, generation, (u32)cfg->entry, (u32)cfg->dtb_ipa,
		 s2_pool_used(), s2_pool_size());
	cpu_request(v0->cpu, CPU_REQ_VCPU_START);
}

/* Take p->lock if p is running: true, held; false, not held. */
static bool lock_running(struct partition *p)
{
	spin_lock(&p->lock);
	if (p->state == PART_RUNNING)
		return true;
	spin_unlock(&p->lock);
	return false;
}

/*
 * p->lock held, released: p becomes 'state' (not running), a restart pending or not, and
 * each of its vCPUs that is ON is asked to park.  Returns whether none was ON.
 */
static bool stop_unlock(struct partition *p, u32 state, bool restart)
{
	bool idle = p->vcpus_on == 0;
	u32 i = p->cfg->cpu_count;

	p->state = state;
	p->restart_pending = restart;
	while (i--) /* (last first: the requests' order is no matter) */
		if (p->vcpus[i]->power == VCPU_ON)
			cpu_request(p->vcpus[i]->cpu, CPU_REQ_VCPU_STOP);
	spin_unlock(&p->lock);
	return idle;
}

/*
 * A stop wins over a restart under way: with its vCPUs still parking the last one finishes
 * it as a stop, and with its RAM loading it stays stopped once loaded.
 */
void partition_stop(struct partition *p, const char *why)
{
	spin_lock(&p->lock);
	if (p->state == PART_RUNNING) {
		stop_unlock(p, PART_STOPPED, false);
	} else {
		bool pending = p->restart_pending || p->loading;

		/*
		 * (Not pending: restart_pending stays false, and so does stop_after_load, set only
		 * while it loads and cleared with loading, partition_start.)
		 */
		p->restart_pending = false;
		p->stop_after_load = p->loading;
		spin_unlock(&p->lock);
		if (!pending)
			return;
	}
	log_info("%s: stopping (%s)", p->cfg->tag, why);
}

/*
 * Begin a restart; p->lock held, released.  Its callers hold it since they found p neither
 * halted nor restarting nor loading (a load under way is a fresh start already):
 * restart_bounded found it running, which none of these is while running (partition_start
 * makes it running as its load ends, with a vCPU on), partition_command tests them.
 */
static void restart_unlock(struct partition *p, const char *why)
{
	bool idle, running = p->state == PART_RUNNING;

	idle = stop_unlock(p, PART_STOPPED, true);
	log_info("%s: %s (%s)", p->cfg->tag, running ? "restarting" : "starting", why);
	/*
	 * No vCPU on to finish it (a stopped partition started by the operator or a manager):
	 * its own boot CPU clears and loads it, never the caller's, whose partition would wait.
	 */
	if (idle)
		cpu_request(p->vcpus[0]->cpu, CPU_REQ_PART_START);
}

/* How many of the history's restarts lie within 'window_ms' of 'now'. */
static __attribute__((noinline)) u32 recent_locked(const struct restart_history *h, u32 window_ms,
						   u64 now)
{
	u64 window = timer_ms_to_ticks(window_ms);
	u32 i = MIN(h->count, (u32)RESTART_HISTORY), recent = 0;

	while (i--)
		if (now - h->at[i] <= window)
			recent++;
	return recent;
}

/* One more within the bound ('max' within 'window_ms')?  Then it is counted, now. */
static bool credit_locked(struct restart_history *h, u32 max, u32 window_ms)
{
	u64 now = timer_now();

	if (recent_locked(h, window_ms, now) >= max)
		return false;
	h->at[h->count++ % RESTART_HISTORY] = now;
	return true;
}

/*
 * A restart of one kind within its bound: 'kind' 0, a fault restart (at most restart_max
 * within restart_window_ms, history p->restarts), or 1, a SYSTEM_RESET the guest asked for
 * (reset_max within reset_window_ms, p->resets).  Only a running partition counts one:
 * faults on several vCPUs at once, or a fault after a SYSTEM_RESET, are one event, one
 * credit.  Past the bound p stays stopped for good and says so, once.
 */
static void restart_bounded(struct partition *p, u32 kind)
{
	/* The restart's reason, logged; the bound's name less "-limit" (and its plural, +"s"). */
	static const char *const words[2][2] = { { "fault policy", "restart" },
						 { "PSCI SYSTEM_RESET", "reset" } };
	const struct cfg_partition *cfg = p->cfg;
	const char *const *word = words[kind];
	u32 max = kind ? cfg->reset_max : cfg->restart_max;
	u32 window_ms = kind ? cfg->reset_window_ms : cfg->restart_window_ms;
	struct restart_history *h = kind ? &p->resets : &p->restarts;

	if (!lock_running(p))
		return;
	if (credit_locked(h, max, window_ms)) {
		/* No longer running: later faults count nothing. */
		restart_unlock(p, word[0]);
		return;
	}
	stop_unlock(p, PART_HALTED, false);
	log_warn("%s: %u %ss within %u ms: %s limit reached, staying stopped", cfg->tag, max,
		 word[1], window_ms, word[1]);
}

/*
 * Restart for a contained fault, at most restart_max times within
 * restart_window_ms; past that the partition stays stopped and says so.
 */
void partition_fault_restart(struct partition *p)
{
	restart_bounded(p, 0);
}

/*
 * A restart the guest asked for (PSCI SYSTEM_RESET), at most reset_max times
 * within reset_window_ms: each takes a fresh VMID and clears the partition's
 * RAM, so an unbounded loop would be work the hypervisor does for one guest
 * without end.  Past the bound the partition stays stopped and says so.
 */
void partition_reset(struct partition *p)
{
	restart_bounded(p, 1);
}

_Static_assert(PART_STOPPED == TESSERA_STATE_STOPPED && PART_RUNNING == TESSERA_STATE_RUNNING &&
		       PART_HALTED == TESSERA_STATE_HALTED,
	       "partition states are reported as they are kept");

void partition_info(struct partition *p, struct partition_info *out)
{
	const struct cfg_partition *cfg = p->cfg;
	u64 now = timer_now();
	u32 recent;

	spin_lock(&p->lock);
	out->state = p->restart_pending || p->loading	     ? TESSERA_STATE_RESTARTING :
		     p->state != PART_RUNNING && p->vcpus_on ? TESSERA_STATE_STOPPING :
							       p->state;
	out->starts = p->starts;
	out->faults = p->faults;
	out->uptime_ms = p->state == PART_RUNNING ? timer_ticks_to_ms(now - p->started_at) : 0;
	recent = recent_locked(&p->restarts, cfg->restart_window_ms, now);
	out->restarts_left = cfg->restart_max > recent ? cfg->restart_max - recent : 0;
	spin_unlock(&p->lock);
}

s32 partition_command(struct partition *p, u32 op, const char *who, const struct partition *manager)
{
	if (op == TESSERA_PARTITION_STOP) {
		partition_stop(p, who);
		return TESSERA_OK;
	}
	spin_lock(&p->lock);
	/* Nothing to run, or no CPU to load it: it would be "restarting" for ever. */
	if (p->cannot_run) {
		spin_unlock(&p->lock);
		return TESSERA_DENIED;
	}
	if ((op == TESSERA_PARTITION_START && p->state == PART_RUNNING) || p->restart_pending ||
	    p->loading) {
		/* The last word is a start: a stop asked for while it loads is off. */
		p->stop_after_load = false;
		spin_unlock(&p->lock); /* nothing to do: nothing counted */
		return TESSERA_OK;
	}
	/*
	 * Each start clears and reloads p's RAM and takes a fresh VMID (a rollover on every CPU
	 * every 2^VMID_BITS - 2 of them), so a manager's are bounded like p's own SYSTEM_RESETs,
	 * in a history a start never clears: a halt-start loop is bounded too.  The operator is not.
	 */
	if (CFG_MANAGER_COUNT && manager) { /* a constant 0 where no partition manages */
		const struct cfg_partition *cfg = p->cfg;

		if (!credit_locked(&p->commands, cfg->reset_max, cfg->reset_window_ms)) {
			bool told = p->busy_told;

			p->busy_told = true;
			spin_unlock(&p->lock);
			if (!told)
				log_warn("%s: %s of %s refused: %u within %u ms (its "
					 "reset-limit; said once)",
					 manager->cfg->tag,
					 op == TESSERA_PARTITION_START ? "start" : "restart",
					 cfg->tag, cfg->reset_max, cfg->reset_window_ms);
			return TESSERA_BUSY;
		}
		p->busy_told = false;
	}
	if (p->state == PART_HALTED) {
		/* Someone with the right looked at it: its own bounds start afresh. */
		p->state = PART_STOPPED;
		p->restarts.count = 0;
		p->resets.count = 0;
	}
	/* A start of a partition still stopping waits for its last vCPU, like a restart. */
	restart_unlock(p, who);
	return TESSERA_OK;
}

/*
 * The watchdog: each kick moves the deadline timeout_ms on and makes sure this CPU's Hyp
 * timer fires by then.  The Hyp timer is a physical interrupt routed to Hyp mode (HCR.IMO),
 * taken whatever the guest's CPSR.I says (ARM ARM B1.8.2), so a vCPU that masks interrupts
 * and spins is caught on its own CPU: hyp_timer_expired() asks partition_watchdog_check().
 */
#if CFG_WATCHDOG_COUNT /* else partition.h's stand-ins */
s32 partition_watchdog_kick(struct partition *p)
{
	u32 ms = p->cfg->watchdog_ms;
	u64 deadline;

	if (!ms)
		return TESSERA_NOT_SUPPORTED;
	deadline = timer_now() + timer_ms_to_ticks(ms);
	if (__atomic_exchange_n(&p->watchdog_deadline, deadline, __ATOMIC_RELAXED) == ~0ULL) {
		/*
		 * Armed now: the partition's other vCPUs may have entered their guest before,
		 * with no deadline in their Hyp timers, and one of them may be the one that
		 * hangs.  Each watches from its next return to the guest (at once: a kick).  This
		 * CPU's own is asked too, with no test for it: its request (cpu_request sends this
		 * CPU no kick) sets the deadline the call below sets.
		 */
		u32 i;

		for (i = 0; i < p->cfg->cpu_count; i++)
			cpu_request(p->vcpus[i]->cpu, CPU_REQ_WATCHDOG);
	}
	hyp_timer_wake_at(deadline);
	return (s32)ms;
}

u64 partition_watchdog_check(struct partition *p, u64 now)
{
	const struct cfg_partition *cfg = p->cfg;
	u64 deadline = __atomic_load_n(&p->watchdog_deadline, __ATOMIC_RELAXED);

	/*
	 * Not yet (~0 while not armed); or another CPU of the partition took it, or a kick moved
	 * it meanwhile and wins: the compare-exchange that fails reads the deadline now set.
	 */
	if (now < deadline ||
	    !__atomic_compare_exchange_n(&p->watchdog_deadline, &deadline, ~0ULL, false,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return deadline;
	spin_lock(&p->lock);
	p->faults++;
	p->last_fault = "watchdog";
	spin_unlock(&p->lock);
	log_warn("%s: watchdog: no kick for %u ms (timeout %u ms)", cfg->tag,
		 timer_ticks_to_ms(now - deadline) + cfg->watchdog_ms, cfg->watchdog_ms);
	if (fault_policy_is(cfg, CFG_FAULT_RESTART))
		partition_fault_restart(p);
	else
		partition_stop(p, "watchdog"); /* "inject" too: there is no access to abort */
	return ~0ULL;
}
#endif

/*
 * Every partition has switched itself off (PSCI SYSTEM_OFF) and none is restarting:
 * report the counters and switch the machine off.  Once, from whichever CPU parked the
 * last vCPU.  A partition stopped or halted by its fault policy keeps the machine up: the
 * others may still need the board, and the partition can be looked at and started again.
 */
static void power_off_if_all_down(void)
{
	u32 i;

	if (!__atomic_load_n(&all_started, __ATOMIC_ACQUIRE))
		return;
	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct partition *q = &partitions[i];

		/* Unlocked: a partition that starts after this look parks later and looks again. */
		if (__atomic_load_n(&q->state, __ATOMIC_RELAXED) == PART_RUNNING ||
		    !__atomic_load_n(&q->switched_off, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&q->restart_pending, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&q->loading, __ATOMIC_RELAXED))
			return;
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* those loads acquire, once, for what follows */
	if (__atomic_exchange_n(&powered_off, 1U, __ATOMIC_ACQ_REL))
		return;
	log_info("every partition has switched itself off: switching the machine off");
	stats_report();
	console_flush();
	firmware_system_off();
	log_warn("PSCI SYSTEM_OFF returned: the hypervisor stays up");
}

/* The last vCPU of p has parked (called by the CPU that parked it). */
void partition_vcpu_parked(struct partition *p)
{
	bool restart;

	vgic_dist_stop(&p->vgic);
	/*
	 * What its vCPUs left unfinished (a device-order partition's one line), before a start
	 * wipes it.
	 */
	(void)vuart_flush_stale(p, 0);
	spin_lock(&p->lock);
	p->parking = false;
	restart = p->restart_pending;
	spin_unlock(&p->lock);
	if (restart) {
		partition_start(p);
	} else {
		log_info("%s: stopped", p->cfg->tag);
		power_off_if_all_down();
	}
}

s32 partition_vcpu_on(struct partition *p, u32 index, u32 pc, u32 context)
{
	struct vcpu *v;

	if (!lock_running(p))
		return PSCI_E_INTERNAL_FAILURE; /* stopping (DENIED is no CPU_ON code: DEN 0022D 5.1.4) */
	v = p->vcpus[index];
	if (v->power == VCPU_ON) {
		spin_unlock(&p->lock);
		return v->start_pending ? PSCI_E_ON_PENDING : PSCI_E_ALREADY_ON;
	}
	v->power = VCPU_ON;
	v->start_pending = true;
	v->start_pc = pc;
	v->start_r0 = context;
	v->start_r1 = 0;
	v->start_r2 = 0;
	p->vcpus_on++;
	spin_unlock(&p->lock);
	cpu_request(v->cpu, CPU_REQ_VCPU_START);
	return PSCI_SUCCESS;
}

void partitions_init(void)
{
	u32 i, j, mask = 0; /* boot_mask's bits, set once every partition is built */

	/* From nothing, also after a host harness's reset (tests/fuzz/fuzz_sys.c). */
	memset(store_files, 0, sizeof(store_files));

	/* A description for another board is refused at build time (tcfg, check.c). */
	for (i = 0; i < cfg_system.partition_count; i++) {
		struct partition *p = &partitions[i];
		const struct cfg_partition *cfg = &cfg_system.partitions[i];
		enum pt_err err;
		u32 offline = PLAT_CPU_COUNT; /* the first of its CPUs not online, if any */

		p->cfg = cfg;
		p->gicd_hpfar = cfg->gicd_hpfar;
		p->uart_hpfar = cfg->uart_hpfar;
		p->vmid.owner = i;
		err = s2_build(&p->s2, s2_pool(), cfg);
		if (err != PT_OK)
			panic("%s: stage-2 tables: error %d", cfg->tag, err);
		/*
		 * Each CPU is the board's and one partition's at most: tcfg refuses any other
		 * description (check.c, check_cpus; platform.h's PLAT_CPU_COUNT is the board's,
		 * config.c asserts).  A vCPU starts OFF (0: static storage).
		 */
		for (j = 0; j < cfg->cpu_count; j++) {
			u32 cpu = cfg->cpus[j];
			struct vcpu *v = vcpu_of_cpu(cpu);
			struct cpu *c = &cpus[cpu];

			v->part = p;
			v->index = j;
			v->cpu = cpu;
			p->vcpus[j] = v;
			p->vgics[j] = &v->vgic;
			/* Released: the CPU's idle loop reads it (and v->part through it) unasked. */
			__atomic_store_n(&c->vcpu, v, __ATOMIC_RELEASE);
			if (offline == PLAT_CPU_COUNT && !c->online)
				offline = cpu;
		}
		log_info("%s: %u vCPU(s) on cpus %s, %u regions, stage-2 root 0x%08llx, %u tables",
			 cfg->tag, cfg->cpu_count, cfg->cpu_list, cfg->region_count, p->s2.root_pa,
			 p->s2.table_count);
		/* cannot_run and restart_pending are zero till now (static storage). */
		if (offline < PLAT_CPU_COUNT) {
			p->cannot_run = true;
			log_error("%s: cpu%u is not online, not started", cfg->tag, offline);
		} else {
			mask |= BIT(i);
			p->restart_pending = true; /* its first start is asked for */
		}
	}
	for (i = 0; i < cfg_system.channel_count; i++) {
		uintptr_t start = (uintptr_t)cfg_system.channels[i].pa; /* RAM: below 4 GiB */

		range_chunked(RANGE_ZERO, start, 0, (size_t)cfg_system.channels[i].size);
		/*
		 * Cleared through the Hyp map, which is write-back: the zeros go to memory and
		 * the lines leave the caches, for the ends stage 2 maps non-cacheable (a PL061
		 * end): there a dirty line would hide the zeros, and its eviction later would
		 * overwrite what the partitions wrote (ARM ARM A3.5.7, mismatched attributes).
		 */
		dcache_clean_inval_range(start, start + (uintptr_t)cfg_system.channels[i].size);
	}
	console_set_input(cfg_system.console_partition);
	/*
	 * Each partition's boot CPU checks its images and loads it (partition_boot), all at
	 * once: a board does that work in parallel, each CPU on its own memory.  This CPU's
	 * own partition, if it boots one, is its idle loop's first request.
	 */
	boot_mask = mask; /* before the first partition_boot (cpu_request: release) */
	request_boot(mask);
	powered_off = 0; /* a host test's system boots again in one process */
	__atomic_store_n(&all_started, true, __ATOMIC_RELEASE);
	power_off_if_all_down(); /* every partition may have stopped already */
}
