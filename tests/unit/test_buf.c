/* test_buf.c -- shared/core/buf.c: buf_array_room grows by doubling, keeps what it holds, and refuses an overflowing size; buf_strings_free frees a list (ASan sees a leak). */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "unit.h"

static void
test_array_room(void **state)
{
	static const size_t	 want_cap[] = { 4, 4, 4, 4, 8, 8, 8, 8, 16, 16 };
	int			*v = NULL, *nv;
	size_t			 n, cap = 0, i;

	(void)state;
	for (n = 0; n < sizeof(want_cap) / sizeof(want_cap[0]); n++) {
		nv = buf_array_room(v, n, &cap, sizeof(*v), 4);
		assert_non_null(nv);
		v = nv;
		v[n] = (int)n * 7;
		if (cap != want_cap[n])
			fail_msg("after %zu elements: cap %zu, want %zu", n + 1, cap, want_cap[n]);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(v[i], (int)i * 7);
	/* Room left: the same array back, cap unchanged. */
	cap = 32;
	assert_ptr_equal(buf_array_room(v, n, &cap, sizeof(*v), 4), v);
	assert_int_equal(cap, 32);
	/* Doubling past SIZE_MAX bytes: refused, nothing changed. */
	cap = SIZE_MAX / 8 + 1;
	assert_null(buf_array_room(v, cap, &cap, 8, 4));
	assert_int_equal(cap, SIZE_MAX / 8 + 1);
	free(v);
}

static void
test_strings_free(void **state)
{
	char	**v = calloc(3, sizeof(*v));

	(void)state;
	assert_non_null(v);
	v[0] = strdup("a");
	v[1] = strdup("b");
	/* v[2] stays NULL: a list cut short by a failed strdup is freed the same way. */
	buf_strings_free(v, 3);
	buf_strings_free(NULL, 0);
	buf_strings_free(NULL, 5);
}

/* Unreserved bytes as they are, every other byte (UTF-8, space, '~', '&', '%') as %XX. */
static void
test_put_urlencoded(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_put_urlencoded(&b, "AZaz09-_."), 0);
	assert_string_equal(buf_cstr(&b), "AZaz09-_.");
	buf_reset(&b);
	assert_int_equal(buf_put_urlencoded(&b, "S\xc3\xa3o Paulo&x=1%~/@"), 0);
	assert_string_equal(buf_cstr(&b), "S%C3%A3o%20Paulo%26x%3D1%25%7E%2F%40");
	buf_reset(&b);
	assert_int_equal(buf_put_urlencoded(&b, ""), 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
}

UNIT_MAIN("buf",
	cmocka_unit_test(test_array_room),
	cmocka_unit_test(test_strings_free),
	cmocka_unit_test(test_put_urlencoded),
)
