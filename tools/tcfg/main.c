/*
 * tcfg: the Tessera configuration compiler (docs/configuration.md).
 *
 *   tcfg --platform P.dtb --system S.dtb [--images DIR] [--out DIR]
 *        [--vmid-bits N] [--name NAME] [--memory-map] [--dtbs DIR]
 *
 * Exit status: 0 success, 1 the configuration is refused (one
 * "tcfg: error: <node>: <problem>" line per problem on stderr) or an output
 * could not be written, 2 bad command line.
 */
#include <errno.h>
#include <getopt.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tcfg.h"

static unsigned error_count;
static char *suspects[8];
static unsigned suspect_count, suspects_said;

void tcfg_suspect_string(const char *path, const char *name, const char *text, u64 value)
{
	char msg[512];

	if (suspect_count == ARRAY_SIZE(suspects))
		return;
	snprintf(msg, sizeof(msg),
		 "tcfg: error: %s: \"%s\" is the string \"%s\", read as the number 0x%llx "
		 "(numbers go in angle brackets: %s = <...>)",
		 path, name, text, (unsigned long long)value, name);
	suspects[suspect_count++] = tcfg_strdup(msg);
}

void tcfg_error(const char *path, const char *fmt, ...)
{
	va_list ap;

	/* The likely cause first: a number written as a string. */
	for (; suspects_said < suspect_count; suspects_said++, error_count++)
		fprintf(stderr, "%s\n", suspects[suspects_said]);
	fprintf(stderr, "tcfg: error: %s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	error_count++;
}

unsigned tcfg_error_count(void)
{
	return error_count;
}

/* Warnings wait for the end: a refused configuration prints only its errors. */
static char *warnings[64];
static unsigned warning_count;

void tcfg_warn(const char *path, const char *fmt, ...)
{
	char msg[512];
	int n;
	va_list ap;

	n = snprintf(msg, sizeof(msg), "tcfg: warning: %s: ", path);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (warning_count < ARRAY_SIZE(warnings))
		warnings[warning_count++] = tcfg_strdup(msg);
}

static void print_warnings(void)
{
	unsigned i;

	for (i = 0; i < warning_count; i++)
		fprintf(stderr, "%s\n", warnings[i]);
}

void *tcfg_alloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "tcfg: out of memory\n");
		exit(1);
	}
	return p;
}

char *tcfg_strdup(const char *s)
{
	char *d = tcfg_alloc(strlen(s) + 1);

	return strcpy(d, s);
}

