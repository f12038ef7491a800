/* tmpdb.c -- a database file in its own temporary directory for the store's unit tests. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tmpdb.h"

int
tmpdb_make(const char *tag, char *dir, size_t dsize, char *path, size_t psize)
{
	int n;

	n = snprintf(dir, dsize, "/tmp/fts-%s-XXXXXX", tag);
	if (n < 0 || (size_t)n >= dsize || mkdtemp(dir) == NULL) {
		fprintf(stderr, "tmpdb: cannot make a directory for %s\n", tag);
		return -1;
	}
	n = snprintf(path, psize, "%s/t.db", dir);
	if (n < 0 || (size_t)n >= psize) {
		fprintf(stderr, "tmpdb: path too long in %s\n", dir);
		return -1;
	}
	return 0;
}

void
tmpdb_remove(const char *dir, const char *path)
{
	static const char *const suffix[] = { "-wal", "-shm" };
	char	 p[512];
	size_t	 i;

	unlink(path);
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		unlink(p);
	}
	rmdir(dir);
}
