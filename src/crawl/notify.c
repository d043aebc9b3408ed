/* notify: POST the change report, or pipe it to a command (see notify.h). */
#include "crawl/notify.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "crawl/crawllog.h"
#include "util/buf.h"
#include "util/timeutil.h"

static size_t discard(char *p, size_t sz, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return sz * n;
}

/* One POST: 0 on a 2xx answer, else -1 with e and a short reason. */
static int post_once(const char *url, const char *ua, double timeout,
		     const struct buf *body, long *status, struct err *e)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	int ok = -1;

	*status = 0;
	if (!h)
		return err_set(e, "curl_easy_init failed");
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_USERAGENT, ua);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		err_set(e, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
		if (*status >= 200 && *status < 300)
			ok = 0;
		else
			err_set(e, "HTTP status %ld", *status);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return ok;
}

static int post(const char *url, const char *ua, double timeout,
		const struct buf *body, long *status, struct err *e)
{
	struct err first;

	if (post_once(url, ua, timeout, body, status, &first) == 0)
		return 0;
	sleep(1);
	if (post_once(url, ua, timeout, body, status, e) == 0)
		return 0;
	return err_prefix(e, "POST %s failed twice (first: %s); last",
			  url, first.msg);
}

/* Feed body to /bin/sh -c cmd; 0 when it exits 0 within timeout. */
static int run_command(const char *cmd, double timeout, const struct buf *body,
		       int *exit_code, struct err *e)
{
	double deadline = time_mono() + timeout;
	size_t off = 0;
	int fds[2], status = 0, rc = -1, done = 0;
	pid_t pid;

	*exit_code = -1;
	if (pipe(fds) < 0)
		return err_set(e, "notify-command: pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return err_set(e, "notify-command: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		setpgid(0, 0);          /* so a timeout kills what it started */
		signal(SIGPIPE, SIG_DFL);
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	/* the report in, then wait: both bounded by the deadline */
	while (off < body->len && time_mono() < deadline) {
		struct pollfd p = { fds[1], POLLOUT, 0 };
		ssize_t w;

		if (poll(&p, 1, 100) <= 0)
			continue;
		w = write(fds[1], body->data + off, body->len - off);
		if (w < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (w < 0)
			break;          /* EPIPE: it stopped reading; see exit */
		off += (size_t)w;
	}
	close(fds[1]);
	while (!done && time_mono() < deadline) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			done = 1;
		else if (r < 0 && errno != EINTR)
			break;
		else
			usleep(20000);
	}
	if (!done) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		return err_set(e, "notify-command timed out after %g s", timeout);
	}
	if (WIFEXITED(status)) {
		*exit_code = WEXITSTATUS(status);
		if (*exit_code == 0)
			rc = 0;
		else
			err_set(e, "notify-command exited %d", *exit_code);
	} else {
		err_set(e, "notify-command killed by signal %d",
			WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
	return rc;
}

/* The crawl before id whose changes count: the latest complete or
 * partial one.  0 when there is none. */
static int64_t previous_crawl(struct catalog *c, int64_t id, struct err *e)
{
	struct catalog_crawl *v = NULL;
	size_t n = 0, i;
	int64_t prev = 0;

	if (catalog_crawls(c, &v, &n, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i].id < id && (!strcmp(v[i].status, "complete") ||
				     !strcmp(v[i].status, "partial")))
			prev = v[i].id;
	free(v);
	return prev;
}

/* The JSON report; its change count in *n (0: nothing to send). */
static int report(const char *archive, int64_t id, struct buf *out, long *n,
		  struct err *e)
{
	struct catalog *c = catalog_open(archive, CATALOG_READONLY, e);
	struct catalog_changes ch;
	int64_t prev;
	int rc = -1;

	*n = 0;
	if (!c)
		return -1;
	prev = previous_crawl(c, id, e);
	if (prev < 0)
		goto out;
	rc = 0;
	if (!prev)
		goto out;
	if (catalog_changes(c, prev, id, &ch, e) < 0) {
		rc = -1;
		goto out;
	}
	*n = (long)ch.n;
	if (ch.n && catalog_changes_format(c, &ch, "json", out, e) < 0)
		rc = -1;
	catalog_changes_release(&ch);
out:
	catalog_close(c);
	return rc;
}

/* "notify-failed:WHY" with WHY one word for the log. */
static void log_outcome(struct crawllog *l, const struct timespec *start,
			const char *target, int status, size_t size,
			double secs, const char *why)
{
	char out[96];

	if (!l)
		return;
	snprintf(out, sizeof(out), why ? "notify-failed:%s" : "notify", why);
	crawllog_line(l, start, status, (long long)size, target, secs, out,
		      NULL);
}

long crawl_notify(const char *archive, const struct crawl_config *cfg,
		  int64_t crawl_id, struct err *e)
{
	struct buf body = BUF_INIT(0);
	struct crawllog *log = NULL;
	struct err le;
	char idbuf[32], why[32];
	char *ua = NULL;
	long n = 0, status;
	struct timespec start;
	double t;
	int failed = 0, code;

	if (!*cfg->notify && !*cfg->notify_command)
		return 0;
	if (report(archive, crawl_id, &body, &n, e) < 0) {
		n = -1;
		goto out;
	}
	if (!n)
		goto out;
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)crawl_id);
	log = crawllog_open(archive, idbuf, &le);   /* no log: still notify */
	if (*cfg->notify) {
		ua = crawl_config_user_agent(cfg);
		start = time_now();
		t = time_mono();
		if (post(cfg->notify, ua ? ua : "govarch", cfg->notify_timeout,
			 &body, &status, &le) < 0) {
			*e = le;
			failed = 1;
			log_outcome(log, &start, cfg->notify, (int)status, body.len,
				    time_mono() - t, status ? "http-status"
							    : "unreachable");
		} else {
			log_outcome(log, &start, cfg->notify, (int)status, body.len,
				    time_mono() - t, NULL);
		}
	}
	if (*cfg->notify_command) {
		start = time_now();
		t = time_mono();
		if (run_command(cfg->notify_command, cfg->notify_timeout, &body,
				&code, &le) < 0) {
			if (!failed)
				*e = le;
			failed = 1;
			if (code >= 0)
				snprintf(why, sizeof(why), "exit-%d", code);
			else
				snprintf(why, sizeof(why), "command");
			log_outcome(log, &start, "command:", 0, body.len,
				    time_mono() - t, why);
		} else {
			log_outcome(log, &start, "command:", 0, body.len,
				    time_mono() - t, NULL);
		}
	}
	if (failed)
		n = -1;
out:
	crawllog_close(log);
	buf_release(&body);
	free(ua);
	return n;
}
