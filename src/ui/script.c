/*
 * script.c - script mode: the test's keys come from a file and the
 * screen's text goes to a dump file, read back from curses' own idea of
 * the screen (mvwinnstr), which is exactly what it would have sent.
 */
#include "config.h"

#include <curses.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/priv.h"
#include "core/alloc.h"
#include "core/utf8.h"
#include "ui/action.h"
#include "ui/script.h"

struct script {
	FILE *f;
	int pending[512];       /* keys of a "type" line still to hand out */
	size_t npending, at;
	unsigned ndump;
};

struct script *
script_open(const char *path)
{
	struct script *s;
	FILE *f = user_fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "ally: ALLY_UI_SCRIPT: cannot read %s\n", path);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->f = f;
	return s;
}

void
script_close(struct script *s)
{
	if (s == NULL)
		return;
	fclose(s->f);
	free(s);
}

static void
dump(struct script *s)
{
	const char *path = env_testing("ALLY_UI_DUMP");
	FILE *out;
	char line[4096];
	int y, len;

	if (stdscr == NULL)
		return;         /* before the screens start: nothing to show */
	doupdate();
	if (path == NULL || (out = user_fopen(path, "a")) == NULL)
		return;
	fprintf(out, "=== dump %u\n", ++s->ndump);
	for (y = 0; y < LINES; y++) {
		len = mvwinnstr(curscr, y, 0, line, (int)sizeof line - 1);
		if (len < 0)
			len = 0;
		line[len] = '\0';
		while (len > 0 && line[len - 1] == ' ')
			line[--len] = '\0';
		fprintf(out, "%s\n", line);
	}
	fclose(out);
}

/* Split text into keys. */
static void
queue_text(struct script *s, const char *text)
{
	size_t n = strlen(text), k;
	uint32_t cp;

	s->npending = s->at = 0;
	while (n > 0 && s->npending < sizeof s->pending / sizeof s->pending[0]) {
		k = utf8_decode(text, n, &cp);
		if (k == 0)
			k = 1;
		s->pending[s->npending++] = (int)cp;
		text += k;
		n -= k;
	}
}

int
script_next(struct script *s)
{
	char line[1024], *arg;
	size_t len;
	int key, cols, rows;

	if (s->at < s->npending)
		return s->pending[s->at++];
	while (fgets(line, sizeof line, s->f) != NULL) {
		len = strlen(line);
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		arg = strchr(line, ' ');
		if (arg != NULL)
			*arg++ = '\0';
		else
			arg = line + len;
		if (strcmp(line, "key") == 0) {
			if (ui_key_parse(arg, &key))
				return key;
			queue_text(s, arg);     /* e.g. a non-ASCII character */
			if (s->npending > 0)
				return s->pending[s->at++];
		} else if (strcmp(line, "type") == 0) {
			queue_text(s, arg);
			if (s->npending > 0)
				return s->pending[s->at++];
		} else if (strcmp(line, "dump") == 0) {
			dump(s);
		} else if (strcmp(line, "resize") == 0) {
			if (stdscr != NULL && sscanf(arg, "%dx%d", &cols, &rows) == 2 &&
			    cols > 0 && rows > 0) {
				resizeterm(rows, cols);
				return UI_FN(KEY_RESIZE);
			}
		} else if (strcmp(line, "wait-refresh") == 0) {
			return 0;
		} else if (strcmp(line, "sh") == 0) {
			if (system(arg) != 0)
				fprintf(stderr, "ally: script: command failed: %s\n", arg);
		} else {
			fprintf(stderr, "ally: script: unknown command \"%s\"\n", line);
		}
	}
	return UI_KEY_EOF;
}

bool
script_line(struct script *s, char *buf, size_t len)
{
	size_t n = 0, k;
	char enc[4];
	int key;

	if (len == 0)
		return false;
	buf[0] = '\0';
	for (;;) {
		key = script_next(s);
		if (key == UI_KEY_EOF || key == UI_ESC || key == UI_CTRL('c'))
			return false;
		if (key == '\n' || key == '\r' || key == UI_FN(KEY_ENTER))
			return true;
		if (key == UI_FN(KEY_BACKSPACE)) {
			while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
				n--;
			if (n > 0)
				n--;
			buf[n] = '\0';
			continue;
		}
		if (key <= 0 || UI_IS_FN(key) || key < ' ' || key > 0x10FFFF)
			continue;       /* ticks, resizes, other function keys */
		k = utf8_encode((uint32_t)key, enc);
		if (n + k < len) {
			memcpy(buf + n, enc, k);
			n += k;
			buf[n] = '\0';
		}
	}
}
