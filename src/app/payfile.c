/*
 * payfile.c - a payout batch as the file a payment workflow takes
 * (ally payout export BATCH --format paypal|wise|sepa; ap-csv stays in
 * payout.c): a PayPal Payouts batch CSV, a Wise batch payment CSV, or an
 * ISO 20022 pain.001.001.03 SEPA credit transfer.
 *
 * The one idea: every payee is checked before a byte is written.  A payee
 * whose method or details do not fit the format is named in one line and
 * nothing is rendered, so accounts payable never uploads half a batch.
 * SEPA pays euros only: a batch in another currency is refused for it.
 */
#include "config.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "app/app_int.h"
#include "app/payee.h"
#include "core/alloc.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/money.h"
#include "core/str.h"
#include "core/utf8.h"

/* The partners of a batch's payees, in the order of p->totals. */
static enum status
payees_load(struct txn *t, const struct payout_preview *p, const char *format,
    struct partner **out, struct err *e)
{
	struct partner *v = xcalloc(p->ntotals ? p->ntotals : 1, sizeof *v);
	const char *why = NULL;
	size_t i;

	for (i = 0; i < p->ntotals && why == NULL; i++) {
		const struct payout_total *pt = &p->totals[i];
		if (pt->partner == 0 || rec_get(t, KIND_PARTNER, pt->partner, &v[i]) != ST_OK)
			why = "is a customer, not a partner with a payout method";
		else
			why = payee_missing(&v[i], format);
	}
	if (why != NULL) {
		char *vis = str_visible(p->totals[i - 1].payee);
		err_set(e, ST_DATA, "payee %s (%s): %s for %s: nothing written", vis,
		    p->totals[i - 1].partner ? "partner" : "customer", why, format);
		free(vis);
		payfile_free_partners(v, i);
		return ST_DATA;
	}
	*out = v;
	return ST_OK;
}

void
payfile_free_partners(struct partner *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].id)
			rec_free(KIND_PARTNER, &v[i]);
	free(v);
}

/* ---- PayPal and Wise ---- */

/* PayPal Payouts "batch payout" upload: no header; recipient, amount,
 * currency, reference id, note, wallet. */
static void
paypal_rows(struct sbuf *b, const struct payout_preview *p, const struct partner *v,
    uint64_t batch)
{
	const struct currency *cur = currency_find(p->currency);
	size_t i;

	for (i = 0; i < p->ntotals; i++) {
		char amount[MONEY_BUFSZ], ref[48], note[64];
		const char *row[6];
		snprintf(ref, sizeof ref, "PB%llu-P%llu", (unsigned long long)batch,
		    (unsigned long long)v[i].id);
		snprintf(note, sizeof note, "Commission payout PB%llu", (unsigned long long)batch);
		row[0] = v[i].payout_email;
		row[1] = money_format(p->totals[i].amount, cur, amount);
		row[2] = p->currency;
		row[3] = ref;
		row[4] = note;
		row[5] = "PAYPAL";
		csv_add_row(b, row, 6);
	}
}

/* Wise batch payment to e-mail recipients: Wise's template header. */
static void
wise_rows(struct sbuf *b, const struct payout_preview *p, const struct partner *v,
    uint64_t batch)
{
	static const char *const head[] = { "name", "recipientEmail", "paymentReference",
		"receiverType", "amountCurrency", "amount", "sourceCurrency", "targetCurrency" };
	const struct currency *cur = currency_find(p->currency);
	size_t i;

	csv_add_row(b, head, 8);
	for (i = 0; i < p->ntotals; i++) {
		char amount[MONEY_BUFSZ], ref[48];
		const char *row[8];
		snprintf(ref, sizeof ref, "PB%llu-P%llu", (unsigned long long)batch,
		    (unsigned long long)v[i].id);
		row[0] = v[i].holder ? v[i].holder : v[i].name;
		row[1] = v[i].payout_email;
		row[2] = ref;
		row[3] = v[i].kind == PKIND_AFFILIATE ? "PERSON" : "BUSINESS";
		row[4] = p->currency;
		row[5] = money_format(p->totals[i].amount, cur, amount);
		row[6] = p->currency;
		row[7] = p->currency;
		csv_add_row(b, row, 8);
	}
}

/* ---- SEPA ---- */

/* s escaped for XML text, cut to max characters (not bytes). */
static void
xml_text(struct sbuf *b, const char *s, size_t max)
{
	size_t n = 0, len;
	uint32_t cp;

	while (*s && n < max) {
		len = utf8_decode(s, strlen(s), &cp);
		if (len == 0)
			break;
		switch (*s) {
		case '&': sbuf_add(b, "&amp;"); break;
		case '<': sbuf_add(b, "&lt;"); break;
		case '>': sbuf_add(b, "&gt;"); break;
		case '"': sbuf_add(b, "&quot;"); break;
		case '\'': sbuf_add(b, "&apos;"); break;
		default:
			if (cp < 0x20)
				sbuf_addc(b, ' ');      /* a line break of a name */
			else
				sbuf_addn(b, s, len);
		}
		s += len;
		n++;
	}
}

static void
xml_el(struct sbuf *b, const char *tag, const char *text, size_t max)
{
	sbuf_addf(b, "<%s>", tag);
	xml_text(b, text, max);
	sbuf_addf(b, "</%s>", tag);
}

