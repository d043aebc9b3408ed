/* version: govarch's version, for the User-Agent, warcinfo and `govarch version`. */
#ifndef GOVARCH_VERSION_H
#define GOVARCH_VERSION_H

#define GOVARCH_VERSION "0.1.0"

#endif
