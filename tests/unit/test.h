/*
 * A minimal host unit-test harness.
 *
 * Each test program is one file per module under test. It defines cases with
 * TEST(name) { ... }, registers them in main() with RUN(name), and ends with
 * return test_summary();.  Each case prints one line, "PASS suite.case" or
 * "FAIL suite.case: file:line: message"; tests/run.py counts those lines.
 * Randomised cases take their seed from TEST_SEED (printed on every run).
 */
#ifndef TESSERA_TEST_H
#define TESSERA_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *test_suite_name = "unit";
static int test_failed_cases;
static int test_passed_cases;
static int test_case_failed;

#define TEST(name) static void test_##name(void)

#define RUN(name)                                                                                  \
	do {                                                                                       \
		test_case_failed = 0;                                                              \
		test_##name();                                                                     \
		if (test_case_failed)                                                              \
			test_failed_cases++;                                                       \
		else {                                                                             \
			test_passed_cases++;                                                       \
			printf("PASS %s.%s\n", test_suite_name, #name);                            \
		}                                                                                  \
		fflush(stdout);                                                                    \
	} while (0)

#define TEST_FAIL_AT(fmt, ...)                                                                     \
	do {                                                                                       \
		if (!test_case_failed)                                                             \
			printf("FAIL %s.%s: %s:%d: " fmt "\n", test_suite_name, __func__ + 5,      \
			       __FILE__, __LINE__, __VA_ARGS__);                                   \
		test_case_failed = 1;                                                              \
	} while (0)

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond))                                                                       \
			TEST_FAIL_AT("expected %s", #cond);                                        \
	} while (0)

#define EXPECT_EQ(a, b)                                                                            \
	do {                                                                                       \
		unsigned long long _a = (unsigned long long)(a);                                   \
		unsigned long long _b = (unsigned long long)(b);                                   \
		if (_a != _b)                                                                      \
			TEST_FAIL_AT("%s == %s: 0x%llx != 0x%llx", #a, #b, _a, _b);                \
	} while (0)

#define EXPECT_STREQ(a, b)                                                                         \
	do {                                                                                       \
		const char *_a = (a), *_b = (b);                                                   \
		if (strcmp(_a, _b) != 0)                                                           \
			TEST_FAIL_AT("%s == %s: \"%s\" != \"%s\"", #a, #b, _a, _b);                \
	} while (0)

/* Seed for randomised cases: TEST_SEED from the environment, else the time. */
static inline unsigned test_seed(void)
{
	const char *s = getenv("TEST_SEED");
	unsigned seed = s ? (unsigned)strtoul(s, NULL, 0) : (unsigned)time(NULL);

	printf("# %s: seed %u (rerun with TEST_SEED=%u)\n", test_suite_name, seed, seed);
	return seed;
}

static inline int test_summary(void)
{
	printf("# %s: %d passed, %d failed\n", test_suite_name, test_passed_cases,
	       test_failed_cases);
	return test_failed_cases ? 1 : 0;
}

#endif /* TESSERA_TEST_H */
