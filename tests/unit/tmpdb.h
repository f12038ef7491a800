/* tmpdb.h -- a database file in its own temporary directory for the store's unit tests. */
#ifndef TMPDB_H
#define TMPDB_H

#include <stddef.h>

#include "store.h"
#include "tmpdir.h"

/*
 * For a test with a fixture of its own: make /tmp/fts-TAG-XXXXXX into
 * dir[dsize] and put "dir/t.db" in path[psize]: 0, or -1 (with the reason
 * on stderr).
 */
int	tmpdb_make(const char *tag, char *dir, size_t dsize, char *path, size_t psize);
/* Remove the database, its -wal and -shm files, and the directory. */
void	tmpdb_remove(const char *dir, const char *path);

/*
 * A test's database: its directory (first member, so a tmpdb fixture is a
 * tmpdir fixture too), its file "dir/t.db", the store when open.
 */
struct tmpdb {
	struct tmpdir	 tmp;
	char		 path[128];
	struct store	*st;		/* NULL until opened */
};
/*
 * A test's setup and teardown: a zeroed fixture of size bytes whose first
 * member is a struct tmpdb, its directory made and, when open is 1, the
 * store opened on it with every migration and the active FM fm.ana (a test
 * of a migration opens it itself), into *state (0, or -1 with the reason on stderr and nothing left
 * behind); and its end, closing the store if open and removing the
 * directory with all in it (0, or -1 when it could not be removed).
 */
int	tmpdb_fixture_new(void **state, size_t size, const char *tag, int open);
int	tmpdb_fixture_free(void **state);
/* An active user (role fm, manager or admin) named by its login: 0, or -1 said on stderr. */
int	tmpdb_user_add(struct store *st, const char *login, const char *role);
/* A plain customer: name, domain, UTC, owned by fm.ana, in execution, every two weeks. */
void	tmpdb_customer_fill(struct store_customer *c, const char *name, const char *domain);
/* That customer in timezone, stored at now: its id, or -1 said on stderr. */
int64_t	tmpdb_customer_add(struct store *st, const char *name, const char *domain,
	    const char *timezone, int64_t now);

/*
 * In a cmocka test list: test f on a fresh migrated database, the including
 * file's static setup() (which calls tmpdb_fixture_new) and tmpdb_fixture_free.
 */
#define TMPDB_TEST(f) cmocka_unit_test_setup_teardown(f, setup, tmpdb_fixture_free)

#endif
