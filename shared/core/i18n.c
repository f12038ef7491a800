/* i18n.c -- language negotiation and the per-request switch of GNU gettext's language. */
#include "autoconfig.h"

#include <ctype.h>
#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <sys/stat.h>

#include "i18n.h"
#include "result.h"

/*
 * GNU gettext caches translations per language; a program that changes
 * LANGUAGE while running bumps this counter so the cache is dropped (the
 * gettext manual, "Changing the language at runtime").
 */
extern int _nl_msg_cat_cntr;

const char *const i18n_languages[I18N_NLANG] = { "en", "pt-BR" };
/* The catalog directory name of each tag (LANGUAGE's form); NULL: the source language. */
static const char *const i18n_catalogs[I18N_NLANG] = { NULL, "pt_BR" };

int
i18n_init(const char *localedir, struct result *r)
{
	struct stat	 sb;
	char		 path[1200];
	size_t		 i;

	if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL)
		return result_set(r, RESULT_IO, NULL,
		    "cannot set the C.UTF-8 locale for messages: pages stay in English");
	if (bindtextdomain(I18N_DOMAIN, localedir) == NULL ||
	    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8") == NULL ||
	    textdomain(I18N_DOMAIN) == NULL)
		return result_set(r, RESULT_IO, NULL, "message catalogs in %s: %s", localedir,
		    strerror(errno));
	for (i = 1; i < I18N_NLANG; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES/%s.mo", localedir,
		    i18n_catalogs[i], I18N_DOMAIN) >= sizeof(path))
			return result_set(r, RESULT_INVALID, "locale_dir", "locale_dir %s too long",
			    localedir);
		if (stat(path, &sb) == -1)
			return result_set(r, RESULT_NOTFOUND, "locale_dir",
			    "no %s catalog at %s (%s): that language falls back to English",
			    i18n_languages[i], path, strerror(errno));
	}
	return 0;
}

int
i18n_index(const char *tag)
{
	size_t i;

	if (tag == NULL)
		return -1;
	for (i = 0; i < I18N_NLANG; i++)
		if (strcmp(tag, i18n_languages[i]) == 0)
			return (int)i;
	return -1;
}

/* Does range (a language range of n bytes) select tag? "pt" selects pt-BR; "pt-PT" too (our one Portuguese). */
static int
i18n_range_matches(const char *range, size_t n, const char *tag)
{
	size_t primary = strcspn(tag, "-");

	if (n == strlen(tag) && strncasecmp(range, tag, n) == 0)
		return 1;
	return strncasecmp(range, tag, primary) == 0 && (n == primary || range[primary] == '-' ||
	    range[primary] == '_');
}

const char *
i18n_tag(const char *tag)
{
	size_t	 i, j;

	if (tag == NULL)
		return NULL;
	/* Case-insensitive, '_' for '-': "pt_BR" (a catalog's name) and "pt-br" are pt-BR. */
	for (i = 0; i < I18N_NLANG; i++) {
		for (j = 0; tag[j] != '\0' && i18n_languages[i][j] != '\0'; j++)
			if (tolower((unsigned char)tag[j]) != tolower((unsigned char)i18n_languages[i][j]) &&
			    !(tag[j] == '_' && i18n_languages[i][j] == '-'))
				break;
		if (tag[j] == '\0' && i18n_languages[i][j] == '\0')
			return i18n_languages[i];
	}
	return NULL;
}

/* The q-value of one Accept-Language element's parameters (p after the range), 0..1000. */
static int
i18n_qvalue(const char *p, const char *end)
{
	int	 q = 1000, scale = 100;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p >= end || *p != ';')
		return q;
	for (p++; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return q;
	p += 2;
	if (*p != '0' && *p != '1')
		return 0;
	q = (*p - '0') * 1000;
	if (++p < end && *p == '.')
		for (p++; p < end && isdigit((unsigned char)*p) && scale > 0; p++, scale /= 10)
			q += (*p - '0') * scale;
	return q > 1000 ? 1000 : q;
}

