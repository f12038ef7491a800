/*
 * store_json.h -- the store's page reads as json-c objects, built from the one
 * shape table per entity in json.c, for the callers that embed them in a view
 * (the rules' customer page, the web's outbox pages).  store.h has the same
 * reads as JSON text and stays free of json-c.
 */
#ifndef FTS_STORE_JSON_H
#define FTS_STORE_JSON_H

#include <stdint.h>

#include <json-c/json.h>

#include "result.h"
#include "store.h"

/* The whole customer page of store_customer_json, as an object the caller owns. */
int store_customer_object(struct store *st, int64_t id, json_object **out, struct result *r);
/* store_outbox_json's page of messages, as an array the caller owns. */
int store_outbox_object(struct store *st, int64_t customer_id, const char *state, int limit,
    int offset, json_object **out, long long *total, struct result *r);
/* store_outbox_row_json's message, as an object the caller owns. */
int store_outbox_row_object(struct store *st, int64_t id, json_object **out, struct result *r);

/* store_replies_unmatched_json's page of messages, as an array the caller owns. */
int store_replies_unmatched_object(struct store *st, int limit, int offset, json_object **out,
    long long *total, struct result *r);

#endif
