/*
 * Kernel-command-line style arguments: whitespace-separated tokens "key=value" or "key".
 *
 * Host-safe.  Values cannot contain whitespace (no quoting).
 */
#ifndef GUEST_BOOTARGS_H
#define GUEST_BOOTARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of the first token with this key ("" for a bare key); false if absent or if it
 * does not fit in size bytes with its NUL. */
bool bootargs_get(const char *args, const char *key, char *value, size_t size);
/* True if a token has this key, with or without a value. */
bool bootargs_has(const char *args, const char *key);
/* A value that is a whole number (decimal, 0x hex or 0 octal) up to UINT32_MAX. */
bool bootargs_get_u32(const char *args, const char *key, uint32_t *out);

#endif /* GUEST_BOOTARGS_H */
