/*
 * main.c -- ftsuccess.fcgi: options, configuration, the listening socket,
 * pre-forked workers under a restarting parent, signals, and the glue
 * between libfcgi (or the plain CGI environment) and the request structs.
 * The only file that includes fcgiapp.h.
 */
#include "autoconfig.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "csrf.h"
#include "http.h"
#include "i18n.h"
#include "log.h"
#include "mustache.h"
#include "pages.h"
#include "playbook.h"
#include "result.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define PROGNAME		"ftsuccess.fcgi"
#define MAIN_WORKERS_MAX	64
#define MAIN_SOCKET_MODE	0660	/* owner + the web server's group may connect */
#define MAIN_BACKLOG		128
#define MAIN_BACKOFF_MIN_MS	250	/* first delay before restarting a worker that died young */
#define MAIN_BACKOFF_MAX_MS	10000
#define MAIN_YOUNG_MS		2000	/* a worker that dies sooner counts as a crash loop */
#define MAIN_STOP_GRACE_S	30	/* SIGKILL workers still busy this long after SIGTERM */
#define MAIN_STALE_WAIT_MS	10000	/* how long a live socket's old owner may take to let go */
#define SD_LISTEN_FDS_START	3	/* sd_listen_fds(3): the first passed descriptor */

/* Set from the signal handler of a worker; the only process-wide mutable state. */
static volatile sig_atomic_t	 worker_stop;
static volatile sig_atomic_t	 worker_idle;
static volatile sig_atomic_t	 worker_listen_fd = -1;

struct options {
	const char	*config;
	const char	*listen;	/* overrides config listen */
	int		 workers;	/* 0: not given */
	int		 socket_mode;	/* -1: not given */
};

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROGNAME " [--config PATH] [--listen ADDRESS] [--workers N]\n"
	    "                      [--socket-mode MODE] | --help | --version\n"
	    "\n"
	    "FastCGI responder of ftsuccess.  How it gets its requests:\n"
	    "  --listen unix:/path | HOST:PORT  open this socket and pre-fork workers\n"
	    "                                   (also config key listen)\n"
	    "  a socket on stdin or systemd's LISTEN_FDS\n"
	    "                                   serve it (spawn-fcgi, mod_fcgid,\n"
	    "                                   socket activation); one process unless\n"
	    "                                   --workers is given\n"
	    "  otherwise                        plain CGI: one request from the\n"
	    "                                   environment and stdin\n"
	    "\n"
	    "  -c, --config PATH       configuration file (default $FTSUCCESS_CONFIG,\n"
	    "                          then " SYSCONFDIR "/ftsuccess.conf)\n"
	    "  -l, --listen ADDRESS    unix:/path/to.sock, 127.0.0.1:9000 or [::1]:9000\n"
	    "  -w, --workers N         worker processes, 1..%d (config key workers)\n"
	    "  -m, --socket-mode MODE  permissions of a unix socket (octal, default %04o:\n"
	    "                          put the web server in the socket's group, or use 0666)\n"
	    "  -h, --help              this text\n"
	    "  -V, --version           print the version\n",
	    MAIN_WORKERS_MAX, MAIN_SOCKET_MODE);
}

/* Parse the command line; exits 2 on a bad option, 0 after --help/--version. */
static void
parse_options(int argc, char *argv[], struct options *o)
{
	static const struct cli_program prog = {
		.name = PROGNAME, .version = PROGNAME " (" PACKAGE_NAME ") " PACKAGE_VERSION,
		.usage = usage,
	};
	long long	 workers = 0, mode = -1;
	const struct cli_option opts[] = {
		{ .name = "config", .letter = 'c', .kind = CLI_STRING, .target = &o->config },
		{ .name = "listen", .letter = 'l', .kind = CLI_STRING, .target = &o->listen },
		{ .name = "workers", .letter = 'w', .kind = CLI_INT, .target = &workers,
		    .min = 1, .max = MAIN_WORKERS_MAX },
		{ .name = "socket-mode", .letter = 'm', .kind = CLI_OCTAL, .target = &mode,
		    .min = 0, .max = 0777 },
		{ .name = "help", .letter = 'h', .kind = CLI_HELP },
		{ .name = "version", .letter = 'V', .kind = CLI_VERSION },
	};
	int		 rc;

	memset(o, 0, sizeof(*o));
	if ((rc = cli_parse(&prog, opts, sizeof(opts) / sizeof(opts[0]), argc, argv)) != -1)
		exit(rc);
	o->workers = (int)workers;
	o->socket_mode = (int)mode;
}

