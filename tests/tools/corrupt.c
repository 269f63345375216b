/*
 * corrupt.c - a test-only tool that writes a record ally itself would
 * never write, so that tests can show `ally check` naming it:
 *
 *   corrupt DB commission ID amount N       set a line's amount (minor units)
 *   corrupt DB commission ID currency CUR   set a line's currency
 *   corrupt DB payout ID total N            set a batch's total
 *   corrupt DB conversion ID ordinal N      set a conversion's place in its referral
 *
 * It goes through the store API like ally does (the same codecs and
 * indexes), only without the rules and without the change hook: no audit
 * entry and no analytics counter follows the edit, as with a record
 * damaged behind ally's back.  Never installed.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_int.h"  /* white-box: reaches the session's store */

struct job {
	enum kind kind;
	uint64_t id;
	const char *field, *value;
	struct err *e;
};

static enum status
edit(struct txn *t, void *vctx)
{
	struct job *j = vctx;
	_Alignas(max_align_t) unsigned char rec[512];
	enum status st;

	if ((st = rec_get(t, j->kind, j->id, rec)) != ST_OK)
		return err_set(j->e, st, "record %" PRIu64 " not found", j->id);
	if (j->kind == KIND_COMMISSION) {
		struct commission *c = (struct commission *)rec;
		if (strcmp(j->field, "amount") == 0)
			c->amount = strtoll(j->value, NULL, 10);
		else
			snprintf(c->currency, sizeof c->currency, "%s", j->value);
	} else if (j->kind == KIND_CONVERSION) {
		((struct conversion *)rec)->ordinal = strtoll(j->value, NULL, 10);
	} else {
		((struct payout *)rec)->total = strtoll(j->value, NULL, 10);
	}
	txn_set_action(t, "test corrupt", true);
	rec_put(t, j->kind, rec);
	rec_free(j->kind, rec);
	return txn_status(t);
}

int
main(int argc, char **argv)
{
	struct job j;
	struct app *a;
	struct err e;

	if (argc != 6 || (strcmp(argv[2], "commission") && strcmp(argv[2], "payout") &&
	    strcmp(argv[2], "conversion")) || (strcmp(argv[4], "amount") && strcmp(argv[4], "currency") &&
	    strcmp(argv[4], "total") && strcmp(argv[4], "ordinal"))) {
		fprintf(stderr, "usage: corrupt DB commission|payout|conversion ID "
		    "amount|currency|total|ordinal VALUE\n");
		return 64;
	}
	err_clear(&e);
	j.kind = strcmp(argv[2], "commission") == 0 ? KIND_COMMISSION :
	    strcmp(argv[2], "conversion") == 0 ? KIND_CONVERSION : KIND_PAYOUT;
	j.id = strtoull(argv[3] + strspn(argv[3], "CPBV"), NULL, 10);
	j.field = argv[4];
	j.value = argv[5];
	j.e = &e;
	if (app_open(argv[1], 0, &a, &e) != ST_OK) {
		fprintf(stderr, "corrupt: %s\n", e.msg);
		return 66;
	}
	store_set_change_hook(a->store, NULL, NULL);
	if (store_write(a->store, edit, &j, &e) != ST_OK) {
		fprintf(stderr, "corrupt: %s\n", e.msg);
		app_close(a);
		return 65;
	}
	app_close(a);
	return 0;
}
