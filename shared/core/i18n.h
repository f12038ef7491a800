/* i18n.h -- the languages ftsuccess speaks, and GNU gettext behind them. */
#ifndef FTS_I18N_H
#define FTS_I18N_H

#include <libintl.h>
#include <stddef.h>

struct result;

/* The message domain: po/ftsuccess.pot, installed as LC_MESSAGES/ftsuccess.mo. */
#define I18N_DOMAIN	"ftsuccess"

/*
 * Translate now, in the language i18n_use chose; mark only, for tables read
 * later; translate a word whose meaning needs a context ("May" the month,
 * "." the decimal separator: xgettext's msgctxt).
 */
#define _(s)		gettext(s)
#define N_(s)		(s)
#define C_(ctx, s)	i18n_pgettext(ctx "\004" s, s)
const char *i18n_pgettext(const char *key, const char *msgid);

/* The language tags ftsuccess speaks, source language first (BCP 47, as in <html lang>). */
#define I18N_NLANG	2
extern const char *const i18n_languages[I18N_NLANG];

/*
 * Bind the message domain to localedir (DIR/pt_BR/LC_MESSAGES/ftsuccess.mo).
 * Fails (the caller warns and goes on in English) when the C.UTF-8 locale
 * cannot be set -- glibc reads the language switch (LANGUAGE) only outside
 * the "C" locale -- or a language's catalog is missing (RESULT_NOTFOUND,
 * naming the file).
 */
int i18n_init(const char *localedir, struct result *r);

/* The known tag that tag names (case-insensitive, "_" for "-": "pt_BR" is pt-BR), or NULL. */
const char *i18n_tag(const char *tag);
/* Index of a known tag in I18N_LANGUAGES, or -1. */
int i18n_index(const char *tag);

/*
 * The language of a request: profile (a user's, may be NULL or ""), else
 * the best of an Accept-Language header (RFC 9110 12.5.4: q-values, "pt"
 * and "pt-PT" are served pt-BR, "*" the fallback), else fallback.
 */
const char *i18n_negotiate(const char *profile, const char *accept_language,
    const char *fallback);

/*
 * Make gettext answer in tag (a known tag; others are the source language)
 * until the next call.  Process-wide: a FastCGI worker and the notifier
 * serve one request or mail at a time.
 */
void i18n_use(const char *tag);
/* The tag i18n_use set last (the source language before any). */
const char *i18n_current(void);
/* msgid in tag's language (the source text when none is installed). */
const char *i18n_text(const char *tag, const char *msgid);
/* Mon..Sun (0..6) and Jan..Dec (1..12), abbreviated the language's way ("qua.", "dez."). */
const char *i18n_weekday(int wd);
const char *i18n_month(int m);
/* num (a number printf wrote, "7.5") with the language's separator ("7,5"), in place. */
void i18n_separator(char *num, size_t size);
/* v as a percentage the language's way, at most one decimal ("10%", "7.5%"; "10 %", "7,5 %"). */
void i18n_percent(double v, char *out, size_t size);

/* i18n_text as a template translator (mustache_translate_fn; arg unused). */
const char *i18n_translate(void *arg, const char *tag, const char *msgid);

#endif
