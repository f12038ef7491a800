/* hello_fcgi.c -- the reference responder: bare libfcgi "hello" with pre-forked workers, no routing, no database. */
#include "autoconfig.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#define HELLO_WORKERS_MAX	64
#define HELLO_BACKLOG		128

/*
 * The same process model as ftsuccess.fcgi --listen: one socket opened by
 * the parent, N children accepting on it.  The reply is a fixed 13-byte body,
 * so what is left is libfcgi, the socket and nginx: the floor under any
 * FastCGI page.
 */
static int
hello_worker(int fd)
{
	FCGX_Request	 req;

	if (FCGX_InitRequest(&req, fd, 0) != 0) {
		fprintf(stderr, "hello_fcgi: FCGX_InitRequest failed fd=%d\n", fd);
		return 1;
	}
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutS("Status: 200 OK\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n"
		    "Content-Length: 13\r\n\r\n"
		    "hello, world\n", req.out);
		FCGX_Finish_r(&req);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	pid_t		 pids[HELLO_WORKERS_MAX];
	char		*end;
	long		 n;
	int		 fd, i, status;
	sigset_t	 set;
	int		 sig;

	if (argc != 3 || strncmp(argv[1], "unix:", 5) != 0) {
		fprintf(stderr, "usage: hello_fcgi unix:/path/to.sock WORKERS\n");
		return 2;
	}
	errno = 0;
	n = strtol(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > HELLO_WORKERS_MAX) {
		fprintf(stderr, "hello_fcgi: workers must be 1..%d, not '%s'\n", HELLO_WORKERS_MAX, argv[2]);
		return 2;
	}
	if (FCGX_Init() != 0) {
		fprintf(stderr, "hello_fcgi: FCGX_Init failed\n");
		return 1;
	}
	/* libfcgi takes a path for a unix socket and host:port for TCP. */
	if ((fd = FCGX_OpenSocket(argv[1] + 5, HELLO_BACKLOG)) < 0) {
		fprintf(stderr, "hello_fcgi: cannot listen on %s\n", argv[1]);
		return 1;
	}
	/* Block the stop signals in the parent only; children get the defaults back. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++) {
		if ((pids[i] = fork()) == -1) {
			fprintf(stderr, "hello_fcgi: fork: %s\n", strerror(errno));
			return 1;
		}
		if (pids[i] == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			_exit(hello_worker(fd));
		}
	}
	sigwait(&set, &sig);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		waitpid(pids[i], &status, 0);
	unlink(argv[1] + 5);
	return 0;
}
