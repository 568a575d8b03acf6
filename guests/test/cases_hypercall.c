/*
 * Test-guest case of the hypercall ABI (issue 6, docs/hypercalls.md): every
 * call with good arguments, and every pointer or length that leaves the
 * caller's memory refused with BAD_ADDRESS - never a fault.
 */
#include <stdio.h>
#include <string.h>

#include "testguest.h"

#define NOT_SUPPORTED (-1)
#define INVALID_PARAMETER (-2)
#define BAD_ADDRESS (-4)

static int32_t call(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return (int32_t)smccc_call(fid, a1, a2, a3).a0;
}

/*
 * A guest's LDREX, a trap to the hypervisor, then its STREX: the STREX must fail.  The
 * hypervisor's own exclusives (a failed try-lock leaves its monitor tagged) must never let a
 * guest's interrupted sequence store, so each return to a guest leaves the local monitor open
 * (ARM ARM A3.4.5); 'via_mmio' traps with a read of the emulated distributor, else with a
 * null SMCCC_VERSION call.  Returns STREX's status: 1 failed, 0 stored.
 */
static uint32_t strex_after_trap(bool via_mmio)
{
	static volatile uint32_t word;
	register uint32_t r0 __asm__("r0") = 0x80000000U; /* SMCCC_VERSION */
	uint32_t v, status;

	if (via_mmio)
		__asm__ volatile("ldrex %[v], [%[w]]\n\t"
				 "ldr %[s], [%[gicd], #4]\n\t" /* GICD_TYPER: trapped */
				 "strex %[s], %[v], [%[w]]"
				 : [v] "=&r"(v), [s] "=&r"(status)
				 : [w] "r"(&word), [gicd] "r"(0x08000000U)
				 : "memory");
	else
		__asm__ volatile("ldrex %[v], [%[w]]\n\t"
				 ".arch_extension virt\n\thvc #0\n\t"
				 "strex %[s], %[v], [%[w]]"
				 : [v] "=&r"(v), [s] "=&r"(status), "+r"(r0)
				 : [w] "r"(&word)
				 : "r1", "r2", "r3", "memory");
	return status;
}

