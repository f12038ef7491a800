/* main.c -- ftsuccess-notifier: options, signals and the polling loop around the outbox drain. */
#include "autoconfig.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "drain.h"
#include "i18n.h"
#include "imap.h"
#include "log.h"
#include "mail.h"
#include "outbox.h"
#include "result.h"
#include "smtp.h"
#include "text.h"

#define PROGNAME	"ftsuccess-notifier"

/* Set by SIGTERM/SIGINT; the loop finishes the message in flight, then exits. */
static volatile sig_atomic_t notifier_stop;

static void
notifier_on_signal(int sig)
{
	(void)sig;
	notifier_stop = 1;
}

static void
notifier_usage(FILE *f)
{
	fprintf(f,
	    "usage: " PROGNAME " [--config PATH] [--once | --dry-run DIR] [--verbose]\n"
	    "\n"
	    "Sends the queued check-in invites and CSM handshakes of ftsuccess.\n"
	    "\n"
	    "  -c, --config PATH   configuration file (default $FTSUCCESS_CONFIG, then\n"
	    "                      " SYSCONFDIR "/ftsuccess.conf)\n"
	    "  -1, --once          send what is due, then exit (for timers and cron)\n"
	    "  -n, --dry-run DIR   write each due message to DIR/<id>-<kind>.eml instead of\n"
	    "                      sending; the outbox is not changed\n"
	    "  -v, --verbose       log debug lines too\n"
	    "  -h, --help          this text\n"
	    "  -V, --version       the version\n"
	    "\n"
	    "Without --once or --dry-run it runs until SIGTERM, polling the outbox every\n"
	    "poll_interval seconds.  Exit status: 0 done, 1 configuration, database or\n"
	    "SMTP setup failure, 2 bad usage.\n");
}

static int
notifier_signals(void)
{
	struct sigaction	 sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the sleep between polls ends at once. */
	sa.sa_handler = notifier_on_signal;
	if (sigaction(SIGTERM, &sa, NULL) == -1 || sigaction(SIGINT, &sa, NULL) == -1)
		return -1;
	/* A server closing the connection must not kill us while we write to it. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		return -1;
	return 0;
}

/* Sleep up to seconds, returning early when a stop was asked for. */
static void
notifier_sleep(int seconds)
{
	struct timespec	 ts;
	time_t		 end = time(NULL) + seconds;

	while (!notifier_stop && time(NULL) < end) {
		ts.tv_sec = 1;
		ts.tv_nsec = 0;
		(void)nanosleep(&ts, NULL);	/* EINTR is the signal we wait for */
	}
}

/* Seconds to wait after the failures-th failed pass in a row: poll, doubling, at most 16 polls or 60 s. */
static int
notifier_backoff(int poll, int failures)
{
	int	wait = poll, cap = poll * 16 < 60 ? poll * 16 : 60;
	int	i;

	if (cap < poll)
		cap = poll;
	for (i = 1; i < failures && wait < cap; i++)
		wait *= 2;
	return wait < cap ? wait : cap;
}

/*
 * Every invite needs an ORGANIZER (RFC 5546 section 3.2.2): organizer_email,
 * or the address of smtp_from standing in for it.  Without a usable one
 * every invite would go dead, so the program refuses to start instead.
 */
static int
notifier_organizer_check(const struct config *cfg)
{
	struct result	 r;
	char		 name[256], addr[MAIL_ADDR_MAX], q[600];

	if (cfg->organizer_email[0] != '\0')
		return 0;
	result_clear(&r);
	if (mail_from_parse(cfg->smtp_from, name, sizeof(name), addr, sizeof(addr), &r) == -1 ||
	    !text_email_valid(addr)) {
		log_errorx("config: organizer_email is not set and smtp_from %s has no address "
		    "a calendar accepts as ORGANIZER; set organizer_email",
		    log_quote(cfg->smtp_from, q, sizeof(q)));
		return -1;
	}
	log_warnx("config: organizer_email is not set; invites name %s as organizer", addr);
	return 0;
}

/* What the command line asks for. */
struct notifier_args {
	const char	*cfgpath, *dry;
	int		 once, verbose;
};

/* Parse the command line; -1 to go on, else the exit status (help, version, usage error). */
static int
notifier_args_parse(int argc, char *argv[], struct notifier_args *a)
{
	static const struct cli_program prog = {
		.name = PROGNAME, .version = PROGNAME " " PACKAGE_VERSION, .usage = notifier_usage,
	};
	const struct cli_option opts[] = {
		{ .name = "config", .letter = 'c', .kind = CLI_STRING, .target = &a->cfgpath },
		{ .name = "once", .letter = '1', .kind = CLI_FLAG, .target = &a->once },
		{ .name = "dry-run", .letter = 'n', .kind = CLI_STRING, .target = &a->dry },
		{ .name = "verbose", .letter = 'v', .kind = CLI_FLAG, .target = &a->verbose },
		{ .name = "help", .letter = 'h', .kind = CLI_HELP },
		{ .name = "version", .letter = 'V', .kind = CLI_VERSION },
	};
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = cli_parse(&prog, opts, sizeof(opts) / sizeof(opts[0]), argc, argv)) != -1)
		return rc;
	if (a->dry != NULL && (a->dry[0] == '\0' || access(a->dry, W_OK) == -1)) {
		fprintf(stderr, PROGNAME ": --dry-run %s: %s\n", a->dry,
		    a->dry[0] == '\0' ? "empty directory name" : strerror(errno));
		return 2;
	}
	return -1;
}

