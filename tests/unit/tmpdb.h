/* tmpdb.h -- a database file in its own temporary directory for the store's unit tests. */
#ifndef TMPDB_H
#define TMPDB_H

#include <stddef.h>

#include "store.h"

/*
 * Make /tmp/fts-TAG-XXXXXX into dir[dsize] and put "dir/t.db" in
 * path[psize]: 0, or -1 (with the reason on stderr).
 */
int	tmpdb_make(const char *tag, char *dir, size_t dsize, char *path, size_t psize);
/* Remove a database file and its -wal and -shm files, those that exist. */
void	tmpdb_unlink(const char *path);
/* Remove the database, its -wal and -shm files, and the directory. */
void	tmpdb_remove(const char *dir, const char *path);

/* A test's database: its directory, its file, the store when open. */
struct tmpdb {
	char		 dir[64];
	char		 path[128];
	struct store	*st;		/* NULL until opened */
};
/*
 * tmpdb_make into t and, when open is 1, the store opened on it with every
 * migration (a test of a migration opens it itself): 0, or -1 with the
 * reason on stderr.
 */
int	tmpdb_begin(struct tmpdb *t, const char *tag, int open);
/* Close the store if open and remove the files. */
void	tmpdb_end(struct tmpdb *t);
/*
 * A test's setup and teardown: a zeroed fixture of size bytes whose first
 * member is a struct tmpdb, begun as tmpdb_begin says, into *state (0, or
 * -1 with nothing left behind); and its end, freeing it (returns 0).
 */
int	tmpdb_fixture_new(void **state, size_t size, const char *tag, int open);
int	tmpdb_fixture_free(void **state);
/* A plain customer: name, domain, UTC, owned by fm.ana, in execution, every two weeks. */
void	tmpdb_customer_fill(struct store_customer *c, const char *name, const char *domain);

#endif