void tg_hypercalls(void)
{
	static char name[32];
	struct tessera_channel ch;
	struct tessera_partition id;
	struct tg_fault f;
	uint32_t uid[4], major = 0, minor = 0;
	static const char msg[] = "TG hypercalls: written through CONSOLE_WRITE\n";
	int32_t r;

	tg_catch_faults();
	tg_fault_take();
	tg_check(tessera_smccc_version() == 0x10001, "hvc.smccc_version", "0x%x",
		 (unsigned)tessera_smccc_version());
	tg_check(tessera_smccc_arch_features(0x86000003U) == 0, "hvc.features.known",
		 "CONSOLE_WRITE not reported");
	tg_check(tessera_smccc_arch_features(0x860000ffU) == NOT_SUPPORTED, "hvc.features.unknown",
		 "an unknown call reported");
	tg_check(tessera_call_uid(uid) >= 0 && uid[0] == TESSERA_UID0 && uid[3] == TESSERA_UID3,
		 "hvc.uid", "UID %08x...", (unsigned)uid[0]);
	tg_check(tessera_revision(&major, &minor) >= 0 && major == 1, "hvc.revision", "%u.%u",
		 (unsigned)major, (unsigned)minor);
	tg_check(tessera_version() > 0, "hvc.version", "%d", (int)tessera_version());
	tg_check(tessera_partition_id(&id) == 1 && id.vcpu == 0 && id.vcpu_count == 1,
		 "hvc.partition_id", "id %u vcpu %u/%u", (unsigned)id.id, (unsigned)id.vcpu,
		 (unsigned)id.vcpu_count);
	r = tessera_partition_name(name, sizeof(name));
	tg_check(r == 6 && strcmp(name, "caller") == 0, "hvc.partition_name", "%d \"%s\"", (int)r,
		 name);
	tg_check(tessera_partition_name(name, 3) == INVALID_PARAMETER, "hvc.partition_name.short",
		 "a too-short buffer accepted");
	tg_check(tessera_console_write(msg, sizeof(msg) - 1) == (int32_t)(sizeof(msg) - 1),
		 "hvc.console_write", "refused");
	tg_check(tessera_yield() == 0, "hvc.yield", "refused");
	tg_check(tessera_channel_info(0, &ch) == 0 && ch.ipa == 0x50000000 && ch.size == 0x1000,
		 "hvc.channel_info", "ipa 0x%08x size 0x%x", (unsigned)ch.ipa, (unsigned)ch.size);
	tg_check(tessera_channel_info(1, &ch) == INVALID_PARAMETER, "hvc.channel_info.bad_index",
		 "index 1 accepted");
	tg_check(tessera_doorbell_ring(0) == 0, "hvc.doorbell", "refused");
	tg_check(tessera_doorbell_ring(7) == INVALID_PARAMETER, "hvc.doorbell.bad_index",
		 "index 7 accepted");
	tg_check(call(0x86000077U, 0, 0, 0) == NOT_SUPPORTED, "hvc.unknown", "answered");
	tg_check(call(0xc6000001U, 0, 0, 0) == NOT_SUPPORTED, "hvc.smc64", "answered");
	tg_check(strex_after_trap(false) == 1, "hvc.exclusive_cleared",
		 "a STREX across an HVC stored");
	tg_check(strex_after_trap(true) == 1, "mmio.exclusive_cleared",
		 "a STREX across a trapped GICD read stored");

	/* Bad pointers and lengths: refused, nothing printed, no fault anywhere. */
	{
		static const struct {
			const char *what;
			uint32_t va, len;
		} bad[] = {
			{ "null", 0, 16 },
			{ "hypervisor", 0x48000000, 16 },
			{ "other-partition", 0x54000000, 16 },
			{ "device", 0x09010000, 4 },
			{ "emulated-gicd", 0x08000000, 4 },
			{ "beyond-ram", 0x40fffff0, 64 },
			{ "wraps", 0xfffffff0, 64 },
			{ "too-long", 0x40000000, 4097 },
		};
		char check[64];
		size_t i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			r = call(0x86000003U, bad[i].va, bad[i].len, 0);
			snprintf(check, sizeof(check), "hvc.console_write.%s", bad[i].what);
			tg_check(r == BAD_ADDRESS || (r == INVALID_PARAMETER && bad[i].len > 4096),
				 check, "returned %d", (int)r);
			if (bad[i].va >= 0x40000000 && bad[i].va < 0x41000000)
				continue; /* the name is 7 bytes: those fit in RAM */
			r = call(0x86000002U, bad[i].va, 32, 0);
			snprintf(check, sizeof(check), "hvc.partition_name.%s", bad[i].what);
			tg_check(r == BAD_ADDRESS, check, "returned %d", (int)r);
		}
		/* The name must not run past the end of RAM, byte for byte. */
		r = call(0x86000002U, 0x40fffffc, 32, 0);
		tg_check(r == BAD_ADDRESS, "hvc.partition_name.end-of-ram", "returned %d", (int)r);
		/* A read-only channel mapping is not a buffer the hypervisor may write. */
		r = call(0x86000002U, 0x50000000, 32, 0);
		tg_check(r == BAD_ADDRESS, "hvc.partition_name.read-only", "returned %d", (int)r);
	}
	f = tg_fault_take();
	tg_check(f.count == 0, "hvc.no_fault", "%u faults", (unsigned)f.count);
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

/*
 * Doorbell rings that change nothing (issue 14 defect 5).  The ringer rings
 * channel 0's doorbell in a loop while the peer keeps it disabled, then
 * enabled but not acknowledged; the peer goes on with its own work and
 * checks the doorbell's state, then that single rings after its acknowledge
 * are still delivered.  Both share the channel page: the peer sets the phase,
 * the ringer counts its rings there.
 */
