/*
 * sender.h - "ally mail send" and "ally webhook send" in the background,
 * so the TUI never talks SMTP or HTTP from its own loop (a stalled server
 * can hold a send for minutes).  At most one of each runs at a time.
 *
 * The child is this very program (/proc/self/exe) with the same --db and
 * --config, in a session of its own, its output thrown away; what it did
 * shows in the Outbox.  SIGCHLD only sets a flag; the loop calls
 * sender_poll(), which reaps without blocking.
 */
#ifndef ALLY_UI_SENDER_H
#define ALLY_UI_SENDER_H

#include <stdbool.h>
#include <stddef.h>

enum sender_job { SEND_MAIL, SEND_WEBHOOKS, SEND__COUNT };

/* Install the SIGCHLD handler. */
void sender_init(void);
/* Start a sender of job j unless one is running; false with the reason in msg. */
bool sender_start(enum sender_job j, const char *db, const char *config, char *msg, size_t len);
bool sender_running(enum sender_job j);
/* When a sender has ended: true, with what its exit status means in msg
 * and *error set when it is a failure (one ending per call). */
bool sender_poll(char *msg, size_t len, bool *error);

#endif
