/* tmpdb.h -- a database file in its own temporary directory for the store's unit tests. */
#ifndef TMPDB_H
#define TMPDB_H

#include <stddef.h>

/*
 * Make /tmp/fts-TAG-XXXXXX into dir[dsize] and put "dir/t.db" in
 * path[psize]: 0, or -1 (with the reason on stderr).
 */
int	tmpdb_make(const char *tag, char *dir, size_t dsize, char *path, size_t psize);
/* Remove the database, its -wal and -shm files, and the directory. */
void	tmpdb_remove(const char *dir, const char *path);

#endif
