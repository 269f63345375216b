/*
 * config_ui.c - read [keys] and [colors] with libinih.
 *
 *   [keys]
 *   approve = a A          action = key names (see ally(1) KEYS); "none" unbinds
 *   [colors]
 *   theme = dark           default, dark or mono
 *   selected = black,yellow,bold
 */
#include "config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ui/action.h"
#include "core/priv.h"
#include "ui/config_ui.h"
#include "ui/theme.h"

struct cfg {
	const char *file;
	char *msg;
	size_t len;
	bool failed;
};

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct cfg *c = user;
	char why[160];

	if (c->failed)
		return 1;
	why[0] = '\0';
	if (strcasecmp(section, "keys") == 0) {
		if (!keymap_bind(name, value, why, sizeof why))
			goto bad;
	} else if (strcasecmp(section, "colors") == 0) {
		if (strcasecmp(name, "theme") == 0) {
			if (!theme_select(value)) {
				snprintf(why, sizeof why, "unknown theme \"%.40s\" (default, dark, mono)", value);
				goto bad;
			}
		} else if (!theme_set(name, value, why, sizeof why)) {
			goto bad;
		}
	}
	return 1;
bad:
	snprintf(c->msg, c->len, "%s: [%s] %s: %s", c->file, section, name, why);
	c->failed = true;
	return 1;
}

static bool
load_one(const char *file, bool must, char *msg, size_t len)
{
	struct cfg c = { file, msg, len, false };
	FILE *f;
	int r;

	if (!must && access(file, R_OK) != 0)
		return true;
	/* a path the person chose: read with their rights, not the group's */
	if ((f = user_fopen(file, "r")) == NULL)
		r = -1;
	else {
		r = ini_parse_file(f, on_entry, &c);
		fclose(f);
	}
	if (r < 0) {
		snprintf(msg, len, "%s: cannot read the configuration file", file);
		return false;
	}
	if (c.failed)
		return false;
	if (r > 0) {
		snprintf(msg, len, "%s:%d: not an INI line", file, r);
		return false;
	}
	return true;
}

bool
ui_config_load(const char *path, char *msg, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char user[1024];

	if (path != NULL)
		return load_one(path, true, msg, len);
	if (!load_one("/etc/ally/ally.conf", false, msg, len))
		return false;
	if (xdg && *xdg)
		snprintf(user, sizeof user, "%s/ally/ally.conf", xdg);
	else if (home && *home)
		snprintf(user, sizeof user, "%s/.config/ally/ally.conf", home);
	else
		return true;
	return load_one(user, false, msg, len);
}
