/* tmpdir.c -- a scratch directory under /tmp for the unit tests that write files. */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tmpdir.h"

int
tmpdir_make(struct tmpdir *t, const char *tag)
{
	int n;

	n = snprintf(t->dir, sizeof(t->dir), "/tmp/fts-%s-XXXXXX", tag);
	if (n < 0 || (size_t)n >= sizeof(t->dir) || mkdtemp(t->dir) == NULL) {
		fprintf(stderr, "tmpdir: cannot make a directory for %s: %s\n", tag,
		    strerror(errno));
		t->dir[0] = '\0';
		return -1;
	}
	return 0;
}

int
tmpdir_path(const struct tmpdir *t, const char *name, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", t->dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
tmpdir_count(const struct tmpdir *t)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	if ((d = opendir(t->dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* nftw callback: remove what it is given, children first (FTW_DEPTH). */
static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) == -1) {
		fprintf(stderr, "tmpdir: cannot remove %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
tmpdir_remove(struct tmpdir *t)
{
	/* FTW_PHYS: a link a test made is removed, never followed out of the directory. */
	if (t->dir[0] == '\0' || nftw(t->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return -1;
	t->dir[0] = '\0';
	return 0;
}

int
tmpdir_fixture_new(void **state, size_t size, const char *tag)
{
	struct tmpdir *t;

	*state = NULL;
	if (size < sizeof(*t) || (t = calloc(1, size)) == NULL)
		return -1;
	if (tmpdir_make(t, tag) == -1) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

int
tmpdir_fixture_free(void **state)
{
	/* The fixture's first member is its struct tmpdir (C11 6.7.2.1p15). */
	struct tmpdir	*t = *state;
	int		 rc = 0;

	if (t != NULL)
		rc = tmpdir_remove(t);
	free(t);
	*state = NULL;
	return rc;
}
