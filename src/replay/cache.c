/* replay cache: answers already rendered (a capture's archived status and
 * headers and its body as served: rewritten HTML with its banner, CSS, or
 * the payload), so a page asked for again is neither read from its WARC
 * file nor parsed again.  Direct-mapped: a key's slot is its hash (the
 * hash map's FNV-1a) modulo the slot count; a new entry replaces the one in
 * its slot.  Entries are reference counted: one being sent stays alive
 * after it is replaced.  The key names everything the body depends on (the
 * capture, the record it is served from, the modifier, and the URL's list
 * of captures, which the banner draws), so a crawl adding captures makes
 * new keys. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "replay/replay.h"
#include "util/hashmap.h"

struct replay_cache {
	pthread_mutex_t lock;
	struct replay_cached **slot;
	size_t nslots, bytes, max_bytes;
};

struct replay_cache *replay_cache_new(size_t slots, size_t max_bytes)
{
	struct replay_cache *c = calloc(1, sizeof(*c));

	if (!c || !(c->slot = calloc(slots ? slots : 1, sizeof(*c->slot)))) {
		free(c);
		return NULL;
	}
	c->nslots = slots ? slots : 1;
	c->max_bytes = max_bytes;
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

struct replay_cached *replay_cached_new(struct replay_cache *c)
{
	struct replay_cached *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	warc_fields_init(&e->headers);
	buf_init(&e->body, 0);
	e->refs = 1;
	e->owner = c;
	return e;
}

static size_t size_of(const struct replay_cached *e)
{
	size_t n = sizeof(*e) + e->body.len + strlen(e->key ? e->key : ""), i;

	for (i = 0; i < e->headers.n; i++)
		n += strlen(e->headers.v[i].name) +
		     strlen(e->headers.v[i].value) + 32;
	return n;
}

static void destroy(struct replay_cached *e)
{
	warc_fields_release(&e->headers);
	buf_release(&e->body);
	free(e->key);
	free(e);
}

void replay_cached_unref(struct replay_cached *e)
{
	struct replay_cache *c;
	int last;

	if (!e)
		return;
	c = e->owner;
	pthread_mutex_lock(&c->lock);
	last = --e->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (last)
		destroy(e);
}

static size_t slot_of(const struct replay_cache *c, const char *key)
{
	return (size_t)(hmap_hash(key, strlen(key)) % c->nslots);
}

struct replay_cached *replay_cache_get(struct replay_cache *c,
				       const char *key)
{
	struct replay_cached *e;

	pthread_mutex_lock(&c->lock);
	e = c->slot[slot_of(c, key)];
	if (e && !strcmp(e->key, key))
		e->refs++;
	else
		e = NULL;
	pthread_mutex_unlock(&c->lock);
	return e;
}

void replay_cache_put(struct replay_cache *c, const char *key,
		      struct replay_cached *e)
{
	struct replay_cached *old = NULL;
	size_t s, n;

	if (!(e->key = strdup(key)))
		return;
	n = size_of(e);
	s = slot_of(c, key);
	pthread_mutex_lock(&c->lock);
	old = c->slot[s];
	if (old) {
		c->bytes -= old->size;
		c->slot[s] = NULL;
		if (--old->refs)
			old = NULL;
	}
	if (c->bytes + n <= c->max_bytes) {
		e->size = n;
		e->refs++;
		c->slot[s] = e;
		c->bytes += n;
	}
	pthread_mutex_unlock(&c->lock);
	if (old)
		destroy(old);
}

void replay_cache_free(struct replay_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nslots; i++)
		if (c->slot[i] && --c->slot[i]->refs == 0)
			destroy(c->slot[i]);
	free(c->slot);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
