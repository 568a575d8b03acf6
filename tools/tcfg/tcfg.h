/*
 * tcfg, the Tessera configuration compiler: shared model and interfaces.
 *
 * tcfg reads a board description (platform/<board>/platform.dts) and a
 * system description (configs/<board>/<name>.dts), both compiled to DTBs,
 * checks them (check.c; linux.c places a partition's kernel and initrd), derives
 * what the hypervisor needs (layout.c, guest_dt.c) and writes the tables of
 * hyp/config.h (output.c).  The format
 * is documented in docs/configuration.md.
 *
 * The run is a pipeline over one in-memory model, defined here: read the
 * board, read the system, check, derive, write.  Reading and checking report
 * every problem they find through tcfg_error() (a node that could not be read
 * is marked and left out of the checks that would only repeat its problem);
 * deriving and writing run only on a configuration without errors.
 */
#ifndef TESSERA_TCFG_H
#define TESSERA_TCFG_H

#include <stdio.h>

#include "abi/config.h"
#include "tessera/sha256.h"

#define TCFG_PAGE_SIZE 0x1000ULL
#define TCFG_BOOTARGS_MAX 1023U /* Linux's ARM COMMAND_LINE_SIZE, less the NUL */
#define TCFG_DTB_WINDOW 0x10000ULL /* default device tree window: last 64 KiB of RAM */
#define TCFG_IPA_LIMIT (1ULL << 32) /* stage 2 with a 32-bit input address space */
#define TCFG_PA_LIMIT (1ULL << 40) /* LPAE output addresses */
#define TCFG_INTID_LIMIT 1020U /* INTIDs 1020-1023 are special (GICv2 3.2.5) */
#define TCFG_SPI_BASE 32U
#define TCFG_EMUL_PAGE 0x1000ULL /* size of the emulated GICD and UART pages */
#define TCFG_PATH_MAX 96 /* node paths in messages */
#define TCFG_VMID_BITS_DEFAULT 8U
/* What tcfg counts for the hypervisor's own code, data, stacks and Hyp tables (--hyp-own). */
#define TCFG_HYP_OWN_DEFAULT 0x80000ULL

/* A physical or intermediate-physical address range [base, base + size). */
struct range {
	u64 base;
	u64 size;
};

/* ---- the board (platform.dts) ---- */

/* A board's MMIO that firmware or the hypervisor needs: what it is, where. */
struct reserved_mmio {
	const char *name;
	struct range r;
};

struct board {
	const char *file; /* DTB path, for messages */
	const char *model;
	u32 cpu_count;
	const char *cpu_compatible; /* the cores' binding (/cpus/compatible; "arm,cortex-a15") */
	const char *pmu_compatible; /* the cores' PMU binding (/cpus/pmu-compatible), or NULL */
	struct range *ram;
	u32 ram_count;
	struct range hyp; /* the hypervisor's reserved RAM */
	struct range store; /* the default window of the image store (board /image-store) */
	struct range gicd, gicc, gich, gicv;
	struct range gic; /* every register frame of the GIC, aliases included */
	u32 irq_count; /* INTIDs the physical distributor implements */
	struct range uart;
	u32 uart_irq;
	struct reserved_mmio *reserved; /* pages no partition may have (/reserved-mmio) */
	u32 reserved_count;
	bool reserved_irq[TCFG_INTID_LIMIT];
	/* The default machine a partition sees. */
	u64 guest_ram;
	u64 guest_gicd;
	u64 guest_gicc;
	u64 guest_uart;
	u32 guest_uart_irq;
};

/* ---- the system (configs/<board>/<name>.dts) ---- */

struct memory {
	char path[TCFG_PATH_MAX];
	bool ok; /* parsed without error: later checks may trust it */
	u64 pa;
	u64 ipa;
	u64 size;
	u32 access; /* CFG_ACCESS_* */
	const char *image; /* file name inside --images, or NULL */
	u64 image_offset;
	char *image_file; /* absolute path, once found */
	u64 image_size;
	u32 image_sym; /* index in system.image_files: its place in the image store */
};

/*
 * An image a partition loads that no memory@N names: its kernel or initrd,
 * placed by linux.c (Documentation/arm/booting.rst) in its memory.
 */
struct boot_image {
	const char *name; /* file name inside --images, or NULL: none */
	char *file; /* absolute path, once found */
	u64 size;
	u64 ipa; /* placed (linux.c) */
	u64 pa;
	u32 sym; /* index in system.image_files */
};

struct device {
	char path[TCFG_PATH_MAX];
	bool ok;
	u64 pa;
	u64 ipa;
	u64 size;
	u32 *irqs;
	u32 irq_count;
	const char *compatible; /* raw string list, or NULL */
	u32 compatible_len;
	u32 *irq_flags; /* device tree trigger flags of each of irqs (IRQ_TYPE_*) */
	bool dma_master; /* dma-master, or a compatible tcfg knows to be one */
	bool primecell; /* compatible lists "arm,primecell" */
	const void *fdt; /* the system DTB and the offset of dt-properties, or -1 */
	int extra_off;
};

