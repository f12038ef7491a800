/* test_atomicfile.c -- shared/core/atomicfile.c on a scratch directory: contents, mode, replace vs create, no temp left, errors. */
#include "autoconfig.h"

#include <sys/stat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "atomicfile.h"
#include "tmpdir.h"
#include "unit.h"

static int
setup(void **state)
{
	return tmpdir_fixture_new(state, sizeof(struct tmpdir), "atomicfile");
}

/* name in the test's directory, into p[size]. */
static const char *
at(void **state, const char *name, char *p, size_t size)
{
	if (tmpdir_path(*state, name, p, size) == -1)
		fail_msg("path of %s too long", name);
	return p;
}

enum op { OP_WRITE, OP_CREATE, OP_COPY };

/*
 * One call in the test's directory and what it leaves: the call's return,
 * then the file with its contents and mode, and how many entries the
 * directory holds (so a temporary file left behind shows).
 */
struct step {
	const char	*name;
	enum op		 op;
	const char	*file;
	const char	*data;		/* OP_COPY: the file copied from */
	mode_t		 mode;
	int		 rc;
	const char	*want;
	mode_t		 want_mode;
	int		 entries;
};

/* The steps run in order in one directory, each on what the ones before left. */
static const struct step steps[] = {
	{ .name = "write a new file", .op = OP_WRITE, .file = "a.eml", .data = "first", .mode = 0640,
	  .want = "first", .want_mode = 0640, .entries = 1 },
	{ .name = "write replaces, mode too", .op = OP_WRITE, .file = "a.eml", .data = "second!",
	  .mode = 0600, .want = "second!", .want_mode = 0600, .entries = 1 },
	{ .name = "write an empty file", .op = OP_WRITE, .file = "a.eml", .data = "", .mode = 0644,
	  .want = "", .want_mode = 0644, .entries = 1 },
	{ .name = "create a new file", .op = OP_CREATE, .file = "secret", .data = "winner",
	  .mode = 0600, .want = "winner", .want_mode = 0600, .entries = 2 },
	{ .name = "create never replaces", .op = OP_CREATE, .file = "secret", .data = "loser",
	  .mode = 0600, .rc = 1, .want = "winner", .want_mode = 0600, .entries = 2 },
	{ .name = "write the file to copy", .op = OP_WRITE, .file = "from", .data = "database bytes",
	  .mode = 0600, .want = "database bytes", .want_mode = 0600, .entries = 3 },
	{ .name = "copy", .op = OP_COPY, .file = "to.db", .data = "from", .mode = 0644,
	  .want = "database bytes", .want_mode = 0644, .entries = 4 },
};

/* The file at path holds want with the mode; a failure names the step. */
static void
read_back(const struct step *s, const char *path)
{
	char		 buf[256];
	struct stat	 sb;
	FILE		*f;
	size_t		 n;

	if (stat(path, &sb) == -1)
		fail_msg("%s: %s is missing", s->name, path);
	if ((sb.st_mode & 07777) != s->want_mode)
		fail_msg("%s: mode %o, want %o", s->name, (unsigned)(sb.st_mode & 07777),
		    (unsigned)s->want_mode);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: cannot read %s", s->name, path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n != strlen(s->want) || memcmp(buf, s->want, n) != 0)
		fail_msg("%s: holds \"%.*s\", want \"%s\"", s->name, (int)n, buf, s->want);
}

static void
test_steps(void **state)
{
	const struct step	*s;
	struct result		 r;
	char			 p[128], from[128];
	size_t			 i;
	int			 rc = -1;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s = &steps[i];
		at(state, s->file, p, sizeof(p));
		switch (s->op) {
		case OP_WRITE:
			rc = atomicfile_write(p, s->data, strlen(s->data), s->mode, &r);
			break;
		case OP_CREATE:
			rc = atomicfile_create(p, s->data, strlen(s->data), s->mode, &r);
			break;
		case OP_COPY:
			rc = atomicfile_copy(at(state, s->data, from, sizeof(from)), p, s->mode, &r);
			break;
		}
		if (rc != s->rc)
			fail_msg("%s: returns %d, want %d (%s)", s->name, rc, s->rc,
			    rc == -1 ? r.message : "no error");
		read_back(s, p);
		if (tmpdir_count(*state) != s->entries)
			fail_msg("%s: %d entries, want %d", s->name, tmpdir_count(*state), s->entries);
	}
}

static void
test_errors(void **state)
{
	struct result	r;
	char		p[128], big[5000];

	assert_int_equal(atomicfile_write(at(state, "no-such-dir/a", p, sizeof(p)), "x", 1, 0600, &r), -1);
	assert_int_equal(r.code, RESULT_IO);
	assert_non_null(strstr(r.message, "no-such-dir"));
	assert_int_equal(atomicfile_write(at(state, "", p, sizeof(p)), "x", 1, 0600, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(atomicfile_write(big, "x", 1, 0600, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_int_equal(atomicfile_copy(at(state, "missing", p, sizeof(p)), "unused", 0600, &r), -1);
	assert_non_null(strstr(r.message, "missing"));
	/* A directory in the way of the rename: the temporary file must not stay. */
	assert_int_equal(mkdir(at(state, "sub", p, sizeof(p)), 0700), 0);
	assert_int_equal(atomicfile_write(p, "x", 1, 0600, &r), -1);
	assert_int_equal(tmpdir_count(*state), 1);
	assert_int_equal(rmdir(p), 0);
}

UNIT_MAIN("atomicfile",
	cmocka_unit_test_setup_teardown(test_steps, setup, tmpdir_fixture_free),
	cmocka_unit_test_setup_teardown(test_errors, setup, tmpdir_fixture_free),
)
