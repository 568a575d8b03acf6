/*
 * Fuzz target "tcfg": the configuration compiler (tools/tcfg) on mutated
 * DTBs, through the pipeline tools/tcfg/main.c runs (main.c itself, with its
 * argument parsing and process-wide error count, is replaced by the few lines
 * below): the DTB check (dtb_check), board_parse, system_parse, check_system, and for a
 * configuration without errors layout_system, guest_dt_build, output_write
 * (into a scratch directory), output_dtbs and memmap_print.
 *
 * Input: a system DTB, optionally followed by a board DTB (else the QEMU virt
 * board, platform/qemu-virt/platform.dts, compiled into the target).  A
 * custom mutator changes DTBs structurally half of the time (a property's
 * value resized or rewritten, a property or node deleted or copied), which
 * byte flips alone rarely get through fdt_check_full().
 *
 * Checked besides the sanitizers: tcfg never calls exit() on its own
 * (internal errors), writes its outputs, and every partition device tree it
 * builds is a sound DTB.
 */
#define _GNU_SOURCE /* nftw, mkdtemp */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../tools/tcfg/tcfg.h"
#include "fuzz_input.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

extern const unsigned char fuzz_board_dtb[];
extern const unsigned int fuzz_board_dtb_len;

static unsigned errors;
static char scratch[PATH_MAX];
static char images_dir[PATH_MAX + 16], out_dir[PATH_MAX + 16], dtb_dir[PATH_MAX + 16];
static char board_file[PATH_MAX + 32], system_file[PATH_MAX + 32];
static FILE *devnull;

/* ---- What main.c provides the stages --------------------------------------------- */

void tcfg_error(const char *path, const char *fmt, ...)
{
	va_list ap;

	if (getenv("FUZZ_TCFG_VERBOSE")) {
		fprintf(stderr, "tcfg: error: %s: ", path);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	errors++;
}

unsigned tcfg_error_count(void)
{
	return errors;
}

void tcfg_warn(const char *path, const char *fmt, ...)
{
	UNUSED(path);
	UNUSED(fmt);
}

void tcfg_suspect_string(const char *path, const char *name, const char *text, u64 value)
{
	UNUSED(path);
	UNUSED(name);
	UNUSED(text);
	UNUSED(value);
}

/* Every allocation of a run is linked here and freed at its end. */
struct block {
	struct block *prev, *next;
	size_t size;
	size_t pad; /* keeps the payload 16-byte aligned */
};

static struct block blocks = { &blocks, &blocks, 0, 0 };

void *fuzz_tcfg_malloc(size_t size)
{
	struct block *b = malloc(sizeof(*b) + size);

	if (!b)
		abort();
	b->size = size;
	b->next = blocks.next;
	b->prev = &blocks;
	blocks.next->prev = b;
	blocks.next = b;
	return b + 1;
}

void *fuzz_tcfg_calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = fuzz_tcfg_malloc(count * size);
	memset(p, 0, count * size);
	return p;
}

void fuzz_tcfg_free(void *p)
{
	struct block *b = (struct block *)p - 1;

	if (!p)
		return;
	b->prev->next = b->next;
	b->next->prev = b->prev;
	free(b);
}

void *fuzz_tcfg_realloc(void *p, size_t size)
{
	void *n = fuzz_tcfg_malloc(size);

	if (p) {
		size_t old = ((struct block *)p - 1)->size;

		memcpy(n, p, old < size ? old : size);
		fuzz_tcfg_free(p);
	}
	return n;
}

char *fuzz_tcfg_realpath(const char *path, char *resolved)
{
	char *r = realpath(path, NULL), *copy;

	if (!r || resolved) {
		fprintf(stderr, "realpath(%s, %p): %s\n", path, (void *)resolved, strerror(errno));
		abort(); /* tcfg only asks for an allocated result, of files it has stat()ed */
	}
	copy = fuzz_tcfg_malloc(strlen(r) + 1);
	strcpy(copy, r);
	free(r);
	return copy;
}

_Noreturn void fuzz_tcfg_exit(int status)
{
	fprintf(stderr, "tcfg called exit(%d): an internal error on a checked configuration\n",
		status);
	abort();
}

void *tcfg_alloc(size_t size)
{
	return fuzz_tcfg_calloc(1, size ? size : 1);
}

char *tcfg_strdup(const char *s)
{
	return strcpy(tcfg_alloc(strlen(s) + 1), s);
}

/* main.c's reads DTBs; linux.c reads a kernel's zImage header through it. */
u8 *tcfg_read_file(const char *name, size_t *size)
{
	FILE *f = fopen(name, "rb");
	u8 *buf;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = fuzz_tcfg_malloc((size_t)len + 1);
	*size = fread(buf, 1, (size_t)len, f);
	fclose(f);
	return buf;
}

