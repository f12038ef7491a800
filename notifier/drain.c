/* drain.c -- one pass over the outbox: claim, Message-ID, build, send, mark; the retry schedule. */
#include "autoconfig.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "atomicfile.h"
#include "drain.h"
#include "i18n.h"
#include "log.h"
#include "mail.h"
#include "mustache.h"
#include "notice.h"
#include "smtp.h"
#include "text.h"

/* Rows a dry run writes at most. */
#define DRAIN_DRY_MAX	10000

struct drain {
	const struct config	*cfg;
	struct store		*st;
	char			 owner[128];
	char			 dry_dir[1024];	/* "" when sending */
	char			 from_addr[MAIL_ADDR_MAX];
	struct mustache_set	*tpl;
	struct smtp_session	*smtp;		/* open during a pass, once a message needs it */
	int			 lease;		/* seconds */
	/* The row in flight, for the lease renewals of the progress hook. */
	int64_t			 cur_id;
	int64_t			 claimed_at;	/* the now of the claim that took it */
	int64_t			 lease_until;	/* as last confirmed by the store */
	int64_t			 renew_at;
	int			 lease_lost;
};

int64_t
drain_backoff(int64_t first, int attempts)
{
	int64_t	delay = first > 0 ? first : DRAIN_BACKOFF_FIRST;
	int64_t	cap = delay > DRAIN_BACKOFF_MAX ? delay : DRAIN_BACKOFF_MAX;
	int	i;

	for (i = 1; i < attempts && delay < cap; i++)
		delay *= 2;
	return delay > cap ? cap : delay;
}

int
drain_retry_at(int64_t created_at, int64_t now, int attempts, int64_t lifetime, int64_t first,
    int64_t *next)
{
	int64_t	end = created_at + lifetime;

	if (now >= end)
		return -1;
	*next = now + drain_backoff(first, attempts);
	/* One last attempt exactly when the lifetime ends, rather than none. */
	if (*next > end)
		*next = end;
	return 0;
}

int
drain_write_file(const char *dir, const char *name, const char *data, size_t len,
    struct result *r)
{
	char	path[1400];
	int	n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return result_set(r, RESULT_INVALID, NULL, "path too long in %.200s", dir);
	return atomicfile_write(path, data, len, 0640, r);
}

int
drain_open(struct drain **dp, const struct config *cfg, struct store *st, const char *owner,
    const char *dry_run_dir, struct result *r)
{
	static const char *const names[] = { "invite_text", "invite_html", "handshake_text",
	    "handshake_html" };
	struct drain	*d;
	char		 dir[1100], name[256], path[1200];
	size_t		 i;
	int		 n;

	*dp = NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory for the drain");
	d->cfg = cfg;
	d->st = st;
	if (text_copy(d->owner, sizeof(d->owner), owner) == -1 ||
	    text_copy(d->dry_dir, sizeof(d->dry_dir), dry_run_dir != NULL ? dry_run_dir : "") == -1) {
		result_set(r, RESULT_INVALID, NULL, "owner or dry-run directory too long");
		goto fail;
	}
	/* A bad sender is the configuration's fault: refuse to start rather than kill rows. */
	if (mail_from_parse(cfg->smtp_from, name, sizeof(name), d->from_addr,
	    sizeof(d->from_addr), r) == -1)
		goto fail;
	n = snprintf(dir, sizeof(dir), "%s/mail", cfg->templates_dir);
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		result_set(r, RESULT_INVALID, "templates_dir", "templates_dir too long");
		goto fail;
	}
	/* A broken or missing template stops the program at start, not each message. */
	if (mustache_set_open(&d->tpl, dir, r) == -1 ||
	    mustache_set_languages(d->tpl, i18n_languages, I18N_NLANG, i18n_translate, NULL, r) == -1 ||
	    mustache_set_preload(d->tpl, r) == -1)
		goto fail;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = snprintf(path, sizeof(path), "%s/%s.mustache", dir, names[i]);
		if (n < 0 || (size_t)n >= sizeof(path) || access(path, R_OK) == -1) {
			result_set(r, RESULT_IO, "templates_dir", "mail template %.300s: %s", path,
			    n < 0 || (size_t)n >= sizeof(path) ? "path too long" : strerror(errno));
			goto fail;
		}
	}
	/* Renewed before and during each send, so it need not outlast a whole send. */
	d->lease = cfg->outbox_lease;
	*dp = d;
	return 0;
