/* pdf-server: the process that reads PDF documents for this one.  See
 * pdf.h.
 *
 * Forking a child from a large process (a crawler) makes every page the
 * parent then writes fault once, copied: forking it per document cost a
 * replica crawl ~11% of its CPU.  So the documents go to a small server
 * process, forked once (by the crawl at its start, or by the first
 * document), which forks the child for each document (pdf.c) and sends its
 * answer back.  Over a socket pair, the client sends a document as an
 * 8-byte length and its bytes; the server answers an 8-byte length and the
 * child's answer (pdf-internal.h).
 *
 * The server dies with its client: PR_SET_PDEATHSIG (a kill -9 of the
 * client included) and the socket's end of file; it ignores SIGINT and
 * SIGTERM (the client stops on them, then so does the server), and each
 * child it forks dies with it too.  A server that dies or stops answering
 * is killed and waited for; one that died is started again for the same
 * document, once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diff/pdf-internal.h"
#include "diff/pdf.h"
#include "util/fdio.h"

/* The client waits this long for an answer beyond the child's own limit. */
#define SERVER_GRACE_SECONDS 10

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t server_pid;        /* 0: no server */
static int server_fd = -1;

/* ---- the server ---- */

static void serve(int fd, pid_t client) __attribute__((noreturn));

static void serve(int fd, pid_t client)
{
	struct buf ans = BUF_INIT(0);
	struct err e = { "" };
	sigset_t none;
	int null;

	/* dies with its client, even one killed with SIGKILL */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != client)
		_exit(0);
	prctl(PR_SET_NAME, "govarch-pdf");
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* nothing of the client's (its WARC files, the catalog, the lock,
	 * sockets, the stdout a script reads) stays open here */
	if (fd != 3) {
		if (dup2(fd, 3) < 0)
			_exit(1);
		fd = 3;
	}
	close_range(4, ~0u, 0);
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 3)
			close(null);
	}
	for (;;) {
		uint64_t n;
		void *data;

		if (fd_read_all(fd, &n, sizeof(n)) != (long)sizeof(n) ||
		    n > DIFF_PDF_MAX_MEMORY || !(data = malloc(n ? n : 1)) ||
		    fd_read_all(fd, data, n) != (long)n)
			_exit(0);
		if (pdf_child_answer(data, n, &ans, &e) < 0 &&
		    pdf_note_answer(&ans, e.msg) < 0)
			_exit(1);
		free(data);
		n = ans.len;
		if (fd_write_all(fd, &n, sizeof(n)) < 0 ||
		    fd_write_all(fd, ans.data, ans.len) < 0)
			_exit(0);
	}
}

/* ---- the client ---- */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int start(struct err *e)
{
	pid_t client = getpid(), pid;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return err_set(e, "pdf: socketpair: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return err_set(e, "pdf: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(sv[0]);
		serve(sv[1], client);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	server_pid = pid;
	server_fd = sv[0];
	return 0;
}

static void stop(void)
{
	if (!server_pid)
		return;
	close(server_fd);
	kill(server_pid, SIGKILL);
	while (waitpid(server_pid, NULL, 0) < 0 && errno == EINTR)
		;
	server_pid = 0;
	server_fd = -1;
}

/* Move n bytes to or from the server before the deadline: 0, 1 the
 * server is gone (end of file, a broken pipe), 2 the deadline passed. */
static int io(int writing, void *p, size_t n, double deadline)
{
	char *s = p;

	while (n) {
		struct pollfd pf = { server_fd, writing ? POLLOUT : POLLIN, 0 };
		double left = deadline - now_s();
		ssize_t r;

		if (left <= 0)
			return 2;
		if (poll(&pf, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return 1;
		r = writing ? send(server_fd, s, n, MSG_NOSIGNAL) :
			recv(server_fd, s, n, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN ||
			      errno == EWOULDBLOCK))
			continue;
		if (r <= 0)
			return 1;
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One document through the server: 0 (ans filled), 1 the server died, 2
 * it did not answer in time, -1 out of memory. */
static int ask(const void *data, size_t len, struct buf *ans)
{
	double deadline = now_s() + DIFF_PDF_KILL_SECONDS +
		SERVER_GRACE_SECONDS;
	uint64_t n = len;
	int r;

	if ((r = io(1, &n, sizeof(n), deadline)) ||
	    (r = io(1, (void *)data, len, deadline)) ||
	    (r = io(0, &n, sizeof(n), deadline)))
		return r;
	if (n > DIFF_PDF_ANSWER_MAX + DIFF_PDF_NOTE_MAX)
		return 1;
	buf_reset(ans);
	if (buf_grow(ans, (size_t)n) < 0)
		return -1;
	if ((r = io(0, ans->data, (size_t)n, deadline)))
		return r;
	ans->len = (size_t)n;
	ans->data[ans->len] = '\0';
	return 0;
}

int diff_pdf_server_start(struct err *e)
{
	int rc = 0;

	pthread_mutex_lock(&lock);
	if (!server_pid)
		rc = start(e);
	pthread_mutex_unlock(&lock);
	return rc;
}

void diff_pdf_server_stop(void)
{
	pthread_mutex_lock(&lock);
	stop();
	pthread_mutex_unlock(&lock);
}

int diff_pdf_page(const void *data, size_t len, struct diff_page *out,
		  char note[DIFF_PDF_NOTE_MAX], struct err *e)
{
	struct buf ans = BUF_INIT(0);
	int r = 1, tries, rc;

	diff_page_init(out);
	note[0] = '\0';
	if (len > DIFF_PDF_MAX_MEMORY) {
		snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: over %lu MiB, not read",
			 DIFF_PDF_MAX_MEMORY >> 20);
		return 1;
	}
	pthread_mutex_lock(&lock);
	for (tries = 0; tries < 2 && r == 1; tries++) {
		if (!server_pid && start(e) < 0) {
			pthread_mutex_unlock(&lock);
			return -1;
		}
		r = ask(data, len, &ans);
		if (r > 0)
			stop();
	}
	pthread_mutex_unlock(&lock);
	if (r < 0) {
		buf_release(&ans);
		return err_set(e, "pdf: out of memory");
	}
	if (r > 0) {
		snprintf(note, DIFF_PDF_NOTE_MAX, "pdf: reading it failed (the "
			 "PDF reader process %s)", r == 2 ?
			 "did not answer" : "died");
		buf_release(&ans);
		return 1;
	}
	rc = pdf_answer_page(&ans, out, note, e);
	buf_release(&ans);
	return rc;
}