bool tcfg_image_digest(const char *name, u64 size, u8 digest[SHA256_SIZE], u8 *chunks)
{
	UNUSED(name);
	/* Hashing large images every run would slow the fuzzer. */
	memset(digest, 0x5a, SHA256_SIZE);
	memset(chunks, 0x5a, (size_t)tcfg_chunk_count(size) * SHA256_SIZE);
	return true;
}

static void free_all(void)
{
	while (blocks.next != &blocks)
		fuzz_tcfg_free(blocks.next + 1);
}

/* ---- The scratch directory: the guest images configurations name -------------- */

static void make_image(const char *name, off_t size)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", images_dir, name);
	f = fopen(path, "w");
	if (!f || ftruncate(fileno(f), size) != 0) {
		perror(path);
		abort();
	}
	/* An ARM zImage's magic number (and a KLSZ header extension) for "kernel". */
	if (!strcmp(name, "zImage")) {
		static const u8 head[] = { 0x18, 0x28, 0x6f, 0x01, 0,	 0,    0,    0,
					   0,	 0,    0,    0,	   0x01, 0x02, 0x03, 0x04,
					   0x45, 0x45, 0x45, 0x45, 0x3c, 0,    0,    0,
					   6,	 0,    0,    0,	   0x4b, 0x4c, 0x53, 0x5a,
					   0x60, 0,    0,    0,	   0,	 0x10, 0,    0 };

		if (fseek(f, 0x24, SEEK_SET) != 0 || fwrite(head, sizeof(head), 1, f) != 1) {
			perror(path);
			abort();
		}
	}
	fclose(f);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	UNUSED(st);
	UNUSED(flag);
	UNUSED(ftw);
	return remove(path);
}