fail:
	drain_close(d);
	return -1;
}

void
drain_close(struct drain *d)
{
	if (d == NULL)
		return;
	smtp_close(d->smtp);
	mustache_set_close(d->tpl);
	free(d);
}

/* The addresses of a recipients array, comma separated, for a row that was never built. */
static void
drain_rcpt_list(const char *json, char *to, size_t size)
{
	json_object	*a, *p, *e;
	size_t		 i, n, len = 0;

	to[0] = '\0';
	a = json_tokener_parse(json != NULL ? json : "");
	if (a == NULL || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return;
	}
	n = json_object_array_length(a);
	for (i = 0; i < n && len + 1 < size; i++) {
		p = json_object_array_get_idx(a, i);
		if (json_object_object_get_ex(p, "email", &e) && json_object_is_type(e, json_type_string))
			len += (size_t)snprintf(to + len, size - len, "%s%s", len > 0 ? "," : "",
			    json_object_get_string(e));
	}
	json_object_put(a);
}

/* The one log line per message. */
static void
drain_log(const struct store_outbox_row *row, const struct mail *m, const char *result,
    const char *reply, const char *detail)
{
	char		 to[1024], qto[1100], qreply[600], qdetail[1200];
	size_t		 i, len = 0;

	to[0] = '\0';
	if (m != NULL && m->nrcpt > 0) {
		for (i = 0; i < m->nrcpt && len + 1 < sizeof(to); i++)
			len += (size_t)snprintf(to + len, sizeof(to) - len, "%s%s",
			    i > 0 ? "," : "", m->rcpt[i]);
	} else
		drain_rcpt_list(row->recipients, to, sizeof(to));
	log_quote(to, qto, sizeof(qto));
	log_quote(reply != NULL ? reply : "", qreply, sizeof(qreply));
	log_quote(detail != NULL ? detail : "", qdetail, sizeof(qdetail));
	if (strcmp(result, "sent") == 0 || strcmp(result, "written") == 0)
		log_info("outbox id=%lld kind=%s to=%s result=%s reply=%s%s%s", (long long)row->id,
		    row->kind, qto, result, qreply, detail != NULL ? " detail=" : "",
		    detail != NULL ? qdetail : "");
	else
		log_warnx("outbox id=%lld kind=%s to=%s result=%s reply=%s%s%s", (long long)row->id,
		    row->kind, qto, result, qreply, detail != NULL ? " error=" : "",
		    detail != NULL ? qdetail : "");
}

static void
drain_store_failed(const struct store_outbox_row *row, const char *what, const struct result *res)
{
	char	q[600];

	log_errorx("outbox id=%lld: %s failed: %s", (long long)row->id, what,
	    log_quote(res->message, q, sizeof(q)));
}

/* A temporary failure: retry with backoff, or dead once the lifetime is over. */
static void
drain_retry(struct drain *d, const struct store_outbox_row *row, const struct mail *m,
    int64_t now, const char *error, const char *reply, struct drain_stats *stats)
{
	struct result	 res;
	int64_t		 next;
	char		 why[700];

	result_clear(&res);
	if (drain_retry_at(row->created_at, now, row->attempts, d->cfg->retry_lifetime,
	    d->cfg->retry_backoff, &next) == 0) {
		if (store_outbox_mark_retry(d->st, row->id, d->owner, now, next, error,
		    reply != NULL && reply[0] != '\0' ? reply : NULL, &res) == -1)
			drain_store_failed(row, "mark_retry", &res);
		stats->retried++;
		drain_log(row, m, "retry", reply, error);
		return;
	}
	snprintf(why, sizeof(why), "retry lifetime over after %d attempts: %s", row->attempts, error);
	if (store_outbox_mark_dead(d->st, row->id, d->owner, now, why,
	    reply != NULL && reply[0] != '\0' ? reply : NULL, &res) == -1)
		drain_store_failed(row, "mark_dead", &res);
	stats->dead++;
	drain_log(row, m, "dead", reply, why);
}

/*
 * Decode the row's payload once (notice.h) and build its message from the
 * struct.  A payload that does not decode is RESULT_INVALID, whose message
 * names the member: the row goes dead with it, as any row that can never
 * be sent does.
 */
