/*
 * Host tests of the formatter (hyp/core/fmt.c), against the C library's snprintf
 * as the oracle for every conversion the hypervisor uses (hyp/core/fmt.h), and no more.
 */
#include "test.h"
#include "hyp/core/fmt.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

static char got[256], want[256];

#define SAME(...)                                                                                  \
	do {                                                                                       \
		size_t _n = fmt_snprintf(got, sizeof(got), __VA_ARGS__);                           \
		int _m = snprintf(want, sizeof(want), __VA_ARGS__);                                \
		EXPECT_STREQ(got, want);                                                           \
		EXPECT_EQ(_n, (size_t)_m);                                                         \
	} while (0)

TEST(integers)
{
	SAME("%d %d %u", 0, -1, 4294967295U);
	SAME("%d", -2147483647 - 1);
	SAME("[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
	SAME("%x %02x %08x %07x %x", 0xdeadbeefU, 0xabcU, 0x1fU, 0x1234U, 0U);
	SAME("r%-2u r%-2u|%08llx %llx", 3U, 12U, 0x80000000ULL, 0x100000000ULL);
	SAME("%lld %llu %llx", -9223372036854775807LL - 1, 18446744073709551615ULL,
	     0x123456789abcdefULL);
	SAME("%*d|%-*d", 6, 7, 6, 7);
}

TEST(strings)
{
	SAME("%s|%10s|%-10s|", "abc", "abc", "abc");
	SAME("%.2s|%.*s|%.0s|", "abcdef", 3, "abcdef", "x");
	SAME("100%% done");
}

TEST(truncation)
{
	char small[8];
	size_t n = fmt_snprintf(small, sizeof(small), "%s", "0123456789");

	EXPECT_EQ(n, 10);
	EXPECT_STREQ(small, "0123456");
	n = fmt_snprintf(small, 0, "%d", 12345);
	EXPECT_EQ(n, 5);
	n = fmt_snprintf(small, 1, "abc");
	EXPECT_EQ(n, 3);
	EXPECT_STREQ(small, "");
}

TEST(null_string_and_unknown_conversion)
{
	/* Through a variable format: the checks would (rightly) refuse literal misuse. */
	const char *volatile fmt_null = "%s", *volatile fmt_bad = "%q%";
	const char *volatile null_str = NULL;

	fmt_snprintf(got, sizeof(got), fmt_null, null_str);
	EXPECT_STREQ(got, "(null)");
	fmt_snprintf(got, sizeof(got), fmt_bad);
	EXPECT_STREQ(got, "%q");
}

TEST(random_against_libc)
{
	unsigned seed = test_seed();
	int i;

	srand(seed);
	for (i = 0; i < 20000 && !test_case_failed; i++) {
		unsigned v = (unsigned)rand() ^ ((unsigned)rand() << 16);
		long long sv = ((long long)rand() << 32 | (unsigned)rand()) * (rand() & 1 ? 1 : -1);
		int width = rand() % 20;

		SAME("%*u %*x %-*d %0*lld", width, v, width, v, width, (int)v, width, sv);
	}
}

int main(void)
{
	test_suite_name = "fmt";
	RUN(integers);
	RUN(strings);
	RUN(truncation);
	RUN(null_string_and_unknown_conversion);
	RUN(random_against_libc);
	return test_summary();
}
