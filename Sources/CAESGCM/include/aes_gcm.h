// A reusable AES-256-GCM context over the system OpenSSL (libcrypto), for sealing and opening
// many short messages under few keys: the key schedule and GHASH tables are built when the key
// changes, not per message, and nothing is allocated per message.
//
//     aes_gcm_context *c = aes_gcm_new();          // NULL only when out of memory
//     aes_gcm_set_key(c, key32);                   // cheap when it is the key already set
//     aes_gcm_open(c, nonce12, aad, aad_len, ciphertext, n, tag16, plaintext_out);
//     aes_gcm_free(c);                             // wipes the key
//
// A context belongs to one thread at a time.
#ifndef FACEMATCH_AES_GCM_H
#define FACEMATCH_AES_GCM_H

#include <stddef.h>
#include <stdint.h>

typedef struct aes_gcm_context aes_gcm_context;

typedef enum {
    AES_GCM_OK = 0,
    // The tag does not match: wrong key, wrong additional data or altered bytes. The output
    // buffer has been zeroed.
    AES_GCM_AUTHENTICATION_FAILED = 1,
    // OpenSSL refused an operation (no key set, a length over INT_MAX, out of memory).
    AES_GCM_FAILED = 2,
} aes_gcm_status;

enum { AES_GCM_KEY_BYTES = 32, AES_GCM_NONCE_BYTES = 12, AES_GCM_TAG_BYTES = 16 };

aes_gcm_context *aes_gcm_new(void);
void aes_gcm_free(aes_gcm_context *context);

// Makes `key` (32 bytes) the context's key.
aes_gcm_status aes_gcm_set_key(aes_gcm_context *context, const uint8_t *key);

// Encrypts `count` bytes of `plaintext` into `ciphertext` (which may be the same buffer) and
// writes the 16-byte tag.
aes_gcm_status aes_gcm_seal(aes_gcm_context *context, const uint8_t *nonce, const uint8_t *aad, size_t aad_count,
                            const uint8_t *plaintext, size_t count, uint8_t *ciphertext, uint8_t *tag);

// Decrypts and authenticates `count` bytes of `ciphertext` into `plaintext` (which may be the
// same buffer). On any failure `plaintext` is zeroed: unauthenticated bytes never reach the caller.
aes_gcm_status aes_gcm_open(aes_gcm_context *context, const uint8_t *nonce, const uint8_t *aad, size_t aad_count,
                            const uint8_t *ciphertext, size_t count, const uint8_t *tag, uint8_t *plaintext);

#endif
