/*
 * schema.c -- the SQLite connection behind store.h and outbox.h: open with
 * WAL, synchronous=FULL, foreign keys and a busy handler; numbered migrations
 * at open; transactions; the health probe.  The other concerns are in their
 * own files (customers.c, progress.c, meetings.c, outbox.c, facts.c, json.c),
 * on the statement helpers of stmt.c.
 */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "store_impl.h"
#include "text.h"

/*
 * Migrations, applied in order from PRAGMA user_version.  Never edit one that
 * has shipped: add the next.  Dates are "YYYY-MM-DD" text (they compare and
 * sort as text); instants are Unix seconds.
 */
static const char *const migrations[] = {
	/* 1: the initial schema. */
	"CREATE TABLE customer ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),"
	"  tenant_domain TEXT NOT NULL COLLATE NOCASE UNIQUE,"
	"  timezone TEXT NOT NULL,"
	"  owner_fm TEXT NOT NULL,"
	"  csm_name TEXT NOT NULL DEFAULT '',"
	"  csm_email TEXT NOT NULL DEFAULT '',"
	"  phase TEXT NOT NULL DEFAULT 'execution'"
	"    CHECK (phase IN ('execution','success_review','closed')),"
	"  review_outcome TEXT NOT NULL DEFAULT '',"
	"  cadence_weeks INTEGER NOT NULL DEFAULT 2 CHECK (cadence_weeks BETWEEN 1 AND 4),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX customer_name ON customer(name COLLATE NOCASE);"
	"CREATE TABLE contact ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL COLLATE NOCASE,"
	"  receives_invites INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (customer_id, email));"
	"CREATE TABLE customer_service ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL,"
	"  intended INTEGER NOT NULL DEFAULT 1,"
	"  activated_on TEXT NOT NULL DEFAULT '',"
	"  licensed_users INTEGER NOT NULL DEFAULT -1,"
	"  target_percent REAL NOT NULL DEFAULT 10 CHECK (target_percent > 0 AND target_percent <= 100),"
	"  custom_metric TEXT NOT NULL DEFAULT '',"
	"  custom_metric_met INTEGER NOT NULL DEFAULT 0,"
	"  csm_led INTEGER NOT NULL DEFAULT 0,"
	"  adoption_program INTEGER NOT NULL DEFAULT 0,"
	"  accelerator INTEGER NOT NULL DEFAULT 0,"
	"  latest_on TEXT NOT NULL DEFAULT '',"
	"  latest_active INTEGER NOT NULL DEFAULT 0,"
	"  latest_eligible INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (customer_id, service));"
	"CREATE TABLE usage_sample ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL,"
	"  measured_on TEXT NOT NULL,"
	"  active_users INTEGER NOT NULL CHECK (active_users >= 0),"
	"  eligible_users INTEGER NOT NULL CHECK (eligible_users > 0),"
	"  source TEXT NOT NULL DEFAULT 'manual',"
	"  created_at INTEGER NOT NULL,"
	"  CHECK (active_users <= eligible_users),"
	"  UNIQUE (customer_id, service, measured_on));"
	"CREATE TABLE task ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  ftop_id INTEGER NOT NULL,"
	"  service TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),"
	"  required INTEGER NOT NULL DEFAULT 0,"
	"  due_on TEXT NOT NULL DEFAULT '',"
	"  done_by TEXT NOT NULL DEFAULT '',"
	"  done_at INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (customer_id, ftop_id));"
	"CREATE TABLE checkin ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  held_on TEXT NOT NULL,"
	"  held_by TEXT NOT NULL,"
	"  summary TEXT NOT NULL DEFAULT '',"
	"  next_action TEXT NOT NULL CHECK (length(next_action) > 0),"
	"  next_action_on TEXT NOT NULL CHECK (length(next_action_on) = 10),"
	"  next_action_owner TEXT NOT NULL CHECK (length(next_action_owner) > 0),"
	"  services TEXT NOT NULL DEFAULT '[]',"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX checkin_customer ON checkin(customer_id, held_on);"
	"CREATE TABLE meeting ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  uid TEXT NOT NULL UNIQUE,"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  starts_at TEXT NOT NULL,"
	"  timezone TEXT NOT NULL,"
	"  duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),"
	"  every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 8),"
	"  attendees TEXT NOT NULL DEFAULT '[]',"
	"  services TEXT NOT NULL DEFAULT '[]',"
	"  status TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled','cancelled')),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX meeting_customer ON meeting(customer_id, status);"
	"CREATE TABLE blocker ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  service TEXT NOT NULL DEFAULT '',"
	"  l1_status TEXT NOT NULL DEFAULT 'blocked',"
	"  l2_reason TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL CHECK (length(description) > 0),"
	"  owner TEXT NOT NULL,"
	"  opened_on TEXT NOT NULL,"
	"  resolved_on TEXT NOT NULL DEFAULT '',"
	"  resolution TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX blocker_customer ON blocker(customer_id, resolved_on);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('invite','cancel','handshake')),"
	"  dedupe_key TEXT NOT NULL UNIQUE,"
	"  payload TEXT NOT NULL,"
	"  recipients TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','sending','sent','dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  lease_owner TEXT NOT NULL DEFAULT '',"
	"  lease_until INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT NOT NULL DEFAULT '',"
	"  smtp_reply TEXT NOT NULL DEFAULT '',"
	"  message_id TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER NOT NULL DEFAULT 0,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE INDEX outbox_due ON outbox(state, next_attempt_at);"
	"CREATE INDEX outbox_customer ON outbox(customer_id, id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  entity TEXT NOT NULL,"
	"  entity_id INTEGER NOT NULL,"
	"  customer_id INTEGER,"
	"  details TEXT NOT NULL DEFAULT '{}');"
	"CREATE INDEX audit_customer ON audit(customer_id, id);",
	/* 2: the portfolio's FM filter lists distinct owners without a scan. */
	"CREATE INDEX customer_owner ON customer(owner_fm);",
	/* 3: one row the health check rewrites: proof that a commit reaches the disk. */
	"CREATE TABLE health_probe ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  at INTEGER NOT NULL);"
	"INSERT INTO health_probe (id, at) VALUES (1, 0);",
	/*
	 * 4: each envelope recipient's own outcome, written once a message was
	 * tried: a 4xx to one attendee is retried for that attendee alone.
	 */
	"CREATE TABLE outbox_rcpt ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  email TEXT NOT NULL COLLATE NOCASE,"
	"  state TEXT NOT NULL CHECK (state IN ('pending','sent','dead')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  reply TEXT NOT NULL DEFAULT '',"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (outbox_id, email));",
	/*
	 * 5: a series' attendees and covered services as rows, not JSON text
	 * the rules parse and re-serialise; position keeps the order they were
	 * added in (the order of the invitation's ATTENDEE lines).
	 */
	"CREATE TABLE meeting_attendee ("
	"  meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  email TEXT NOT NULL,"
	"  PRIMARY KEY (meeting_id, position));"
	"CREATE TABLE meeting_service ("
	"  meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  service TEXT NOT NULL,"
	"  PRIMARY KEY (meeting_id, position));"
	"INSERT INTO meeting_attendee (meeting_id, position, name, email)"
	"  SELECT m.id, j.key, coalesce(json_extract(j.value, '$.name'), ''),"
	"         json_extract(j.value, '$.email')"
	"  FROM meeting m, json_each(m.attendees) j ORDER BY m.id, j.key;"
	"INSERT INTO meeting_service (meeting_id, position, service)"
	"  SELECT m.id, j.key, j.value FROM meeting m, json_each(m.services) j"
	"  ORDER BY m.id, j.key;"
	"ALTER TABLE meeting DROP COLUMN attendees;"
	"ALTER TABLE meeting DROP COLUMN services;",
	/*
	 * 6: a check-in's covered services as rows too, in the order given.
	 * Only a JSON array held services (the rules wrote nothing else); any
	 * other text showed as [] in the API and moves as no rows.  DROP COLUMN
	 * rewrites the rows in place, inside this migration's transaction: the
	 * column has no index, constraint or view on it (SQLite refuses
	 * otherwise, and the migration rolls back whole).
	 */
	"CREATE TABLE checkin_service ("
	"  checkin_id INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  service TEXT NOT NULL,"
	"  PRIMARY KEY (checkin_id, position));"
	"INSERT INTO checkin_service (checkin_id, position, service)"
	"  SELECT k.id, j.key, j.value FROM checkin k, json_each(CASE"
	"    WHEN NOT json_valid(k.services) THEN '[]'"
	"    WHEN json_type(k.services) = 'array' THEN k.services ELSE '[]' END) j"
	"  ORDER BY k.id, j.key;"
	"ALTER TABLE checkin DROP COLUMN services;",
	/*
	 * 7: the folded name and domain the portfolio search compares with
	 * (text_fold: case and diacritics folded), stored so a search is one
	 * instr() per row, not a Unicode fold per row, and so every backend
	 * matches alike.  Written by the store on every customer write; the
	 * rows already there are folded by fts_fold(), the same C function.
	 */
	"ALTER TABLE customer ADD COLUMN search_key TEXT NOT NULL DEFAULT '';"
	"UPDATE customer SET search_key = fts_fold(name || ' ' || tenant_domain);",
	/*
	 * 8: a series rescheduled after it started is split, not rewritten
	 * (clients drop the past occurrences of a series whose DTSTART moves):
	 * until_on is the local date of the old one's last held occurrence,
	 * replaces_id links the new one to it (0: none; a plain integer, as
	 * the row readers take it).  meeting_exception holds the single
	 * occurrences skipped (moved_to '') or moved (the new local start).
	 */
	"ALTER TABLE meeting ADD COLUMN until_on TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE meeting ADD COLUMN replaces_id INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE meeting_exception ("
	"  meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,"
	"  occurs_on TEXT NOT NULL CHECK (length(occurs_on) = 10),"
	"  moved_to TEXT NOT NULL DEFAULT '' CHECK (moved_to = '' OR length(moved_to) = 16),"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (meeting_id, occurs_on));",
	/*
	 * 9: the people who use ftsuccess (issue 11).  A customer's owner_fm
	 * stays the owner's login (pages, filters and audit rows show it) and
	 * becomes a reference: triggers refuse an owner who is not a user, a
	 * login that changes and a user deleted while owning customers (an
	 * ALTER cannot add a foreign key, and rebuilding customer would cascade
	 * to every child row).  Each owner_fm found becomes a disabled FM (an
	 * administrator enables the real ones: ftsuccess-admin user edit), and
	 * one audit row lists them (ftsuccess-admin db check shows it); a
	 * database without customers gets no row.
	 */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 127),"
	"  display_name TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),"
	"  email TEXT NOT NULL DEFAULT '',"
	"  role TEXT NOT NULL DEFAULT 'fm' CHECK (role IN ('fm','manager','admin')),"
	"  language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en','pt-BR')),"
	"  timezone TEXT NOT NULL DEFAULT 'UTC',"
	"  meeting_url TEXT NOT NULL DEFAULT '',"
	"  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"INSERT INTO users (login, display_name, role, active, created_at, updated_at)"
	"  SELECT DISTINCT owner_fm, owner_fm, 'fm', 0, CAST(strftime('%s','now') AS INTEGER),"
	"         CAST(strftime('%s','now') AS INTEGER)"
	"  FROM customer WHERE owner_fm <> '' ORDER BY owner_fm;"
	"INSERT INTO audit (at, actor, action, entity, entity_id, customer_id, details)"
	"  SELECT CAST(strftime('%s','now') AS INTEGER), 'migration 9', 'users_from_owner_fm',"
	"         'user', 0, NULL, json_object('created_disabled', json_group_array(login))"
	"  FROM (SELECT login FROM users ORDER BY login) HAVING count(*) > 0;"
	"CREATE TRIGGER customer_owner_insert BEFORE INSERT ON customer"
	"  WHEN NOT EXISTS (SELECT 1 FROM users WHERE login = NEW.owner_fm)"
	"  BEGIN SELECT RAISE(ABORT, 'owner_fm: not a user'); END;"
	"CREATE TRIGGER customer_owner_update BEFORE UPDATE OF owner_fm ON customer"
	"  WHEN NOT EXISTS (SELECT 1 FROM users WHERE login = NEW.owner_fm)"
	"  BEGIN SELECT RAISE(ABORT, 'owner_fm: not a user'); END;"
	"CREATE TRIGGER users_login_fixed BEFORE UPDATE OF login ON users"
	"  WHEN NEW.login IS NOT OLD.login"
	"  BEGIN SELECT RAISE(ABORT, 'login: a user''s login cannot change'); END;"
	"CREATE TRIGGER users_keep_owner BEFORE DELETE ON users"
	"  WHEN EXISTS (SELECT 1 FROM customer WHERE owner_fm = OLD.login)"
	"  BEGIN SELECT RAISE(ABORT, 'login: the user owns customers'); END;",
	/*
	 * 10: a user's calendar feed token (issue 11).  Only its SHA-256 is
	 * kept: the token is a password that a calendar client sends on every
	 * poll, so a copy of the database (a backup, a support bundle) must not
	 * let anyone read the feed; the digest of a 256-bit random token cannot
	 * be turned back, and needs no salt (no dictionary can hold it).  One
	 * row per user: regenerating replaces it, revoking deletes it.
	 */
	"CREATE TABLE user_feed ("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
	"  token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),"
	"  created_at INTEGER NOT NULL);",
	/*
	 * 11: each series has its own online-meeting link (issue 12: LOCATION
	 * and the mail's "Join" line), filled for the series that exist from
	 * their customer's FM's profile, as a new series is.
	 */
	"ALTER TABLE meeting ADD COLUMN meeting_url TEXT NOT NULL DEFAULT '';"
	"UPDATE meeting SET meeting_url = coalesce((SELECT u.meeting_url FROM customer c"
	"  JOIN users u ON u.login = c.owner_fm WHERE c.id = meeting.customer_id), '');",
	/*
	 * 12 (issue 13): an archived customer (archived_at > 0, Unix seconds)
	 * leaves the portfolio but keeps its rows, audit and export; 0 = not
	 * archived, so the column needs no NULL handling in every reader.
	 * state_week: each customer's readiness state in a week (week = the
	 * Monday, UTC), the latest the portfolio computed that week, for the
	 * portfolio's 12-week chart.
	 */
	"ALTER TABLE customer ADD COLUMN archived_at INTEGER NOT NULL DEFAULT 0"
	"  CHECK (archived_at >= 0);"
	"CREATE TABLE state_week ("
	"  week TEXT NOT NULL,"
	"  customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL"
	"    CHECK (state IN ('in_progress','ready','at_risk','success_review','closed')),"
	"  PRIMARY KEY (week, customer_id));",
	/*
	 * 13: calendar replies read from the organizer's mailbox (iMIP, issue
	 * 12).  reply_message keeps every message once, by its key (the
	 * Message-ID, else a hash of its bytes): UNIQUE is what makes a reply
	 * read twice (a crash before the mailbox flag) apply once.  outcome
	 * says what became of it; reason (a key of imip_reason_key) why not
	 * applied.  attendee_response is the latest answer of a contact to a
	 * series (occurs_on '') or to one occurrence (its own local date).
	 */
	"CREATE TABLE reply_message ("
	"  id INTEGER PRIMARY KEY,"
	"  message_key TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('reply','counter','unmatched')),"
	"  outcome TEXT NOT NULL CHECK (outcome IN ('applied','stale','proposal','unmatched')),"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  detail TEXT NOT NULL DEFAULT '',"
	"  from_addr TEXT NOT NULL DEFAULT '',"
	"  subject TEXT NOT NULL DEFAULT '',"
	"  uid TEXT NOT NULL DEFAULT '',"
	"  attendee TEXT NOT NULL DEFAULT '',"
	"  partstat TEXT NOT NULL DEFAULT '',"
	"  sequence INTEGER NOT NULL DEFAULT 0,"
	"  occurs_on TEXT NOT NULL DEFAULT '',"
	"  proposed_start INTEGER NOT NULL DEFAULT 0,"
	"  proposed_end INTEGER NOT NULL DEFAULT 0,"
	"  customer_id INTEGER REFERENCES customer(id) ON DELETE CASCADE,"
	"  meeting_id INTEGER REFERENCES meeting(id) ON DELETE SET NULL,"
	"  contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,"
	"  received_at INTEGER NOT NULL);"
	"CREATE INDEX reply_message_outcome ON reply_message(outcome, id);"
	"CREATE INDEX reply_message_customer ON reply_message(customer_id, id);"
	"CREATE TABLE attendee_response ("
	"  meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  occurs_on TEXT NOT NULL DEFAULT '' CHECK (occurs_on = '' OR length(occurs_on) = 10),"
	"  partstat TEXT NOT NULL CHECK (partstat IN ('accepted','declined','tentative')),"
	"  sequence INTEGER NOT NULL,"
	"  message_id INTEGER NOT NULL REFERENCES reply_message(id) ON DELETE CASCADE,"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (meeting_id, contact_id, occurs_on));",
	/*
	 * 14: a user's language may be unset ('': the browser's Accept-Language
	 * decides, then default_language).  Before the translations every page
	 * was English whatever the column said, so no 'en' was a choice: each
	 * becomes unset, and pt-BR stays.  SQLite cannot change a CHECK in place:
	 * a new column replaces the old one.
	 */
	"ALTER TABLE users ADD COLUMN language_new TEXT NOT NULL DEFAULT ''"
	"  CHECK (language_new IN ('', 'en', 'pt-BR'));"
	"UPDATE users SET language_new = CASE language WHEN 'pt-BR' THEN 'pt-BR' ELSE '' END;"
	"ALTER TABLE users DROP COLUMN language;"
	"ALTER TABLE users RENAME COLUMN language_new TO language;",
	/*
	 * 15: a customer's language, for every mail to its contacts ('': its
	 * FM's, the playbook's default; issue 11).
	 */
	"ALTER TABLE customer ADD COLUMN language TEXT NOT NULL DEFAULT ''"
	"  CHECK (language IN ('', 'en', 'pt-BR'));",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/*
 * SQLite's default busy handler sleeps 1, 2, 5, 10 ... up to 100 ms between
 * tries.  A write here holds the lock for one short transaction and its
 * fsync, so a writer that waits once tends to sleep long after the lock was
 * free again: two web workers writing at once had a p99 ten times that of
 * one.  Short steady sleeps keep the wait close to the lock's real length,
 * with the same overall limit.
 */
