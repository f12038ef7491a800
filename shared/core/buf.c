/* buf.c -- growable NUL-terminated byte buffer; an allocation failure sticks so callers check once. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
buf_reserve(struct buf *b, size_t n)
{
	size_t	 want, ncap;
	char	*p;

	if (b->failed)
		return -1;
	if (n > ((size_t)-1) / 2 - b->len) {
		b->failed = 1;
		return -1;
	}
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < want)
		ncap *= 2;
	if ((p = realloc(b->data, ncap)) == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = ncap;
	return 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_append(b, &ch, 1);
}

int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 aq;
	int	 n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		b->failed = 1;
		return -1;
	}
	if (buf_reserve(b, (size_t)n) == -1)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
buf_put_urlencoded(struct buf *b, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')
			buf_putc(b, *p);
		else
			buf_printf(b, "%%%02X", *p);
	return b->failed ? -1 : 0;
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *
buf_detach(struct buf *b)
{
	char *p;

	if (b->failed) {
		buf_free(b);
		return NULL;
	}
	if (b->data == NULL && buf_reserve(b, 0) == -1)
		return NULL;
	p = b->data;
	buf_init(b);
	return p;
}

const char *
buf_cstr(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

void *
buf_array_room(void *v, size_t n, size_t *cap, size_t esz, size_t first)
{
	size_t	 ncap;
	void	*nv;

	if (n < *cap)
		return v;
	ncap = *cap == 0 ? first : *cap * 2;
	if (ncap <= n || esz == 0 || ncap > SIZE_MAX / esz)
		return NULL;
	if ((nv = realloc(v, ncap * esz)) == NULL)
		return NULL;
	*cap = ncap;
	return nv;
}

void
buf_strings_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n && v != NULL; i++)
		free(v[i]);
	free(v);
}
