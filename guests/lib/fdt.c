/*
 * Flattened device tree reader (Devicetree Specification v0.4, chapter 5).
 *
 * Offsets are into the structure block.  All multi-byte values are big-endian and read byte by
 * byte, so nothing here depends on the blob's alignment, and every read is checked against the
 * block it belongs to.
 */
#include "fdt.h"

#include <string.h>

/* Structure block tokens (DT spec 5.4.1). */
#define FDT_BEGIN_NODE 0x1U
#define FDT_END_NODE 0x2U
#define FDT_PROP 0x3U
#define FDT_NOP 0x4U
#define FDT_END 0x9U

#define FDT_HEADER_SIZE 40U
#define FDT_MAX_DEPTH 32
#define FDT_TAG_SIZE 4

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint32_t align4(uint32_t v)
{
	return (v + 3U) & ~3U;
}

/* Promises: true iff [off, off + len) lies inside the structure block. */
static bool in_struct(const struct fdt *fdt, uint32_t off, uint32_t len)
{
	return off <= fdt->struct_size && len <= fdt->struct_size - off;
}

static const uint8_t *struct_ptr(const struct fdt *fdt, uint32_t off)
{
	return fdt->blob + fdt->struct_off + off;
}

bool fdt_init(struct fdt *fdt, const void *blob)
{
	const uint8_t *b = blob;
	uint32_t size, off_struct, off_strings, version, last_comp, size_strings, size_struct;

	memset(fdt, 0, sizeof(*fdt));
	if (!b || be32(b) != FDT_MAGIC)
		return false;
	size = be32(b + 4);
	off_struct = be32(b + 8);
	off_strings = be32(b + 12);
	version = be32(b + 20);
	last_comp = be32(b + 24);
	size_strings = be32(b + 32);
	if (size < FDT_HEADER_SIZE || size > FDT_MAX_SIZE)
		return false;
	if (version < 16 || last_comp > 17)
		return false;
	/* size_dt_struct exists from version 17 (DT spec 5.2). */
	if (off_struct > size || (off_struct & 3U) != 0)
		return false;
	size_struct = version >= 17 ? be32(b + 36) : size - off_struct;
	if (size_struct > size - off_struct)
		return false;
	if (off_strings > size || size_strings > size - off_strings)
		return false;
	fdt->blob = b;
	fdt->size = size;
	fdt->struct_off = off_struct;
	fdt->struct_size = size_struct;
	fdt->strings_off = off_strings;
	fdt->strings_size = size_strings;
	return true;
}

/*
 * Promises: reads the tag at off into *tag and returns the offset of the tag after it
 * (skipping a node's name or a property's value), or -1 if the tag or what it covers leaves
 * the structure block or is unknown.
 */
static int next_tag(const struct fdt *fdt, int off, uint32_t *tag)
{
	uint32_t o = (uint32_t)off, len;
	const uint8_t *p;

	if (off < 0 || !in_struct(fdt, o, FDT_TAG_SIZE))
		return -1;
	*tag = be32(struct_ptr(fdt, o));
	o += FDT_TAG_SIZE;
	switch (*tag) {
	case FDT_BEGIN_NODE:
		p = struct_ptr(fdt, o);
		len = 0;
		while (in_struct(fdt, o + len, 1) && p[len] != '\0')
			len++;
		if (!in_struct(fdt, o + len, 1))
			return -1;
		o = align4(o + len + 1);
		break;
	case FDT_PROP:
		if (!in_struct(fdt, o, 8))
			return -1;
		len = be32(struct_ptr(fdt, o));
		o += 8;
		if (!in_struct(fdt, o, len))
			return -1;
		o = align4(o + len);
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -1;
	}
	if (o > fdt->struct_size)
		return -1;
	return (int)o;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	uint32_t tag;
	int off = node < 0 ? 0 : node;

	if (!fdt->blob)
		return -1;
	if (node >= 0) {
		/* Step over the node's own BEGIN_NODE. */
		off = next_tag(fdt, off, &tag);
		if (off < 0 || tag != FDT_BEGIN_NODE)
			return -1;
	}
	for (;;) {
		int next = next_tag(fdt, off, &tag);
		if (next < 0)
			return -1;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth && node >= 0)
				(*depth)++;
			else if (depth)
				*depth = 0;
			return off;
		case FDT_END_NODE:
			if (depth)
				(*depth)--;
			break;
		case FDT_END:
			return -1;
		default:
			break;
		}
		off = next;
	}
}

