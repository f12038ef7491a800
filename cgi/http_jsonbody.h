/*
 * http_jsonbody.h -- an application/json request body decoded strictly:
 * one RFC 8259 object, UTF-8, no duplicate names, no \u0000, nesting at most
 * HTTP_JSON_DEPTH.  Errors are RESULT_INVALID with field HTTP_FIELD_BODY
 * (answer 400), RESULT_IO when memory ran out.
 */
#ifndef FTS_HTTP_JSONBODY_H
#define FTS_HTTP_JSONBODY_H

#include <stddef.h>

#include <json-c/json.h>

struct result;

#define HTTP_JSON_DEPTH		16	/* nesting of a JSON body */

/* A JSON object into *out (the caller puts it); 0, or -1 with r and *out NULL. */
int http_parse_json(const char *body, size_t len, json_object **out, struct result *r);

#endif
