/*
 * imap.h -- the organizer's mailbox over IMAP (libcurl): each poll finds the
 * messages not yet done, fetches one, applies it in the store (imip.h reads
 * it, store_reply_apply records it), and only after that commit flags it
 * done on the server.  A crash between fetch and commit leaves the message
 * unflagged: the next poll reads it again and the store's unique message
 * key makes it count once.
 *
 * Transport rule: as for SMTP (smtp.h): imaps:// is TLS from the first
 * byte; imap:// requires STARTTLS except to a literal loopback host.
 */
#ifndef FTS_IMAP_H
#define FTS_IMAP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "result.h"
#include "store.h"

/* The keyword a processed message gets (with \Seen); the poll skips messages that have it. */
#define IMAP_DONE_KEYWORD	"FtsuccessDone"
/* Messages handled per poll at most: a full mailbox is read over several polls. */
#define IMAP_POLL_MAX		200

/*
 * Test hooks (integration test imap_replies.sh): when the environment names
 * a file in IMAP_PAUSE_ENV, each fetched message is followed by creating
 * that file and a pause of IMAP_PAUSE_SECONDS before its commit, so a test
 * can kill -9 the notifier between fetch and commit; IMAP_PAUSE_FLAG_ENV
 * does the same between the commit and the flag.
 */
#define IMAP_PAUSE_ENV		"FTSUCCESS_TEST_IMAP_PAUSE_FILE"
#define IMAP_PAUSE_FLAG_ENV	"FTSUCCESS_TEST_IMAP_PAUSE_FLAG_FILE"
#define IMAP_PAUSE_SECONDS	30

struct imap_stats {
	size_t		 fetched;
	size_t		 outcomes[STORE_REPLY__MAX];	/* by store_reply_outcome */
};

struct imap_session;

/*
 * Prepare a session from imap_url, imap_user, imap_password_file,
 * imap_ca_file and the SMTP timeouts; no connection yet.  -1 with
 * RESULT_INVALID naming the key for a bad URL or password file.
 */
int imap_open(struct imap_session **s, const struct config *cfg, struct result *r);
void imap_close(struct imap_session *s);

/*
 * One poll at now: every message without IMAP_DONE_KEYWORD (up to
 * IMAP_POLL_MAX) fetched, applied and flagged.  Stops early when *stop
 * becomes nonzero.  -1 with r set when the server or the store failed (what
 * was committed stays; the rest is read next poll).
 */
int imap_poll(struct imap_session *s, struct store *st, int64_t now,
    volatile sig_atomic_t *stop, struct imap_stats *stats, struct result *r);

/*
 * Read the raw message msg[0..len) and apply it (store_reply_apply) at now;
 * *outcome says what became of it.  -1 with r set on a storage failure.
 */
int imap_apply_message(struct store *st, const char *msg, size_t len, int64_t now,
    enum store_reply_outcome *outcome, struct result *r);

/* The UIDs of a "* SEARCH 3 7 9" response, in order, into uids[max]: their count. */
size_t imap_search_parse(const char *text, uint32_t *uids, size_t max);

#endif