int fdt_first_subnode(const struct fdt *fdt, int node)
{
	int depth = 0;
	int off = fdt_next_node(fdt, node, &depth);

	return (off >= 0 && depth == 1) ? off : -1;
}

int fdt_next_subnode(const struct fdt *fdt, int node)
{
	int depth = 1;
	int off = node;

	do {
		off = fdt_next_node(fdt, off, &depth);
		if (off < 0 || depth < 1)
			return -1;
	} while (depth > 1);
	return off;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	uint32_t tag;

	if (next_tag(fdt, node, &tag) < 0 || tag != FDT_BEGIN_NODE)
		return NULL;
	return (const char *)struct_ptr(fdt, (uint32_t)node + FDT_TAG_SIZE);
}

/* Promises: true iff the node name matches name[0..len), with or without its unit address. */
static bool name_matches(const char *node_name, const char *name, size_t len)
{
	if (strncmp(node_name, name, len) != 0)
		return false;
	if (node_name[len] == '\0')
		return true;
	return node_name[len] == '@' && memchr(name, '@', len) == NULL;
}

static int subnode_namelen(const struct fdt *fdt, int parent, const char *name, size_t len)
{
	int off;

	for (off = fdt_first_subnode(fdt, parent); off >= 0; off = fdt_next_subnode(fdt, off)) {
		const char *n = fdt_node_name(fdt, off);

		if (n && name_matches(n, name, len))
			return off;
	}
	return -1;
}

int fdt_subnode(const struct fdt *fdt, int parent, const char *name)
{
	return subnode_namelen(fdt, parent, name, strlen(name));
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	int node = fdt_next_node(fdt, -1, NULL);

	if (!path || path[0] != '/')
		return -1;
	while (node >= 0 && *path) {
		const char *end;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchr(path, '/');
		if (!end)
			end = path + strlen(path);
		node = subnode_namelen(fdt, node, path, (size_t)(end - path));
		path = end;
	}
	return node;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0;
	int off = fdt_next_node(fdt, -1, &depth);

	while (off >= 0 && depth >= 0 && depth < FDT_MAX_DEPTH) {
		stack[depth] = off;
		if (off == node)
			return depth > 0 ? stack[depth - 1] : -1;
		off = fdt_next_node(fdt, off, &depth);
	}
	return -1;
}

/* Promises: the NUL-terminated string at nameoff of the strings block, or NULL. */
static const char *string_at(const struct fdt *fdt, uint32_t nameoff)
{
	const char *s = (const char *)fdt->blob + fdt->strings_off + nameoff;

	if (nameoff >= fdt->strings_size)
		return NULL;
	if (!memchr(s, '\0', fdt->strings_size - nameoff))
		return NULL;
	return s;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
	uint32_t tag;
	int off = next_tag(fdt, node, &tag);

	if (off < 0 || tag != FDT_BEGIN_NODE)
		return NULL;
	for (;;) {
		int next = next_tag(fdt, off, &tag);
		const uint8_t *p;
		const char *pname;

		if (next < 0)
			return NULL;
		if (tag == FDT_NOP) {
			off = next;
			continue;
		}
		if (tag != FDT_PROP)
			return NULL;
		p = struct_ptr(fdt, (uint32_t)off + FDT_TAG_SIZE);
		pname = string_at(fdt, be32(p + 4));
		if (pname && strcmp(pname, name) == 0) {
			if (len)
				*len = be32(p);
			return p + 8;
		}
		off = next;
	}
}

bool fdt_getprop_cell(const struct fdt *fdt, int node, const char *name, uint32_t index,
		      uint32_t *out)
{
	uint32_t len;
	const uint8_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || index >= len / 4)
		return false;
	*out = be32(p + 4 * index);
	return true;
}

bool fdt_getprop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
	return fdt_getprop_cell(fdt, node, name, 0, out);
}

const char *fdt_getprop_string(const struct fdt *fdt, int node, const char *name)
{
	uint32_t len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len == 0 || p[len - 1] != '\0')
		return NULL;
	return p;
}

bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compatible)
{
	uint32_t len, pos = 0;
	const char *p = fdt_getprop(fdt, node, "compatible", &len);
	size_t want = strlen(compatible);

	if (!p)
		return false;
	/* A string list (DT spec 2.2.4.1): NUL-terminated strings one after the other. */
	while (pos < len) {
		const char *s = p + pos;
		const char *nul = memchr(s, '\0', len - pos);
		size_t slen;

		if (!nul)
			return false;
		slen = (size_t)(nul - s);
		if (slen == want && memcmp(s, compatible, want) == 0)
			return true;
		pos += (uint32_t)slen + 1;
	}
	return false;
}

