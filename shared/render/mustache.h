/*
 * mustache.h -- logic-less templates (https://mustache.github.io/mustache.5.html)
 * rendered from a json-c view model.  {{name}} escapes & < > " ' for HTML;
 * {{{name}}} and {{&name}} insert raw text and are kept for non-HTML output
 * (mail text parts).  Passes the official spec (comments, delimiters,
 * interpolation, inverted, partials, sections; lambdas are not supported).
 * false, null, [] and "" are falsy; 0 and {} are truthy.  Numbers print as
 * integers or as the shortest decimal that reads back as the same double.
 */
#ifndef FTS_MUSTACHE_H
#define FTS_MUSTACHE_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"
#include "result.h"

struct mustache_tpl;
struct mustache_set;

/* Loads the source of partial `name` into src; returns 0, or -1 when unknown (renders as ""). */
typedef int (*mustache_partial_fn)(void *arg, const char *name, struct buf *src);

/* Parse src once; errors (unclosed tag or section, bad delimiter) name the line. */
int mustache_compile(const char *src, size_t len, struct mustache_tpl **tpl, struct result *r);
void mustache_free(struct mustache_tpl *tpl);
/*
 * Append the rendering of tpl with view to out. partial may be NULL.  Fails
 * (out then holds partial output) when partials nest deeper than 32 or a
 * render runs away (over 16M tags visited).
 */
int mustache_render(const struct mustache_tpl *tpl, json_object *view,
    mustache_partial_fn partial, void *arg, struct buf *out, struct result *r);

/*
 * A directory of NAME.mustache files, compiled on first use and kept for the
 * life of the process (edits need a restart; not thread-safe).  Partials
 * {{> NAME}} resolve in the same directory, and there an unknown partial is
 * an error (RESULT_NOTFOUND), not a blank.  NAME is
 * letters, digits, '_', '-' and '/' between parts (mail/invite): no "..",
 * no leading '/' (RESULT_INVALID).
 */
int mustache_set_open(struct mustache_set **set, const char *dir, struct result *r);
void mustache_set_close(struct mustache_set *set);
/*
 * Compile every NAME.mustache under the directory now (at startup, before
 * forking workers, so a broken template stops the program and the compiled
 * set is shared); the error names the file.
 */
int mustache_set_preload(struct mustache_set *set, struct result *r);
/* Render template `name` (without ".mustache") into out; RESULT_NOTFOUND: no such file. */
int mustache_set_render(struct mustache_set *set, const char *name, json_object *view,
    struct buf *out, struct result *r);

/*
 * Translatable text.  A template marks it {{#_}}text{{/_}}: text (plain
 * words and {{name}} tags, no sections) is a msgid, replaced by its
 * translation before the template is compiled, once per language, so a
 * render costs the same in every language.  A set renders a view in the
 * language its top-level "lang" member names (the one <html lang> shows),
 * else in the first.  Without a translator the text stands as written.
 */
typedef const char *(*mustache_translate_fn)(void *arg, const char *lang, const char *msgid);
/* Called for each marked text: its bytes [start, end) in the source, the msgid, its line. */
typedef int (*mustache_msgid_fn)(void *arg, size_t start, size_t end, const char *msgid,
    size_t len, size_t line);
/* Each {{#_}}...{{/_}} of src to fn (xgettext's part, tools/tplpot); errors name the line. */
int mustache_i18n_scan(const char *src, size_t len, mustache_msgid_fn fn, void *arg,
    struct result *r);
/* src with each marked text replaced by tr's answer in lang (NULL answer: the text). */
int mustache_i18n_apply(const char *src, size_t len, const char *lang, mustache_translate_fn tr,
    void *arg, struct buf *out, struct result *r);
/*
 * The languages set renders (at most 4, the first the templates' own) and
 * who translates; call before the first render or preload.
 */
int mustache_set_languages(struct mustache_set *set, const char *const *langs, size_t n,
    mustache_translate_fn tr, void *arg, struct result *r);

/* Called by mustache_set_render with each template name and view, before rendering. */
typedef void (*mustache_view_fn)(void *arg, const char *name, json_object *view);
/*
 * Watch the views a set is given (fn NULL stops).  For tests: the page
 * handlers build their views where a test cannot reach them, and the view
 * fixtures of the template tests are checked against what they really pass.
 */
void mustache_set_observe(struct mustache_set *set, mustache_view_fn fn, void *arg);

#endif