/*
 * The daemon's loop until SIGTERM.  A failed pass (database busy, full or
 * read-only, SMTP setup) is retried, the wait doubling while the failures
 * last (up to 16 polls or a minute): a full disk is a temporary failure,
 * not a reason to exit and be restarted in a loop.
 */
/*
 * Read the organizer's mailbox when imap_url is set (im non-NULL): calendar
 * replies applied, each message flagged once committed.  0, or -1 logged.
 */
static int
notifier_imap(struct imap_session *im, struct store *st)
{
	struct imap_stats	 is;
	struct result		 r;
	char			 q[600];

	if (im == NULL)
		return 0;
	memset(&is, 0, sizeof(is));
	result_clear(&r);
	if (imap_poll(im, st, (int64_t)time(NULL), &notifier_stop, &is, &r) == -1) {
		log_errorx("notifier: mailbox poll failed err=%s", log_quote(r.message, q, sizeof(q)));
		return -1;
	}
	if (is.fetched > 0)
		log_info("notifier: mailbox read=%zu applied=%zu stale=%zu proposals=%zu"
		    " unmatched=%zu duplicates=%zu", is.fetched, is.outcomes[STORE_REPLY_APPLIED],
		    is.outcomes[STORE_REPLY_STALE], is.outcomes[STORE_REPLY_PROPOSAL],
		    is.outcomes[STORE_REPLY_UNMATCHED], is.outcomes[STORE_REPLY_DUPLICATE]);
	return 0;
}

static void
notifier_loop(struct drain *d, struct imap_session *im, struct store *st,
    const struct config *cfg, struct drain_stats *stats)
{
	struct result	 r;
	char		 q[600];
	int		 failures = 0, wait;

	while (!notifier_stop) {
		result_clear(&r);
		/* A mailbox that fails is logged and read again next poll; the outbox goes on. */
		(void)notifier_imap(im, st);
		if (drain_run(d, &notifier_stop, stats, &r) == -1) {
			failures++;
			wait = notifier_backoff(cfg->poll_interval, failures);
			log_errorx("notifier: drain failed (%d in a row), next try in %d s: err=%s",
			    failures, wait, log_quote(r.message, q, sizeof(q)));
		} else {
			if (failures > 0)
				log_info("notifier: drain works again after %d failed passes", failures);
			failures = 0;
			wait = cfg->poll_interval;
		}
		notifier_sleep(wait);
	}
}

int
main(int argc, char *argv[])
{
	struct notifier_args	 a;
	struct config		 cfg;
	struct store		*st = NULL;
	struct drain		*d = NULL;
	struct imap_session	*im = NULL;
	struct drain_stats	 stats;
	struct result		 r;
	char			 err[1200], owner[128], host[64], q[600];
	int			 status = 1;

	if ((status = notifier_args_parse(argc, argv, &a)) != -1)
		return status;
	status = 1;
	log_init(PROGNAME, a.verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);

	config_defaults(&cfg);
	if (config_load(&cfg, a.cfgpath, &r) == -1) {
		log_errorx("config: %s", log_quote(r.message, q, sizeof(q)));
		return 1;
	}
	if (notifier_organizer_check(&cfg) == -1)
		return 1;
	/* Without a catalog the mails are English: worth a warning, not a refusal to start. */
	if (i18n_init(cfg.locale_dir, &r) == -1)
		log_warnx("languages: %s", log_quote(r.message, q, sizeof(q)));
	if (notifier_signals() == -1) {
		log_warn("sigaction");
		return 1;
	}
	result_clear(&r);
	if (smtp_global_init(&r) == -1) {
		log_errorx("%s", r.message);
		return 1;
	}
	if (store_open(&st, cfg.database, &r) == -1) {
		log_errorx("store: open failed path=%s err=%s", log_quote(cfg.database, err, sizeof(err)),
		    log_quote(r.message, q, sizeof(q)));
		goto out;
	}
	if (gethostname(host, sizeof(host)) == -1)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(owner, sizeof(owner), "%s:%ld", host, (long)getpid());
	if (drain_open(&d, &cfg, st, owner, a.dry, &r) == -1) {
		log_errorx("notifier: setup failed err=%s", log_quote(r.message, q, sizeof(q)));
		goto out;
	}

	/* A dry run changes nothing: it leaves the mailbox alone too. */
	if (cfg.imap_url[0] != '\0' && a.dry == NULL && imap_open(&im, &cfg, &r) == -1) {
		log_errorx("notifier: mailbox setup failed err=%s", log_quote(r.message, q, sizeof(q)));
		goto out;
	}

	memset(&stats, 0, sizeof(stats));
	if (a.once || a.dry != NULL) {
		status = notifier_imap(im, st) == -1 ? 1 : 0;
		if (drain_run(d, &notifier_stop, &stats, &r) == -1) {
			status = 1;
			log_errorx("notifier: drain failed err=%s", log_quote(r.message, q, sizeof(q)));
		}
		log_info("notifier: done sent=%zu retried=%zu dead=%zu written=%zu", stats.sent,
		    stats.retried, stats.dead, stats.written);
		goto out;
	}
	log_info("notifier: started owner=%s poll_interval=%d outbox_lease=%d", owner,
	    cfg.poll_interval, cfg.outbox_lease);
	notifier_loop(d, im, st, &cfg, &stats);
	log_info("notifier: stopping sent=%zu retried=%zu dead=%zu lost_lease=%zu", stats.sent,
	    stats.retried, stats.dead, stats.lost_lease);
	status = 0;
out:
	imap_close(im);
	drain_close(d);
	store_close(st);
	smtp_global_cleanup();
	return status;
}
