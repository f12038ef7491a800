/* atomicfile.c -- writing a file whole or not at all (see OpenSMTPD's queue_fs.c): the notifier's mail copies, the CSRF secret, the sample database. */
#include "autoconfig.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "fileio.h"

/* How the temporary file is put in place. */
enum atomicfile_place { ATOMICFILE_RENAME, ATOMICFILE_LINK };

/* Where the bytes come from: a buffer, or a file descriptor read to its end. */
struct atomicfile_src {
	const unsigned char	*data;
	size_t			 len;
	int			 fd;		/* -1: use data */
	const char		*from;		/* name of fd, for messages */
};

static int
atomicfile_fail(struct result *r, const char *what, const char *path, int err)
{
	enum result_code	code = RESULT_IO;

	if (err == ENOSPC || err == EDQUOT || err == EROFS)
		code = RESULT_STORAGE;
	return result_set(r, code, NULL, "%s %.400s: %s", what, path, strerror(err));
}

/* Copy src into fd; on failure errno is set and *what names the side that failed. */
static int
atomicfile_fill(int fd, const struct atomicfile_src *src, const char **what)
{
	unsigned char	buf[65536];
	size_t		n;

	*what = "write";
	if (src->fd == -1)
		return fileio_write(fd, src->data, src->len);
	for (;;) {
		if (fileio_read(src->fd, buf, sizeof(buf), &n) == -1) {
			*what = "read";
			return -1;
		}
		if (fileio_write(fd, buf, n) == -1)
			return -1;
		if (n < sizeof(buf))
			return 0;
	}
}

/* Make a new name in dir durable; many file systems cannot fsync a directory, so errors are ignored. */
static void
atomicfile_sync_dir(const char *dir)
{
	int	dfd;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
}

static int
atomicfile_put(const char *path, const struct atomicfile_src *src, mode_t mode,
    enum atomicfile_place place, struct result *r)
{
	char		 tmp[PATH_MAX], dir[PATH_MAX];
	const char	*slash, *base, *what;
	size_t		 dirlen;
	int		 fd, n, rc = -1, existed = 0;

	slash = strrchr(path, '/');
	base = slash != NULL ? slash + 1 : path;
	dirlen = slash == NULL ? 0 : slash == path ? 1 : (size_t)(slash - path);
	if (*base == '\0')
		return result_set(r, RESULT_INVALID, NULL, "file name missing in %.400s", path);
	if (dirlen >= sizeof(dir))
		return result_set(r, RESULT_INVALID, NULL, "path too long: %.400s", path);
	if (dirlen == 0)
		memcpy(dir, ".", 2);
	else {
		memcpy(dir, path, dirlen);
		dir[dirlen] = '\0';
	}
	n = snprintf(tmp, sizeof(tmp), "%.*s.%s.tmp.XXXXXX", (int)(base - path), path, base);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return result_set(r, RESULT_INVALID, NULL, "path too long: %.400s", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1)
		return atomicfile_fail(r, "create temporary file for", path, errno);
	/* mkostemp makes 0600; set exactly the mode asked for, whatever the umask. */
	if (fchmod(fd, mode) == -1) {
		atomicfile_fail(r, "chmod", tmp, errno);
		goto out;
	}
	if (atomicfile_fill(fd, src, &what) == -1) {
		atomicfile_fail(r, what, *what == 'r' ? src->from : tmp, errno);
		goto out;
	}
	if (fsync(fd) == -1) {
		atomicfile_fail(r, "fsync", tmp, errno);
		goto out;
	}
	n = close(fd);
	fd = -1;
	if (n == -1) {
		atomicfile_fail(r, "close", tmp, errno);
		goto out;
	}
	if (place == ATOMICFILE_RENAME) {
		if (rename(tmp, path) == -1) {
			atomicfile_fail(r, "rename to", path, errno);
			goto out;
		}
	} else if (link(tmp, path) == -1) {
		/* link never replaces: the loser of a race keeps the winner's file. */
		if (errno != EEXIST) {
			atomicfile_fail(r, "link to", path, errno);
			goto out;
		}
		existed = 1;
	}
	atomicfile_sync_dir(dir);
	rc = existed;
out:
	if (fd != -1)
		close(fd);
	if (rc == -1 || place == ATOMICFILE_LINK)
		unlink(tmp);
	return rc;
}

int
atomicfile_write(const char *path, const void *data, size_t len, mode_t mode,
    struct result *r)
{
	const struct atomicfile_src src = { .data = data, .len = len, .fd = -1, .from = "" };

	return atomicfile_put(path, &src, mode, ATOMICFILE_RENAME, r);
}

int
atomicfile_create(const char *path, const void *data, size_t len, mode_t mode,
    struct result *r)
{
	const struct atomicfile_src src = { .data = data, .len = len, .fd = -1, .from = "" };

	return atomicfile_put(path, &src, mode, ATOMICFILE_LINK, r);
}

int
atomicfile_copy(const char *from, const char *path, mode_t mode, struct result *r)
{
	struct atomicfile_src	src = { .data = NULL, .len = 0, .fd = -1, .from = from };
	int			rc;

	src.fd = open(from, O_RDONLY | O_CLOEXEC);
	if (src.fd == -1)
		return atomicfile_fail(r, "open", from, errno);
	rc = atomicfile_put(path, &src, mode, ATOMICFILE_RENAME, r);
	close(src.fd);
	return rc;
}