struct end {
	char path[TCFG_PATH_MAX];
	bool ok;
	const char *partition; /* its label */
	u32 part; /* partition index, once resolved */
	bool resolved;
	u64 ipa;
	u32 access;
	u32 doorbell_irq;
	bool has_gpio; /* doorbell-pl061: an emulated PL061 at gpio_ipa carries the doorbells */
	u64 gpio_ipa;
};

struct channel {
	char path[TCFG_PATH_MAX];
	bool ok;
	const char *label;
	u64 pa;
	u64 size;
	struct end ends[2];
	u32 end_count;
};

/* One stage-2 mapping of a partition, with the node it comes from. */
struct mapping {
	struct cfg_region cfg;
	char what[TCFG_PATH_MAX + 16];
};

struct partition {
	char path[TCFG_PATH_MAX];
	bool ok;
	const char *label;
	u32 id;
	u32 cpus[CFG_CPU_MAX];
	u32 cpu_count;
	u64 entry;
	u32 fault_policy; /* enum cfg_fault_policy */
	u32 restart_max;
	u32 restart_window_ms;
	u32 reset_max;
	u32 reset_window_ms;
	u32 watchdog_ms; /* 0: none */
	u32 phandle; /* dtc's, when something refers to the node (manages = <&label>) */
	const void *manages; /* the property: phandle cells or label strings; NULL if absent */
	u32 manages_len;
	u32 manages_mask; /* resolved by check_system: bit n = partition n */
	const char *bootargs; /* or NULL */
	bool has_entry;
	bool identity_map; /* identity-map: every memory@N and device@N at IPA == PA */
	struct boot_image kernel; /* a zImage, entered at its IPA */
	struct boot_image initrd; /* with kernel only: /chosen/linux,initrd-start/-end */
	const void *fdt; /* the system DTB and the offset of dtb-overlay, or -1 */
	int overlay_off;
	bool has_dtb_ipa;
	u64 dtb_ipa;
	u64 gicd_ipa;
	u64 gicc_ipa;
	u64 uart_ipa;
	u32 uart_irq;
	struct memory *mems;
	u32 mem_count;
	struct device *devs;
	u32 dev_count;

	/* Derived (layout.c, guest_dt.c) once the configuration is valid. */
	struct mapping *maps;
	u32 map_count;
	struct cfg_endpoint *endpoints;
	u32 endpoint_count;
	u32 virq_count;
	u32 s2_table_count;
	u64 dtb_pa;
	u8 *dtb;
	u32 dtb_size;
};

struct system {
	const char *file; /* DTB path, for messages */
	const char *name; /* the description's name: file name without extension */
	const char *platform;
	const char *console_input; /* label, or NULL */
	u32 console_partition;
	struct partition *parts;
	u32 part_count;
	struct channel *chans;
	u32 chan_count;

	/*
	 * The image store: each image file once (a file several partitions load is
	 * stored once), packed from the window's base at 4 KiB boundaries (check.c).
	 */
	bool has_store_window; /* the system's /image-store replaces the board's window */
	char store_path[TCFG_PATH_MAX]; /* the node that gives the window, for messages */
	struct range store_window;
	struct range store; /* the part the images take: [window base, + their size) */
	const char **image_files;
	u64 *image_sizes;
	u64 *image_store_pa;
	u8 (*image_sha256)[SHA256_SIZE];
	u8 **image_chunks; /* each chunk's SHA-256 (struct cfg_image) */
	u32 image_file_count;
};

struct options {
	const char *platform_file;
	const char *system_file;
	const char *images_dir;
	const char *out_dir;
	const char *dtb_dir;
	const char *name;
	u32 vmid_bits;
	u64 hyp_own; /* --hyp-own: the hypervisor's own size, counted in its region */
	bool memory_map;
};

/* ---- diagnostics (main.c) ---- */

