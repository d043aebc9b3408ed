/* site-http: govarch-site's HTTP server (libmicrohttpd, a thread per
 * connection), its routing and its request log.  See site-http.c. */
#ifndef GOVARCH_SITE_HTTP_H
#define GOVARCH_SITE_HTTP_H

#include <pthread.h>
#include <stdio.h>

#include "site.h"

struct site_http {
	const struct site *site;
	struct site_robots robots;
	int version;                /* served version, changed atomically */
	FILE *log;                  /* NULL: no request log */
	pthread_mutex_t log_lock;
	struct MHD_Daemon *daemon;
	int port;                   /* the port listened on, once started */
};

/* Listen on BIND_ADDR (loopback only) and PORT (0: any free port). */
int site_http_start(struct site_http *h, const char *bind_addr, int port,
		    struct err *e);
void site_http_stop(struct site_http *h);

#endif
