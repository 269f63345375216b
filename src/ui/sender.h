/*
 * sender.h - "ally mail send" in the background, so the TUI never talks
 * SMTP from its own loop (a stalled server can hold a send for minutes).
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

/* Install the SIGCHLD handler. */
void sender_init(void);
/* Start a sender unless one is running; false with the reason in msg. */
bool sender_start(const char *db, const char *config, char *msg, size_t len);
bool sender_running(void);
/* When the sender has ended: true, with what its exit status means in
 * msg and *error set when it is a failure. */
bool sender_poll(char *msg, size_t len, bool *error);

#endif
