/*
 * Property readers for tcfg: typed, length-checked access to DTB properties.
 *
 * Every value is checked for its exact shape (cell count, one string, a
 * string list) so a typo in a description is reported rather than read as
 * something else.  Messages name the node path and the property.
 */
#include <ctype.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "tcfg.h"

static const void *get(const struct node *n, const char *name, bool required, u32 *len, bool *ok)
{
	int l;
	const void *v = fdt_getprop(n->fdt, n->off, name, &l);

	if (!v) {
		if (required) {
			tcfg_error(n->path, "missing required property \"%s\"", name);
			*ok = false;
		}
		return NULL;
	}
	*len = (u32)l;
	return v;
}

static bool printable(const char *s, u32 len);

/* "name must be <what>, not N bytes", or, for a string, how numbers are written. */
static void not_cells(const struct node *n, const char *name, const char *what, const void *v,
		      u32 len)
{
	if (len > 1 && printable(v, len))
		tcfg_error(n->path,
			   "\"%s\" must be %s, not the string \"%s\" (numbers go in angle "
			   "brackets: %s = <...>)",
			   name, what, (const char *)v, name);
	else
		tcfg_error(n->path, "\"%s\" must be %s, not %u bytes", name, what, len);
}

static u32 cell(const void *v, u32 i)
{
	fdt32_t c;

	memcpy(&c, (const u8 *)v + 4 * i, sizeof(c));
	return fdt32_to_cpu(c);
}

/* A number of the right length that is also a string ("32M"): said if the description fails. */
static void suspect(const struct node *n, const char *name, const void *v, u32 len, u64 value)
{
	if (printable(v, len))
		tcfg_suspect_string(n->path, name, v, value);
}

bool prop_addr(const struct node *n, const char *name, bool required, u64 *v, bool *ok)
{
	u32 len;
	const void *p = get(n, name, required, &len, ok);

	if (!p)
		return false;
	if (len == 4) {
		*v = cell(p, 0);
	} else if (len == 8) {
		*v = (u64)cell(p, 0) << 32 | cell(p, 1);
	} else {
		not_cells(n, name, "1 or 2 cells", p, len);
		*ok = false;
		return false;
	}
	suspect(n, name, p, len, *v);
	return true;
}

bool prop_u32(const struct node *n, const char *name, bool required, u32 *v, bool *ok)
{
	u32 len;
	const void *p = get(n, name, required, &len, ok);

	if (!p)
		return false;
	if (len != 4) {
		not_cells(n, name, "1 cell", p, len);
		*ok = false;
		return false;
	}
	*v = cell(p, 0);
	suspect(n, name, p, len, *v);
	return true;
}

bool prop_cells(const struct node *n, const char *name, bool required, u32 **v, u32 *count,
		bool *ok)
{
	u32 len, i;
	const void *p = get(n, name, required, &len, ok);

	if (!p)
		return false;
	if (len == 0 || len % 4) {
		not_cells(n, name, "a list of cells", p, len);
		*ok = false;
		return false;
	}
	*count = len / 4;
	*v = tcfg_alloc(len);
	for (i = 0; i < *count; i++)
		(*v)[i] = cell(p, i);
	/* cpus = "1 2" is one cell's worth of bytes: said first if the description fails. */
	suspect(n, name, p, len, (*v)[0]);
	return true;
}

/* A run of printable characters ending in a NUL at 'end - 1'. */
static bool printable(const char *s, u32 len)
{
	u32 i;

	for (i = 0; i + 1 < len; i++)
		if (!isprint((unsigned char)s[i]))
			return false;
	return len > 0 && s[len - 1] == '\0';
}

bool prop_string(const struct node *n, const char *name, bool required, const char **v, bool *ok)
{
	u32 len;
	const char *p = get(n, name, required, &len, ok);

	if (!p)
		return false;
	if (!printable(p, len)) {
		tcfg_error(n->path, "\"%s\" must be one string of printable characters", name);
		*ok = false;
		return false;
	}
	*v = p;
	return true;
}

bool prop_strings(const struct node *n, const char *name, bool required, const char **v, u32 *len,
		  bool *ok)
{
	u32 l, start = 0, i;
	const char *p = get(n, name, required, &l, ok);

	if (!p)
		return false;
	for (i = 0; i < l; i++) {
		if (p[i] != '\0')
			continue;
		if (i == start || !printable(p + start, i - start + 1))
			break;
		start = i + 1;
	}
	if (l == 0 || i < l || start != l) {
		tcfg_error(n->path, "\"%s\" must be a list of non-empty printable strings", name);
		*ok = false;
		return false;
	}
	*v = p;
	*len = l;
	return true;
}

bool prop_flag(const struct node *n, const char *name, bool *ok)
{
	u32 len;

	if (!get(n, name, false, &len, ok))
		return false;
	if (len) {
		tcfg_error(n->path, "\"%s\" is a flag: it takes no value", name);
		*ok = false;
	}
	return true;
}

bool prop_access(const struct node *n, const char *name, const char *allowed, u32 *v, bool *ok)
{
	const char *s;
	const char *c;
	u32 bits = 0, bit;

	if (!prop_string(n, name, false, &s, ok))
		return false;
	for (c = s; *c; c++) {
		bit = *c == 'r' ? CFG_ACCESS_R :
		      *c == 'w' ? CFG_ACCESS_W :
		      *c == 'x' ? CFG_ACCESS_X :
				  0;
		if (!bit || !strchr(allowed, *c) || (bits & bit))
			break;
		bits |= bit;
	}
	if (*c || !bits) {
		tcfg_error(n->path, "\"%s\" must be distinct letters of \"%s\", not \"%s\"", name,
			   allowed, s);
		*ok = false;
		return false;
	}
	*v = bits;
	return true;
}

