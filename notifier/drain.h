/*
 * drain.h -- one pass over the outbox: claim a due row (a lease), give it a
 * stable Message-ID, build, send, and mark it sent, retry or dead; or, for a
 * dry run, write each due message to a .eml file and change nothing.  Also
 * the retry schedule, as pure functions.
 */
#ifndef FTS_DRAIN_H
#define FTS_DRAIN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "result.h"
#include "outbox.h"

#define DRAIN_BACKOFF_FIRST	60	/* seconds after the first failed attempt (retry_backoff) */
#define DRAIN_BACKOFF_MAX	3600	/* the doubling stops at one hour */

/*
 * Seconds to wait after the attempts-th failed attempt (>= 1): first, twice
 * that, four times ... capped at DRAIN_BACKOFF_MAX (or first, if larger).
 */
int64_t drain_backoff(int64_t first, int attempts);

/*
 * After a temporary failure at now of a row created at created_at, on its
 * attempts-th attempt, with retry_backoff first: 0 and *next (> now, never
 * past created_at + lifetime) when it is to be tried again, or -1 when its
 * retry lifetime is over (the row, or its pending recipients, go dead).
 */
int drain_retry_at(int64_t created_at, int64_t now, int attempts, int64_t lifetime,
    int64_t first, int64_t *next);

struct drain_stats {
	size_t		 sent;
	size_t		 retried;
	size_t		 dead;
	size_t		 written;	/* --dry-run files */
	size_t		 lost_lease;	/* not sent (or stopped in flight): another notifier had it */
};

struct drain;

/*
 * Prepare a drain for owner (the lease holder name): opens the mail
 * templates under cfg->templates_dir/mail.  dry_run_dir non-NULL writes
 * .eml files there instead of sending.
 */
int drain_open(struct drain **d, const struct config *cfg, struct store *st, const char *owner,
    const char *dry_run_dir, struct result *r);
void drain_close(struct drain *d);

/*
 * Handle every due message now, in outbox order, reusing one SMTP
 * connection.  When *stop becomes nonzero the message in flight is finished
 * and the pass ends.  Adds to *stats.  Returns -1 when the store or the SMTP
 * setup failed (the rows stay queued), else 0.
 *
 * Each recipient keeps its own state (store_outbox_rcpt): a retry goes only
 * to the recipients still pending.  The lease (outbox_lease) is renewed
 * right before a send and about every third of it while the message is in
 * flight; a message whose lease was lost is not sent, or is stopped before
 * its end of data.  Recording the outcome is retried for outbox_lease +
 * smtp_connect_timeout + smtp_timeout before the pass gives up.
 */
int drain_run(struct drain *d, volatile sig_atomic_t *stop, struct drain_stats *stats,
    struct result *r);

/* Write data to dir/name through a temporary file, fsync and rename (mode 0640). */
int drain_write_file(const char *dir, const char *name, const char *data, size_t len,
    struct result *r);

#endif
