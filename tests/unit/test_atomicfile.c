/* test_atomicfile.c -- shared/core/atomicfile.c on a scratch directory: contents, mode, replace vs create, no temp left, errors. */
#include "autoconfig.h"

#include <sys/stat.h>
#include <dirent.h>
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

static char	dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/fts-atomicfile.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	DIR		*d;
	struct dirent	*e;
	char		 p[512];

	(void)state;
	if ((d = opendir(dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
			    (e->d_name[1] == '.' && e->d_name[2] == '\0')))
				continue;
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	return rmdir(dir);
}

/* Entries in dir other than . and .. */
static int
entries(void)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
read_back(const char *path, const char *want, mode_t mode)
{
	char		 buf[256];
	struct stat	 sb;
	FILE		*f;
	size_t		 n;

	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, mode);
	assert_non_null(f = fopen(path, "rb"));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(buf, want, n);
}

static void
test_write_replaces(void **state)
{
	struct result	r;
	char		p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/a.eml", dir);
	assert_int_equal(atomicfile_write(p, "first", 5, 0640, &r), 0);
	read_back(p, "first", 0640);
	assert_int_equal(atomicfile_write(p, "second!", 7, 0600, &r), 0);
	read_back(p, "second!", 0600);
	assert_int_equal(atomicfile_write(p, "", 0, 0644, &r), 0);
	read_back(p, "", 0644);
	assert_int_equal(entries(), 1);
}

static void
test_create_never_replaces(void **state)
{
	struct result	r;
	char		p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/secret", dir);
	assert_int_equal(atomicfile_create(p, "winner", 6, 0600, &r), 0);
	assert_int_equal(atomicfile_create(p, "loser", 5, 0600, &r), 1);
	read_back(p, "winner", 0600);
	assert_int_equal(entries(), 1);
}

static void
test_copy(void **state)
{
	struct result	r;
	char		from[128], to[128];

	(void)state;
	snprintf(from, sizeof(from), "%s/from", dir);
	snprintf(to, sizeof(to), "%s/to.db", dir);
	assert_int_equal(atomicfile_write(from, "database bytes", 14, 0600, &r), 0);
	assert_int_equal(atomicfile_copy(from, to, 0644, &r), 0);
	read_back(to, "database bytes", 0644);
	assert_int_equal(entries(), 2);
}

static void
test_errors(void **state)
{
	struct result	r;
	char		p[128], big[5000];

	(void)state;
	snprintf(p, sizeof(p), "%s/no-such-dir/a", dir);
	assert_int_equal(atomicfile_write(p, "x", 1, 0600, &r), -1);
	assert_int_equal(r.code, RESULT_IO);
	assert_non_null(strstr(r.message, "no-such-dir"));
	snprintf(p, sizeof(p), "%s/", dir);
	assert_int_equal(atomicfile_write(p, "x", 1, 0600, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(atomicfile_write(big, "x", 1, 0600, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	snprintf(p, sizeof(p), "%s/missing", dir);
	assert_int_equal(atomicfile_copy(p, "unused", 0600, &r), -1);
	assert_non_null(strstr(r.message, "missing"));
	/* A directory in the way of the rename: the temporary file must not stay. */
	snprintf(p, sizeof(p), "%s/sub", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(atomicfile_write(p, "x", 1, 0600, &r), -1);
	assert_int_equal(entries(), 1);
	assert_int_equal(rmdir(p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_write_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_never_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
