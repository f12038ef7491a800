/* mustache_set.c -- a directory of templates: compiled once per language on first use, partials resolved in it. */
#include "autoconfig.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "mustache.h"
#include "mustache_impl.h"

/* Template files larger than this are refused: they are ours, and small. */
#define MUSTACHE_MAX_FILE	(1024 * 1024)
/* Longest template name accepted by a set. */
#define MUSTACHE_MAX_NAME	128
#define MUSTACHE_MAX_LANGS 4

struct set_entry {
	char			*name;
	struct mustache_tpl	*tpl[MUSTACHE_MAX_LANGS];	/* per language, compiled on first use */
};

struct mustache_set {
	char		*dir;
	struct set_entry *v;
	size_t		 n, cap;
	mustache_view_fn observe;	/* NULL, or told of each view rendered */
	void		*observe_arg;
	const char	*langs[MUSTACHE_MAX_LANGS];	/* langs[0]: the templates' own */
	size_t		 nlangs;
	mustache_translate_fn tr;
	void		*tr_arg;
};


int
mustache_set_open(struct mustache_set **setp, const char *dir, struct result *r)
{
	struct mustache_set	*set;
	struct stat		 sb;

	*setp = NULL;
	if (stat(dir, &sb) == -1)
		return result_set(r, RESULT_IO, NULL, "template directory %s: %s", dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return result_set(r, RESULT_IO, NULL, "template directory %s: not a directory", dir);
	if ((set = calloc(1, sizeof(*set))) == NULL || (set->dir = strdup(dir)) == NULL) {
		free(set);
		return result_set(r, RESULT_IO, NULL, "out of memory opening template directory %s", dir);
	}
	set->langs[0] = "";
	set->nlangs = 1;
	*setp = set;
	return 0;
}

void
mustache_set_close(struct mustache_set *set)
{
	size_t i, j;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		free(set->v[i].name);
		for (j = 0; j < MUSTACHE_MAX_LANGS; j++)
			mustache_free(set->v[i].tpl[j]);
	}
	free(set->v);
	free(set->dir);
	free(set);
}

/* Letters, digits, '_', '-' and '/' between non-empty parts: no "..", no absolute path. */
static int
name_valid(const char *name)
{
	size_t	i, len = strlen(name);
	char	ch;

	if (len == 0 || len > MUSTACHE_MAX_NAME || name[0] == '/' || name[len - 1] == '/')
		return 0;
	for (i = 0; i < len; i++) {
		ch = name[i];
		if (ch == '/' && name[i + 1] == '/')
			return 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '/'))
			return 0;
	}
	return 1;
}

