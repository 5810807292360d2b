#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/err.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

// EVP_MAC_init takes its digest as an OSSL_PARAM array, which is clumsy to
// build from Swift; this prepares an HMAC-SHA256 context keyed once, to be
// copied (banyan_hmac_sha256_copy_compute) for every MAC under that key.
// Returns NULL on failure.
static inline EVP_MAC_CTX *banyan_hmac_sha256_context_new(const unsigned char *key, size_t key_length) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return NULL;
    EVP_MAC_CTX *context = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context holds its own reference
    if (context == NULL) return NULL;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (EVP_MAC_init(context, key, key_length, params) != 1) {
        EVP_MAC_CTX_free(context);
        return NULL;
    }
    return context;
}

// MAC of data under the key of a prepared (never modified) context: the
// template is only read, so one template may serve many threads at once.
// Writes 32 bytes to out; returns 1 on success.
static inline int banyan_hmac_sha256_copy_compute(
    const EVP_MAC_CTX *keyed, const unsigned char *data, size_t length, unsigned char *out) {
    EVP_MAC_CTX *context = EVP_MAC_CTX_dup(keyed);
    if (context == NULL) return 0;
    size_t written = 0;
    int ok = EVP_MAC_update(context, data, length) == 1
        && EVP_MAC_final(context, out, &written, 32) == 1
        && written == 32;
    EVP_MAC_CTX_free(context);
    return ok;
}
