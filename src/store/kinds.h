/*
 * kinds.h - the description of each record kind for the record layer
 * (txn.c, record.c): its table, its codec, where its id and meta live,
 * and its indexes with the functions that compute their keys.
 */
#ifndef ALLY_STORE_KINDS_H
#define ALLY_STORE_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/codec.h"
#include "store/store.h"

struct index_def {
	const char *name;       /* table name, e.g. "ix.program.name" */
	enum kind kind;
	bool unique;
	const char *what;       /* for clash messages: "program name" */
	/* Build the key for rec; false when rec has no entry in this index. */
	bool (*key)(const void *rec, struct key *k);
	/* Instead of key, for an index with many entries per record (the
	 * word indexes): fill up to max keys, return how many. */
	size_t (*keys)(const void *rec, struct key *out, size_t max);
};

/* Most entries one record has in a many-keyed index. */
#define INDEX_KEYS_MAX 32

struct kind_def {
	const char *table;
	struct codec codec;
	size_t id_off;
	size_t meta_off;
};

extern const struct kind_def kind_defs[KIND__COUNT];
extern const struct index_def index_defs[IDX__COUNT];

#endif
