/* sqlcount.c -- LD_PRELOAD shim counting the SQLite statements a process and its forked workers run, into a shared file, to show queries per request. */
#include "autoconfig.h"

#include <sys/mman.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

/*
 * SQLCOUNT_FILE names a file of at least sizeof(struct counts) bytes the
 * benchmark creates and reads.  Mapped shared before the program forks its
 * workers, so every worker adds to the same counters; a request's count is
 * the difference around it.  Counters, all 64-bit:
 *   runs     statements started (first sqlite3_step since prepare or reset)
 *   steps    sqlite3_step calls
 *   rows     steps that returned SQLITE_ROW
 *   prepares sqlite3_prepare_v2/v3 calls (statements not cached)
 *   execs    sqlite3_exec calls (BEGIN, COMMIT, pragmas)
 *   vmsteps  virtual machine steps (SQLITE_STMTSTATUS_VM_STEP): the work done,
 *            which grows with the rows a statement scans, returned or not
 *   fullscan rows visited by full table scans (SQLITE_STMTSTATUS_FULLSCAN_STEP)
 */
struct counts {
	uint64_t	 runs, steps, rows, prepares, execs, vmsteps, fullscan;
};

static struct counts	*sc;

typedef int (*step_fn)(sqlite3_stmt *);
typedef int (*prep2_fn)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
typedef int (*prep3_fn)(sqlite3 *, const char *, int, unsigned int, sqlite3_stmt **, const char **);
typedef int (*exec_fn)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **);
typedef int (*busy_fn)(sqlite3_stmt *);
typedef int (*reset_fn)(sqlite3_stmt *);

/* Move a statement's work counters into ours (and zero them, so none is counted twice). */
static void
take_status(sqlite3_stmt *s)
{
	if (sc == NULL || s == NULL)
		return;
	__atomic_add_fetch(&sc->vmsteps,
	    (uint64_t)sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1), __ATOMIC_RELAXED);
	__atomic_add_fetch(&sc->fullscan,
	    (uint64_t)sqlite3_stmt_status(s, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1), __ATOMIC_RELAXED);
}

__attribute__((constructor)) static void
sqlcount_init(void)
{
	const char	*path = getenv("SQLCOUNT_FILE");
	void		*p;
	int		 fd;

	if (path == NULL || (fd = open(path, O_RDWR)) == -1)
		return;
	p = mmap(NULL, sizeof(struct counts), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p != MAP_FAILED)
		sc = p;
}

static void *
next_sym(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

/*
 * The real function name, looked up once into *real, after one more call
 * is added to the counter at offset off of struct counts (when counting).
 */
static void *
counted(void **real, const char *name, size_t off)
{
	if (*real == NULL)
		*real = next_sym(name);
	if (sc != NULL)
		__atomic_add_fetch((uint64_t *)(void *)((char *)sc + off), 1, __ATOMIC_RELAXED);
	return *real;
}

int sqlite3_step(sqlite3_stmt *s);
int
sqlite3_step(sqlite3_stmt *s)
{
	static step_fn	 real;
	static busy_fn	 busy;
	int		 started, rc;

	if (real == NULL) {
		real = (step_fn)next_sym("sqlite3_step");
		busy = (busy_fn)next_sym("sqlite3_stmt_busy");
	}
	started = busy != NULL && !busy(s);
	rc = real(s);
	if (sc != NULL) {
		__atomic_add_fetch(&sc->steps, 1, __ATOMIC_RELAXED);
		if (started)
			__atomic_add_fetch(&sc->runs, 1, __ATOMIC_RELAXED);
		if (rc == SQLITE_ROW)
			__atomic_add_fetch(&sc->rows, 1, __ATOMIC_RELAXED);
		else
			take_status(s);
	}
	return rc;
}

/* Reset and finalize end a run: count its full-scan rows, then call the real one
 * (name, looked up once into *real). */
static int
take_status_then(sqlite3_stmt *s, reset_fn *real, const char *name)
{
	if (*real == NULL)
		*real = (reset_fn)next_sym(name);
	take_status(s);
	return (*real)(s);
}

int sqlite3_reset(sqlite3_stmt *s);
int
sqlite3_reset(sqlite3_stmt *s)
{
	static reset_fn	 real;

	return take_status_then(s, &real, "sqlite3_reset");
}

int sqlite3_finalize(sqlite3_stmt *s);
int
sqlite3_finalize(sqlite3_stmt *s)
{
	static reset_fn	 real;

	return take_status_then(s, &real, "sqlite3_finalize");
}

int
sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **s, const char **tail)
{
	static void	*real;

	return ((prep2_fn)counted(&real, "sqlite3_prepare_v2", offsetof(struct counts, prepares)))(db,
	    sql, n, s, tail);
}

int
sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned int flags, sqlite3_stmt **s,
    const char **tail)
{
	static void	*real;

	return ((prep3_fn)counted(&real, "sqlite3_prepare_v3", offsetof(struct counts, prepares)))(db,
	    sql, n, flags, s, tail);
}

int
sqlite3_exec(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,
    char **err)
{
	static void	*real;

	return ((exec_fn)counted(&real, "sqlite3_exec", offsetof(struct counts, execs)))(db, sql, cb,
	    arg, err);
}