static int
drain_build(const struct drain *d, const struct store_outbox_row *row, time_t now,
    struct mail *m, struct result *r)
{
	struct notice	 n;
	int		 rc;

	memset(m, 0, sizeof(*m));
	rc = notice_decode_row(row->kind, row->payload, &n, r) == -1 ||
	    mail_build(d->cfg, d->tpl, row, &n, now, m, r) == -1 ? -1 : 0;
	notice_free(&n);
	return rc;
}

static void
drain_file_name(const struct store_outbox_row *row, char *name, size_t size)
{
	snprintf(name, size, "%06lld-%s.eml", (long long)row->id, row->kind);
}

/* Keep a copy of a sent message when mail_copy_dir asks for one (demo). */
static void
drain_copy(struct drain *d, const struct store_outbox_row *row, const struct mail *m)
{
	struct buf	 eml = { 0 };
	struct result	 res;
	char		 name[64], q[600];

	if (d->cfg->mail_copy_dir[0] == '\0')
		return;
	result_clear(&res);
	drain_file_name(row, name, sizeof(name));
	if (mail_message(m, &eml, &res) == -1 ||
	    drain_write_file(d->cfg->mail_copy_dir, name, eml.data, eml.len, &res) == -1)
		log_warnx("outbox id=%lld: mail copy not kept: %s", (long long)row->id,
		    log_quote(res.message, q, sizeof(q)));
	buf_free(&eml);
}

/*
 * Renew the lease on the row in flight until now + lease.  0 when renewed;
 * -1 when it is lost (another notifier took the row over: do not send);
 * -2 when the store could not say (busy, I/O), res holding why.
 */
static int
drain_renew(struct drain *d, int64_t now, struct result *res)
{
	result_clear(res);
	if (store_outbox_renew(d->st, d->cur_id, d->owner, now + d->lease, res) == -1) {
		if (res->code == RESULT_CONFLICT) {
			d->lease_lost = 1;
			return -1;
		}
		return -2;
	}
	d->lease_until = now + d->lease;
	d->renew_at = now + (d->lease + 2) / 3;
	return 0;
}

/* The SMTP progress hook: renew the lease as it comes due; nonzero stops the message. */
static int
drain_progress(void *arg)
{
	struct drain	*d = arg;
	struct result	 res;
	int64_t		 now = (int64_t)time(NULL);
	char		 q[600];

	if (now < d->renew_at)
		return 0;
	switch (drain_renew(d, now, &res)) {
	case 0:
		return 0;
	case -1:
		log_warnx("outbox id=%lld: lease lost in flight: another notifier has it; "
		    "stopping before the end of data", (long long)d->cur_id);
		return 1;
	default:
		/* Unconfirmed: go on while the lease last confirmed lasts. */
		if (now < d->lease_until) {
			d->renew_at = now + 1;
			return 0;
		}
		log_warnx("outbox id=%lld: lease ended and cannot be renewed (%s); "
		    "stopping before the end of data", (long long)d->cur_id,
		    log_quote(res.message, q, sizeof(q)));
		d->lease_lost = 1;
		return 1;
	}
}

/*
 * A recipient's state after this attempt, by RFC 5321 section 4.2.1: its
 * own 5xx to RCPT is permanent, its own 4xx temporary; an accepted
 * recipient shares the fate of the whole transaction.
 */
static enum store_rcpt_state
drain_rcpt_state(long code, enum smtp_status status)
{
	if (code >= 500 && code <= 599)
		return STORE_RCPT_DEAD;
	if (code >= 400 && code <= 499)
		return STORE_RCPT_PENDING;
	if (status == SMTP_SENT)
		return STORE_RCPT_SENT;
	return status == SMTP_DEAD ? STORE_RCPT_DEAD : STORE_RCPT_PENDING;
}

/*
 * Record the outcome of an attempt.  The commit is tiny; when the store is
 * busy, full or read-only it is tried again, with pauses, for longer than
 * the lease and a whole send last: giving up means the message goes out
 * again once the lease ends.  0 recorded (or the lease was lost: logged),
 * -1 gave up (res says why).
 */
