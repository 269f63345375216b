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

#include <stddef.h>

#include "app/app.h"

/* Run the TUI on a; config is --config (NULL: the usual places).
 * Returns the exit status. */
int ui_run(struct app *a, const char *config);

/* The partner portal's screens on a logged-in portal session (app/portal.h);
 * cfg for sending statements by mail.  Ends when the session is refused. */
struct config;
int ui_portal_run(struct app *a, const char *config, const struct config *cfg);

/*
 * Script mode's answer to a prompt before the screens start (the portal's
 * login): the keys of the ALLY_UI_SCRIPT file up to the next Enter, e.g.
 *   type ann@alpha.example
 *   key Enter
 * The screens then go on with the rest of the same script.  1 a line, 0 the
 * script ended (or Esc), -1 not in script mode or the file is unreadable.
 */
int ui_script_prompt(char *buf, size_t len);

#endif
