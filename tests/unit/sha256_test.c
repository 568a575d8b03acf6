/*
 * Host tests of SHA-256 (hyp/core/sha256.c): the examples of FIPS 180-4 (as
 * published by NIST's "Examples with Intermediate Values" and the long
 * messages of the SHA validation suite), every length around the padding
 * boundaries against sha256sum, and every guest image the tree builds
 * (every .bin in build/guests) against sha256sum.
 */
#define _XOPEN_SOURCE 700 /* popen, mkstemp, ftruncate */

#include <glob.h>
#include <unistd.h>

#include "test.h"
#include "tessera/sha256.h"

static void hex(const u8 *d, char *out)
{
	for (u32 i = 0; i < SHA256_SIZE; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void digest_hex(const void *data, size_t size, char out[2 * SHA256_SIZE + 1])
{
	u8 d[SHA256_SIZE];

	sha256(data, size, d);
	hex(d, out);
}

/* sha256sum's answer for a file, or "" if it could not run. */
static void sha256sum(const char *file, char out[2 * SHA256_SIZE + 1])
{
	char cmd[4200];
	FILE *p;

	out[0] = '\0';
	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", file);
	p = popen(cmd, "r");
	if (!p)
		return;
	if (fscanf(p, "%64s", out) != 1)
		out[0] = '\0';
	pclose(p);
}

TEST(fips_examples)
{
	char got[65];
	static char million[1000000];

	digest_hex("abc", 3, got);
	EXPECT_STREQ(got, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, got);
	EXPECT_STREQ(got, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	digest_hex("", 0, got);
	EXPECT_STREQ(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	memset(million, 'a', sizeof(million));
	digest_hex(million, sizeof(million), got);
	EXPECT_STREQ(got, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths 0..200 (one, two and three blocks of padding) against sha256sum. */
TEST(padding_lengths_against_sha256sum)
{
	char path[] = "/tmp/tessera-sha256-XXXXXX", got[65], want[65];
	u8 buf[200];
	int fd = mkstemp(path);
	FILE *f;

	EXPECT(fd >= 0);
	if (fd < 0)
		return;
	f = fdopen(fd, "w+");
	for (u32 i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 37 + 11);
	for (u32 n = 0; n <= sizeof(buf); n += n < 50 || (n > 110 && n < 132) ? 1 : 7) {
		rewind(f);
		if (ftruncate(fd, 0) != 0 || fwrite(buf, 1, n, f) != n || fflush(f) != 0) {
			TEST_FAIL_AT("cannot write %s", path);
			break;
		}
		sha256sum(path, want);
		digest_hex(buf, n, got);
		if (strcmp(got, want))
			TEST_FAIL_AT("length %u: %s, sha256sum says %s", n, got, want);
	}
	fclose(f);
	remove(path);
}

/* File 'path' hashed whole against sha256sum; false if it cannot be read. */
static bool file_against_sha256sum(const char *path)
{
	char got[65], want[65];
	FILE *f = fopen(path, "rb");
	bool read = false;
	u8 *data;
	long size;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc((size_t)size + 1);
	if (data && fread(data, 1, (size_t)size, f) == (size_t)size) {
		digest_hex(data, (size_t)size, got);
		sha256sum(path, want);
		if (strcmp(got, want))
			TEST_FAIL_AT("%s: %s, sha256sum says %s", path, got, want);
		read = true;
	}
	free(data);
	fclose(f);
	return read;
}

/*
 * Real binaries against sha256sum: this test program itself (hundreds of KiB, always
 * there) and every guest image the build made, when make test's host phase runs after a
 * build (on a fresh clone it runs first).
 */
static u32 pauses;

static void count_pause(void)
{
	pauses++;
}

/*
 * sha256_paused: the same digest for every step, a pause after each whole step while more
 * whole blocks remain (never after the last, nor for the padding), none with step 0.
 */
TEST(paused_same_digest)
{
	static u8 data[4096 + 100];
	static const size_t sizes[] = { 0, 63, 64, 1024, 1025, 4096, 4096 + 100 };
	static const size_t steps[] = { 0, 64, 1024, 4096 };
	u8 want[SHA256_SIZE], got[SHA256_SIZE];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7 + 3);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t full = sizes[i] - sizes[i] % 64;

		sha256(data, sizes[i], want);
		for (size_t j = 0; j < ARRAY_SIZE(steps); j++) {
			size_t expect = steps[j] && full ? (full - 1) / steps[j] : 0;

			pauses = 0;
			sha256_paused(data, sizes[i], got, steps[j], count_pause);
			EXPECT(memcmp(got, want, SHA256_SIZE) == 0);
			EXPECT_EQ(pauses, expect);
		}
	}
}

TEST(binaries_against_sha256sum)
{
	glob_t g;
	u32 checked = 0;
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1); /* sha256sum's own, else */

	EXPECT(n > 0);
	self[n > 0 ? n : 0] = 0;
	EXPECT(file_against_sha256sum(self));
	if (glob("build/guests/*.bin", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			checked += file_against_sha256sum(g.gl_pathv[i]);
		globfree(&g);
	}
	printf("note: this program and %u guest images checked against sha256sum\n", checked);
}

int main(void)
{
	test_suite_name = "sha256";
	RUN(fips_examples);
	RUN(padding_lengths_against_sha256sum);
	RUN(paused_same_digest);
	RUN(binaries_against_sha256sum);
	return test_summary();
}
