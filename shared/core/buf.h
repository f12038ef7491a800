/* buf.h -- a growable byte buffer, always NUL-terminated, for building responses and messages. */
#ifndef FTS_BUF_H
#define FTS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;	/* NUL-terminated; NULL until the first append */
	size_t	 len;	/* bytes used, not counting the NUL */
	size_t	 cap;
	int	 failed; /* set once an allocation failed; later appends are no-ops */
};

/* A zeroed struct buf is empty and valid. */
void buf_init(struct buf *b);
/* Free storage and return to the empty state. */
void buf_free(struct buf *b);
/* Keep storage, set length to 0. */
void buf_reset(struct buf *b);
/* Append; each returns 0, or -1 (and sets failed) when memory ran out. */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, int c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* s percent-encoded for a URL's query or path: all but A-Z a-z 0-9 - _ . as %XX. */
int buf_put_urlencoded(struct buf *b, const char *s);
/* Hand the data to the caller (malloc'd, NUL-terminated, never NULL unless failed) and reset b. */
char *buf_detach(struct buf *b);
/* The contents as a C string ("" when empty). */
const char *buf_cstr(const struct buf *b);

/*
 * Room for one more element in a growable array v (esz bytes each) that
 * holds n of *cap: v itself when n < *cap, else v reallocated to double the
 * capacity (first when *cap is 0) with *cap updated.  NULL when memory ran
 * out or the size would overflow; v and *cap are then unchanged.
 *
 *	if ((nv = buf_array_room(a->v, a->n, &a->cap, sizeof(*a->v), 16)) == NULL)
 *		return -1;
 *	a->v = nv;
 *	a->v[a->n++] = x;
 */
void *buf_array_room(void *v, size_t n, size_t *cap, size_t esz, size_t first);

/* Free the n strings of v, then v (NULL is fine). */
void buf_strings_free(char **v, size_t n);

#endif
