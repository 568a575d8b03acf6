/*
 * Boot argument parsing: "key=value" and "key" tokens separated by blanks.
 */
#include "bootargs.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Promises: finds the first token whose key is `key`; sets *val and *val_len to its value
 * ("" for a bare key).  Returns false if there is none.
 */
static bool find_token(const char *args, const char *key, const char **val, size_t *val_len)
{
	size_t key_len = strlen(key);
	const char *p = args;

	if (!args || key_len == 0)
		return false;
	while (*p) {
		const char *start, *end;

		while (is_blank(*p))
			p++;
		start = p;
		while (*p && !is_blank(*p))
			p++;
		end = p;
		if ((size_t)(end - start) >= key_len && strncmp(start, key, key_len) == 0) {
			const char *after = start + key_len;

			if (after == end) {
				*val = after;
				*val_len = 0;
				return true;
			}
			if (*after == '=') {
				*val = after + 1;
				*val_len = (size_t)(end - after - 1);
				return true;
			}
		}
	}
	return false;
}

bool bootargs_get(const char *args, const char *key, char *value, size_t size)
{
	const char *val;
	size_t len;

	if (!find_token(args, key, &val, &len) || len >= size)
		return false;
	memcpy(value, val, len);
	value[len] = '\0';
	return true;
}

bool bootargs_has(const char *args, const char *key)
{
	const char *val;
	size_t len;

	return find_token(args, key, &val, &len);
}

bool bootargs_get_u32(const char *args, const char *key, uint32_t *out)
{
	char buf[16];
	char *end;
	unsigned long long v;

	if (!bootargs_get(args, key, buf, sizeof(buf)) || buf[0] == '\0')
		return false;
	v = strtoull(buf, &end, 0);
	if (*end != '\0' || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}