enum db_phase { DB_IDLE, DB_STORM, DB_QUIET, DB_END };

struct db_shared {
	volatile uint32_t phase;
	volatile uint32_t rings; /* by the ringer, in DB_STORM */
	volatile uint32_t req, done; /* single rings asked (peer) and made (ringer) */
	volatile uint32_t bad; /* rings refused */
};

static struct db_shared *db_page(void)
{
	struct tessera_channel ch = { 0 };

	if (tessera_channel_info(0, &ch) != 0)
		return NULL;
	return (struct db_shared *)(uintptr_t)ch.ipa;
}

void tg_ringer(void)
{
	struct db_shared *sh = db_page();
	uint32_t rings = 0;

	tg_check(sh != NULL, "ringer.channel", "no channel 0");
	if (!sh)
		guest_halt();
	while (sh->phase != DB_END) {
		if (sh->phase == DB_STORM) {
			if (tessera_doorbell_ring(0) != 0)
				sh->bad++;
			dmb_ish();
			sh->rings = ++rings;
		} else if (sh->req != sh->done) {
			uint32_t req = sh->req;

			dmb_ish();
			if (tessera_doorbell_ring(0) != 0)
				sh->bad++;
			sh->done = req;
		}
	}
	printf("TG ringer: %u rings in storms\n", (unsigned)rings);
	tg_check(sh->bad == 0, "ringer.rings", "%u rings refused", (unsigned)sh->bad);
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

static bool db_wait(volatile uint32_t *v, uint32_t at_least, uint32_t ms, uint32_t *work)
{
	uint64_t end = gtimer_virt_count() + gtimer_ns_to_count((uint64_t)ms * 1000000);

	while (*v < at_least && gtimer_virt_count() < end)
		(*work)++; /* the peer's own work goes on */
	return *v >= at_least;
}

/* Doorbells taken by polling within 'ms' (each completed at once). */
static uint32_t db_drain(uint32_t intid, uint32_t ms)
{
	uint64_t end = gtimer_virt_count() + gtimer_ns_to_count((uint64_t)ms * 1000000);
	uint32_t n = 0;

	do {
		uint32_t iar = gic_ack();

		if ((iar & GICC_IAR_INTID) >= GIC_INTID_MAX)
			continue;
		n += (iar & GICC_IAR_INTID) == intid;
		gic_eoi(iar);
	} while (gtimer_virt_count() < end);
	return n;
}

/* The doorbell taken (acknowledged, not completed) within 'ms': its IAR, or spurious. */
static uint32_t db_take(uint32_t intid, uint32_t ms)
{
	uint64_t end = gtimer_virt_count() + gtimer_ns_to_count((uint64_t)ms * 1000000);

	do {
		uint32_t iar = gic_ack();

		if ((iar & GICC_IAR_INTID) == intid)
			return iar;
		if ((iar & GICC_IAR_INTID) < GIC_INTID_MAX)
			gic_eoi(iar);
	} while (gtimer_virt_count() < end);
	return GIC_INTID_SPURIOUS;
}

/* One ring from the ringer, made before this returns. */
static bool db_ring_once(struct db_shared *sh)
{
	uint32_t work = 0, want = sh->req + 1;

	sh->req = want;
	return db_wait(&sh->done, want, 2000, &work);
}

void tg_doorbell(void)
{
	uint32_t storm = tg_arg_u32("rings", 20000), work = 0, intid, iar, n;
	struct db_shared *sh = db_page();
	struct tessera_channel ch = { 0 };
	bool ok;

	gic_init();
	gic_cpu_init();
	tessera_channel_info(0, &ch);
	intid = ch.intid;
	tg_check(sh != NULL, "doorbell.channel", "no channel 0");
	if (!sh)
		guest_halt();
	/* 1. Disabled: the rings leave it pending, the peer works on. */
	sh->phase = DB_STORM;
	ok = db_wait(&sh->rings, storm, 20000, &work);
	tg_check(ok, "doorbell.storm_disabled", "%u of %u rings, peer work %u", (unsigned)sh->rings,
		 (unsigned)storm, (unsigned)work);
	tg_check(gic_irq_is_pending(intid) && gic_ack() == GIC_INTID_SPURIOUS,
		 "doorbell.disabled_pending", "not pending, or delivered while disabled");
	/* 2. Enabled, not acknowledged (IRQs masked, nobody reads GICC_IAR): the same. */
	gic_irq_enable(intid);
	ok = db_wait(&sh->rings, sh->rings + storm, 20000, &work);
	tg_check(ok && gic_irq_is_pending(intid), "doorbell.storm_unacknowledged",
		 "%u rings, pending %d, peer work %u", (unsigned)sh->rings,
		 (int)gic_irq_is_pending(intid), (unsigned)work);
	iar = db_take(intid, 200);
	tg_check((iar & GICC_IAR_INTID) == intid, "doorbell.taken_after_storm", "IAR 0x%x",
		 (unsigned)iar);
	if ((iar & GICC_IAR_INTID) < GIC_INTID_MAX)
		gic_eoi(iar);
	sh->phase = DB_QUIET;
	(void)db_drain(intid, 200); /* the storm's last rings: one more at most each */
	/* 3. Quiet: a single ring is delivered once; one after the acknowledge again. */
	ok = db_ring_once(sh);
	n = db_drain(intid, 200);
	tg_check(ok && n == 1, "doorbell.single", "%u deliveries of one ring", (unsigned)n);
	ok = db_ring_once(sh);
	iar = db_take(intid, 200);
	ok = ok && (iar & GICC_IAR_INTID) == intid && db_ring_once(sh);
	if ((iar & GICC_IAR_INTID) < GIC_INTID_MAX)
		gic_eoi(iar);
	n = db_drain(intid, 200);
	tg_check(ok && n >= 1, "doorbell.after_acknowledge",
		 "a ring after the acknowledge: %u deliveries", (unsigned)n);
	sh->phase = DB_END;
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

/*
 * An SPI's enable word taking no lock (vgicd_write_spi_enable) racing a ring, on CPUs that run
 * at once (MTTCG): vCPU 1 disables the doorbell, asks the ringer for one ring, waits a varying
 * while and enables it again, then waits for vCPU 0, the doorbell's target, to take it.  The
 * ring becomes pending on vCPU 0's CPU just before, during or after the enable on vCPU 1's;
 * whichever, it must not be left pending and unseen (the enable reads VIRQ_PENDING after a
 * barrier, the flush reads the enable after one): nothing else would wake it, so a ring made
 * and not taken in time is lost (race_wait); and none is taken before vCPU 1 began that
 * round's enable (a disable holds, also against a placement racing it).
 */
static volatile uint32_t race_intid, race_rounds, race_taken, race_lost_at, race_done;
static volatile uint32_t race_enabling, race_early; /* round vCPU 1 enables; rings taken before */
static volatile uint32_t race_looks; /* vCPU 0's reads of GICC_IAR */
static volatile uint32_t race_unrung; /* a round whose ring was never made (the ringer stopped) */
static volatile uint32_t race_looks_max; /* most reads a ring took once made (race_wait) */

/*
 * A made ring not taken after this many reads by vCPU 0 (and a second) is lost: a read takes
 * about 0.12 us, and under load a made ring took up to 150,000 reads and 60 ms to be taken,
 * 330,000 reads with two of these tests at once.
 */
#define RACE_LOOKS 2000000U
/* A ring not made within this many seconds of its request: the ringer stopped. */
#define RACE_RING_S 30U

/*
 * Round i's ring taken by vCPU 0: true.  False if it was lost: the ringer made it (its 'done'
 * reached i once DOORBELL_RING returned) and since then a second went by and vCPU 0 read
 * GICC_IAR RACE_LOOKS times without taking it.  Both, not the time alone: QEMU's vCPU threads
 * share the host's cores, and under load one waits seconds for its turn (the ringer's, with
 * the ring not yet made; vCPU 0's, with the ring unread), which the time alone took for a
 * lost ring; vCPU 0's reads count only what it did (race_looks_max: the most a made ring
 * took in this run).  A lost ring is never taken, so the bounds delay its report, no more.
 */
static bool race_wait(const struct db_shared *sh, uint32_t i)
{
	uint64_t second = gtimer_ns_to_count(1000000000ULL), start = gtimer_virt_count(), rung = 0;
	uint32_t looks = 0;

	while (race_taken < i) {
		uint64_t now = gtimer_virt_count();

		if (!rung && sh->done >= i) {
			rung = now;
			looks = race_looks;
		} else if (rung && now - rung >= second && race_looks - looks >= RACE_LOOKS) {
			return false;
		} else if (!rung && now - start >= RACE_RING_S * second) {
			race_unrung = i;
			return false;
		}
	}
	if (rung && race_looks - looks > race_looks_max)
		race_looks_max = race_looks - looks;
	return true;
}

__attribute__((noreturn)) void tg_enable_race_secondary(void)
{
	struct db_shared *sh = db_page();
	uint32_t i;

	gic_cpu_init();
	for (i = 1; i <= race_rounds && !race_lost_at; i++) {
		gic_irq_disable(race_intid);
		sh->req = i; /* after the disable: a trapped store is done when it returns */
		for (volatile uint32_t d = (i * 7919U) % 2048U; d; d--)
			;
		race_enabling = i;
		dmb_ish(); /* seen before the enable's effects */
		gic_irq_enable(race_intid);
		if (!race_wait(sh, i))
			race_lost_at = i;
	}
	race_done = 1;
	psci_cpu_off();
	guest_halt();
}

void tg_enable_race(void)
{
	struct db_shared *sh = db_page();
	struct tessera_channel ch = { 0 };
	uint32_t spurious = 0;

	gic_init();
	gic_cpu_init();
	tg_check(sh != NULL && tessera_channel_info(0, &ch) == 0, "race.channel", "no channel 0");
	if (!sh)
		guest_halt();
	race_intid = ch.intid;
	race_rounds = tg_arg_u32("rounds", 20000);
	gic_irq_enable(race_intid); /* targeted at vCPU 0, this one (ITARGETSR's reset value) */
	sh->phase = DB_QUIET;
	tg_check(psci_cpu_on(1, (uintptr_t)guest_secondary_entry, TG_RACE_CONTEXT) == PSCI_SUCCESS,
		 "race.cpu_on", "vCPU 1 did not start");
	while (!race_done) {
		uint32_t iar = gic_ack(), intid = iar & GICC_IAR_INTID;

		race_looks++;
		if (intid == race_intid) {
			dmb_ish();
			/* Round race_taken + 1's ring, taken while it was still disabled? */
			if (race_enabling <= race_taken)
				race_early++;
			race_taken++;
		} else if (intid < GIC_INTID_MAX)
			spurious++;
		if (intid < GIC_INTID_MAX)
			gic_eoi(iar);
	}
	sh->phase = DB_END;
	printf("TG race: %u rounds, %u taken\n", (unsigned)race_rounds, (unsigned)race_taken);
	printf("TG race: a ring made was taken within %u reads of GICC_IAR\n",
	       (unsigned)race_looks_max);
	if (race_unrung)
		tg_check(false, "race.every_ring_taken", "round %u's ring not made within %u s",
			 (unsigned)race_unrung, RACE_RING_S);
	else
		tg_check(!race_lost_at && race_taken == race_rounds, "race.every_ring_taken",
			 "round %u's ring made, not taken in a second and %u reads (%u taken)",
			 (unsigned)race_lost_at, RACE_LOOKS, (unsigned)race_taken);
	tg_check(race_early == 0, "race.none_while_disabled",
		 "%u rings taken before their round's enable", (unsigned)race_early);
	tg_check(spurious == 0, "race.nothing_else", "%u other interrupts", (unsigned)spurious);
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}