/* The path part of base_url ("http://h/app" -> "/app"), "" at the root. */
static void
base_path_of(const char *url, char *out, size_t outsz)
{
	const char	*p = strstr(url, "://");

	out[0] = '\0';
	if (p == NULL)
		return;
	p = strchr(p + 3, '/');
	if (p != NULL)
		text_copy(out, outsz, p);
}

/* ---- sockets ---- */

/* 1 when the bound socket fd only accepts local peers (unix, 127/8, ::1). */
static int
socket_is_local(int fd)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	char			 host[INET6_ADDRSTRLEN];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	if (ss.ss_family == AF_UNIX)
		return 1;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
	else
		return 0;
	return router_addr_loopback(host);
}

/* 1 when something accepts connections on the unix socket at sun, 0 when not, -1 logged. */
static int
socket_unix_live(const struct sockaddr_un *sun, const char *path)
{
	int	 fd, live;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1) {
		log_warn("listen: socket to probe %s", path);
		return -1;
	}
	if (connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0)
		live = 1;
	else if (errno == ECONNREFUSED || errno == ENOENT)
		live = 0;
	else if (errno == EAGAIN || errno == EINPROGRESS)
		live = 1;	/* a full backlog: someone listens but is behind */
	else {
		log_warn("listen: probe %s", path);
		live = -1;
	}
	close(fd);
	return live;
}

/*
 * Wait until nothing accepts on the socket file at path any more (up to
 * MAIN_STALE_WAIT_MS); 0 when it is stale and may be replaced, -1 logged.
 */
static int
socket_unix_wait_stale(const struct sockaddr_un *sun, const char *path)
{
	struct timespec	 pause = { 0, 100 * 1000 * 1000 };
	long long	 waited;
	int		 live;

	for (waited = 0; ; waited += 100) {
		if ((live = socket_unix_live(sun, path)) != 1)
			return live;
		if (waited == 0)
			log_warnx("listen: %s still accepts connections; waiting up to %dms "
			    "for its owner to exit", path, MAIN_STALE_WAIT_MS);
		if (waited >= MAIN_STALE_WAIT_MS)
			break;
		nanosleep(&pause, NULL);
	}
	log_errorx("listen: %s is served by another running process; not replacing it "
	    "(stop that process, or remove the socket file if it is not ours)", path);
	return -1;
}

