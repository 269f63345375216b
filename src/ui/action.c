/*
 * action.c - the action table and the key map.
 *
 * The map is a small array of (key, action) pairs, rebuilt from the
 * table's default key names and then from the user's [keys] lines; a
 * lookup is a linear scan of a few dozen entries, nothing to optimise.
 */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ui/action.h"

static const struct action_info actions[ACT__COUNT] = {
	[ACT_NONE] = { "none", "", "", NULL },
#define X(id, name, keys, help, portal) [id] = { name, keys, help, portal },
	ACTION_LIST(X)
#undef X
};

const struct action_info *
action_info(enum action a)
{
	return &actions[a < ACT__COUNT ? a : ACT_NONE];
}

const char *
action_help(enum action a, bool portal)
{
	const struct action_info *ai = action_info(a);

	if (!portal)
		return ai->help;
	if (ai->portal == NULL)
		return NULL;
	return ai->portal[0] != '\0' ? ai->portal : ai->help;
}

bool
action_parse(const char *name, enum action *out)
{
	int i;

	for (i = 1; i < ACT__COUNT; i++) {
		if (strcmp(actions[i].name, name) == 0) {
			*out = (enum action)i;
			return true;
		}
	}
	return false;
}

static const struct { const char *name; int key; } named[] = {
	{ "Enter", '\n' }, { "Esc", UI_ESC }, { "Tab", '\t' }, { "S-Tab", UI_FN(KEY_BTAB) },
	{ "Space", ' ' }, { "Up", UI_FN(KEY_UP) }, { "Down", UI_FN(KEY_DOWN) },
	{ "Left", UI_FN(KEY_LEFT) }, { "Right", UI_FN(KEY_RIGHT) },
	{ "PgUp", UI_FN(KEY_PPAGE) }, { "PgDn", UI_FN(KEY_NPAGE) },
	{ "Home", UI_FN(KEY_HOME) }, { "End", UI_FN(KEY_END) },
	{ "Backspace", UI_FN(KEY_BACKSPACE) }, { "Del", UI_FN(KEY_DC) },
	{ "Insert", UI_FN(KEY_IC) },
};

bool
ui_key_parse(const char *name, int *key)
{
	size_t i, n = strlen(name);
	int f;

	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (strcasecmp(named[i].name, name) == 0) {
			*key = named[i].key;
			return true;
		}
	}
	if (n == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-' &&
	    ((name[2] >= 'a' && name[2] <= 'z') || (name[2] >= 'A' && name[2] <= 'Z'))) {
		*key = UI_CTRL(name[2]);
		return true;
	}
	if ((name[0] == 'F' || name[0] == 'f') && n >= 2 && n <= 3 &&
	    sscanf(name + 1, "%d", &f) == 1 && f >= 1 && f <= 12) {
		*key = UI_FN(KEY_F(f));
		return true;
	}
	if (n == 1 && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 0x7f) {
		*key = (unsigned char)name[0];
		return true;
	}
	return false;
}

const char *
ui_key_name(int key, char *buf)
{
	size_t i;

	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (named[i].key == key)
			return strcpy(buf, named[i].name);
	}
	if (key == '\r' || key == UI_FN(KEY_ENTER))
		return strcpy(buf, "Enter");
	if (UI_IS_FN(key)) {
		int k = key & ~0x1000000;
		if (k >= KEY_F(1) && k <= KEY_F(12))
			snprintf(buf, 16, "F%d", k - KEY_F0);
		else
			snprintf(buf, 16, "key%d", k);
	} else if (key > 0 && key < 32)
		snprintf(buf, 16, "C-%c", key + 'a' - 1);
	else if (key < 0x7f)
		snprintf(buf, 16, "%c", key);
	else
		snprintf(buf, 16, "U+%04X", (unsigned)key);
	return buf;
}

#define MAP_MAX 256
static struct { int key; enum action act; } map[MAP_MAX];
static size_t nmap;

static void
unbind_action(enum action a)
{
	size_t i, j = 0;

	for (i = 0; i < nmap; i++)
		if (map[i].act != a)
			map[j++] = map[i];
	nmap = j;
}

/* Add (key, a); with `only`, the key stops doing anything else first (a
 * user's binding wins).  Defaults share keys between screens' actions. */
static void
bind_key(int key, enum action a, bool only)
{
	size_t i, j = 0;

	for (i = 0; i < nmap; i++) {
		if (map[i].key == key && map[i].act == a)
			return;
		if (!(only && map[i].key == key))
			map[j++] = map[i];
	}
	nmap = j;
	if (nmap < MAP_MAX) {
		map[nmap].key = key;
		map[nmap++].act = a;
	}
}

/* Parse "k1 k2 ..." into keys; false naming the bad word in msg. */
static bool
parse_keys(const char *keys, int *out, size_t *n, char *msg, size_t msglen)
{
	char word[32];
	const char *p = keys;
	size_t len;

	*n = 0;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		len = strcspn(p, " \t");
		if (len >= sizeof word || *n >= 8) {
			snprintf(msg, msglen, "too many or too long key names");
			return false;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		if (!ui_key_parse(word, &out[*n])) {
			snprintf(msg, msglen, "unknown key \"%.31s\"", word);
			return false;
		}
		(*n)++;
		p += len;
	}
	return true;
}

void
keymap_defaults(void)
{
	int keys[8];
	size_t n, i;
	char msg[128];
	int a;

	nmap = 0;
	for (a = 1; a < ACT__COUNT; a++) {
		if (parse_keys(actions[a].keys, keys, &n, msg, sizeof msg))
			for (i = 0; i < n; i++)
				bind_key(keys[i], (enum action)a, false);
	}
	/* terminals send either for Enter and Backspace */
	bind_key('\r', ACT_OPEN, false);
	bind_key(UI_FN(KEY_ENTER), ACT_OPEN, false);
}

bool
keymap_bind(const char *name, const char *keys, char *msg, size_t msglen)
{
	enum action a;
	int k[8];
	size_t n, i;

	if (!action_parse(name, &a)) {
		snprintf(msg, msglen, "unknown action \"%.40s\"", name);
		return false;
	}
	if (strcmp(keys, "none") == 0) {
		unbind_action(a);
		return true;
	}
	if (!parse_keys(keys, k, &n, msg, msglen))
		return false;
	unbind_action(a);
	for (i = 0; i < n; i++)
		bind_key(k[i], a, true);
	return true;
}

enum action
keymap_lookup(int key)
{
	size_t i;

	for (i = 0; i < nmap; i++)
		if (map[i].key == key)
			return map[i].act;
	return ACT_NONE;
}

bool
keymap_bound(int key, enum action a)
{
	size_t i;

	for (i = 0; i < nmap; i++)
		if (map[i].key == key && map[i].act == a)
			return true;
	return false;
}

const char *
keymap_keys(enum action a, char *buf, size_t len)
{
	char name[16];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < nmap; i++) {
		if (map[i].act != a || map[i].key == '\r' || map[i].key == UI_FN(KEY_ENTER))
			continue;
		ui_key_name(map[i].key, name);
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
		    used ? " " : "", name);
		if (used >= len)
			break;
	}
	return buf;
}
