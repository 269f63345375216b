/*
 * main.c - ally's entry point: set the locale (display widths and the
 * ellipsis depend on it), then hand the arguments to the command line,
 * which opens the TUI or runs a subcommand.
 */
#include "config.h"

#include <locale.h>

#include "cli/cli.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(argc, argv);
}