u8 *tcfg_read_file(const char *name, size_t *size)
{
	FILE *f = fopen(name, "rb");
	u8 *buf = NULL;
	size_t cap = 0, len = 0, got;
	int saved;

	if (!f)
		return NULL;
	do {
		if (len == cap) {
			u8 *nb;

			cap = cap ? 2 * cap : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				fprintf(stderr, "tcfg: out of memory\n");
				exit(1);
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got);
	saved = errno;
	if (ferror(f)) {
		fclose(f);
		free(buf);
		errno = saved;
		return NULL;
	}
	fclose(f);
	*size = len;
	return buf;
}

/*
 * The SHA-256 of image file 'name' of 'size' bytes, and of each of its chunks into 'chunks'
 * (tcfg_chunk_count() digests); false if it cannot be read whole.
 */
bool tcfg_image_digest(const char *name, u64 size, u8 digest[SHA256_SIZE], u8 *chunks)
{
	size_t got;
	u8 *data = tcfg_read_file(name, &got);
	bool ok = data && got == size;
	u64 chunk = tcfg_chunk_size(size);
	u32 i;

	if (ok) {
		sha256(data, got, digest);
		for (i = 0; i < tcfg_chunk_count(size); i++)
			sha256(data + i * chunk, (size_t)MIN(size - i * chunk, chunk),
			       chunks + (size_t)i * SHA256_SIZE);
	}
	free(data);
	return ok;
}

static const void *load_dtb(const char *file)
{
	size_t size;
	u8 *fdt = tcfg_read_file(file, &size);
	int err;

	if (!fdt) {
		tcfg_error(file, "cannot read: %s", strerror(errno));
		return NULL;
	}
	err = dtb_check(fdt, size);
	if (err) {
		tcfg_error(file, "not a flattened device tree (compile the .dts with dtc): %s",
			   fdt_strerror(err));
		free(fdt);
		return NULL;
	}
	return fdt;
}

/* "configs/qemu-virt/default.dtb" -> "default" */
static const char *system_name(const char *file)
{
	const char *base = strrchr(file, '/');
	char *name, *dot;

	name = tcfg_strdup(base ? base + 1 : file);
	dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	return name;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: tcfg --platform P.dtb --system S.dtb [--images DIR] [--out DIR]\n"
		"            [--vmid-bits N] [--name NAME] [--memory-map] [--dtbs DIR]\n"
		"            [--hyp-own BYTES]\n"
		"\n"
		"Checks a system description against a board description and writes the\n"
		"hypervisor's configuration tables (docs/configuration.md).\n"
		"\n"
		"  --platform P.dtb  board description (platform/<board>/platform.dts, compiled)\n"
		"  --system S.dtb    system description (configs/<board>/<name>.dts, compiled)\n"
		"  --images DIR      directory holding the guest images the system names\n"
		"  --out DIR         write config.c, config_gen.h, images.txt and config.d here\n"
		"  --vmid-bits N     VMID width, 1..8 (default 8): at most 2^N - 1 partitions\n"
		"  --name NAME       the system's name (default: S.dtb's file name, no extension)\n"
		"  --memory-map      print the physical memory map to stdout\n"
		"  --dtbs DIR        also write each partition's device tree as DIR/<label>.dtb\n"
		"  --hyp-own BYTES   the hypervisor's own code, data and stacks, counted with the\n"
		"                    device trees and stage-2 tables in its region (default 512 KiB)\n"
		"\n"
		"Exit status: 0 ok, 1 configuration refused or output failed, 2 usage.\n");
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "system", required_argument, NULL, 's' },
		{ "images", required_argument, NULL, 'i' },
		{ "out", required_argument, NULL, 'o' },
		{ "vmid-bits", required_argument, NULL, 'v' },
		{ "name", required_argument, NULL, 'n' },
		{ "memory-map", no_argument, NULL, 'm' },
		{ "dtbs", required_argument, NULL, 'd' },
		{ "hyp-own", required_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	unsigned long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->vmid_bits = TCFG_VMID_BITS_DEFAULT;
	o->hyp_own = TCFG_HYP_OWN_DEFAULT;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			o->platform_file = optarg;
			break;
		case 's':
			o->system_file = optarg;
			break;
		case 'i':
			o->images_dir = optarg;
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case 'n':
			o->name = optarg;
			break;
		case 'm':
			o->memory_map = true;
			break;
		case 'd':
			o->dtb_dir = optarg;
			break;
		case 'v':
			v = strtoul(optarg, &end, 0);
			if (*end || v < 1 || v > 8) {
				fprintf(stderr,
					"tcfg: --vmid-bits must be 1..8 (ARMv7 VTTBR.VMID)\n");
				exit(2);
			}
			o->vmid_bits = (u32)v;
			break;
		case 'y':
			o->hyp_own = strtoull(optarg, &end, 0);
			if (*end || !*optarg) {
				fprintf(stderr, "tcfg: --hyp-own takes a number of bytes\n");
				exit(2);
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc || !o->platform_file || !o->system_file ||
	    (!o->out_dir && !o->memory_map && !o->dtb_dir)) {
		fprintf(stderr,
			"tcfg: need --platform, --system and one of --out, --memory-map, --dtbs\n");
		usage(stderr);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	struct options o;
	struct board board;
	struct system sys;
	const void *board_fdt, *sys_fdt;
	struct stat st;

	parse_args(argc, argv, &o);
	if (o.out_dir && (stat(o.out_dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "tcfg: error: %s: not a directory\n", o.out_dir);
		return 1;
	}
	board_fdt = load_dtb(o.platform_file);
	sys_fdt = load_dtb(o.system_file);
	if (!board_fdt || !sys_fdt)
		return 1;
	if (!board_parse(&board, o.platform_file, board_fdt))
		return 1; /* nothing can be checked against a broken board */

	memset(&sys, 0, sizeof(sys));
	sys.name = o.name ? o.name : system_name(o.system_file);
	system_parse(&sys, o.system_file, sys_fdt, &board);
	check_system(&sys, &board, &o);
	if (tcfg_error_count())
		return 1;

	layout_system(&sys, &board);
	guest_dt_build(&sys, &board, &o);
	if (tcfg_error_count())
		return 1;
	print_warnings();

	if (o.out_dir && !output_write(&sys, &board, &o))
		return 1;
	if (o.dtb_dir && !output_dtbs(&sys, o.dtb_dir))
		return 1;
	if (o.memory_map)
		memmap_print(stdout, &sys, &board);
	return 0;
}