static void
sepa_agent(struct sbuf *b, const char *tag, const char *bic)
{
	sbuf_addf(b, "<%s><FinInstnId>", tag);
	if (bic != NULL)
		xml_el(b, "BIC", bic, 11);
	else
		sbuf_add(b, "<Othr><Id>NOTPROVIDED</Id></Othr>");
	sbuf_addf(b, "</FinInstnId></%s>\n", tag);
}

static void
sepa_tx(struct sbuf *b, const struct payout_total *pt, const struct partner *pa, uint64_t batch)
{
	char amount[MONEY_BUFSZ], id[48];

	snprintf(id, sizeof id, "PB%llu-P%llu", (unsigned long long)batch,
	    (unsigned long long)pa->id);
	sbuf_add(b, "<CdtTrfTxInf><PmtId>");
	xml_el(b, "EndToEndId", id, 35);
	sbuf_addf(b, "</PmtId><Amt><InstdAmt Ccy=\"EUR\">%s</InstdAmt></Amt>\n",
	    money_format(pt->amount, currency_find("EUR"), amount));
	if (pa->bic != NULL)
		sepa_agent(b, "CdtrAgt", pa->bic);
	sbuf_add(b, "<Cdtr>");
	xml_el(b, "Nm", pa->holder ? pa->holder : pa->name, 70);
	sbuf_add(b, "</Cdtr><CdtrAcct><Id>");
	xml_el(b, "IBAN", pa->iban, 34);
	sbuf_addf(b, "</Id></CdtrAcct><RmtInf><Ustrd>Commission payout PB%llu</Ustrd></RmtInf>"
	    "</CdtTrfTxInf>\n", (unsigned long long)batch);
}

static enum status
sepa_doc(struct sbuf *b, const struct settings *s, const struct payout_preview *p,
    const struct partner *v, uint64_t batch, int64_t now, struct err *e)
{
	char sum[MONEY_BUFSZ], when[32], day[16];
	size_t i;

	if (strcmp(p->currency, "EUR") != 0)
		return err_set(e, ST_DATA, "sepa: batch PB%llu pays %s; SEPA credit transfers are in "
		    "EUR only (use --format paypal, wise or ap-csv)", (unsigned long long)batch,
		    p->currency);
	if (str_empty(s->debtor_name) || str_empty(s->debtor_iban))
		return err_set(e, ST_CONFIG, "sepa: the organisation's debtor account is not set "
		    "(ally settings set --debtor-name NAME --debtor-iban IBAN [--debtor-bic BIC])");
	money_format(p->total, currency_find("EUR"), sum);
	date_format_rfc3339(now, when);
	when[19] = '\0';                /* ISODateTime without the Z */
	memcpy(day, when, 10);
	day[10] = '\0';
	sbuf_add(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<CstmrCdtTrfInitn>\n");
	sbuf_addf(b, "<GrpHdr><MsgId>ALLY-PB%llu</MsgId><CreDtTm>%s</CreDtTm><NbOfTxs>%zu</NbOfTxs>"
	    "<CtrlSum>%s</CtrlSum><InitgPty>", (unsigned long long)batch, when, p->ntotals, sum);
	xml_el(b, "Nm", s->debtor_name, 70);
	sbuf_add(b, "</InitgPty></GrpHdr>\n");
	sbuf_addf(b, "<PmtInf><PmtInfId>PB%llu</PmtInfId><PmtMtd>TRF</PmtMtd>"
	    "<BtchBookg>true</BtchBookg><NbOfTxs>%zu</NbOfTxs><CtrlSum>%s</CtrlSum>"
	    "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf><ReqdExctnDt>%s</ReqdExctnDt>\n",
	    (unsigned long long)batch, p->ntotals, sum, day);
	sbuf_add(b, "<Dbtr>");
	xml_el(b, "Nm", s->debtor_name, 70);
	sbuf_add(b, "</Dbtr><DbtrAcct><Id>");
	xml_el(b, "IBAN", s->debtor_iban, 34);
	sbuf_add(b, "</Id></DbtrAcct>\n");
	sepa_agent(b, "DbtrAgt", s->debtor_bic);
	sbuf_add(b, "<ChrgBr>SLEV</ChrgBr>\n");
	for (i = 0; i < p->ntotals; i++)
		sepa_tx(b, &p->totals[i], &v[i], batch);
	sbuf_add(b, "</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n");
	return ST_OK;
}

enum status
payfile_render(struct txn *t, const struct settings *s, const char *format,
    const struct payout_preview *p, uint64_t batch, int64_t now, struct sbuf *out,
    struct err *e)
{
	struct partner *v = NULL;
	enum status st;

	if (strcmp(format, "sepa") == 0 && strcmp(p->currency, "EUR") != 0)
		return sepa_doc(out, s, p, NULL, batch, now, e);  /* refused before the payees */
	if (p->ntotals == 0)
		return err_set(e, ST_DATA, "%s: batch PB%llu pays nobody: nothing written", format,
		    (unsigned long long)batch);
	if ((st = payees_load(t, p, format, &v, e)) != ST_OK)
		return st;
	st = ST_OK;
	if (strcmp(format, "paypal") == 0)
		paypal_rows(out, p, v, batch);
	else if (strcmp(format, "wise") == 0)
		wise_rows(out, p, v, batch);
	else
		st = sepa_doc(out, s, p, v, batch, now, e);
	payfile_free_partners(v, p->ntotals);
	return st;
}
