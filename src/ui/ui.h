/*
 * ui.h - the full-screen interface, seen from the command line: one call
 * that runs it on an opened database until the user quits.
 *
 * ALLY_UI_SCRIPT names a file of keys and commands for tests (script
 * mode: output to /dev/null at the fixed size ALLY_UI_SIZE, default
 * 80x24, screen dumps appended to ALLY_UI_DUMP); see script.c.
 */
#ifndef ALLY_UI_UI_H
#define ALLY_UI_UI_H

#include "app/app.h"

/* Run the TUI on a; config is --config (NULL: the usual places).
 * Returns the exit status. */
int ui_run(struct app *a, const char *config);

/* The partner portal's screens on a logged-in portal session (app/portal.h);
 * cfg for sending statements by mail.  Ends when the session is refused. */
struct config;
int ui_portal_run(struct app *a, const char *config, const struct config *cfg);

#endif