/* Read path into src; RESULT_NOTFOUND when it does not exist. */
static int
file_read(const char *path, struct buf *src, struct result *r)
{
	struct stat	 sb;
	char		 chunk[8192];
	size_t		 n;
	int		 fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return result_set(r, RESULT_NOTFOUND, NULL, "template %s does not exist", path);
		return result_set(r, RESULT_IO, NULL, "template %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size > MUSTACHE_MAX_FILE) {
		close(fd);
		return result_set(r, RESULT_IO, NULL, "template %s: not a regular file of at most %d bytes",
		    path, MUSTACHE_MAX_FILE);
	}
	do
		if ((rc = fileio_read(fd, chunk, sizeof(chunk), &n)) == -1)
			break;
	while (buf_append(src, chunk, n) == 0 && n == sizeof(chunk) &&
	    src->len <= MUSTACHE_MAX_FILE);
	if (rc == -1) {
		result_set(r, RESULT_IO, NULL, "template %s: read: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (src->failed || src->len > MUSTACHE_MAX_FILE)
		return result_set(r, RESULT_IO, NULL, "template %s: too large or out of memory", path);
	return 0;
}

/* The entry of name, added (with no compiled language yet) when new. */
static int
set_entry_of(struct mustache_set *set, const char *name, struct set_entry **ep, struct result *r)
{
	struct set_entry	*nv;
	size_t			 i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0) {
			*ep = &set->v[i];
			return 0;
		}
	if ((nv = buf_array_room(set->v, set->n, &set->cap, sizeof(*nv), 16)) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory caching template %s", name);
	set->v = nv;
	memset(&set->v[set->n], 0, sizeof(set->v[set->n]));
	if ((set->v[set->n].name = strdup(name)) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory caching template %s", name);
	*ep = &set->v[set->n++];
	return 0;
}

/* The template `name` in language lang, loaded, translated and compiled on first use. */
int
mustache_set_get(struct mustache_set *set, const char *name, size_t lang, const struct mustache_tpl **tpl,
    struct result *r)
{
	struct set_entry	*e;
	struct mustache_tpl	*t;
	struct buf		 src, tr;
	struct result		 sub;
	char			 path[PATH_MAX];
	size_t			 i;
	int			 n, rc;

	*tpl = NULL;
	for (i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0 && set->v[i].tpl[lang] != NULL) {
			*tpl = set->v[i].tpl[lang];
			return 0;
		}
	if (!name_valid(name))
		return result_set(r, RESULT_INVALID, NULL,
		    "template name \"%.*s\": want letters, digits, '_', '-' and '/'",
		    MUSTACHE_MAX_NAME, name);
	n = snprintf(path, sizeof(path), "%s/%s.mustache", set->dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return result_set(r, RESULT_INVALID, NULL, "template path %s/%s too long", set->dir, name);

	buf_init(&src);
	buf_init(&tr);
	result_clear(&sub);
	if (file_read(path, &src, r) == -1) {
		buf_free(&src);
		return -1;
	}
	rc = mustache_i18n_apply(buf_cstr(&src), src.len, set->langs[lang], lang > 0 ? set->tr : NULL,
	    set->tr_arg, &tr, &sub);
	buf_free(&src);
	if (rc == -1 || mustache_compile(buf_cstr(&tr), tr.len, &t, &sub) == -1) {
		buf_free(&tr);
		return result_set(r, sub.code, NULL, "%s: %s", path, sub.message);
	}
	buf_free(&tr);
	if (set_entry_of(set, name, &e, r) == -1) {
		mustache_free(t);
		return -1;
	}
	e->tpl[lang] = t;
	*tpl = t;
	return 0;
}

/* Compile the templates in set->dir/sub (sub "" for the top), recursing into subdirectories. */
static int
set_preload_dir(struct mustache_set *set, const char *sub, int depth, struct result *r)
{
	const struct mustache_tpl	*tpl;
	struct dirent			*de;
	struct stat			 sb;
	char				 path[PATH_MAX], name[MUSTACHE_MAX_NAME + 16];
	size_t				 len, li;
	DIR				*d;
	int				 n, rc = 0;

	n = snprintf(path, sizeof(path), "%s%s%s", set->dir, *sub ? "/" : "", sub);
	if (n < 0 || (size_t)n >= sizeof(path))
		return result_set(r, RESULT_INVALID, NULL, "template path %s/%s too long", set->dir, sub);
	if ((d = opendir(path)) == NULL)
		return result_set(r, RESULT_IO, NULL, "template directory %s: %s", path, strerror(errno));
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = snprintf(name, sizeof(name), "%s%s%s", sub, *sub ? "/" : "", de->d_name);
		if (n < 0 || (size_t)n >= sizeof(name)) {
			rc = result_set(r, RESULT_INVALID, NULL, "template name %s/%s too long", sub,
			    de->d_name);
			break;
		}
		n = snprintf(path, sizeof(path), "%s/%s", set->dir, name);
		if (n < 0 || (size_t)n >= sizeof(path) || stat(path, &sb) == -1) {
			rc = result_set(r, RESULT_IO, NULL, "template %s/%s: %s", set->dir, name,
			    n < 0 || (size_t)n >= sizeof(path) ? "path too long" : strerror(errno));
			break;
		}
		if (S_ISDIR(sb.st_mode)) {
			/* Deep trees are not ours: a loop of symlinks would be. */
			if (depth >= 8)
				rc = result_set(r, RESULT_INVALID, NULL,
				    "template directory %s nested deeper than 8", path);
			else
				rc = set_preload_dir(set, name, depth + 1, r);
			continue;
		}
		len = strlen(name);
		if (len <= 9 || strcmp(name + len - 9, ".mustache") != 0)
			continue;
		name[len - 9] = '\0';
		for (li = 0; rc == 0 && li < set->nlangs; li++)
			rc = mustache_set_get(set, name, li, &tpl, r);
	}
	closedir(d);
	return rc;
}

int
mustache_set_preload(struct mustache_set *set, struct result *r)
{
	return set_preload_dir(set, "", 0, r);
}

int
mustache_set_render(struct mustache_set *set, const char *name, json_object *view,
    struct buf *out, struct result *r)
{
	const struct mustache_tpl	*tpl;
	json_object			*o;
	size_t				 lang = 0, i;

	if (json_object_object_get_ex(view, "lang", &o) && json_object_is_type(o, json_type_string))
		for (i = 1; i < set->nlangs; i++)
			if (strcmp(json_object_get_string(o), set->langs[i]) == 0)
				lang = i;
	if (mustache_set_get(set, name, lang, &tpl, r) == -1)
		return -1;
	if (set->observe != NULL)
		set->observe(set->observe_arg, name, view);
	return mustache_render_in_set(tpl, view, set, lang, out, r);
}

int
mustache_set_languages(struct mustache_set *set, const char *const *langs, size_t n,
    mustache_translate_fn tr, void *arg, struct result *r)
{
	size_t i;

	if (n == 0 || n > MUSTACHE_MAX_LANGS)
		return result_set(r, RESULT_INVALID, NULL, "%zu template languages: want 1 to %d", n,
		    MUSTACHE_MAX_LANGS);
	if (set->n > 0)
		return result_set(r, RESULT_INVALID, NULL,
		    "template languages are set before the first template is compiled");
	for (i = 0; i < n; i++)
		set->langs[i] = langs[i];
	set->nlangs = n;
	set->tr = tr;
	set->tr_arg = arg;
	return 0;
}

void
mustache_set_observe(struct mustache_set *set, mustache_view_fn fn, void *arg)
{
	set->observe = fn;
	set->observe_arg = arg;
}
