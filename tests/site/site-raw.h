/* site-raw: `govarch-site --hostile`, the hostile site over raw sockets
 * (exact bytes, broken HTTP included).  See site-raw.c. */
#ifndef GOVARCH_SITE_RAW_H
#define GOVARCH_SITE_RAW_H

#include <pthread.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"

struct site_raw {
	FILE *log;                  /* NULL: no request log */
	pthread_mutex_t log_lock;
	int listen_fd;
	int port;                   /* the port listened on, once started */
	char host[16];              /* the address listened on, for absolute links */
	pthread_t thread;
	int started;
	struct buf page_bomb;       /* gzip streams, built at start */
	struct buf sitemap_bomb;
};

/* Listen on BIND_ADDR (loopback only) and PORT (0: any free port). */
int site_raw_start(struct site_raw *s, const char *bind_addr, int port,
		   struct err *e);
void site_raw_stop(struct site_raw *s);
extern const char *const site_raw_paths[];  /* PATH<TAB>what, NULL-ended */

#endif
