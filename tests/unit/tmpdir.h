/* tmpdir.h -- a scratch directory under /tmp for the unit tests that write files (no database: see tmpdb.h). */
#ifndef TMPDIR_H
#define TMPDIR_H

#include <stddef.h>

/* A test's scratch directory, /tmp/fts-TAG-XXXXXX. */
struct tmpdir {
	char	 dir[64];
};

/* Make the directory into t: 0, or -1 with the reason on stderr. */
int	tmpdir_make(struct tmpdir *t, const char *tag);
/* "dir/name" into out[size]: 0, or -1 when it does not fit (out is then cut). */
int	tmpdir_path(const struct tmpdir *t, const char *name, char *out, size_t size);
/* How many entries the directory holds at its top, . and .. aside; -1 when unreadable. */
int	tmpdir_count(const struct tmpdir *t);
/* Remove the directory and everything under it: 0, or -1 with the reason on stderr. */
int	tmpdir_remove(struct tmpdir *t);
/*
 * A test's setup and teardown: a zeroed fixture of size bytes whose first
 * member is a struct tmpdir, made as tmpdir_make says, into *state (0, or
 * -1 with nothing left behind); and its end, removing it and freeing it
 * (0, or -1 when the directory could not be removed).
 */
int	tmpdir_fixture_new(void **state, size_t size, const char *tag);
int	tmpdir_fixture_free(void **state);

#endif
