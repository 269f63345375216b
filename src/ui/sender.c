/*
 * sender.c - the background "ally mail send" (see sender.h).
 *
 * Between fork and exec the child only calls async-signal-safe functions:
 * the argument vector is built before the fork, and the LMDB environment
 * the parent holds is never touched by the child (exec drops it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ui/sender.h"

static volatile sig_atomic_t child_exited;
static pid_t running;

static void
on_child(int sig)
{
	(void)sig;
	child_exited = 1;
}

void
sender_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

bool
sender_running(void)
{
	return running > 0;
}

bool
sender_start(const char *db, const char *config, char *msg, size_t len)
{
	char *argv[8];
	int n = 0, fd;
	pid_t pid;

	if (running > 0) {
		snprintf(msg, len, "a mail sender is running already (pid %ld)", (long)running);
		return false;
	}
	argv[n++] = (char *)"ally";
	if (db != NULL) {
		argv[n++] = (char *)"--db";
		argv[n++] = (char *)db;
	}
	if (config != NULL) {
		argv[n++] = (char *)"--config";
		argv[n++] = (char *)config;
	}
	argv[n++] = (char *)"mail";
	argv[n++] = (char *)"send";
	argv[n] = NULL;
	pid = fork();
	if (pid < 0) {
		snprintf(msg, len, "cannot start ally mail send: %s", strerror(errno));
		return false;
	}
	if (pid == 0) {
		/* Its own session: closing the terminal does not stop a send. */
		setsid();
		if ((fd = open("/dev/null", O_RDWR)) >= 0) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	running = pid;
	return true;
}

bool
sender_poll(char *msg, size_t len, bool *error)
{
	int status;
	pid_t r;

	if (!child_exited || running <= 0)
		return false;
	child_exited = 0;
	r = waitpid(running, &status, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR)) {
		/* another child of ours (a script's sh): look again later */
		return false;
	}
	running = 0;
	*error = true;
	if (r < 0)
		snprintf(msg, len, "mail sender: %s", strerror(errno));
	else if (WIFSIGNALED(status))
		snprintf(msg, len, "mail sender killed by signal %d: see the Outbox (8)",
		    WTERMSIG(status));
	else {
		switch (WEXITSTATUS(status)) {
		case 0:
			*error = false;
			snprintf(msg, len, "mail sent: everything due went out");
			break;
		case 69:
			snprintf(msg, len, "mail: the SMTP server is unavailable: see the Outbox (8)");
			break;
		case 78:
			snprintf(msg, len, "mail: configuration problem ([smtp] in ally.conf): see ally mail send");
			break;
		case 127:
			snprintf(msg, len, "mail: cannot run /proc/self/exe mail send");
			break;
		default:
			snprintf(msg, len, "mail: a message was not sent (exit %d): see the Outbox (8)",
			    WEXITSTATUS(status));
			break;
		}
	}
	return true;
}
