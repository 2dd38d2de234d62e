/* test_vars.c: the name -> value map of variables and secrets, small (searched
 * in order) and large (hashed): every name found, values replaced in place,
 * the order of first set kept, nothing left after clear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "script/vars.h"

static void small_map_sets_gets_and_replaces(void **state)
{
	struct vars v = {0};

	(void)state;
	assert_null(vars_get(&v, "A"));
	assert_null(vars_get(NULL, "A"));
	vars_set(&v, "A", "1");
	vars_set(&v, "B", "2");
	vars_set(&v, "A", "3");
	assert_int_equal(v.count, 2);
	assert_string_equal(vars_get(&v, "A"), "3");
	assert_string_equal(vars_get(&v, "B"), "2");
	assert_string_equal(v.items[0].name, "A");
	vars_clear(&v);
	assert_int_equal(v.count, 0);
	assert_null(vars_get(&v, "A"));
}

/* Thousands of names, as a long generated script sets them: each is found,
 * in the order it was first set, and a replaced value stays in its place. */
static void many_names_are_all_found_in_order(void **state)
{
	enum { N = 20000 };
	struct vars v = {0}, copy = {0};
	char name[32], value[32];
	int i;

	(void)state;
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "NAME_%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		vars_set(&v, name, value);
	}
	vars_set(&v, "NAME_123", "replaced");
	assert_int_equal(v.count, N);
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "NAME_%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		assert_string_equal(v.items[i].name, name);
		assert_string_equal(vars_get(&v, name), i == 123 ? "replaced" : value);
	}
	assert_null(vars_get(&v, "NAME_20000"));
	assert_null(vars_get(&v, "name_1"));
	vars_copy(&copy, &v);
	assert_int_equal(copy.count, N);
	assert_string_equal(vars_get(&copy, "NAME_19999"), "v19999");
	vars_clear(&v);
	vars_clear(&copy);
	assert_null(v.items);
	assert_null(v.slots);
}

static void unset_keeps_the_others_found_and_in_order(void **state)
{
	struct vars v = { 0 };
	char name[16], value[16];
	size_t i, seen = 0;

	(void)state;
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "N%zu", i);
		snprintf(value, sizeof(value), "v%zu", i);
		vars_set(&v, name, value);
	}
	for (i = 0; i < 40; i += 3) {
		snprintf(name, sizeof(name), "N%zu", i);
		vars_unset(&v, name);
	}
	vars_unset(&v, "absent");
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "N%zu", i);
		snprintf(value, sizeof(value), "v%zu", i);
		if (i % 3 == 0) {
			assert_null(vars_get(&v, name));
			continue;
		}
		assert_non_null(vars_get(&v, name));
		assert_string_equal(vars_get(&v, name), value);
		/* The order of first set holds for those left. */
		assert_string_equal(v.items[seen++].name, name);
	}
	assert_int_equal(v.count, seen);
	vars_set(&v, "N3", "back");
	assert_string_equal(vars_get(&v, "N3"), "back");
	assert_string_equal(v.items[v.count - 1].name, "N3");
	vars_clear(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(small_map_sets_gets_and_replaces),
		cmocka_unit_test(many_names_are_all_found_in_order),
		cmocka_unit_test(unset_keeps_the_others_found_and_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
