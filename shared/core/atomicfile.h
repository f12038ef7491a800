/* atomicfile.h -- the one way files are written whole or not at all: temp file, fsync, rename, fsync of the directory. */
#ifndef FTS_ATOMICFILE_H
#define FTS_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

#include "result.h"

/*
 * Write data[0..len) to path so that a reader (or a crash) sees the old file
 * or the new one, never part of one: a temporary file ".<name>.tmp.XXXXXX"
 * in the same directory (O_EXCL) gets the bytes and exactly mode (no umask),
 * is fsynced, renamed over path, and the directory is fsynced.  0, or -1 with
 * r set (RESULT_STORAGE for ENOSPC, EDQUOT, EROFS; RESULT_INVALID for a path
 * too long; RESULT_IO else); the temporary file never stays behind.
 */
int atomicfile_write(const char *path, const void *data, size_t len, mode_t mode,
    struct result *r);

/*
 * Like atomicfile_write, but never replaces: link(2) instead of rename(2), so
 * when two processes race exactly one creates path.  0 when this call created
 * it, 1 when path already existed (untouched), -1 with r set.
 */
int atomicfile_create(const char *path, const void *data, size_t len, mode_t mode,
    struct result *r);

/* atomicfile_write with the contents of the file from (copied in 64 KiB blocks, not loaded whole). */
int atomicfile_copy(const char *from, const char *path, mode_t mode, struct result *r);

#endif