/* Create, bind and listen on a unix socket with the given mode; -1 logged. */
static int
socket_unix(const char *path, int mode)
{
	struct sockaddr_un	 sun;
	struct stat		 sb;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (text_copy(sun.sun_path, sizeof(sun.sun_path), path) == -1 || *path != '/') {
		log_errorx("listen: unix socket path must be absolute and under %zu bytes path=%s",
		    sizeof(sun.sun_path), path);
		return -1;
	}
	/*
	 * A socket left by a previous run is replaced; any other file is not
	 * ours.  One that still accepts belongs to a live process (another
	 * instance, or the workers of a killed supervisor finishing their
	 * request): unlinking it would leave them serving a socket nobody can
	 * reach, so wait for them to let go, and refuse if they do not.
	 */
	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			log_errorx("listen: %s exists and is not a socket", path);
			return -1;
		}
		if (socket_unix_wait_stale(&sun, path) == -1)
			return -1;
		if (unlink(path) == -1 && errno != ENOENT) {
			log_warn("listen: unlink stale socket %s", path);
			return -1;
		}
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("listen: socket");
		return -1;
	}
	/* The umask covers the window between bind and chmod. */
	old = umask((mode_t)(0777 & ~mode));
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		log_warn("listen: bind %s", path);
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(path, (mode_t)mode) == -1)
		log_warn("listen: chmod %04o %s", mode, path);
	if (listen(fd, MAIN_BACKLOG) == -1) {
		log_warn("listen: listen %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* Bind HOST:PORT or [V6]:PORT; -1 logged. */
static int
socket_tcp(const char *addr)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256], port[16];
	const char	*colon, *h;
	size_t		 hlen;
	int		 fd = -1, one = 1, rc;

	if (*addr == '[') {
		colon = strstr(addr, "]:");
		h = addr + 1;
		hlen = colon != NULL ? (size_t)(colon - h) : 0;
		colon = colon != NULL ? colon + 1 : NULL;
	} else {
		colon = strrchr(addr, ':');
		h = addr;
		hlen = colon != NULL ? (size_t)(colon - addr) : 0;
	}
	if (colon == NULL || hlen == 0 || hlen >= sizeof(host) ||
	    text_copy(port, sizeof(port), colon + 1) == -1 || port[0] == '\0') {
		log_errorx("listen: expected unix:/path, HOST:PORT or [V6]:PORT, not %s", addr);
		return -1;
	}
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_errorx("listen: %s: %s", addr, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, MAIN_BACKLOG) == 0)
			break;
		log_warn("listen: bind %s", addr);
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* ---- one request ---- */

struct fcgi_io {
	FCGX_Request	*fr;
};

static const char *
fcgi_param(void *arg, const char *name)
{
	struct fcgi_io	*io = arg;

	return FCGX_GetParam(name, io->fr->envp);
}

static long
fcgi_read(void *arg, char *buf, size_t n)
{
	struct fcgi_io	*io = arg;
	int		 got;

	if (n > INT_MAX)
		n = INT_MAX;
	got = FCGX_GetStr(buf, (int)n, io->fr->in);
	if (got < (int)n && FCGX_GetError(io->fr->in) != 0)
		return -1;
	return got;
}

static const char *
cgi_param(void *arg, const char *name)
{
	(void)arg;
	return getenv(name);
}

static long
cgi_read(void *arg, char *buf, size_t n)
{
	size_t	 got = fread(buf, 1, n, stdin);

	(void)arg;
	if (got < n && ferror(stdin))
		return -1;
	return (long)got;
}

static long long now_ms(void);

/*
 * Open what a worker needs that is not open yet: a database that was down
 * may be back.  At most once a second, so a broken database does not turn
 * every request into a failed open.
 */
static void
app_reopen(struct app *app)
{
	struct result	 r;
	long long	 now = now_ms();

	if (now < app->reopen_at)
		return;
	app->reopen_at = now + 1000;
	result_clear(&r);
	if (app->store == NULL && store_open(&app->store, app->cfg->database, &r) == -1) {
		app->store = NULL;
		log_errorx("store: open failed path=%s err=\"%s\"", app->cfg->database, r.message);
	}
	result_clear(&r);
	if (app->templates == NULL &&
	    (mustache_set_open(&app->templates, app->cfg->templates_dir, &r) == -1 ||
	    mustache_set_languages(app->templates, i18n_languages, I18N_NLANG, i18n_translate, NULL,
	    &r) == -1)) {
		mustache_set_close(app->templates);
		app->templates = NULL;
		log_errorx("templates: open failed dir=%s err=\"%s\"", app->cfg->templates_dir, r.message);
	}
	/* A plain CGI process serves one request: nothing to remember between requests. */
	if (app->cache == NULL && !app->cgi_mode && (app->cache = playbook_cache_new()) == NULL)
		log_errorx("portfolio cache: out of memory (pages are computed every time)");
}

