/* trainer: the zstd dictionary of a site's first crawl.  Until it is
 * trained, the first fetches are held back (their records would be
 * compressed without it) while their samples are taken: what their records
 * will hold (response, request, metadata outlinks), whole records of the
 * first HTML pages, and made-up records of unchanged pages (revisits and
 * conditional requests with this site's headers), so later crawls'
 * small records compress to little more than their ids and digests.  The
 * trainer owns the samples and the held jobs; the capture pipeline
 * (capture.h) decides when to hold, train and write them. */
#ifndef GOVARCH_CRAWL_TRAINER_H
#define GOVARCH_CRAWL_TRAINER_H

#include <stddef.h>

#include "crawl/config.h"
#include "crawl/sched.h"
#include "util/buf.h"
#include "util/err.h"

/* never hold more bytes (fetched and decoded): with the fetches in flight
 * and the one being decoded, the crawl stays under 128 MB */
#define TRAINER_HOLD_BYTES (32u << 20)
#define TRAINER_HOLD_JOBS 256          /* nor more fetches (open files) */

struct crawl_trainer {
	const struct crawl_config *cfg;
	const char *archive, *tmpdir;
	int done;                   /* trained, or nothing to train */
	struct job *held;           /* newest first */
	size_t held_bytes, held_n;
	struct buf samples;
	size_t *sample_sizes;
	size_t nsamples, sample_alloc;
	struct buf dict_html[2], dict_meta, dict_req; /* dictionary content */
	char dict_ip[64];           /* the first fetch's IP address */
	int n_dict_html;
};

/* The dictionary goes to archive/dict, template files to tmpdir. */
void crawl_trainer_init(struct crawl_trainer *t,
			const struct crawl_config *cfg, const char *archive,
			const char *tmpdir);
/* Frees the samples; held jobs must have been taken first. */
void crawl_trainer_release(struct crawl_trainer *t);
/* Nothing to train (a dictionary exists, or the format is not zstd). */
void crawl_trainer_skip(struct crawl_trainer *t);
/* 1 while the dictionary is still wanted (fetches are then held). */
int crawl_trainer_active(const struct crawl_trainer *t);
/* Take the samples of a finished job (j->held filled).  Returns 1 when
 * there are enough (train now), 0 when more are wanted, -1 with e set. */
int crawl_trainer_sample(struct crawl_trainer *t, const struct job *j,
			 struct err *e);
/* Keep j until the dictionary exists. */
void crawl_trainer_hold(struct crawl_trainer *t, struct job *j);
/* 1 when the held fetches reached TRAINER_HOLD_BYTES or _JOBS. */
int crawl_trainer_full(const struct crawl_trainer *t);
/* The held jobs, oldest first (linked by next); the trainer holds none
 * after. */
struct job *crawl_trainer_take_held(struct crawl_trainer *t);
/* Train with what there is and put the dictionary in dict (left empty
 * when there were too few samples or zstd refused: the crawl goes on
 * without).  warcinfo: the crawl's, for the templates.  The trainer is
 * done after, whatever the outcome. */
void crawl_trainer_train(struct crawl_trainer *t, const char *warcinfo,
			 struct buf *dict);
/* Save the dictionary w was given (warc_writer_set_dict) as
 * archive/dict/govarch-TS.zdict.zst, from the frame w's files carry (the
 * dictionary compressed once).  0, or -1 with e set. */
int crawl_trainer_save(const struct crawl_trainer *t, struct warc_writer *w,
		       struct err *e);

#endif
