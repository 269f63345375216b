/*
 * bench/lookup.c - the referrer lookup (app_lookup, as the TUI's
 * Referrals tab and `ally referrer find` run it) at a million referrers.
 *
 *   bench/lookup DIR [N [QUERY]]
 *
 * Makes DIR (unless it holds a database already) with N referrers
 * (default 1,000,000), each with a code and one referred contact, written
 * through the store as ally writes them, so every index, the word indexes
 * included, is kept by rec_put.  Names: a first name from a list with
 * accents (Zoë, Björn, José), a surname half the time from 60 common ones
 * (each about 1 in 120 referrers, "Tanaka" among them) and otherwise made
 * of three syllables (8,000 rarer ones); e-mails first.last.N@ one of a
 * few domains.  Then, for each query, the median and the worst of 25
 * lookups (50 rows, as the TUI asks for) in one open session, with the
 * count of matches.  Also writes DIR/rows.csv (the same rows) for the
 * SQLite comparison in bench/lookup-compare.  Nothing here is a test.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/app.h"
#include "app/lookup.h"
#include "store/store.h"

static const char *const firsts[] = {
	"Anna", "Zoë", "Björn", "Chloé", "José", "Maya", "Noah", "Hiro", "Amir", "Ximena",
	"Jonas", "Farid", "Elif", "Tara", "Quinn", "Ben", "Carmen", "Pablo", "Katarzyna",
	"Søren", "Łukasz", "Inès", "Matías", "Renée", "Ørjan", "Jürgen", "Zoe", "Lea",
	"Omar", "Priya", "Kenji", "Sven", "Ada", "Ivan", "Nadia", "Oskar", "Lucía", "Rui",
};
static const char *const surnames[] = {
	"Tanaka", "Müller", "Costa", "Rossi", "Weber", "Larsen", "Novak", "Horvat", "Petrov",
	"Schmidt", "Fischer", "Jensen", "Kowalski", "Moreau", "Virtanen", "Lindqvist", "Silva",
	"García", "Martínez", "López", "Dubois", "Lefèvre", "Nowak", "Wójcik", "Yilmaz",
	"Kaya", "Nguyen", "Tran", "Kim", "Park", "Chen", "Wang", "Singh", "Patel", "Khan",
	"Ali", "Hansen", "Nielsen", "Berg", "Dahl", "Bauer", "Wagner", "Becker", "Hoffmann",
	"Schäfer", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Brown", "Smith", "Jones",
	"Taylor", "Wilson", "Davies", "Evans", "Thomas", "Johnson", "Roberts",
};
static const char *const syll[] = {
	"ka", "mo", "ri", "ta", "ne", "lu", "sa", "ko", "vi", "de",
	"ra", "mi", "no", "be", "zu", "fa", "go", "hi", "ja", "pe",
};
static const char *const domains[] = {
	"mail.example.net", "post.example.org", "inbox.example.com", "example.de",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t rng = 88172645463325252ull;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
person(char *name, size_t cap, char *mail, size_t mcap, const char *tag, uint64_t i)
{
	const char *f = firsts[next() % N(firsts)];
	char sur[32];

	if (next() % 2)
		snprintf(sur, sizeof sur, "%s", surnames[next() % N(surnames)]);
	else {
		snprintf(sur, sizeof sur, "%s%s%s", syll[next() % N(syll)], syll[next() % N(syll)],
		    syll[next() % N(syll)]);
		sur[0] = (char)(sur[0] - 'a' + 'A');
	}
	snprintf(name, cap, "%s %s", f, sur);
	snprintf(mail, mcap, "%s%llu@%s", tag, (unsigned long long)i, domains[next() % N(domains)]);
}

struct gen {
	uint64_t from, to;
	uint64_t rng;           /* the generator's state at the batch's start */
	struct sbuf csv;        /* the batch's rows, written once it commits */
};

