/* fileio.h -- the one read loop and the one write loop over a file descriptor (EINTR retried, short transfers continued), and random bytes. */
#ifndef FTS_FILEIO_H
#define FTS_FILEIO_H

#include <stddef.h>

/*
 * Read from fd into p until size bytes or end of file; *got says how many
 * came (also on failure).  0 (*got < size means the file ended), or -1 with
 * errno set.
 */
int fileio_read(int fd, void *p, size_t size, size_t *got);

/* Write all len bytes of p to fd: 0, or -1 with errno set (EIO when write(2) wrote nothing). */
int fileio_write(int fd, const void *p, size_t len);

/*
 * Fill p with n bytes from the kernel's random source (getrandom(2), which
 * waits until it is seeded): 0, or -1 with errno set (EIO for a short read).
 */
int fileio_random(void *p, size_t n);

#endif
