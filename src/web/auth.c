/*
 * auth.c — passwords, sessions, CSRF tokens and sign-in rate limits (see
 * auth.h), on libsodium.
 *
 * The browser holds 32 random bytes (base64url); the store holds their
 * SHA-256, so that a copy of the database gives nobody a live session.  The
 * CSRF token is a second random value kept with the session and compared
 * with sodium_memcmp.
 */
#include "web/auth.h"
#include "core/err.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(STORE_PWHASH_MAX == crypto_pwhash_STRBYTES, "password hash size");
_Static_assert(STORE_SESSION_KEY == crypto_hash_sha256_BYTES, "session key size");
_Static_assert(STORE_CSRF_MAX > AUTH_TOKEN_LEN, "CSRF token size");

void auth_config_default(struct auth_config *c)
{
        c->idle_timeout = 30 * 60;
        c->absolute_timeout = 12 * 3600;
        c->failure_window = 15 * 60;
        c->max_failures_account = 5;
        c->max_failures_address = 20;
        c->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
        c->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

void auth_config_for_tests(struct auth_config *c)
{
        auth_config_default(c);
        c->opslimit = crypto_pwhash_OPSLIMIT_MIN;
        c->memlimit = crypto_pwhash_MEMLIMIT_MIN;
}

int auth_init(struct err *e)
{
        if (sodium_init() < 0)
                return err_set(e, EXIT_INTERNAL, "libsodium could not be initialised");
        return 0;
}

int auth_hash_password(const struct auth_config *c, const char *password,
                       char out[STORE_PWHASH_MAX], struct err *e)
{
        if (crypto_pwhash_str(out, password, strlen(password), c->opslimit, c->memlimit) != 0)
                return err_set(e, EXIT_INTERNAL, "hashing the password failed (out of memory?)");
        return 0;
}

int auth_verify_password(const char *hash, const char *password)
{
        return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int auth_password_acceptable(const char *password, struct err *e)
{
        size_t bytes = strlen(password), chars = 0;
        for (const unsigned char *p = (const unsigned char *)password; *p; p++)
                chars += (*p & 0xC0) != 0x80; /* count UTF-8 characters, not bytes */
        if (chars < 12)
                return err_set(e, EXIT_USAGE,
                               "the password is too short: use at least 12 characters (a few "
                               "unrelated words make a good one)");
        if (bytes > 1024)
                return err_set(e, EXIT_USAGE, "the password is too long: at most 1024 bytes");
        return 0;
}

void auth_generate_password(char out[24])
{
        /* No 0/o, 1/l: easy to read out and type. */
        static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
        size_t k = 0;
        for (int g = 0; g < 4; g++) {
                if (g)
                        out[k++] = '-';
                for (int i = 0; i < 5; i++)
                        out[k++] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        }
        out[k] = '\0';
}

int auth_normalise_email(const char *in, char out[STORE_EMAIL_MAX + 1], struct err *e)
{
        size_t n = strlen(in);
        const char *at = strchr(in, '@');
        if (n < 3 || n > STORE_EMAIL_MAX || !at || at == in || !at[1] || strchr(at + 1, '@'))
                return err_set(e, EXIT_USAGE, "'%.60s' is not an e-mail address", in);
        for (size_t i = 0; i < n; i++) {
                unsigned char ch = (unsigned char)in[i];
                if (ch <= 0x20 || ch >= 0x7F || ch == '<' || ch == '>' || ch == '"' || ch == ',')
                        return err_set(e, EXIT_USAGE,
                                       "'%.60s' is not an e-mail address (no spaces, quotes or "
                                       "non-ASCII characters)",
                                       in);
                out[i] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
        }
        out[n] = '\0';
        return 0;
}

static void encode(const unsigned char raw[32], char out[AUTH_TOKEN_LEN + 1])
{
        sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, 32,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_random_token(char out[AUTH_TOKEN_LEN + 1])
{
        unsigned char raw[32];
        randombytes_buf(raw, sizeof raw);
        encode(raw, out);
        sodium_memzero(raw, sizeof raw);
}

int auth_token_equal(const char *expected, const char *given)
{
        if (!expected || !given)
                return 0;
        /* The length is not secret (always AUTH_TOKEN_LEN); only the bytes are compared in
         * constant time. */
        if (strlen(expected) != AUTH_TOKEN_LEN || strlen(given) != AUTH_TOKEN_LEN)
                return 0;
        return sodium_memcmp(expected, given, AUTH_TOKEN_LEN) == 0;
}

/* The store key of a cookie value: SHA-256 of its 32 bytes.  -1 if the value is malformed. */
static int session_key(const char *token, unsigned char key[STORE_SESSION_KEY])
{
        if (!token || strlen(token) != AUTH_TOKEN_LEN)
                return -1;
        unsigned char raw[32];
        size_t len = 0;
        if (sodium_base642bin(raw, sizeof raw, token, AUTH_TOKEN_LEN, NULL, &len, NULL,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
            len != sizeof raw) {
                sodium_memzero(raw, sizeof raw);
                return -1;
        }
        crypto_hash_sha256(key, raw, sizeof raw);
        sodium_memzero(raw, sizeof raw);
        return 0;
}

int auth_session_create(struct store *st, const struct store_user *user, int64_t now,
                        struct auth_session *s, struct err *e)
{
        memset(s, 0, sizeof *s);
        unsigned char raw[32], key[STORE_SESSION_KEY];
        randombytes_buf(raw, sizeof raw);
        encode(raw, s->token);
        crypto_hash_sha256(key, raw, sizeof raw);
        sodium_memzero(raw, sizeof raw);
        auth_random_token(s->csrf);
        s->user = *user;
        sodium_memzero(s->user.pwhash, sizeof s->user.pwhash); /* the web layer never needs it */
        s->created = s->last_seen = now;
        struct store_session v = {.user_id = user->id, .created = now, .last_seen = now};
        memcpy(v.csrf, s->csrf, sizeof s->csrf);
        int rc = store_session_put(st, key, &v, e);
        sodium_memzero(&v, sizeof v);
        if (rc) {
                sodium_memzero(s, sizeof *s);
                return -1;
        }
        return 0;
}

/* Sessions are touched at most this often, so that reading pages seldom writes. */
#define TOUCH_EVERY 60

int auth_session_lookup(struct store *st, const struct auth_config *c, const char *token,
                        int64_t now, struct auth_session *s, struct err *e)
{
        memset(s, 0, sizeof *s);
        unsigned char key[STORE_SESSION_KEY];
        if (session_key(token, key))
                return 0;
        struct store_session v;
        int found = store_session_get(st, key, &v, e);
        if (found <= 0)
                return found;
        int live = now - v.last_seen <= c->idle_timeout && now - v.created <= c->absolute_timeout &&
                   now >= v.created;
        if (live) {
                int u = store_user_get_id(st, v.user_id, &s->user, e);
                if (u < 0)
                        return -1;
                live = u == 1 && !s->user.disabled;
                sodium_memzero(s->user.pwhash, sizeof s->user.pwhash);
        }
        if (!live) {
                memset(s, 0, sizeof *s);
                sodium_memzero(&v, sizeof v);
                return store_session_delete(st, key, e) ? -1 : 0;
        }
        if (now - v.last_seen >= TOUCH_EVERY && store_session_touch(st, key, now, e))
                return -1;
        memcpy(s->csrf, v.csrf, sizeof s->csrf - 1);
        s->csrf[AUTH_TOKEN_LEN] = '\0';
        s->created = v.created;
        s->last_seen = now;
        sodium_memzero(&v, sizeof v);
        return 1;
}

int auth_session_destroy(struct store *st, const char *token, struct err *e)
{
        unsigned char key[STORE_SESSION_KEY];
        if (session_key(token, key))
                return 0;
        return store_session_delete(st, key, e);
}

/* A hash to verify against when the e-mail is unknown, so that both cases take as long. */
static char dummy_hash[STORE_PWHASH_MAX];
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;

static void equalise_timing(const struct auth_config *c, const char *password)
{
        pthread_mutex_lock(&dummy_lock);
        if (!dummy_hash[0]) {
                char pw[AUTH_TOKEN_LEN + 1];
                auth_random_token(pw);
                if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), c->opslimit, c->memlimit) != 0)
                        dummy_hash[0] = '\0';
                sodium_memzero(pw, sizeof pw);
        }
        char h[STORE_PWHASH_MAX];
        memcpy(h, dummy_hash, sizeof h);
        pthread_mutex_unlock(&dummy_lock);
        /* The result does not matter, only the time it takes. */
        if (h[0] && crypto_pwhash_str_verify(h, password, strlen(password)) == 0)
                h[0] = '\0';
}

static int audit(struct store *st, const char *user, const char *action, const char *la,
                 const char *detail, struct err *e)
{
        struct store_audit a = {.user = user, .action = action, .la = la, .detail = detail};
        return store_audit_append(st, &a, e);
}

int auth_login(struct store *st, const struct auth_config *c, const char *email,
               const char *password, const char *address, const char *old_token, int64_t now,
               struct auth_session *s, enum auth_login_result *result, struct err *e)
{
        memset(s, 0, sizeof *s);
        *result = AUTH_LOGIN_BAD;
        char norm[STORE_EMAIL_MAX + 1];
        struct err ignored = {0};
        int valid_email = auth_normalise_email(email, norm, &ignored) == 0;
        if (!valid_email)
                snprintf(norm, sizeof norm, "%.*s", 80, email); /* audited as typed, shortened */
        if (!address)
                address = "";
        char detail[128];

        int64_t by_email, by_address;
        if (store_login_failure_count(st, norm, address, now - c->failure_window, &by_email,
                                      &by_address, e))
                return -1;
        if (by_email >= c->max_failures_account || by_address >= c->max_failures_address) {
                *result = AUTH_LOGIN_LOCKED;
                snprintf(detail, sizeof detail, "address %.60s; refused: too many failures (%s)",
                         address, by_email >= c->max_failures_account ? "account" : "address");
                /* Counted too, so that an attacker cannot keep guessing at the limit. */
                if (store_login_failure_add(st, norm, address, now, e) ||
                    audit(st, norm, "login-failed", NULL, detail, e))
                        return -1;
                return 0;
        }

        struct store_user u;
        int found = valid_email ? store_user_get_email(st, norm, &u, e) : 0;
        if (found < 0)
                return -1;
        int ok;
        if (found == 1) {
                ok = auth_verify_password(u.pwhash, password) && !u.disabled;
        } else {
                equalise_timing(c, password);
                ok = 0;
        }
        if (!ok) {
                snprintf(detail, sizeof detail, "address %.60s%s", address,
                         found == 1 && u.disabled ? "; account disabled" : "");
                if (store_login_failure_add(st, norm, address, now, e) ||
                    audit(st, norm, "login-failed", found == 1 ? u.la : NULL, detail, e))
                        return -1;
                if (c->failure_window > 0 &&
                    store_login_failure_prune(st, now - 4 * c->failure_window, e))
                        return -1;
                return 0;
        }

        /* Upgrade an old hash to the current cost while we hold the password. */
        if (crypto_pwhash_str_needs_rehash(u.pwhash, c->opslimit, c->memlimit) != 0) {
                char fresh[STORE_PWHASH_MAX];
                if (auth_hash_password(c, password, fresh, e) == 0 &&
                    store_user_set_pwhash(st, u.id, fresh, e) >= 0)
                        memcpy(u.pwhash, fresh, sizeof fresh);
                err_clear(e);
        }
        if (store_login_failure_clear(st, norm, e))
                return -1;
        if (old_token && auth_session_destroy(st, old_token, e))
                return -1;
        if (store_session_prune(st, now - c->idle_timeout, now - c->absolute_timeout, e))
                return -1;
        if (auth_session_create(st, &u, now, s, e))
                return -1;
        snprintf(detail, sizeof detail, "address %.60s", address);
        if (audit(st, u.email, "login", u.la, detail, e))
                return -1;
        *result = AUTH_LOGIN_OK;
        return 0;
}