static void remove_scratch(void)
{
	nftw(scratch, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct {
		const char *name;
		off_t size;
	} images[] = { { "rtos.bin", 0x12000 },	  { "testguest.bin", 0x10000 },
		       { "bench.bin", 0x10000 },  { "data.bin", 0x3000 },
		       { "big.bin", 0x300000 },	  { "full.bin", 0x1f8000 },
		       { "huge.bin", 0x1000000 }, { "a.bin", 1 },
		       { "zImage", 0x200000 },	  { "initrd.gz", 0x20000 } };
	const char *tmp = getenv("TMPDIR");
	u32 i;

	UNUSED(argc);
	UNUSED(argv);
	snprintf(scratch, sizeof(scratch), "%s/tcfg-fuzz.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		perror(scratch);
		abort();
	}
	snprintf(images_dir, sizeof(images_dir), "%s/images", scratch);
	snprintf(out_dir, sizeof(out_dir), "%s/out", scratch);
	snprintf(dtb_dir, sizeof(dtb_dir), "%s/dtbs", scratch);
	if (mkdir(images_dir, 0700) || mkdir(out_dir, 0700) || mkdir(dtb_dir, 0700)) {
		perror(scratch);
		abort();
	}
	for (i = 0; i < ARRAY_SIZE(images); i++)
		make_image(images[i].name, images[i].size);
	/* config.d names the input DTBs by their real paths: they must exist. */
	snprintf(board_file, sizeof(board_file), "%s/platform.dtb", images_dir);
	snprintf(system_file, sizeof(system_file), "%s/system.dtb", images_dir);
	make_image("platform.dtb", 1);
	make_image("system.dtb", 1);
	devnull = fopen("/dev/null", "w");
	atexit(remove_scratch);
	return 0;
}

/* ---- One run ----------------------------------------------------------------------- */

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* A DTB at the start of data, copied to aligned memory if tcfg accepts it (dtb_check). */
static void *take_dtb(const u8 *data, size_t size, size_t *used)
{
	size_t total;
	void *fdt;

	if (size < sizeof(struct fdt_header) || be32(data) != FDT_MAGIC)
		return NULL;
	total = be32(data + 4); /* the header may be unaligned after another DTB */
	if (total < sizeof(struct fdt_header) || total > size)
		return NULL;
	fdt = fuzz_tcfg_malloc(total);
	memcpy(fdt, data, total);
	if (dtb_check(fdt, total) != 0)
		return NULL;
	*used = total;
	return fdt;
}

static void run(const u8 *data, size_t size)
{
	struct options o = { .platform_file = board_file,
			     .system_file = system_file,
			     .images_dir = images_dir,
			     .out_dir = out_dir,
			     .dtb_dir = dtb_dir,
			     .name = "fuzz",
			     .vmid_bits = TCFG_VMID_BITS_DEFAULT,
			     .hyp_own = TCFG_HYP_OWN_DEFAULT };
	size_t used = 0, board_used;
	void *sys_fdt = take_dtb(data, size, &used), *board_fdt = NULL;
	struct board board;
	struct system sys;
	u32 i;

	if (!sys_fdt)
		return;
	if (size - used > 0)
		board_fdt = take_dtb(data + used, size - used, &board_used);
	if (!board_fdt)
		board_fdt = take_dtb(fuzz_board_dtb, fuzz_board_dtb_len, &board_used);
	FUZZ_CHECK(board_fdt || size - used > 0, "the built-in board DTB is refused");
	if (!board_fdt || !board_parse(&board, o.platform_file, board_fdt))
		return;
	memset(&sys, 0, sizeof(sys));
	sys.name = o.name;
	system_parse(&sys, o.system_file, sys_fdt, &board);
	check_system(&sys, &board, &o);
	if (errors)
		return;
	layout_system(&sys, &board);
	guest_dt_build(&sys, &board, &o);
	if (errors)
		return;
	for (i = 0; i < sys.part_count; i++)
		FUZZ_CHECK(fdt_check_full(sys.parts[i].dtb, sys.parts[i].dtb_size) == 0,
			   "the device tree of partition %u is not a sound DTB", i);
	FUZZ_CHECK(output_write(&sys, &board, &o), "output_write failed");
	FUZZ_CHECK(output_dtbs(&sys, dtb_dir), "output_dtbs failed");
	memmap_print(devnull, &sys, &board);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	errors = 0;
	run(data, size);
	free_all();
	return 0;
}

/* ---- Structure-aware mutation ------------------------------------------------------ */

/* Every node, and every property with its node, of a (sound) DTB. */
static void collect(const void *fdt, int *nodes, int *nnodes, int (*props)[2], int *nprops, int max)
{
	int node, prop;

	*nprops = *nnodes = 0;
	for (node = 0; node >= 0 && *nnodes < max; node = fdt_next_node(fdt, node, NULL)) {
		nodes[(*nnodes)++] = node;
		fdt_for_each_property_offset(prop, fdt, node)
		{
			if (*nprops < max) {
				props[*nprops][0] = node;
				props[(*nprops)++][1] = prop;
			}
		}
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	static u8 work[1 << 16] __attribute__((aligned(8)));
	int nodes[256], props[256][2], nprops, nnodes, len, err = -1, node, pick;
	size_t old, total, tail;
	const char *name;
	const void *val;
	u8 value[256];

	srand(seed);
	if (rand() % 2 || size < sizeof(struct fdt_header) || fdt_magic(data) != FDT_MAGIC)
		return LLVMFuzzerMutate(data, size, max_size);
	old = fdt_totalsize(data);
	if (old > size || old > sizeof(work) / 2 || max_size < old + 256)
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(work, data, old);
	/* dtb_check, not fdt_check_full: libfdt 1.6.1 crashes on some pre-16 versions. */
	if (dtb_check(work, old) || fdt_open_into(work, work, (int)sizeof(work)))
		return LLVMFuzzerMutate(data, size, max_size);
	collect(work, nodes, &nnodes, props, &nprops, 256);
	if (!nprops || !nnodes)
		return LLVMFuzzerMutate(data, size, max_size);
	pick = rand() % nprops;
	node = props[pick][0];
	val = fdt_getprop_by_offset(work, props[pick][1], &name, &len);
	if (!val || len > (int)sizeof(value))
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(value, val, (size_t)len);
	switch (rand() % 5) {
	case 0: /* rewrite a property's value, perhaps resized */
	case 1:
		len = (int)LLVMFuzzerMutate(value, (size_t)len, sizeof(value));
		err = fdt_setprop(work, node, name, value, len);
		break;
	case 2: /* delete a property */
		err = fdt_delprop(work, node, name);
		break;
	case 3: /* delete a node (not the root) */
		if (nnodes > 1)
			err = fdt_del_node(work, nodes[1 + rand() % (nnodes - 1)]);
		break;
	default: /* copy a property into another node */
		err = fdt_setprop(work, nodes[rand() % nnodes], name, value, len);
		break;
	}
	if (err || fdt_pack(work) || fdt_totalsize(work) > max_size)
		return LLVMFuzzerMutate(data, size, max_size);
	total = fdt_totalsize(work);
	tail = size - old; /* a board DTB after the system one stays */
	if (total + tail > max_size)
		tail = 0;
	memmove(data + total, data + old, tail);
	memcpy(data, work, total);
	return total + tail;
}