const char *
i18n_negotiate(const char *profile, const char *accept_language, const char *fallback)
{
	const char	*p, *end, *best = NULL, *t;
	size_t		 n, i;
	int		 q, bestq = 0;

	if ((t = i18n_tag(profile)) != NULL)
		return t;
	for (p = accept_language; p != NULL && *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, ";, \t");
		if (n > (size_t)(end - p))
			n = (size_t)(end - p);
		q = i18n_qvalue(p + n, end);
		if (q <= bestq)
			continue;
		if (n == 1 && *p == '*') {
			if ((t = i18n_tag(fallback)) != NULL) {
				best = t;
				bestq = q;
			}
			continue;
		}
		for (i = 0; i < I18N_NLANG; i++)
			if (i18n_range_matches(p, n, i18n_languages[i])) {
				best = i18n_languages[i];
				bestq = q;
				break;
			}
	}
	if (best != NULL)
		return best;
	return (t = i18n_tag(fallback)) != NULL ? t : i18n_languages[0];
}

/* What LANGUAGE says now; -2 before the first i18n_use. */
static int i18n_now = -2;

const char *
i18n_current(void)
{
	return i18n_languages[i18n_now < 0 ? 0 : i18n_now];
}

void
i18n_use(const char *tag)
{
	int	 i = i18n_index(tag);

	if (i < 0)
		i = 0;
	if (i == i18n_now)
		return;
	/* An explicit source-language LANGUAGE: the environment's must not leak into a page. */
	setenv("LANGUAGE", i18n_catalogs[i] != NULL ? i18n_catalogs[i] : "en", 1);
	++_nl_msg_cat_cntr;
	i18n_now = i;
}

const char *
i18n_text(const char *tag, const char *msgid)
{
	i18n_use(tag);
	return gettext(msgid);
}

const char *
i18n_translate(void *arg, const char *tag, const char *msgid)
{
	(void)arg;
	return i18n_text(tag, msgid);
}

const char *
i18n_pgettext(const char *key, const char *msgid)
{
	const char *t = gettext(key);

	return t == key ? msgid : t;
}

const char *
i18n_weekday(int wd)
{
	switch (wd) {
	case 0: return C_("weekday", "Mon");
	case 1: return C_("weekday", "Tue");
	case 2: return C_("weekday", "Wed");
	case 3: return C_("weekday", "Thu");
	case 4: return C_("weekday", "Fri");
	case 5: return C_("weekday", "Sat");
	case 6: return C_("weekday", "Sun");
	default: return "?";
	}
}

const char *
i18n_month(int m)
{
	switch (m) {
	case 1: return C_("month", "Jan");
	case 2: return C_("month", "Feb");
	case 3: return C_("month", "Mar");
	case 4: return C_("month", "Apr");
	case 5: return C_("month", "May");
	case 6: return C_("month", "Jun");
	case 7: return C_("month", "Jul");
	case 8: return C_("month", "Aug");
	case 9: return C_("month", "Sep");
	case 10: return C_("month", "Oct");
	case 11: return C_("month", "Nov");
	case 12: return C_("month", "Dec");
	default: return "?";
	}
}

void
i18n_separator(char *num, size_t size)
{
	const char	*sep = C_("decimal separator", ".");
	char		 tmp[64], *dot;

	/* printf's separator is the C locale's '.', whatever LANGUAGE says. */
	if ((dot = strchr(num, '.')) == NULL || strcmp(sep, ".") == 0)
		return;
	snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)(dot - num), num, sep, dot + 1);
	snprintf(num, size, "%s", tmp);
}

void
i18n_percent(double v, char *out, size_t size)
{
	char	 num[64];
	size_t	 len;

	snprintf(num, sizeof(num), "%.1f", round(v * 10.0) / 10.0);
	len = strlen(num);
	if (len > 2 && strcmp(num + len - 2, ".0") == 0)
		num[len - 2] = '\0';
	i18n_separator(num, sizeof(num));
	/* TRANSLATORS: a percentage; %s is the number already in your form ("10,5"). */
	snprintf(out, size, _("%s%%"), num);
}
