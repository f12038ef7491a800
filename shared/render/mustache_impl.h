/* mustache_impl.h -- the seam between the renderer (mustache.c) and the template set (mustache_set.c); not an interface. */
#ifndef FTS_MUSTACHE_IMPL_H
#define FTS_MUSTACHE_IMPL_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"
#include "mustache.h"
#include "result.h"

/* Template name of set in language lang (an index of its languages), compiled on first use. */
int mustache_set_get(struct mustache_set *set, const char *name, size_t lang,
    const struct mustache_tpl **tpl, struct result *r);
/* Render tpl with view, its partials taken from set in the same language. */
int mustache_render_in_set(const struct mustache_tpl *tpl, json_object *view,
    struct mustache_set *set, size_t lang, struct buf *out, struct result *r);

#endif
