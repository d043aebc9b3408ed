/* uuid: random (version 4) UUIDs for WARC-Record-ID. */
#ifndef GOVARCH_UUID_H
#define GOVARCH_UUID_H

/* "<urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx>" into out (48 bytes). */
void uuid_record_id(char out[48]);

#endif
