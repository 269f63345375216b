/*
 * sender.c - the background "ally mail send" and "ally webhook send"
 * (see sender.h).
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

/* What each job runs and how its ending reads. */
static const struct job {
	const char *what;               /* "mail", "webhook" */
	const char *cmd[2];             /* its words after the global options */
	const char *where;              /* where its outcome shows */
	const char *unavailable;        /* exit 69 */
	const char *refused;            /* exit 75: an answer other than success */
	const char *config;             /* exit 78 */
} jobs[SEND__COUNT] = {
	[SEND_MAIL] = { "mail", { "mail", "send" }, "the Outbox (8)",
	    "the SMTP server is unavailable", NULL, "[smtp] in ally.conf" },
	[SEND_WEBHOOKS] = { "webhook", { "webhook", "send" }, "Admin (9), webhooks",
	    "an endpoint could not be reached", "an endpoint answered with an error",
	    "the configuration" },
};

static volatile sig_atomic_t child_exited;
static pid_t running[SEND__COUNT];

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
sender_running(enum sender_job j)
{
	return running[j] > 0;
}

bool
sender_start(enum sender_job j, const char *db, const char *config, char *msg, size_t len)
{
	char *argv[8];
	int n = 0, fd;
	pid_t pid;

	if (running[j] > 0) {
		snprintf(msg, len, "a %s sender is running already (pid %ld)", jobs[j].what,
		    (long)running[j]);
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
	argv[n++] = (char *)jobs[j].cmd[0];
	argv[n++] = (char *)jobs[j].cmd[1];
	argv[n] = NULL;
	pid = fork();
	if (pid < 0) {
		snprintf(msg, len, "cannot start ally %s send: %s", jobs[j].what, strerror(errno));
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
	running[j] = pid;
	return true;
}

static void
say(const struct job *jb, int status, char *msg, size_t len, bool *error)
{
	*error = true;
	if (WIFSIGNALED(status)) {
		snprintf(msg, len, "%s sender killed by signal %d: see %s", jb->what, WTERMSIG(status),
		    jb->where);
		return;
	}
	switch (WEXITSTATUS(status)) {
	case 0:
		*error = false;
		snprintf(msg, len, "%s sent: everything due went out", jb->what);
		break;
	case 69:
		snprintf(msg, len, "%s: %s: see %s", jb->what, jb->unavailable, jb->where);
		break;
	case 75:
		if (jb->refused != NULL) {
			snprintf(msg, len, "%s: %s: see %s", jb->what, jb->refused, jb->where);
			break;
		}
		/* fall through */
	default:
		snprintf(msg, len, "%s: not everything was sent (exit %d): see %s", jb->what,
		    WEXITSTATUS(status), jb->where);
		break;
	case 78:
		snprintf(msg, len, "%s: configuration problem (%s): see ally %s send", jb->what,
		    jb->config, jb->what);
		break;
	case 127:
		snprintf(msg, len, "%s: cannot run /proc/self/exe %s send", jb->what, jb->what);
		break;
	}
}

bool
sender_poll(char *msg, size_t len, bool *error)
{
	int status;
	pid_t r;
	size_t j;

	if (!child_exited)
		return false;
	child_exited = 0;
	for (j = 0; j < SEND__COUNT; j++) {
		if (running[j] <= 0)
			continue;
		r = waitpid(running[j], &status, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue;       /* still running, or another child of ours */
		running[j] = 0;
		if (r < 0) {
			*error = true;
			snprintf(msg, len, "%s sender: %s", jobs[j].what, strerror(errno));
		} else {
			say(&jobs[j], status, msg, len, error);
		}
		/* the other one, if it ended too, is reaped at the next look */
		child_exited = 1;
		return true;
	}
	return false;
}