static int
drain_record(struct drain *d, const struct store_outbox_row *row,
    const struct store_outbox_finish *f, struct result *res)
{
	struct timespec	 pause = { 0, 100 * 1000 * 1000 };
	int64_t		 start = (int64_t)time(NULL);
	int64_t		 limit = (int64_t)d->lease + d->cfg->smtp_connect_timeout + d->cfg->smtp_timeout;
	int		 tries = 0;
	char		 q[600];

	for (;;) {
		result_clear(res);
		if (store_outbox_finish(d->st, row->id, d->owner, (int64_t)time(NULL), f, res) == 0) {
			if (tries > 0)
				log_info("outbox id=%lld: %s recorded after %d failed tries",
				    (long long)row->id, f->state, tries);
			return 0;
		}
		if (res->code == RESULT_CONFLICT) {
			log_errorx("outbox id=%lld: result %s not recorded: the lease was lost (%s)",
			    (long long)row->id, f->state, log_quote(res->message, q, sizeof(q)));
			return 0;
		}
		if ((int64_t)time(NULL) - start >= limit) {
			log_errorx("outbox id=%lld: giving up recording %s after %d tries in %lld s: %s",
			    (long long)row->id, f->state, tries + 1, (long long)limit,
			    log_quote(res->message, q, sizeof(q)));
			return -1;
		}
		if (tries++ == 0)
			log_warnx("outbox id=%lld: recording %s failed, trying again for up to %lld s: %s",
			    (long long)row->id, f->state, (long long)limit,
			    log_quote(res->message, q, sizeof(q)));
		nanosleep(&pause, NULL);
		if (pause.tv_nsec < 800 * 1000 * 1000)
			pause.tv_nsec *= 2;
	}
}

/*
 * Stable per row, and stored before the first send: a retry after a crash
 * reuses it.  The claim assigns it in its own transaction; a row claimed
 * without (no domain in smtp_from) gets one here.
 */
static int
drain_message_id(struct drain *d, struct store_outbox_row *row, struct result *r)
{
	char mid[256];

	if (row->message_id[0] != '\0')
		return 0;
	if (mail_message_id_new(row->id, d->from_addr, mid, sizeof(mid), r) == -1)
		return -1;
	if (store_outbox_set_message_id(d->st, row->id, d->owner, mid, r) == -1) {
		drain_store_failed(row, "set_message_id", r);
		return -1;
	}
	text_copy(row->message_id, sizeof(row->message_id), mid);
	return 0;
}

/* Each envelope recipient's state from the SMTP outcome; counts the pending and the sent. */
static struct store_outbox_rcpt *
drain_outcomes(const struct mail *m, const struct smtp_outcome *o, size_t *npending,
    size_t *nsent, struct result *r)
{
	struct store_outbox_rcpt	*cur;
	size_t				 i;

	if ((cur = calloc(m->nrcpt, sizeof(*cur))) == NULL) {
		result_set(r, RESULT_IO, NULL, "out of memory for %zu recipients", m->nrcpt);
		return NULL;
	}
	for (i = 0; i < m->nrcpt; i++) {
		text_copy(cur[i].email, sizeof(cur[i].email), m->rcpt[i]);
		if (i < o->nrcpt) {
			cur[i].state = drain_rcpt_state(o->rcpt[i].code, o->status);
			text_copy(cur[i].reply, sizeof(cur[i].reply), o->rcpt[i].reply);
		} else
			cur[i].state = drain_rcpt_state(0, o->status);
		if (cur[i].state == STORE_RCPT_PENDING)
			(*npending)++;
		else if (cur[i].state == STORE_RCPT_SENT)
			(*nsent)++;
	}
	return cur;
}

/*
 * The row's verdict from its recipients: queued again while some are
 * pending and the retry lifetime lasts, else sent (someone got it) or dead;
 * recorded, logged, counted.  -1 when the verdict could not be recorded.
 */
