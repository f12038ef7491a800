/* sqlite_insert.c -- the write-path reference: one-row transactions into SQLite with WAL and synchronous=FULL, as store.c opens it. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "bench.h"

static int
exec_or_die(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlite_insert: %s: %s\n", sql, msg != NULL ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/*
 * Insert rows shaped like a usage sample, each in its own BEGIN IMMEDIATE ..
 * COMMIT, for `seconds` or `max` rows, whichever comes first; print rows/s.
 * What a usage POST cannot beat: every durable commit costs the fsyncs of
 * the WAL (synchronous=FULL), whatever the web layer does.
 */
int
main(int argc, char *argv[])
{
	sqlite3		*db;
	sqlite3_stmt	*ins;
	double		 seconds, t0, t;
	long		 max, n = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: sqlite_insert DBFILE SECONDS MAXROWS\n");
		return 2;
	}
	if (bench_seconds("sqlite_insert", argv[2], &seconds) == -1 ||
	    bench_count("sqlite_insert", "row count", argv[3], &max) == -1)
		return 2;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
		fprintf(stderr, "sqlite_insert: open %s: %s\n", argv[1], sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_busy_timeout(db, 5000);
	if (exec_or_die(db, "PRAGMA journal_mode=WAL") == -1 ||
	    exec_or_die(db, "PRAGMA synchronous=FULL") == -1 ||
	    exec_or_die(db, "CREATE TABLE IF NOT EXISTS sample (id INTEGER PRIMARY KEY,"
	    " customer_id INTEGER NOT NULL, service TEXT NOT NULL, measured_on TEXT NOT NULL,"
	    " active_users INTEGER NOT NULL, eligible_users INTEGER NOT NULL, source TEXT NOT NULL)") == -1)
		return 1;
	if (sqlite3_prepare_v2(db, "INSERT INTO sample (customer_id, service, measured_on,"
	    " active_users, eligible_users, source) VALUES (?, 'teams', '2026-01-01', ?, 1000, 'manual')",
	    -1, &ins, NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite_insert: prepare: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	t0 = bench_now_s();
	do {
		if (exec_or_die(db, "BEGIN IMMEDIATE") == -1)
			return 1;
		sqlite3_bind_int64(ins, 1, n % 10000 + 1);
		sqlite3_bind_int64(ins, 2, n % 1000);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "sqlite_insert: insert: %s\n", sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_reset(ins);
		if (exec_or_die(db, "COMMIT") == -1)
			return 1;
		n++;
		t = bench_now_s() - t0;
	} while (t < seconds && n < max);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	printf("rows=%ld seconds=%.3f rate=%.1f\n", n, t, (double)n / t);
	return 0;
}
