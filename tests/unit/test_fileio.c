/* test_fileio.c -- shared/core/fileio.c: reads stop at the size or the end, writes send everything, random bytes come. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"
#include "unit.h"

/* A pipe holding text, its write end closed: reads see the text, then the end. */
static int
pipe_with(const char *text)
{
	int	 fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(fileio_write(fds[1], text, strlen(text)), 0);
	close(fds[1]);
	return fds[0];
}

static void
test_read(void **state)
{
	static const struct {
		const char	*text;
		size_t		 size, want;
	} cases[] = {
		{ .text = "", .size = 8, .want = 0 },
		{ .text = "abc", .size = 8, .want = 3 },
		{ .text = "abcdefgh", .size = 8, .want = 8 },
		{ .text = "abcdefghijk", .size = 8, .want = 8 },
		{ .text = "abc", .size = 0, .want = 0 },
	};
	char	 buf[16];
	size_t	 i, got;
	int	 fd;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fd = pipe_with(cases[i].text);
		memset(buf, 0, sizeof(buf));
		assert_int_equal(fileio_read(fd, buf, cases[i].size, &got), 0);
		close(fd);
		if (got != cases[i].want || memcmp(buf, cases[i].text, got) != 0)
			fail_msg("case %zu: got %zu bytes, want %zu", i, got, cases[i].want);
	}
	got = 7;
	assert_int_equal(fileio_read(-1, buf, sizeof(buf), &got), -1);
	assert_int_equal(got, 0);
	assert_int_equal(fileio_write(-1, "x", 1), -1);
}

static void
test_random(void **state)
{
	unsigned char	 a[32], b[32];

	(void)state;
	assert_int_equal(fileio_random(a, sizeof(a)), 0);
	assert_int_equal(fileio_random(b, sizeof(b)), 0);
	/* Two equal 32-byte draws would mean the bytes are not random. */
	assert_memory_not_equal(a, b, sizeof(a));
}

UNIT_MAIN("fileio",
	cmocka_unit_test(test_read),
	cmocka_unit_test(test_random),
)