int fdt_next_compatible(const struct fdt *fdt, int node, const char *compatible)
{
	int depth = 0;
	int off = node;

	for (;;) {
		off = fdt_next_node(fdt, off, &depth);
		if (off < 0)
			return -1;
		if (fdt_node_is_compatible(fdt, off, compatible))
			return off;
	}
}

/* Promises: a value of `cells` 32-bit cells (at most 2) at p. */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < cells; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

bool fdt_reg(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent(fdt, node);
	uint32_t ac = 2, sc = 1, len, entry;
	const uint8_t *p;

	/* Defaults when the parent does not say (DT spec 2.3.5). */
	if (parent >= 0) {
		fdt_getprop_u32(fdt, parent, "#address-cells", &ac);
		fdt_getprop_u32(fdt, parent, "#size-cells", &sc);
	}
	if (ac < 1 || ac > 2 || sc > 2)
		return false;
	p = fdt_getprop(fdt, node, "reg", &len);
	entry = (ac + sc) * 4;
	if (!p || index >= len / entry)
		return false;
	p += index * entry;
	*addr = read_cells(p, ac);
	*size = read_cells(p + ac * 4, sc);
	return true;
}

bool fdt_memory(const struct fdt *fdt, uint64_t *base, uint64_t *size)
{
	int depth = 0;
	int off = -1;

	for (;;) {
		const char *type;

		off = fdt_next_node(fdt, off, &depth);
		if (off < 0)
			return false;
		type = fdt_getprop_string(fdt, off, "device_type");
		if (type && strcmp(type, "memory") == 0)
			return fdt_reg(fdt, off, 0, base, size);
	}
}

const char *fdt_bootargs(const struct fdt *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	return chosen >= 0 ? fdt_getprop_string(fdt, chosen, "bootargs") : NULL;
}

bool fdt_is_tessera(const struct fdt *fdt)
{
	int node = fdt_path_offset(fdt, "/hypervisor");

	return node >= 0 && fdt_node_is_compatible(fdt, node, "tessera,hypervisor");
}

const char *fdt_psci_method(const struct fdt *fdt)
{
	int node = fdt_path_offset(fdt, "/psci");

	return node >= 0 ? fdt_getprop_string(fdt, node, "method") : NULL;
}

/* Promises: *out describes the channel node at off, whose position among channels is index. */
static void channel_from_node(const struct fdt *fdt, int off, uint32_t index,
			      struct fdt_channel *out)
{
	uint32_t type, num, flags;
	const char *peer;

	memset(out, 0, sizeof(*out));
	out->index = index;
	out->name = fdt_node_name(fdt, off);
	if (!fdt_reg(fdt, off, 0, &out->ipa, &out->size)) {
		out->ipa = 0;
		out->size = 0;
	}
	/* GIC three-cell form (arm,gic binding): <type number flags>, type 0 SPI, 1 PPI. */
	if (fdt_getprop_cell(fdt, off, "interrupts", 0, &type) &&
	    fdt_getprop_cell(fdt, off, "interrupts", 1, &num) &&
	    fdt_getprop_cell(fdt, off, "interrupts", 2, &flags)) {
		out->intid = (type == 0 ? 32U : 16U) + num;
		out->edge = (flags & 0x3U) != 0; /* 1: rising edge, 2: falling edge */
	}
	fdt_getprop_u32(fdt, off, "tessera,channel-id", &out->id);
	peer = fdt_getprop_string(fdt, off, "tessera,peer");
	out->peer = peer ? peer : "";
	out->read_only = fdt_getprop(fdt, off, "read-only", NULL) != NULL;
}

size_t fdt_channels(const struct fdt *fdt, struct fdt_channel *out, size_t max)
{
	size_t count = 0;
	int off = -1;

	while ((off = fdt_next_compatible(fdt, off, "tessera,channel")) >= 0) {
		if (count < max)
			channel_from_node(fdt, off, (uint32_t)count, &out[count]);
		count++;
	}
	return count;
}

bool fdt_channel(const struct fdt *fdt, uint32_t index, struct fdt_channel *out)
{
	uint32_t count = 0;
	int off = -1;

	while ((off = fdt_next_compatible(fdt, off, "tessera,channel")) >= 0) {
		if (count == index) {
			channel_from_node(fdt, off, index, out);
			return true;
		}
		count++;
	}
	return false;
}
