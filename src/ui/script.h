/*
 * script.h - script mode for tests: keys and commands read from the file
 * that ALLY_UI_SCRIPT names, one a line:
 *
 *   key NAME|TEXT    one key by name (Enter, Esc, C-s, PgDn, ...) or char
 *   type TEXT        each character of TEXT as a key (UTF-8)
 *   dump             append the screen's text to $ALLY_UI_DUMP
 *   resize COLSxROWS resize the (virtual) terminal
 *   wait-refresh     one idle tick: notices other processes' commits
 *   sh COMMAND       run a shell command (e.g. another ally writing)
 *   # ...            a comment
 *
 * The end of the script quits.  Before the screens start (the portal's
 * login prompts, read with script_line) dump and resize do nothing.
 */
#ifndef ALLY_UI_SCRIPT_H
#define ALLY_UI_SCRIPT_H

#include <stdbool.h>
#include <stdio.h>

#define UI_KEY_EOF (-1)

struct script;

/* Open the script; NULL (and a message on stderr) when it cannot be read. */
struct script *script_open(const char *path);
void script_close(struct script *s);
/* The next key, after running any commands before it; 0 for a tick,
 * UI_FN(KEY_RESIZE) after resize, UI_KEY_EOF at the end. */
int script_next(struct script *s);

/*
 * One line of text for a prompt (the portal's login in script mode): the
 * keys up to Enter, Backspace taking back a character, other function
 * keys and ticks ignored.  false at the end of the script, on Esc or C-c.
 */
bool script_line(struct script *s, char *buf, size_t len);

#endif
