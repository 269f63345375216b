/*
 * config_ui.h - the TUI's part of ally.conf: [keys] and [colors].
 * Other sections belong to app/ and are skipped here.
 */
#ifndef ALLY_UI_CONFIG_UI_H
#define ALLY_UI_CONFIG_UI_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Apply [keys] and [colors] from path (--config; an error if unreadable)
 * or, when NULL, from /etc/ally/ally.conf and then
 * $XDG_CONFIG_HOME/ally/ally.conf (~/.config/...), each optional.
 * False with "FILE: [SECTION] NAME: why" in msg on a bad entry.
 */
bool ui_config_load(const char *path, char *msg, size_t len);

#endif
