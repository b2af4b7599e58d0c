#include "aes_gcm.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

struct aes_gcm_context {
    EVP_CIPHER_CTX *cipher;
    int has_key;
    uint8_t key[AES_GCM_KEY_BYTES];
};

// Fetched once: an implicit fetch (EVP_aes_256_gcm()) on every init costs a lookup per context.
static EVP_CIPHER *aes_256_gcm;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_cipher(void) { aes_256_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL); }

aes_gcm_context *aes_gcm_new(void) {
    pthread_once(&fetch_once, fetch_cipher);
    if (aes_256_gcm == NULL) return NULL;
    aes_gcm_context *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->cipher = EVP_CIPHER_CTX_new();
    // The nonce length is GCM's default, 12 bytes; the key comes with aes_gcm_set_key.
    if (c->cipher == NULL || EVP_CipherInit_ex2(c->cipher, aes_256_gcm, NULL, NULL, 0, NULL) != 1) {
        aes_gcm_free(c);
        return NULL;
    }
    return c;
}

void aes_gcm_free(aes_gcm_context *c) {
    if (c == NULL) return;
    EVP_CIPHER_CTX_free(c->cipher);  // cleanses the key schedule
    OPENSSL_cleanse(c->key, sizeof c->key);
    free(c);
}

aes_gcm_status aes_gcm_set_key(aes_gcm_context *c, const uint8_t *key) {
    if (c->has_key && CRYPTO_memcmp(c->key, key, AES_GCM_KEY_BYTES) == 0) return AES_GCM_OK;
    c->has_key = 0;
    if (EVP_CipherInit_ex2(c->cipher, NULL, key, NULL, -1, NULL) != 1) return AES_GCM_FAILED;
    memcpy(c->key, key, AES_GCM_KEY_BYTES);
    c->has_key = 1;
    return AES_GCM_OK;
}

// Starts a message: direction, nonce and additional data, keeping the key schedule.
static int start(aes_gcm_context *c, int encrypt, const uint8_t *nonce, const uint8_t *aad, size_t aad_count, size_t count) {
    int n = 0;
    if (!c->has_key || aad_count > INT_MAX || count > INT_MAX) return 0;
    if (EVP_CipherInit_ex2(c->cipher, NULL, NULL, nonce, encrypt, NULL) != 1) return 0;
    return aad_count == 0 || EVP_CipherUpdate(c->cipher, NULL, &n, aad, (int)aad_count) == 1;
}

aes_gcm_status aes_gcm_seal(aes_gcm_context *c, const uint8_t *nonce, const uint8_t *aad, size_t aad_count,
                            const uint8_t *plaintext, size_t count, uint8_t *ciphertext, uint8_t *tag) {
    int n = 0, last = 0;
    if (!start(c, 1, nonce, aad, aad_count, count)) return AES_GCM_FAILED;
    if (EVP_CipherUpdate(c->cipher, ciphertext, &n, plaintext, (int)count) != 1
        || EVP_CipherFinal_ex(c->cipher, ciphertext + n, &last) != 1
        || EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_GET_TAG, AES_GCM_TAG_BYTES, tag) != 1) {
        return AES_GCM_FAILED;
    }
    return AES_GCM_OK;
}

aes_gcm_status aes_gcm_open(aes_gcm_context *c, const uint8_t *nonce, const uint8_t *aad, size_t aad_count,
                            const uint8_t *ciphertext, size_t count, const uint8_t *tag, uint8_t *plaintext) {
    int n = 0, last = 0;
    aes_gcm_status status = AES_GCM_FAILED;
    // OpenSSL takes the expected tag through a non-const pointer but only reads it.
    if (start(c, 0, nonce, aad, aad_count, count)
        && EVP_CipherUpdate(c->cipher, plaintext, &n, ciphertext, (int)count) == 1
        && EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_SET_TAG, AES_GCM_TAG_BYTES, (void *)tag) == 1) {
        status = EVP_CipherFinal_ex(c->cipher, plaintext + n, &last) == 1 ? AES_GCM_OK : AES_GCM_AUTHENTICATION_FAILED;
    }
    if (status != AES_GCM_OK) memset(plaintext, 0, count);
    return status;
}