bool prop_ranges(const struct node *n, const char *name, struct range **v, u32 *count, bool *ok)
{
	u32 len, i;
	const void *p = get(n, name, true, &len, ok);

	if (!p)
		return false;
	if (len == 0 || len % 16) {
		tcfg_error(n->path, "\"%s\" must be <base-hi base-lo size-hi size-lo> pairs", name);
		*ok = false;
		return false;
	}
	*count = len / 16;
	*v = tcfg_alloc(*count * sizeof(**v));
	for (i = 0; i < *count; i++) {
		(*v)[i].base = (u64)cell(p, 4 * i) << 32 | cell(p, 4 * i + 1);
		(*v)[i].size = (u64)cell(p, 4 * i + 2) << 32 | cell(p, 4 * i + 3);
	}
	return true;
}

void prop_check_known(const struct node *n, const char *const *known, bool *ok)
{
	int off;

	fdt_for_each_property_offset(off, n->fdt, n->off)
	{
		const char *name;
		const char *const *k;

		if (!fdt_getprop_by_offset(n->fdt, off, &name, NULL))
			continue;
		if (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle"))
			continue; /* added by dtc when something refers to the node */
		for (k = known; *k; k++)
			if (!strcmp(name, *k))
				break;
		if (!*k) {
			tcfg_error(n->path, "unknown property \"%s\"", name);
			*ok = false;
		}
	}
}

bool node_unit(const struct node *parent, const char *name, const char *base, u32 *unit, bool *ok)
{
	size_t bl = strlen(base);
	const char *u = name + bl;
	char path[TCFG_PATH_MAX];
	char *end;
	unsigned long v;

	if (strncmp(name, base, bl) != 0 || (*u != '@' && *u != '\0'))
		return false;
	node_child_path(path, sizeof(path), parent->path, name);
	/* Unit addresses are lower-case hex without leading zeros (DT spec 2.2.1). */
	if (*u != '@' || !u[1] || strlen(u + 1) > 8 || (u[1] == '0' && u[2]) ||
	    strspn(u + 1, "0123456789abcdef") != strlen(u + 1)) {
		tcfg_error(path, "node name must be %s@<index> (index in lower-case hex)", base);
		*unit = UINT32_MAX;
		*ok = false;
		return true;
	}
	v = strtoul(u + 1, &end, 16);
	*unit = (u32)v;
	return true;
}

void node_child_path(char *buf, size_t size, const char *parent, const char *name)
{
	snprintf(buf, size, "%s/%s", strcmp(parent, "/") ? parent : "", name);
}

bool label_valid(const char *s)
{
	size_t len = strlen(s);

	return len >= 1 && len < CFG_NAME_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == len;
}

static uint32_t be32_at(const char *p)
{
	fdt32_t v;

	memcpy(&v, p, sizeof(v));
	return fdt32_to_cpu(v);
}

/*
 * The structure block's tokens, each within the block: libfdt 1.6.1's fdt_check_full()
 * never returns on a property whose length wraps the offset back (0xfffffff4 lands on its
 * own tag; later libfdt checks for the overflow).
 */
static int struct_sound(const void *fdt)
{
	const char *p = (const char *)fdt + fdt_off_dt_struct(fdt);
	size_t size = fdt_totalsize(fdt) - fdt_off_dt_struct(fdt), off = 0, n;
	const char *end;

	if (fdt_version(fdt) >= 17 && fdt_size_dt_struct(fdt) < size)
		size = fdt_size_dt_struct(fdt);
	while (size - off >= 4) {
		uint32_t tag = be32_at(p + off);

		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			end = memchr(p + off, 0, size - off);
			if (!end)
				return -FDT_ERR_TRUNCATED;
			n = (size_t)(end - (p + off));
			off += (n + 1 + 3) & ~(size_t)3;
			break;
		case FDT_PROP:
			if (size - off < 8 || be32_at(p + off) > size - off - 8)
				return -FDT_ERR_TRUNCATED;
			off += 8 + ((be32_at(p + off) + 3) & ~3U);
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		if (off > size)
			return -FDT_ERR_TRUNCATED;
	}
	return -FDT_ERR_TRUNCATED;
}

int dtb_check(const void *fdt, size_t size)
{
	int err;

	if (size < sizeof(struct fdt_header))
		return -FDT_ERR_TRUNCATED;
	if (fdt_magic(fdt) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	/*
	 * dtc writes version 17.  Before version 16 a node's name is its whole
	 * path, and libfdt 1.6.1's fdt_check_full() dereferences NULL on a root
	 * node without one (fdt_get_name() fails): refuse those first.
	 */
	if (fdt_version(fdt) < 16)
		return -FDT_ERR_BADVERSION;
	err = fdt_check_header(fdt);
	if (err)
		return err;
	if (fdt_totalsize(fdt) > size)
		return -FDT_ERR_TRUNCATED;
	err = struct_sound(fdt);
	if (err)
		return err;
	/* The whole structure, so that every later libfdt call reads a sound tree. */
	return fdt_check_full(fdt, size);
}
