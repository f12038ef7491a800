/*
 * csv.h -- the one CSV writer (RFC 4180) for exports that people open in
 * Excel or LibreOffice: UTF-8 with a byte-order mark, CRLF row ends, fields
 * quoted when they need it, and cells that a spreadsheet would run as a
 * formula neutralised.
 */
#ifndef FTS_CSV_H
#define FTS_CSV_H

#include <stddef.h>

#include "buf.h"

/*
 * A CSV being written into a struct buf.  Zero it, or csv_begin it; the
 * writer remembers whether the next cell starts a row (no comma before it).
 */
struct csv {
	struct buf	*out;
	int		 in_row;	/* 1 once a cell of the current row is written */
};

/*
 * Start a CSV in out: the UTF-8 byte-order mark EF BB BF first.  Excel
 * reads a CSV without it in the machine's ANSI code page (Windows-1252 in
 * Brazil and the US), so "São Paulo" would show as "SÃ£o Paulo";
 * LibreOffice and programs that read RFC 4180 skip the mark.
 */
void csv_begin(struct csv *c, struct buf *out);
/*
 * One text cell.  NULL is an empty cell.  A cell with a comma, a double
 * quote, CR or LF is quoted and its quotes doubled (RFC 4180 2.6, 2.7).  A
 * cell starting with = + - @ (or TAB or CR, which Excel skips before them)
 * gets a leading apostrophe: a spreadsheet would otherwise run it as a
 * formula (OWASP "CSV injection": =HYPERLINK(...) in a customer's name
 * could send the reader's data away), and the apostrophe shows the text as
 * typed.  Returns 0, or -1 when memory ran out (sticky in out).
 */
int csv_cell(struct csv *c, const char *text);
/* A number cell, written as is (never guarded: "-3" is a number, not a formula). */
int csv_cell_int(struct csv *c, long long v);
/* End the row with CRLF (RFC 4180 2.1). */
int csv_row_end(struct csv *c);
/* A whole row of n text cells, then its CRLF: for header rows. */
int csv_row(struct csv *c, const char *const *cells, size_t n);

#endif