static int
drain_settle(struct drain *d, struct store_outbox_row *row, const struct mail *m,
    const struct smtp_outcome *o, struct store_outbox_rcpt *cur, size_t npending,
    size_t nsent, struct drain_stats *stats, struct result *r)
{
	struct store_outbox_finish f;
	char		 error[1100], why[1200];
	int64_t		 now = (int64_t)time(NULL), next = 0;
	size_t		 i;
	int		 ret = 0;

	memset(&f, 0, sizeof(f));
	snprintf(error, sizeof(error), "%s", o->error[0] != '\0' ? o->error : o->refused);
	f.rcpt = cur;
	f.nrcpt = m->nrcpt;
	f.smtp_reply = o->reply;
	f.error = error[0] != '\0' ? error : NULL;
	if (npending > 0 && drain_retry_at(row->created_at, now, row->attempts,
	    d->cfg->retry_lifetime, d->cfg->retry_backoff, &next) == 0) {
		f.state = "queued";
		f.next_attempt_at = next;
	} else {
		if (npending > 0) {
			/* The lifetime is over: whoever is still pending is dead. */
			for (i = 0; i < f.nrcpt; i++)
				if (cur[i].state == STORE_RCPT_PENDING)
					cur[i].state = STORE_RCPT_DEAD;
			snprintf(why, sizeof(why), "retry lifetime over after %d attempts: %s",
			    row->attempts, error);
			f.error = why;
		}
		f.state = nsent > 0 ? "sent" : "dead";
	}
	if (drain_record(d, row, &f, r) == -1)
		ret = -1;
	if (strcmp(f.state, "sent") == 0) {
		stats->sent++;
		drain_log(row, m, "sent", o->reply, f.error);
		drain_copy(d, row, m);
	} else if (strcmp(f.state, "queued") == 0) {
		stats->retried++;
		drain_log(row, m, "retry", o->reply, f.error);
	} else {
		stats->dead++;
		drain_log(row, m, "dead", o->reply, f.error);
	}
	return ret;
}

/*
 * One claimed row.  Returns 0 to go on, 1 to end the pass quietly (the SMTP
 * session failed: the next rows would fail alike), -1 to end it with the
 * error in r (store failure, SMTP setup failure).
 */
static int
drain_one(struct drain *d, struct store_outbox_row *row, struct drain_stats *stats,
    struct result *r)
{
	struct smtp_outcome	 o;
	struct mail		 m;
	struct result		 res;
	struct store_outbox_rcpt *prev = NULL, *cur = NULL;
	size_t			 nprev = 0, i, npending = 0, nsent = 0;
	int64_t			 now;
	int			 ret = 0;

	result_clear(&res);
	memset(&m, 0, sizeof(m));
	memset(&o, 0, sizeof(o));
	d->cur_id = row->id;
	d->lease_lost = 0;
	d->lease_until = d->claimed_at + d->lease;
	d->renew_at = d->claimed_at + (d->lease + 2) / 3;
	if (drain_message_id(d, row, r) == -1)
		return -1;
	if (store_outbox_rcpt_list(d->st, row->id, &prev, &nprev, r) == -1) {
		drain_store_failed(row, "list recipients", r);
		return -1;
	}
	now = (int64_t)time(NULL);
	if (drain_build(d, row, (time_t)now, &m, &res) == -1) {
		if (res.code == RESULT_INVALID) {
			/* Never sendable: a header value with CR/LF/NUL, a broken payload. */
			if (store_outbox_mark_dead(d->st, row->id, d->owner, now, res.message, NULL, r) == -1)
				drain_store_failed(row, "mark_dead", r);
			stats->dead++;
			drain_log(row, NULL, "dead", NULL, res.message);
		} else
			drain_retry(d, row, NULL, now, res.message, NULL, stats);
		free(prev);
		return 0;
	}
	/* Recipients already sent (or dead) are not sent again: same headers, smaller envelope. */
	for (i = 0; i < nprev; i++)
		if (prev[i].state != STORE_RCPT_PENDING) {
			(void)mail_rcpt_drop(&m, prev[i].email);
			if (prev[i].state == STORE_RCPT_SENT)
				nsent++;
		}
	if (m.nrcpt > 0) {
		if (d->smtp == NULL && smtp_open(&d->smtp, d->cfg, &res) == -1) {
			drain_retry(d, row, &m, now, res.message, NULL, stats);
			*r = res;
			ret = -1;
			goto out;
		}
		/*
		 * Right before the send: a notifier that lost its lease (frozen,
		 * slow) stops here.  Within the first third of a fresh claim's
		 * lease nobody can have taken the row over: no commit needed.
		 */
		now = (int64_t)time(NULL);
		switch (now < d->renew_at ? 0 : drain_renew(d, now, &res)) {
		case 0:
			break;
		case -1:
			stats->lost_lease++;
			log_warnx("outbox id=%lld: lease lost before sending: another notifier has it; "
			    "not sent", (long long)row->id);
			goto out;
		default:
			drain_store_failed(row, "renew lease", &res);
			*r = res;
			ret = -1;
			goto out;
		}
		smtp_set_progress(d->smtp, drain_progress, d);
		smtp_send(d->smtp, &m, &o);
		smtp_set_progress(d->smtp, NULL, NULL);
		if (o.aborted) {
			stats->lost_lease++;
			goto out;
		}
		if ((cur = drain_outcomes(&m, &o, &npending, &nsent, r)) == NULL) {
			ret = -1;
			goto out;
		}
	}
	if (drain_settle(d, row, &m, &o, cur, npending, nsent, stats, &res) == -1) {
		*r = res;
		ret = -1;
	}
	/* Server unreachable, TLS or AUTH failing: the next rows would fail alike. */
	if (ret == 0 && o.status == SMTP_RETRY && o.session_failed)
		ret = 1;
out:
	smtp_outcome_free(&o);
	free(cur);
	free(prev);
	mail_free(&m);
	return ret;
}

