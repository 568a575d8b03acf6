/*
 * HSR decoding for the trap dispatcher and the register dump.
 */
#include "hyp/arch/hsr.h"
#include "arch/armv7.h"
#include "hyp/core/fmt.h"

/*
 * The tables below fill every entry, the reserved encodings with the reserved name first
 * ([0 ... 63], then the named ones override it): a lookup with no test of a NULL entry.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"

#define RESERVED_EC "reserved exception class"
#define RESERVED_FSC "reserved fault status"

const char *hsr_ec_name(u32 ec)
{
	static const char *const names[64] = {
		[0 ... 63] = RESERVED_EC,
		[HSR_EC_UNKNOWN] = "unknown reason (undefined instruction)",
		[HSR_EC_WFI_WFE] = "WFI or WFE",
		[HSR_EC_CP15_32] = "MCR/MRC to CP15",
		[HSR_EC_CP15_64] = "MCRR/MRRC to CP15",
		[HSR_EC_CP14_32] = "MCR/MRC to CP14",
		[HSR_EC_CP14_LS] = "LDC/STC to CP14",
		[HSR_EC_HCPTR] = "coprocessor access trapped by HCPTR",
		[HSR_EC_CP10_ID] = "VMRS of a CP10 ID register",
		[HSR_EC_JAZELLE] = "Jazelle instruction",
		[HSR_EC_BXJ] = "BXJ",
		[HSR_EC_CP14_64] = "MRRC to CP14",
		[HSR_EC_SVC_HYP] = "SVC taken to Hyp mode",
		[HSR_EC_HVC] = "HVC",
		[HSR_EC_SMC] = "SMC",
		[HSR_EC_IABT_GUEST] = "prefetch abort from guest",
		[HSR_EC_IABT_HYP] = "prefetch abort taken in Hyp mode",
		[HSR_EC_DABT_GUEST] = "data abort from guest",
		[HSR_EC_DABT_HYP] = "data abort taken in Hyp mode",
	};

	return ec < 64 ? names[ec] : RESERVED_EC;
}

#define WALK_EXTERNAL "synchronous external abort on translation table walk"
#define WALK_PARITY "synchronous parity error on translation table walk"

const char *hsr_fsc_name(u32 fsc)
{
	/* One table for every FSC (B3.13.3, Table B3-23): the levels too, as data, not code. */
	static const char *const names[64] = {
		[0 ... 63] = RESERVED_FSC,
		[0x00] = "address size fault, level 0",
		[0x01] = "address size fault, level 1",
		[0x02] = "address size fault, level 2",
		[0x03] = "address size fault, level 3",
		[FSC_TRANSLATION + 0] = "translation fault, level 0",
		[FSC_TRANSLATION + 1] = "translation fault, level 1",
		[FSC_TRANSLATION + 2] = "translation fault, level 2",
		[FSC_TRANSLATION + 3] = "translation fault, level 3",
		[0x08] = "access flag fault, level 0",
		[0x09] = "access flag fault, level 1",
		[0x0a] = "access flag fault, level 2",
		[0x0b] = "access flag fault, level 3",
		[FSC_PERMISSION + 0] = "permission fault, level 0",
		[FSC_PERMISSION + 1] = "permission fault, level 1",
		[FSC_PERMISSION + 2] = "permission fault, level 2",
		[FSC_PERMISSION + 3] = "permission fault, level 3",
		[FSC_SYNC_EXTERNAL] = "synchronous external abort",
		[FSC_ASYNC_EXTERNAL] = "asynchronous external abort",
		[FSC_SYNC_EXTERNAL_WALK + 0] = WALK_EXTERNAL,
		[FSC_SYNC_EXTERNAL_WALK + 1] = WALK_EXTERNAL,
		[FSC_SYNC_EXTERNAL_WALK + 2] = WALK_EXTERNAL,
		[FSC_SYNC_EXTERNAL_WALK + 3] = WALK_EXTERNAL,
		[FSC_SYNC_PARITY] = "synchronous parity error",
		[FSC_ASYNC_PARITY] = "asynchronous parity error",
		[FSC_SYNC_PARITY_WALK + 0] = WALK_PARITY,
		[FSC_SYNC_PARITY_WALK + 1] = WALK_PARITY,
		[FSC_SYNC_PARITY_WALK + 2] = WALK_PARITY,
		[FSC_SYNC_PARITY_WALK + 3] = WALK_PARITY,
		[FSC_ALIGNMENT] = "alignment fault",
		[FSC_DEBUG] = "debug event",
		[FSC_TLB_CONFLICT] = "TLB conflict abort",
		[FSC_LOCKDOWN] = "lockdown abort",
		[FSC_COPROC_ABORT] = "coprocessor abort",
	};

	return fsc < 64 ? names[fsc] : RESERVED_FSC;
}

#pragma GCC diagnostic pop

/* What hsr_describe writes into: like fmt_snprintf, appending. */
struct desc {
	char *buf;
	size_t size, n;
};

static void add(struct desc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct desc *d, const char *fmt, ...)
{
	size_t at = MIN(d->n, d->size);
	va_list ap;

	va_start(ap, fmt);
	d->n += fmt_vsnprintf(d->buf + at, d->size - at, fmt, ap);
	va_end(ap);
}

