/*
 * Host unit tests of the guest library's boot argument parser (guests/lib/bootargs.c).
 */
#include "bootargs.h"
#include "test.h"

TEST(key_value_and_bare_keys)
{
	char v[32];

	EXPECT(bootargs_get("role=producer count=5 test", "role", v, sizeof(v)));
	EXPECT_STREQ(v, "producer");
	EXPECT(bootargs_get("role=producer count=5 test", "count", v, sizeof(v)));
	EXPECT_STREQ(v, "5");
	EXPECT(bootargs_get("role=producer count=5 test", "test", v, sizeof(v)));
	EXPECT_STREQ(v, "");
	EXPECT(bootargs_has("role=producer test", "test"));
	EXPECT(bootargs_has("role=producer test", "role"));
	EXPECT(!bootargs_has("role=producer test", "producer"));
}

TEST(keys_match_whole_tokens_only)
{
	char v[32];

	EXPECT(!bootargs_get("roles=x", "role", v, sizeof(v)));
	EXPECT(!bootargs_get("xrole=x", "role", v, sizeof(v)));
	EXPECT(!bootargs_has("testing", "test"));
	EXPECT(bootargs_get("roles=x role=y", "role", v, sizeof(v)));
	EXPECT_STREQ(v, "y");
	/* The first occurrence wins. */
	EXPECT(bootargs_get("a=1 a=2", "a", v, sizeof(v)));
	EXPECT_STREQ(v, "1");
}

TEST(blanks_empty_and_null)
{
	char v[32];

	EXPECT(bootargs_get("  \tone=1\n two=2  ", "two", v, sizeof(v)));
	EXPECT_STREQ(v, "2");
	EXPECT(bootargs_get("empty= x", "empty", v, sizeof(v)));
	EXPECT_STREQ(v, "");
	EXPECT(!bootargs_has("", "x"));
	EXPECT(!bootargs_has(NULL, "x"));
	EXPECT(!bootargs_has("x", ""));
}

TEST(value_must_fit)
{
	char v[4];

	EXPECT(bootargs_get("k=abc", "k", v, sizeof(v)));
	EXPECT_STREQ(v, "abc");
	EXPECT(!bootargs_get("k=abcd", "k", v, sizeof(v)));
}

TEST(numbers)
{
	uint32_t n = 0;

	EXPECT(bootargs_get_u32("count=42", "count", &n));
	EXPECT_EQ(n, 42);
	EXPECT(bootargs_get_u32("mask=0xff", "mask", &n));
	EXPECT_EQ(n, 0xff);
	EXPECT(bootargs_get_u32("big=4294967295", "big", &n));
	EXPECT_EQ(n, 4294967295U);
	EXPECT(!bootargs_get_u32("big=4294967296", "big", &n));
	EXPECT(!bootargs_get_u32("count=12x", "count", &n));
	EXPECT(!bootargs_get_u32("count=", "count", &n));
	EXPECT(!bootargs_get_u32("count", "count", &n));
	EXPECT(!bootargs_get_u32("other=1", "count", &n));
}

int main(void)
{
	test_suite_name = "guest_bootargs";
	RUN(key_value_and_bare_keys);
	RUN(keys_match_whole_tokens_only);
	RUN(blanks_empty_and_null);
	RUN(value_must_fit);
	RUN(numbers);
	return test_summary();
}