/* --dry-run: every row a claim would take now, read without claiming, written to a file. */
static int
drain_dry(struct drain *d, volatile sig_atomic_t *stop, struct drain_stats *stats,
    struct result *r)
{
	struct store_outbox_row	*rows = NULL, *row;
	struct mail		 m;
	struct buf		 eml = { 0 };
	struct result		 res;
	size_t			 n = 0, i;
	int64_t			 now = (int64_t)time(NULL);
	int			 rc = 0;
	char			 name[64], q[600];

	if (store_outbox_list_due(d->st, now, DRAIN_DRY_MAX, &rows, &n, r) == -1)
		return -1;
	for (i = 0; i < n && !*stop; i++) {
		row = &rows[i];
		if (row->message_id[0] == '\0' &&
		    mail_message_id_new(row->id, d->from_addr, row->message_id,
		    sizeof(row->message_id), r) == -1) {
			rc = -1;
			break;
		}
		result_clear(&res);
		if (drain_build(d, row, (time_t)now, &m, &res) == -1) {
			drain_log(row, NULL, res.code == RESULT_INVALID ? "would-be-dead" : "error",
			    NULL, res.message);
			continue;
		}
		drain_file_name(row, name, sizeof(name));
		buf_reset(&eml);
		if (mail_message(&m, &eml, &res) == -1 ||
		    drain_write_file(d->dry_dir, name, eml.data, eml.len, &res) == -1) {
			log_errorx("outbox id=%lld: dry run: %s", (long long)row->id,
			    log_quote(res.message, q, sizeof(q)));
			*r = res;
			mail_free(&m);
			rc = -1;
			break;
		}
		stats->written++;
		drain_log(row, &m, "written", NULL, name);
		mail_free(&m);
	}
	store_outbox_rows_free(rows, n);
	buf_free(&eml);
	return rc;
}

/* The domain of the sender, for Message-IDs assigned by the claim; NULL when none. */
static const char *
drain_msgid_domain(const struct drain *d)
{
	const char *at = strrchr(d->from_addr, '@');

	return at != NULL && at[1] != '\0' ? at + 1 : NULL;
}

int
drain_run(struct drain *d, volatile sig_atomic_t *stop, struct drain_stats *stats,
    struct result *r)
{
	struct store_outbox_row	*rows = NULL;
	size_t			 n = 0;
	int			 rc = 0, one;

	if (d->dry_dir[0] != '\0')
		return drain_dry(d, stop, stats, r);
	/*
	 * One row per claim: a SIGTERM leaves nothing leased but unsent, and
	 * the claim's per-customer order check sees each outcome before the
	 * next row of that customer.
	 */
	while (!*stop) {
		d->claimed_at = (int64_t)time(NULL);
		if (store_outbox_claim(d->st, d->owner, d->claimed_at, d->lease,
		    drain_msgid_domain(d), 1, &rows, &n, r) == -1) {
			rc = -1;
			break;
		}
		/* Nothing due ends the pass quietly, as drain_one's 1 does. */
		one = n > 0 ? drain_one(d, &rows[0], stats, r) : 1;
		store_outbox_rows_free(rows, n);
		rows = NULL;
		if (one == -1)
			rc = -1;
		if (one != 0)
			break;
	}
	/* The connection lives for one pass: an idle server would drop it anyway. */
	smtp_close(d->smtp);
	d->smtp = NULL;
	return rc;
}