/* Report a problem with the node at 'path': "tcfg: error: <path>: <message>". */
void tcfg_error(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
unsigned tcfg_error_count(void);

/*
 * A number whose bytes are also a short string (size = "32M": the 4 bytes "32M\0"): legal,
 * and silent in a description that passes, but said first, as an error, if it fails, since
 * what the rules then report about the odd number is likely its consequence.
 */
void tcfg_suspect_string(const char *path, const char *name, const char *text, u64 value);

/* Something legal but probably wrong: "tcfg: warning: <path>: <message>". */
void tcfg_warn(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocation that cannot fail (exits on exhaustion). */
void *tcfg_alloc(size_t size);
char *tcfg_strdup(const char *s);

/* Read a whole file; NULL (and errno) if it cannot be read. */
u8 *tcfg_read_file(const char *name, size_t *size);

/* The SHA-256 of an image file of 'size' bytes; false if it cannot be read whole. */
bool tcfg_image_digest(const char *name, u64 size, u8 digest[SHA256_SIZE], u8 *chunks);

/* A file of 'size' bytes is checked in chunks of tcfg_chunk_size(size) bytes (cfg_image). */
static inline u64 tcfg_chunk_size(u64 size)
{
	u64 chunk = (size + CFG_CHUNK_COUNT - 1) / CFG_CHUNK_COUNT;

	chunk = (chunk + 63) & ~63ULL;
	return chunk < CFG_CHUNK_MIN ? CFG_CHUNK_MIN : chunk;
}

/* How many such chunks hold 'size' bytes. */
static inline u32 tcfg_chunk_count(u64 size)
{
	return (u32)((size + tcfg_chunk_size(size) - 1) / tcfg_chunk_size(size));
}

/* ---- property readers (props.c) ---- */

/*
 * Can libfdt read this DTB of 'size' bytes safely?  0 if so, else the libfdt
 * error.  Every DTB tcfg reads passes this first (main.c: load_dtb).
 */
int dtb_check(const void *fdt, size_t size);

/* A node of a DTB being read, with its path for messages. */
struct node {
	const void *fdt;
	int off;
	const char *path;
};

/*
 * Each reader returns true if the property is present and well formed.  A
 * missing required property or a malformed one is reported and clears *ok;
 * a missing optional one just returns false.
 */
bool prop_addr(const struct node *n, const char *name, bool required, u64 *v, bool *ok);
bool prop_u32(const struct node *n, const char *name, bool required, u32 *v, bool *ok);
bool prop_cells(const struct node *n, const char *name, bool required, u32 **v, u32 *count,
		bool *ok);
bool prop_string(const struct node *n, const char *name, bool required, const char **v, bool *ok);
bool prop_strings(const struct node *n, const char *name, bool required, const char **v, u32 *len,
		  bool *ok);
/* An empty property used as a flag: true if present; a value is reported. */
bool prop_flag(const struct node *n, const char *name, bool *ok);
bool prop_access(const struct node *n, const char *name, const char *allowed, u32 *v, bool *ok);
/* Exactly 'count' (base, size) pairs of two cells each, as the board uses. */
bool prop_ranges(const struct node *n, const char *name, struct range **v, u32 *count, bool *ok);

/* Report every property of the node not named in 'known' (NULL-terminated). */
void prop_check_known(const struct node *n, const char *const *known, bool *ok);

/* Is 'name' "<base>@<hex unit address>"?  Sets *unit; reports a malformed unit address. */
bool node_unit(const struct node *parent, const char *name, const char *base, u32 *unit, bool *ok);

/* Child path "<parent>/<name>" into buf. */
void node_child_path(char *buf, size_t size, const char *parent, const char *name);

/* A label: 1..CFG_NAME_MAX-1 characters of [a-z0-9_-]. */
bool label_valid(const char *s);

/* ---- stages ---- */

/* board.c: read and check the board DTB. */
bool board_parse(struct board *b, const char *file, const void *fdt);

/* system.c: read the system DTB (structure, properties, values); no cross checks. */
void system_parse(struct system *s, const char *file, const void *fdt, const struct board *b);

/* check.c: the rules between nodes, against the board and the image files. */
void check_system(struct system *s, const struct board *b, const struct options *o);

/* linux.c: kernel and initrd found, placed (booting.rst) and checked; the default dtb-ipa. */
void linux_place(struct partition *p, const struct options *o);
u64 linux_scratch_end(const struct partition *p);

/* check.c: find image 'name' in --images for node 'path'; sets *file and *size. */
bool image_find(const char *path, const char *name, const struct options *o, char **file,
		u64 *size);

/* layout.c: regions, endpoints, interrupt counts and stage-2 table counts. */
void layout_system(struct system *s, const struct board *b);

/* guest_dt.c: each partition's device tree, placed and checked. */
void guest_dt_build(struct system *s, const struct board *b, const struct options *o);

/* output.c: config.c, config_gen.h, images.txt and config.d in o->out_dir. */
bool output_write(const struct system *s, const struct board *b, const struct options *o);

/* output.c: each partition's device tree as <label>.dtb in 'dir' (--dtbs). */
bool output_dtbs(const struct system *s, const char *dir);

/* memmap.c: the physical memory map, sorted by address. */
void memmap_print(FILE *f, const struct system *s, const struct board *b);

/* Range helpers. */
static inline u64 range_end(struct range r)
{
	return r.base + r.size;
}

static inline bool ranges_overlap(struct range a, struct range b)
{
	return a.size && b.size && a.base < b.base + b.size && b.base < a.base + a.size;
}

static inline bool range_inside(struct range inner, struct range outer)
{
	return inner.base >= outer.base && inner.size <= outer.size &&
	       inner.base - outer.base <= outer.size - inner.size;
}

#endif /* TESSERA_TCFG_H */