#define WALK ", on a stage-1 table walk"

size_t hsr_describe(u32 hsr, char *buf, size_t size)
{
	/* By SAS and SSE, HSR[23:21] (B3.13.6): the size, and whether the load sign-extends. */
	static const char *const sizes[8] = {
		"byte", "byte sign-extended", "halfword", "halfword sign-extended",
		"word", "word sign-extended", "?",	  "? sign-extended",
	};
	/* By S1PTW and WnR, HSR[7:6] (B3.13.6): the direction, and whether on a table walk. */
	static const char *const access[4] = { "read", "write", "read" WALK, "write" WALK };
	struct desc d = { buf, size, 0 };
	u32 ec = hsr_ec(hsr);
	bool dabt = ec == HSR_EC_DABT_GUEST || ec == HSR_EC_DABT_HYP;

	add(&d, "EC 0x%02x (%s), IL %u, ISS 0x%07x", ec, hsr_ec_name(ec), 16U << !!(hsr & HSR_IL),
	    hsr & HSR_ISS_MASK);
	if (dabt || ec == HSR_EC_IABT_GUEST || ec == HSR_EC_IABT_HYP)
		add(&d, ": %s", hsr_fsc_name(hsr & HSR_FSC_MASK));
	if (dabt) {
		add(&d, ", %s%s",
		    access[(hsr & (HSR_DABT_WNR | HSR_DABT_S1PTW)) >> __builtin_ctz(HSR_DABT_WNR)],
		    (hsr & HSR_DABT_EA) ? ", external abort type set" : "");
		if (hsr & HSR_DABT_ISV)
			add(&d, ", %s r%u",
			    sizes[(hsr & (HSR_DABT_SAS_MASK | HSR_DABT_SSE)) >>
				  __builtin_ctz(HSR_DABT_SSE)],
			    (hsr & HSR_DABT_SRT_MASK) >> HSR_DABT_SRT_SHIFT);
	} else if (ec == HSR_EC_CP15_32 || ec == HSR_EC_CP14_32) {
		add(&d, ": %s p%u, %u, r%u, c%u, c%u, %u", (hsr & HSR_CP_READ) ? "mrc" : "mcr",
		    14 + ((ec >> 1) & 1) /* EC 0x03 (CP15) has bit 1 set, 0x05 not */,
		    (hsr >> HSR_CP_OPC1_SHIFT) & 7, (hsr >> HSR_CP_RT_SHIFT) & 0xf,
		    (hsr >> HSR_CP_CRN_SHIFT) & 0xf, (hsr >> HSR_CP_CRM_SHIFT) & 0xf,
		    (hsr >> HSR_CP_OPC2_SHIFT) & 7);
	} else if (ec == HSR_EC_HVC || ec == HSR_EC_SMC) {
		add(&d, ": immediate 0x%x", hsr & 0xffff);
	}
	return d.n;
}

/*
 * ConditionHolds() (ARM ARM A8.3) as a table: bit NZCV (PSR[31:28] read as a number) of
 * cond_holds[cond] says whether cond holds with those flags.  Row by row, cond[3:1] picks
 * the test and cond[0] inverts it: EQ/NE Z, CS/CC C, MI/PL N, VS/VC V, HI/LS C && !Z,
 * GE/LT N == V, GT/LE !Z && N == V; 0b111x (AL, and 0b1111) always holds.
 */
static const u16 cond_holds[16] = {
	0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
	0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
};

bool psr_cond_holds(u32 cond, u32 psr)
{
	return (cond_holds[cond & 0xf] >> (psr >> 28)) & 1;
}

static u32 psr_itstate(u32 psr)
{
	return ((psr & PSR_IT_HIGH_MASK) >> 25) | (((psr & PSR_IT_LOW_MASK) >> 10) << 2);
}

bool hsr_cond_check(u32 hsr, u32 spsr)
{
	u32 cond;

	/* Only EC 0x01-0x0c carry CV/COND; everything else is unconditional. */
	if (hsr_ec(hsr) == 0 || hsr_ec(hsr) > HSR_EC_CP14_64)
		return true;
	/*
	 * CV = 0 only in Thumb state: the condition is in ITSTATE, if any, read in place:
	 * IT[3:0] is PSR[11:10] and PSR[26:25], IT[7:4] (the condition) PSR[15:12].
	 */
	if (hsr & HSR_CV)
		cond = (hsr & HSR_COND_MASK) >> HSR_COND_SHIFT;
	else if ((spsr & PSR_T) && (spsr & (PSR_IT_HIGH_MASK | GENMASK(11, 10))))
		cond = (spsr >> 12) & 0xf;
	else
		return true;
	return psr_cond_holds(cond, spsr);
}

u32 psr_it_advance(u32 spsr)
{
	u32 it = psr_itstate(spsr);

	if (!(spsr & PSR_T) || (it & 0xf) == 0)
		return spsr;
	/* ITAdvance(): the block ends when IT[2:0] is 0, else IT[4:0] shifts left. */
	if ((it & 0x7) == 0)
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	spsr &= ~(PSR_IT_HIGH_MASK | PSR_IT_LOW_MASK);
	return spsr | ((it & 3) << 25) | ((it >> 2) << 10);
}
