/* fileio.c -- reading and writing whole buffers through file descriptors, for every module that touches files. */
#include "autoconfig.h"

#include <sys/random.h>

#include <errno.h>
#include <unistd.h>

#include "fileio.h"

int
fileio_read(int fd, void *p, size_t size, size_t *got)
{
	unsigned char	*at = p;
	ssize_t		 n;

	*got = 0;
	while (*got < size) {
		n = read(fd, at + *got, size - *got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return 0;
}

int
fileio_write(int fd, const void *p, size_t len)
{
	const unsigned char	*at = p;
	ssize_t			 n;

	while (len > 0) {
		n = write(fd, at, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		at += n;
		len -= (size_t)n;
	}
	return 0;
}

int
fileio_random(void *p, size_t n)
{
	ssize_t	got;

	do
		got = getrandom(p, n, 0);
	while (got == -1 && errno == EINTR);
	if (got == -1)
		return -1;
	if ((size_t)got != n) {
		errno = EIO;
		return -1;
	}
	return 0;
}
