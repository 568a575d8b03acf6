/*
 * A small read-only flattened device tree reader (Devicetree Specification v0.4, chapter 5),
 * for guests that carry no libfdt.
 *
 * Host-safe: no hardware access, so the host unit tests build it.  Every read is bounds-checked
 * against the blob's totalsize; a malformed blob yields "not found", never a fault.  Node
 * handles are offsets of FDT_BEGIN_NODE tokens in the structure block; -1 means none.
 *
 * Above the generic reader are the queries the guests need: /memory, /chosen/bootargs, the
 * /hypervisor node and Tessera channels (nodes compatible "tessera,channel").
 */
#ifndef GUEST_FDT_H
#define GUEST_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FDT_MAGIC 0xd00dfeedU
#define FDT_MAX_SIZE 0x100000U /* sanity limit on totalsize: 1 MiB */

struct fdt {
	const uint8_t *blob;
	uint32_t size; /* totalsize */
	uint32_t struct_off; /* structure block */
	uint32_t struct_size;
	uint32_t strings_off; /* strings block */
	uint32_t strings_size;
};

/* Check the header (magic, version 16/17, blocks inside totalsize); false: "no DTB". */
bool fdt_init(struct fdt *fdt, const void *blob);
/* The node after `node` in document order (node -1: the root), depth updated as in libfdt. */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
int fdt_first_subnode(const struct fdt *fdt, int node);
int fdt_next_subnode(const struct fdt *fdt, int node);
/* A child by name; "memory" also matches "memory@40000000". */
int fdt_subnode(const struct fdt *fdt, int parent, const char *name);
/* A node by absolute path, "/" for the root. */
int fdt_path_offset(const struct fdt *fdt, const char *path);
int fdt_parent(const struct fdt *fdt, int node);
const char *fdt_node_name(const struct fdt *fdt, int node);
/* A property's value and length, NULL if absent; values are big-endian. */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len);
bool fdt_getprop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);
bool fdt_getprop_cell(const struct fdt *fdt, int node, const char *name, uint32_t index,
		      uint32_t *out);
const char *fdt_getprop_string(const struct fdt *fdt, int node, const char *name);
bool fdt_node_is_compatible(const struct fdt *fdt, int node, const char *compatible);
int fdt_next_compatible(const struct fdt *fdt, int node, const char *compatible);
/* Entry `index` of "reg", with the parent's #address-cells/#size-cells (at most 2 each). */
bool fdt_reg(const struct fdt *fdt, int node, uint32_t index, uint64_t *addr, uint64_t *size);

bool fdt_memory(const struct fdt *fdt, uint64_t *base, uint64_t *size);
const char *fdt_bootargs(const struct fdt *fdt);
bool fdt_is_tessera(const struct fdt *fdt);
const char *fdt_psci_method(const struct fdt *fdt);

/* A Tessera channel endpoint as described by this partition's device tree. */
struct fdt_channel {
	uint32_t index; /* order among the tessera,channel nodes: the hypercall index */
	const char *name; /* node name */
	uint64_t ipa; /* shared memory */
	uint64_t size;
	uint32_t intid; /* doorbell INTID (SPI n: 32 + n); 0 when absent */
	bool edge; /* doorbell is edge-triggered */
	uint32_t id; /* tessera,channel-id */
	const char *peer; /* tessera,peer, "" when absent */
	bool read_only; /* "read-only" present: this partition cannot write */
};

/* Every channel in order: fills up to max, returns how many there are. */
size_t fdt_channels(const struct fdt *fdt, struct fdt_channel *out, size_t max);
/* The channel with hypercall index `index`. */
bool fdt_channel(const struct fdt *fdt, uint32_t index, struct fdt_channel *out);

#endif /* GUEST_FDT_H */