/* Serve one request into out (the whole CGI response). */
static void
serve(struct app *app, const char *base, http_param_fn get, void *garg,
    http_read_fn rd, void *rarg, struct buf *out)
{
	struct http_request	 req;
	struct http_response	 resp;
	struct timespec		 t0, t1;
	struct result		 r;
	char			 qpath[256], quser[160];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	http_request_init(&req);
	http_response_init(&resp);
	if (app->store == NULL || app->templates == NULL)
		app_reopen(app);
	if (http_request_from_params(&req, get, garg, base, &r) == -1) {
		if (req.path == NULL)
			req.path = strdup("/");
		http_error(&resp, &req, app->templates, http_request_status(&r), r.message);
	} else
		router_serve(app, routes_table, &req, rd, rarg, &resp);
	if (http_response_serialize(&req, &resp, out) == -1)
		log_errorx("http: out of memory writing the response");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_info("request method=%s path=%s status=%d bytes=%zu user=%s ms=%.1f",
	    req.method_name != NULL ? req.method_name : "-",
	    log_quote(req.path != NULL ? req.path : "-", qpath, sizeof(qpath)),
	    resp.status, resp.body.len,
	    log_quote(req.user != NULL ? req.user : "-", quser, sizeof(quser)),
	    (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	http_response_free(&resp);
	http_request_free(&req);
}

static int
fcgi_write(FCGX_Request *fr, const struct buf *out)
{
	size_t	 off = 0, n;

	while (off < out->len) {
		n = out->len - off;
		if (n > 65536)
			n = 65536;
		if (FCGX_PutStr(out->data + off, (int)n, fr->out) != (int)n)
			return -1;
		off += n;
	}
	return 0;
}

/* ---- workers ---- */

static void
worker_on_term(int sig)
{
	(void)sig;
	worker_stop = 1;
	/*
	 * Waiting in accept(): closing the socket makes the restarted accept
	 * fail with EBADF, so the worker leaves at once.  Busy with a request:
	 * only the flag is set and the request finishes first.
	 */
	if (worker_idle && worker_listen_fd >= 0) {
		close(worker_listen_fd);
		worker_listen_fd = -1;
	}
}

/*
 * Serve FastCGI requests on listen fd until SIGTERM; returns the exit status.
 * parent is the supervisor's pid, or 0 when the worker has none.
 */
static int
worker_run(struct app *app, int fd, const char *base, pid_t parent)
{
	struct sigaction	 sa;
	sigset_t		 none;
	FCGX_Request		 fr;
	struct fcgi_io		 io;
	struct buf		 out;
	int			 rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = worker_on_term;
	sigemptyset(&sa.sa_mask);
	/* SA_RESTART: reads and writes of the request in flight are not cut short. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	/* A terminal hang-up reaches the whole process group; like the parent, ignore it. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	worker_listen_fd = fd;
	/*
	 * A worker outlives a supervisor killed with SIGKILL: it would keep
	 * serving a socket a restarted supervisor replaces, holding the
	 * database, never replaced.  The kernel sends SIGTERM when the parent
	 * dies, which finishes the request in flight (an acknowledged write is
	 * never cut short) and exits.  The parent may have died before prctl:
	 * then getppid() already names another process.
	 */
	if (parent > 0) {
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1)
			log_warn("worker: prctl PR_SET_PDEATHSIG pid=%ld", (long)getpid());
		if (getppid() != parent) {
			log_warnx("worker: supervisor pid=%ld is gone, exiting pid=%ld",
			    (long)parent, (long)getpid());
			return 1;
		}
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (FCGX_Init() != 0) {
		log_errorx("fcgi: FCGX_Init failed");
		return 1;
	}
	app->reopen_at = 0;
	app_reopen(app);
	if (FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		log_errorx("fcgi: FCGX_InitRequest failed fd=%d", fd);
		return 1;
	}
	io.fr = &fr;
	buf_init(&out);
	log_info("worker: ready pid=%ld", (long)getpid());
	rc = 0;
	while (!worker_stop) {
		worker_idle = 1;
		if (worker_stop)
			break;
		if (FCGX_Accept_r(&fr) < 0) {
			worker_idle = 0;
			if (!worker_stop) {
				log_warn("fcgi: accept failed");
				rc = 1;
			}
			break;
		}
		worker_idle = 0;
		buf_reset(&out);
		serve(app, base, fcgi_param, &io, fcgi_read, &io, &out);
		if (out.failed || fcgi_write(&fr, &out) == -1)
			log_info("fcgi: client went away before the response was written");
		FCGX_Finish_r(&fr);
	}
	buf_free(&out);
	FCGX_Free(&fr, 1);
	store_close(app->store);
	app->store = NULL;
	mustache_set_close(app->templates);
	app->templates = NULL;
	playbook_cache_free(app->cache);
	app->cache = NULL;
	log_info("worker: exit pid=%ld", (long)getpid());
	return rc;
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct slot {
	pid_t		 pid;
	long long	 started;	/* ms */
	long long	 next_start;	/* ms; when an empty slot may start again */
	long long	 backoff;	/* ms */
};

/* Collect the workers that ended; unless stopping, schedule each restart (later when it died young). */
static void
supervise_reap(struct slot *slots, int n, int stopping)
{
	pid_t		 pid;
	long long	 now;
	int		 i, status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		now = now_ms();
		for (i = 0; i < n && slots[i].pid != pid; i++)
			;
		if (i == n)
			continue;
		slots[i].pid = 0;
		if (stopping)
			continue;
		if (WIFSIGNALED(status))
			log_warnx("supervisor: worker died pid=%ld signal=%d", (long)pid, WTERMSIG(status));
		else
			log_warnx("supervisor: worker exited pid=%ld status=%d", (long)pid,
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		if (now - slots[i].started < MAIN_YOUNG_MS) {
			slots[i].backoff = slots[i].backoff == 0 ? MAIN_BACKOFF_MIN_MS :
			    slots[i].backoff * 2;
			if (slots[i].backoff > MAIN_BACKOFF_MAX_MS)
				slots[i].backoff = MAIN_BACKOFF_MAX_MS;
		} else
			slots[i].backoff = 0;
		slots[i].next_start = now + slots[i].backoff;
		if (slots[i].backoff > 0)
			log_info("supervisor: restarting worker slot=%d in %lldms", i, slots[i].backoff);
	}
}

/*
 * Keep n workers running on fd: restart one that dies (waiting longer each
 * time one dies young, so a crash loop does not spin), and on SIGTERM/SIGINT
 * pass it on and wait for all of them.  Signals are taken synchronously with
 * sigtimedwait, so the parent has no handler to race with.
 */
static int
supervise(struct app *app, int fd, int n, const char *base)
{
	struct slot	 slots[MAIN_WORKERS_MAX];
	sigset_t	 set, old;
	siginfo_t	 info;
	struct timespec	 ts;
	long long	 now, wait, stop_at = 0;
	pid_t		 pid, self = getpid();
	int		 i, sig, alive, stopping = 0;

	memset(slots, 0, sizeof(slots));
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	log_info("supervisor: starting workers=%d pid=%ld", n, (long)getpid());

	for (;;) {
		now = now_ms();
		alive = 0;
		wait = 60000;
		for (i = 0; i < n; i++) {
			if (slots[i].pid == 0 && !stopping && slots[i].next_start <= now) {
				pid = fork();
				if (pid == -1) {
					log_warn("supervisor: fork");
					slots[i].next_start = now + MAIN_BACKOFF_MIN_MS;
				} else if (pid == 0)
					_exit(worker_run(app, fd, base, self));
				else {
					slots[i].pid = pid;
					slots[i].started = now;
				}
			}
			if (slots[i].pid != 0)
				alive++;
			else if (!stopping && slots[i].next_start - now < wait)
				wait = slots[i].next_start - now;
		}
		if (stopping && alive == 0)
			break;
		if (stopping) {
			if (now >= stop_at) {
				for (i = 0; i < n; i++)
					if (slots[i].pid != 0)
						kill(slots[i].pid, SIGKILL);
				stop_at = now + 60000;
			}
			wait = stop_at - now;
		}
		if (wait < 1)
			wait = 1;
		ts.tv_sec = wait / 1000;
		ts.tv_nsec = (wait % 1000) * 1000000;
		sig = sigtimedwait(&set, &info, &ts);
		if (sig == -1)
			continue;	/* EAGAIN: a restart is due; EINTR: look again */
		if (sig == SIGTERM || sig == SIGINT) {
			if (!stopping) {
				log_info("supervisor: stopping, waiting for workers to finish");
				stopping = 1;
				stop_at = now_ms() + MAIN_STOP_GRACE_S * 1000;
				for (i = 0; i < n; i++)
					if (slots[i].pid != 0)
						kill(slots[i].pid, SIGTERM);
			}
			continue;
		}
		if (sig == SIGHUP) {
			log_info("supervisor: SIGHUP ignored (restart the service to reload)");
			continue;
		}
		supervise_reap(slots, n, stopping);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	log_info("supervisor: all workers stopped");
	return 0;
}

/* ---- plain CGI ---- */

static int
cgi_run(struct app *app, const char *base)
{
	struct buf	 out;
	const char	*cl = getenv("CONTENT_LENGTH");
	int		 rc = 0;

	app->cgi_mode = 1;
	app_reopen(app);
	buf_init(&out);
	/* RFC 3875 section 4.1.2: no CONTENT_LENGTH means no body; do not wait on stdin. */
	serve(app, base, cgi_param, NULL, cl != NULL && *cl != '\0' ? cgi_read : NULL, NULL, &out);
	if (out.failed || fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) == EOF) {
		log_warn("cgi: writing the response failed");
		rc = 1;
	}
	buf_free(&out);
	store_close(app->store);
	mustache_set_close(app->templates);
	return rc;
}

/* The inherited listening socket (systemd LISTEN_FDS, else stdin), or -1 for plain CGI. */
static int
inherited_socket(void)
{
	const char	*pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	long long	 p, n;

	if (pid != NULL && fds != NULL && text_int_parse(pid, 1, LLONG_MAX, &p) == 0 &&
	    p == (long long)getpid() && text_int_parse(fds, 1, 1024, &n) == 0) {
		if (n > 1)
			log_warnx("main: LISTEN_FDS=%lld, serving only the first", n);
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_FDNAMES");
		return SD_LISTEN_FDS_START;
	}
	/* FCGX_IsCGI: stdin is not a listening socket. */
	if (!FCGX_IsCGI())
		return 0;
	return -1;
}

/*
 * Started by a CGI server and unable to start: answer 500 on stdout so the
 * browser sees an error page and the server log the reason, instead of
 * "premature end of script headers".
 */
static void
cgi_startup_failed(void)
{
	struct http_request	 req;
	struct http_response	 resp;
	struct buf		 out;
	char			 root[] = "/";	/* req is not freed: a writable path of our own */

	if (getenv("GATEWAY_INTERFACE") == NULL || getenv("LISTEN_FDS") != NULL || !FCGX_IsCGI())
		return;
	http_request_init(&req);
	http_response_init(&resp);
	buf_init(&out);
	req.path = root;
	http_error(&resp, &req, NULL, 500, "The application could not start; see the server's error log.");
	if (http_response_serialize(&req, &resp, &out) == 0)
		(void)fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	http_response_free(&resp);
}

int
main(int argc, char *argv[])
{
	struct options	 opt;
	struct config	 cfg;
	struct app	 app;
	struct result	 r;
	char		 base[512];
	int		 fd, rc, workers, mode, own = 0;

	signal(SIGPIPE, SIG_IGN);	/* a client that goes away never kills a worker */
	parse_options(argc, argv, &opt);
	log_init(PROGNAME, LOG_LEVEL_INFO);

	if (config_load(&cfg, opt.config, &r) == -1) {
		fprintf(stderr, PROGNAME ": %s\n", r.message);
		cgi_startup_failed();
		return 1;
	}
	if (opt.listen != NULL && text_copy(cfg.listen, sizeof(cfg.listen), opt.listen) == -1) {
		fprintf(stderr, PROGNAME ": --listen address too long\n");
		return 2;
	}
	mode = opt.socket_mode >= 0 ? opt.socket_mode : MAIN_SOCKET_MODE;
	base_path_of(cfg.base_url, base, sizeof(base));

	memset(&app, 0, sizeof(app));
	app.cfg = &cfg;
	if (csrf_secret_load(cfg.secret_file, app.secret, &r) == -1) {
		log_errorx("%s", r.message);
		if (cfg.listen[0] == '\0')
			cgi_startup_failed();
		return 1;
	}
	/* Without a catalog the pages are English: worth a warning, not a refusal to start. */
	if (i18n_init(cfg.locale_dir, &r) == -1)
		log_warnx("languages: %s", r.message);
	/* Like the notifier's mail templates: a missing directory stops the start, naming it. */
	if (pages_templates_check(cfg.templates_dir, &r) == -1) {
		log_errorx("%s", r.message);
		if (cfg.listen[0] == '\0')
			cgi_startup_failed();
		return 1;
	}

	if (cfg.listen[0] != '\0') {
		if (strncmp(cfg.listen, "unix:", 5) == 0)
			fd = socket_unix(cfg.listen + 5, mode);
		else
			fd = socket_tcp(cfg.listen);
		if (fd == -1)
			return 1;
		own = 1;
		workers = opt.workers > 0 ? opt.workers : cfg.workers;
	} else {
		fd = inherited_socket();
		if (fd == -1) {
			rc = cgi_run(&app, base);
			memset(app.secret, 0, sizeof(app.secret));
			return rc;
		}
		/* The launcher (spawn-fcgi, mod_fcgid, systemd) manages processes itself. */
		workers = opt.workers > 0 ? opt.workers : 1;
	}
	if (workers < 1 || workers > MAIN_WORKERS_MAX)
		workers = 1;

	/* Demo mode has no authentication: only a local web server may reach it. */
	if (cfg.auth == CONFIG_AUTH_NONE && !socket_is_local(fd)) {
		log_errorx("main: auth = none (demo mode) needs a loopback or unix socket; "
		    "refusing to serve listen=%s", own ? cfg.listen : "(inherited socket)");
		return 1;
	}
	if (cfg.auth == CONFIG_AUTH_NONE)
		log_warnx("main: auth = none: demo mode, every request acts as user \"demo\"");

	if (own || workers > 1) {
		/*
		 * Migrate the database once here, before the workers race to do
		 * it; the connection is closed again as SQLite handles must not
		 * cross fork(2).  A failure is not fatal: workers retry, and
		 * /healthz answers 503 meanwhile.
		 */
		struct store	*st;

		result_clear(&r);
		if (store_open(&st, cfg.database, &r) == -1)
			log_errorx("store: open failed path=%s err=\"%s\"", cfg.database, r.message);
		else
			store_close(st);
		rc = supervise(&app, fd, workers, base);
		if (own && strncmp(cfg.listen, "unix:", 5) == 0)
			unlink(cfg.listen + 5);
	} else
		rc = worker_run(&app, fd, base, 0);
	close(fd);
	memset(app.secret, 0, sizeof(app.secret));
	return rc;
}