#define STORE_BUSY_SLEEP_US	250

static int
store_busy(void *arg, int count)
{
	struct timespec ts = { 0, STORE_BUSY_SLEEP_US * 1000L };

	(void)arg;
	if ((long)count * STORE_BUSY_SLEEP_US >= STORE_BUSY_TIMEOUT_MS * 1000L)
		return 0;
	nanosleep(&ts, NULL);
	return 1;
}

/* ---------------------------------------------------------------- open */

/* fts_fold(text): text_fold() for SQL, so migration 7 folds the rows already there. */
static void
sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*in;
	char			 out[STORE_SEARCH_KEY_MAX];

	(void)argc;
	if ((in = sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	(void)text_fold((const char *)in, out, sizeof(out));
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

static int
exec_sql(struct store *st, const char *sql, struct result *r, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		result_set(r, RESULT_IO, NULL, "store: %s: %s (%s)", what,
		    msg ? msg : sqlite3_errmsg(st->db), st->path);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
pragma_int(struct store *st, const char *sql, int *out)
{
	sqlite3_stmt	*s;
	int		 rc;

	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Apply pending migrations one at a time.  The version is read inside the
 * write transaction, so two processes opening a new database at once (the
 * web workers under mod_fcgid, the notifier) never apply the same step twice.
 */
static int
migrate(struct store *st, int upto, struct result *r)
{
	char	 sql[64];
	int	 version;

	for (;;) {
		if (exec_sql(st, "BEGIN IMMEDIATE", r, "begin migration") == -1)
			return -1;
		if (pragma_int(st, "PRAGMA user_version", &version) == -1) {
			store_fail(st, r, "read user_version");
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		if (version > NMIGRATIONS) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return result_set(r, RESULT_IO, NULL,
			    "store: %s has schema version %d, newer than this program (%d)",
			    st->path, version, NMIGRATIONS);
		}
		if (version >= upto)
			return exec_sql(st, "COMMIT", r, "end migrations");
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
		if (exec_sql(st, migrations[version], r, "apply migration") == -1 ||
		    exec_sql(st, sql, r, "set user_version") == -1 ||
		    exec_sql(st, "COMMIT", r, "commit migration") == -1) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
}

int
store_open(struct store **out, const char *path, struct result *r)
{
	return store_open_upto(out, path, NMIGRATIONS, r);
}

int
store_open_upto(struct store **out, const char *path, int upto, struct result *r)
{
	struct store	*st;
	sqlite3_stmt	*s;
	const char	*mode;
	int		 ok, rc, tries;
	struct timespec	 pause = { 0, 10 * 1000 * 1000 };	/* 10 ms, up to 5 s */

	*out = NULL;
	if (path == NULL || *path == '\0')
		return result_set(r, RESULT_INVALID, "database", "store: no database path given");
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return result_set(r, RESULT_IO, NULL, "store: out of memory");
	snprintf(st->path, sizeof(st->path), "%s", path);
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		result_set(r, RESULT_IO, "database", "store: cannot open %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return -1;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_handler(st->db, store_busy, st);
	if (sqlite3_create_function(st->db, "fts_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    NULL, sql_fold, NULL, NULL) != SQLITE_OK) {
		store_fail(st, r, "register fts_fold");
		store_close(st);
		return -1;
	}

	/*
	 * WAL lets readers (page views, the notifier) run while one writer
	 * commits; synchronous=FULL syncs the WAL on every commit, so a write
	 * acknowledged to the user survives power loss (NORMAL would not).
	 */
	if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL) != SQLITE_OK) {
		store_fail(st, r, "set journal_mode");
		store_close(st);
		return -1;
	}
	/*
	 * Switching a new file to WAL needs an exclusive lock and SQLite does
	 * not call the busy handler for it: when several processes open a new
	 * database at once, the losers see SQLITE_BUSY and retry here.
	 */
	for (tries = 0; (rc = sqlite3_step(s)) == SQLITE_BUSY && tries < 500; tries++) {
		sqlite3_reset(s);
		nanosleep(&pause, NULL);
	}
	ok = rc == SQLITE_ROW;
	mode = ok ? (const char *)sqlite3_column_text(s, 0) : NULL;
	ok = mode != NULL && strcmp(mode, "wal") == 0;
	sqlite3_finalize(s);
	if (!ok) {
		result_set(r, RESULT_IO, "database",
		    "store: %s: cannot switch to WAL mode (%s)", path, sqlite3_errmsg(st->db));
		store_close(st);
		return -1;
	}
	if (exec_sql(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", r, "set pragmas") == -1 ||
	    migrate(st, upto < NMIGRATIONS ? upto : NMIGRATIONS, r) == -1) {
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->db != NULL)
		sqlite3_close(st->db);
	free(st);
}

int
store_schema_version(struct store *st)
{
	int v = -1;

	if (pragma_int(st, "PRAGMA user_version", &v) == -1)
		return -1;
	return v;
}

int
store_schema_latest(void)
{
	return NMIGRATIONS;
}

int
store_ping(struct store *st, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = store_prep(st, "SELECT count(*) FROM customer LIMIT 1", r)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_fail(st, r, "ping");
	return 0;
}

int
store_version(struct store *st, int64_t *version, struct result *r)
{
	sqlite3_stmt	*s;
	int		 rc;

	/*
	 * PRAGMA data_version changes when another connection commits; this
	 * connection's own commits are counted apart.  Together they change
	 * whenever anything a read could see has changed.
	 */
	if ((s = store_prep(st, "PRAGMA data_version", r)) == NULL)
		return -1;
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(st, r, "read data_version");
	}
	*version = (sqlite3_column_int64(s, 0) << 32) ^ st->commits;
	sqlite3_reset(s);
	return 0;
}

/* ---------------------------------------------------------------- transactions */

int
store_begin(struct store *st, struct result *r)
{
	sqlite3_stmt *s;

	if (st->in_tx)
		return result_set(r, RESULT_IO, NULL, "store: transaction already open");
	/*
	 * IMMEDIATE takes the write lock now, so a busy database is reported
	 * here (after busy_timeout) rather than as a failed upgrade mid-way.
	 */
	if ((s = store_prep(st, "BEGIN IMMEDIATE", r)) == NULL ||
	    store_exec_done(st, s, r, "begin") == -1)
		return -1;
	st->in_tx = 1;
	return 0;
}

int
store_commit(struct store *st, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = store_prep(st, "COMMIT", r)) == NULL || store_exec_done(st, s, r, "commit") == -1) {
		store_rollback(st);
		return -1;
	}
	st->in_tx = 0;
	st->commits++;
	return 0;
}

void
store_rollback(struct store *st)
{
	size_t i;

	/* Reset every cached statement so none holds a read lock across ROLLBACK. */
	for (i = 0; i < st->ncache; i++)
		sqlite3_reset(st->cache[i].stmt);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
}

int
store_tx_own_begin(struct store *st, int *own, struct result *r)
{
	*own = !st->in_tx;
	return *own ? store_begin(st, r) : 0;
}

int
store_tx_own_end(struct store *st, int own, int rc, struct result *r)
{
	if (!own)
		return rc;
	if (rc == -1) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, r);
}

long long
store_count(struct store *st, const char *table)
{
	static const char *const tables[] = {
		"customer", "contact", "customer_service", "usage_sample", "task",
		"checkin", "checkin_service", "meeting", "meeting_attendee", "meeting_service",
		"meeting_exception", "blocker",
		"outbox", "outbox_rcpt", "audit", "users", "user_feed", "reply_message",
		"attendee_response", NULL,
	};
	char		 sql[96];
	sqlite3_stmt	*s;
	long long	 n = -1;
	size_t		 i;

	/* Only names from the schema reach the SQL text. */
	for (i = 0; tables[i] != NULL; i++)
		if (strcmp(tables[i], table) == 0)
			break;
	if (tables[i] == NULL)
		return -1;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* ---------------------------------------------------------------- health */

/*
 * The commit probe: the same steps as every change (the write lock, a WAL
 * frame, its fsync under synchronous=FULL), on one row that is rewritten in
 * place, so the database never grows.  A failure is put in why (SQLite's
 * words, without the path: /healthz may be read by monitors).
 */
static int
health_commit(struct store *st, int64_t now, char *why, size_t whysz)
{
	static const char *const steps[] = {
		"BEGIN IMMEDIATE",
		"UPDATE health_probe SET at = ?1 WHERE id = 1",
		"COMMIT",
	};
	struct result	 r;
	sqlite3_stmt	*s;
	size_t		 i;
	int		 rc;

	if (st->in_tx) {
		snprintf(why, whysz, "a transaction is already open");
		return -1;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		result_clear(&r);
		if ((s = store_prep(st, steps[i], &r)) == NULL) {
			snprintf(why, whysz, "%s", sqlite3_errmsg(st->db));
			store_rollback(st);
			return -1;
		}
		if (i == 1)
			store_bind_int64(st, s, 1, now);
		rc = store_step(st, s);
		if (rc != SQLITE_DONE) {
			snprintf(why, whysz, "%s", sqlite3_errmsg(st->db));
			sqlite3_reset(s);
			store_rollback(st);
			return -1;
		}
		sqlite3_reset(s);
	}
	return 0;
}

int
store_health(struct store *st, int64_t now, struct store_health *h, struct result *r)
{
	struct statvfs	 vfs;

	memset(h, 0, sizeof(*h));
	h->can_commit = health_commit(st, now, h->commit_error, sizeof(h->commit_error)) == 0;

	/*
	 * A commit can succeed on a full disk (the WAL reuses its space after a
	 * checkpoint) until a change needs one more page: the free space says
	 * it first.  statvfs opens nothing, so SQLite's locks are safe.
	 */
	h->free_bytes = -1;
	if (statvfs(st->path, &vfs) == 0) {
		h->free_bytes = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
		h->read_only = (vfs.f_flag & ST_RDONLY) != 0;
	}

	return store_outbox_backlog(st, now, &h->outbox_due, &h->outbox_oldest_due, r);
}
