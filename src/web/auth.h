/*
 * auth.h — accounts and sessions of the web application (security.md,
 * "Accounts and sessions"): passwords hashed with Argon2id, session
 * identifiers of 256 random bits stored only as a hash, idle and absolute
 * timeouts, rotation at sign-in, CSRF tokens compared in constant time,
 * failed sign-ins limited per account and per address and written to the
 * audit log.
 *
 * Times are seconds since the epoch, passed in by the caller so that tests
 * can move the clock.  Secrets (passwords, tokens) the functions copy are
 * wiped with sodium_memzero before their memory is released; callers wipe
 * their own copies.
 */
#ifndef IMPROVE_WEB_AUTH_H
#define IMPROVE_WEB_AUTH_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct err;

/* Length of a token as text (session identifier, CSRF token): 32 bytes, base64url, no padding. */
#define AUTH_TOKEN_LEN 43

struct auth_config {
        int64_t idle_timeout;        /* seconds without a request before a session ends */
        int64_t absolute_timeout;    /* seconds after sign-in when a session ends regardless */
        int64_t failure_window;      /* seconds over which failed sign-ins are counted */
        int max_failures_account;    /* failures in the window that lock an account */
        int max_failures_address;    /* failures in the window that lock an address */
        unsigned long long opslimit; /* Argon2id cost of new hashes */
        size_t memlimit;
};

/* 30 minutes idle, 12 hours absolute, 5 failures per account and 20 per address in 15 minutes,
 * libsodium's interactive Argon2id cost. */
void auth_config_default(struct auth_config *c);
/* The cheapest Argon2id cost, for tests only (a hash still verifies whatever its cost). */
void auth_config_for_tests(struct auth_config *c);

/* Initialise libsodium (safe to call many times); -1 if it cannot start. */
int auth_init(struct err *e);

/* Hash a password (Argon2id, crypto_pwhash_str). */
int auth_hash_password(const struct auth_config *c, const char *password,
                       char out[STORE_PWHASH_MAX], struct err *e);
/* 1 if `password` matches `hash`, else 0. */
int auth_verify_password(const char *hash, const char *password);
/*
 * Check a new password: at least 12 characters and at most 1024 bytes (long
 * passphrases are the point; no composition rules, as NCSC advises).  0 ok,
 * else -1 with an EXIT_USAGE error saying what is wrong.
 */
int auth_password_acceptable(const char *password, struct err *e);
/* A new random password of 23 characters (4 groups of 5, about 100 bits). */
void auth_generate_password(char out[24]);

/* Check and normalise an e-mail address to lower case; -1 (EXIT_USAGE) if it is not one. */
int auth_normalise_email(const char *in, char out[STORE_EMAIL_MAX + 1], struct err *e);

/* A new random token (AUTH_TOKEN_LEN characters and a NUL). */
void auth_random_token(char out[AUTH_TOKEN_LEN + 1]);
/* Constant-time comparison of a CSRF token against the expected one; 1 equal, 0 not. */
int auth_token_equal(const char *expected, const char *given);

/* A signed-in session as the web layer sees it. */
struct auth_session {
        char token[AUTH_TOKEN_LEN + 1]; /* the cookie value (only known at creation) */
        char csrf[AUTH_TOKEN_LEN + 1];
        struct store_user user;
        int64_t created, last_seen;
};

/* Start a session for `user`: fills s->token (for the cookie) and s->csrf. */
int auth_session_create(struct store *st, const struct store_user *user, int64_t now,
                        struct auth_session *s, struct err *e);
/*
 * Look up the session whose cookie value is `token`: 1 valid (s filled,
 * last_seen moved to now), 0 none — malformed, unknown, idle or past its
 * absolute lifetime, or its user disabled (an expired session is deleted) —
 * or -1 on a store error.
 */
int auth_session_lookup(struct store *st, const struct auth_config *c, const char *token,
                        int64_t now, struct auth_session *s, struct err *e);
/* End the session with cookie value `token` (no error if there is none). */
int auth_session_destroy(struct store *st, const char *token, struct err *e);

enum auth_login_result {
        AUTH_LOGIN_OK,
        AUTH_LOGIN_BAD,    /* unknown e-mail, wrong password or disabled account: one answer */
        AUTH_LOGIN_LOCKED, /* too many failures for this account or address: try later */
};

/*
 * Sign in: check the rate limits, then the password (the same work is done
 * for an unknown e-mail, so timing does not tell which accounts exist).  On
 * success the session `old_token` (if any) is destroyed and a new one created
 * — the identifier is rotated at every sign-in — and "login" is audited;
 * otherwise the failure is counted and "login-failed" audited.
 */
int auth_login(struct store *st, const struct auth_config *c, const char *email,
               const char *password, const char *address, const char *old_token, int64_t now,
               struct auth_session *s, enum auth_login_result *result, struct err *e);

#endif