static enum status
gen_batch(struct txn *t, void *ctx)
{
	struct gen *g = ctx;
	uint64_t i;

	/* store_write runs this again after growing the map: the same rows */
	rng = g->rng;
	sbuf_reset(&g->csv);
	for (i = g->from; i < g->to && txn_status(t) == ST_OK; i++) {
		char name[64], mail[96], cname[64], cmail[96], code[12];
		struct referrer rf = { 0 };
		struct code c = { 0 };
		struct referral r = { 0 };
		size_t j;

		person(name, sizeof name, mail, sizeof mail, "customer", i);
		person(cname, sizeof cname, cmail, sizeof cmail, "contact", i);
		for (j = 0; j < 8; j++)
			code[j] = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"[next() % 32];
		code[8] = '\0';
		rf.kind = REFERRER_CUSTOMER;
		rf.name = name;
		rf.email = mail;
		rec_put(t, KIND_REFERRER, &rf);
		c.code = code;
		c.program = 1;
		c.referrer = rf.id;
		rec_put(t, KIND_CODE, &c);
		r.program = 1;
		r.code = c.id;
		r.referrer = rf.id;
		r.email = cmail;
		r.name = cname;
		r.at = 1760000000 + (int64_t)i;
		rec_put(t, KIND_REFERRAL, &r);
		sbuf_addf(&g->csv, "%llu,%s,%s,%s,%s,%s\n", (unsigned long long)rf.id, name, mail,
		    code, cname, cmail);
		rf.name = rf.email = c.code = r.email = r.name = NULL;
		rec_free(KIND_REFERRER, &rf);
		rec_free(KIND_CODE, &c);
		rec_free(KIND_REFERRAL, &r);
	}
	return txn_status(t);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
make(const char *dir, uint64_t n, struct err *e)
{
	struct init_input in = { .org = "Bench", .currency = "EUR", .timezone = "UTC" };
	struct store *s;
	struct gen g = { 0 };
	char path[4096];
	double t0 = now_ms();
	FILE *csv;

	if (store_open(dir, STORE_CREATE, &s, e) != ST_OK || app_init_store(s, &in, "bench", e) != ST_OK)
		return 1;
	snprintf(path, sizeof path, "%s/rows.csv", dir);
	if ((csv = fopen(path, "w")) == NULL) {
		err_set(e, ST_CANTCREAT, "%s: cannot create", path);
		return 1;
	}
	sbuf_init(&g.csv);
	store_set_nosync(s, true);
	for (g.from = 1; g.from <= n; g.from = g.to) {
		g.to = g.from + 20000 > n + 1 ? n + 1 : g.from + 20000;
		g.rng = rng;
		if (store_write(s, gen_batch, &g, e) != ST_OK)
			return 1;
		fwrite(g.csv.s, 1, g.csv.len, csv);
	}
	sbuf_free(&g.csv);
	if (store_sync(s, e) != ST_OK)
		return 1;
	store_close(s);
	if (fclose(csv) != 0) {
		err_set(e, ST_IOERR, "%s: cannot write", path);
		return 1;
	}
	printf("made %llu referrers (each with a code and a referred contact) in %.1f s\n",
	    (unsigned long long)n, (now_ms() - t0) / 1e3);
	return 0;
}

static enum status
count_row(void *ctx, const struct row *r)
{
	(void)r;
	++*(size_t *)ctx;
	return ST_OK;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
time_query(struct app *a, const char *label, const char *q)
{
	double t[25];
	struct lookup_count cnt;
	struct err e;
	size_t i, rows = 0;

	for (i = 0; i < N(t) + 1; i++) {
		double t0 = now_ms();
		rows = 0;
		err_clear(&e);
		if (app_lookup(a, q, 50, count_row, &rows, &cnt, &e) != ST_OK) {
			printf("%-34s failed: %s\n", label, e.msg);
			return;
		}
		if (i > 0)      /* the first one warms the page cache */
			t[i - 1] = now_ms() - t0;
	}
	qsort(t, N(t), sizeof t[0], cmp_d);
	printf("%-30s %-34s %7.3f ms median %7.3f ms worst  %2zu rows of %s%llu\n", label, q,
	    t[N(t) / 2], t[N(t) - 1], rows, cnt.more ? ">=" : "", (unsigned long long)cnt.total);
}

int
main(int argc, char **argv)
{
	uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
	char path[4096], q[160];
	struct store *s;
	struct app *a;
	struct stat sb;
	struct err e;

	if (argc < 2) {
		fprintf(stderr, "usage: bench/lookup DIR [N]\n");
		return 64;
	}
	err_clear(&e);
	snprintf(path, sizeof path, "%s/data.mdb", argv[1]);
	if (stat(path, &sb) != 0 && make(argv[1], n, &e) != 0) {
		fprintf(stderr, "bench/lookup: %s\n", e.msg);
		return 1;
	}
	if (store_open(argv[1], 0, &s, &e) != ST_OK ||
	    app_session_new(s, "bench", ROLE_SUPPORT, 0, &a, &e) != ST_OK) {
		fprintf(stderr, "bench/lookup: %s\n", e.msg);
		return 1;
	}
	{
		struct txn *t = txn_begin_read(s);
		n = rec_count(t, KIND_REFERRER);
		printf("referrers %llu, word index entries: referrers %llu, codes %llu, contacts %llu\n",
		    (unsigned long long)rec_count(t, KIND_REFERRER),
		    (unsigned long long)idx_count(t, IDX_REFERRER_WORD),
		    (unsigned long long)idx_count(t, IDX_CODE_WORD),
		    (unsigned long long)idx_count(t, IDX_REFERRAL_WORD));
		txn_end(t);
	}
	if (argc > 3) {         /* one query only (for a profiler) */
		time_query(a, "the query given", argv[3]);
		app_close(a);
		return 0;
	}
	time_query(a, "a common surname", "tanaka");
	time_query(a, "accent-free first name", "zoe");
	time_query(a, "first name and surname", "zoe tanaka");
	time_query(a, "first name and surname", "anna tanaka");
	time_query(a, "first name, surname's start", "anna tan");
	time_query(a, "a rare surname", "Kamori");
	{
		/* the e-mails of a referrer halfway in and of the contact it referred */
		struct txn *t = txn_begin_read(s);
		struct referrer rf;
		struct referral r;
		if (rec_get(t, KIND_REFERRER, n / 2, &rf) == ST_OK) {
			snprintf(q, sizeof q, "%s", rf.email);
			time_query(a, "a customer's e-mail, whole", q);
			rec_free(KIND_REFERRER, &rf);
		}
		if (rec_get(t, KIND_REFERRAL, n / 3, &r) == ST_OK) {
			snprintf(q, sizeof q, "%s", r.email);
			time_query(a, "a referred contact's e-mail", q);
			rec_free(KIND_REFERRAL, &r);
		}
		txn_end(t);
	}
	{
		struct txn *t = txn_begin_read(s);
		struct code c;
		if (rec_get(t, KIND_CODE, n / 4, &c) == ST_OK) {
			snprintf(q, sizeof q, "%.5s", c.code);
			time_query(a, "a code's first 5 characters", q);
			rec_free(KIND_CODE, &c);
		}
		txn_end(t);
	}
	time_query(a, "one letter (the walk's cap)", "k");
	time_query(a, "no match", "qqqqzz");
	snprintf(q, sizeof q, "customer%llu", (unsigned long long)(n / 2));
	time_query(a, "an e-mail's start", q);
	app_close(a);
	return 0;
}
