/*
 * test_auth.c — passwords (Argon2id), sessions (hashed identifiers, idle and
 * absolute timeouts, rotation at sign-in, logout), CSRF token comparison,
 * and the per-account and per-address limits on failed sign-ins.
 */
#include "test.h"

#include "core/err.h"
#include "store/store.h"
#include "web/auth.h"

#include <sodium.h>
#include <sqlite3.h>

struct fixture {
        char *dir;
        char path[512];
        struct store *s;
        struct auth_config cfg;
};

static int64_t T0 = 1800000000; /* a fixed "now": 15 January 2027 */

static void add_user(struct fixture *f, const char *email, const char *la, const char *role,
                     const char *password, int64_t *id)
{
        struct store_user u = {0};
        struct err e = {0};
        snprintf(u.email, sizeof u.email, "%s", email);
        snprintf(u.la, sizeof u.la, "%s", la);
        snprintf(u.role, sizeof u.role, "%s", role);
        assert_int_equal(auth_hash_password(&f->cfg, password, u.pwhash, &e), 0);
        assert_int_equal(store_user_add(f->s, &u, id, &e), 0);
}

static int setup(void **state)
{
        struct fixture *f = calloc(1, sizeof *f);
        f->dir = test_tmpdir();
        snprintf(f->path, sizeof f->path, "%s/auth.db", f->dir);
        struct err e = {0};
        assert_int_equal(auth_init(&e), 0);
        f->s = store_open(f->path, STORE_CREATE, &e);
        assert_non_null(f->s);
        auth_config_for_tests(&f->cfg);
        struct store_authority a = {.code = "901", .name = "Aldrwick"};
        struct store_authority b = {.code = "902", .name = "Bremmere"};
        assert_int_equal(store_authority_put(f->s, &a, &e), 0);
        assert_int_equal(store_authority_put(f->s, &b, &e), 0);
        int64_t id;
        add_user(f, "ann@example.org", "901", "admin", "correct horse battery", &id);
        add_user(f, "bob@example.org", "902", "analyst", "staple paper clip", &id);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        struct fixture *f = *state;
        store_close(f->s);
        test_rmdir(f->dir);
        free(f);
        return 0;
}

static long long count(struct fixture *f, const char *sql)
{
        sqlite3 *db;
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        long long v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        return v;
}

static enum auth_login_result login(struct fixture *f, const char *email, const char *pw,
                                    const char *addr, const char *old, int64_t now,
                                    struct auth_session *s)
{
        enum auth_login_result r;
        struct err e = {0};
        assert_int_equal(auth_login(f->s, &f->cfg, email, pw, addr, old, now, s, &r, &e), 0);
        return r;
}

static void test_password_hashing(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        char h1[STORE_PWHASH_MAX], h2[STORE_PWHASH_MAX];
        assert_int_equal(auth_hash_password(&f->cfg, "a long passphrase", h1, &e), 0);
        assert_int_equal(auth_hash_password(&f->cfg, "a long passphrase", h2, &e), 0);
        assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
        assert_string_not_equal(h1, h2); /* salted */
        assert_true(auth_verify_password(h1, "a long passphrase"));
        assert_true(auth_verify_password(h2, "a long passphrase"));
        assert_false(auth_verify_password(h1, "a long passphrasE"));
        assert_false(auth_verify_password(h1, ""));
        assert_false(auth_verify_password("not a hash", "a long passphrase"));
        /* The stored hash never contains the password. */
        assert_null(strstr(h1, "passphrase"));
        assert_int_equal(count(f, "SELECT count(*) FROM users WHERE pwhash LIKE '%horse%'"), 0);
        assert_int_equal(count(f, "SELECT count(*) FROM users WHERE pwhash LIKE '$argon2id$%'"), 2);
}

static void test_password_rules(void **state)
{
        (void)state;
        struct err e = {0};
        assert_int_equal(auth_password_acceptable("elevenchars", &e), -1);
        assert_int_equal(e.code, EXIT_USAGE);
        assert_int_equal(auth_password_acceptable("twelve chars", &e), 0);
        /* Characters, not bytes: eleven é (22 bytes) are too short, twelve are enough. */
        assert_int_equal(auth_password_acceptable("ééééééééééé", &e), -1);
        assert_int_equal(auth_password_acceptable("éééééééééééé", &e), 0);
        char big[1100];
        memset(big, 'x', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        assert_int_equal(auth_password_acceptable(big, &e), -1);
        big[1024] = '\0';
        assert_int_equal(auth_password_acceptable(big, &e), 0);

        char p1[24], p2[24];
        auth_generate_password(p1);
        auth_generate_password(p2);
        assert_int_equal(strlen(p1), 23);
        assert_string_not_equal(p1, p2);
        for (int i = 0; i < 23; i++) {
                if (i % 6 == 5)
                        assert_int_equal(p1[i], '-');
                else
                        assert_non_null(strchr("abcdefghijkmnpqrstuvwxyz23456789", p1[i]));
        }
        assert_int_equal(auth_password_acceptable(p1, &e), 0);
}

static void test_email(void **state)
{
        (void)state;
        struct err e = {0};
        char out[STORE_EMAIL_MAX + 1];
        assert_int_equal(auth_normalise_email("Ann.Smith@Example.ORG", out, &e), 0);
        assert_string_equal(out, "ann.smith@example.org");
        const char *bad[] = {"noat",      "a@b@c",          "@x.org",    "a@",
                             "a b@c.org", "\xC3\xA9@x.org", "a<b@c.org", ""};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
                assert_int_equal(auth_normalise_email(bad[i], out, &e), -1);
                assert_int_equal(e.code, EXIT_USAGE);
        }
}

static void test_token_compare(void **state)
{
        (void)state;
        char t[AUTH_TOKEN_LEN + 1], u[AUTH_TOKEN_LEN + 1];
        auth_random_token(t);
        auth_random_token(u);
        assert_int_equal(strlen(t), AUTH_TOKEN_LEN);
        assert_string_not_equal(t, u);
        assert_true(auth_token_equal(t, t));
        char copy[AUTH_TOKEN_LEN + 1];
        memcpy(copy, t, sizeof copy);
        assert_true(auth_token_equal(t, copy));
        /* A difference in the first or the last byte is caught alike. */
        copy[0] = copy[0] == 'A' ? 'B' : 'A';
        assert_false(auth_token_equal(t, copy));
        memcpy(copy, t, sizeof copy);
        copy[AUTH_TOKEN_LEN - 1] = copy[AUTH_TOKEN_LEN - 1] == 'A' ? 'B' : 'A';
        assert_false(auth_token_equal(t, copy));
        /* Wrong lengths, empty and missing tokens never match. */
        copy[AUTH_TOKEN_LEN - 1] = '\0';
        assert_false(auth_token_equal(t, copy));
        assert_false(auth_token_equal(t, ""));
        assert_false(auth_token_equal("", ""));
        assert_false(auth_token_equal(t, NULL));
        assert_false(auth_token_equal(NULL, NULL));
}

static void test_session_stored_hashed(void **state)
{
        struct fixture *f = *state;
        struct auth_session s, got;
        assert_int_equal(
            login(f, "ann@example.org", "correct horse battery", "10.0.0.1", NULL, T0, &s),
            AUTH_LOGIN_OK);
        assert_int_equal(strlen(s.token), AUTH_TOKEN_LEN);
        assert_int_equal(strlen(s.csrf), AUTH_TOKEN_LEN);
        assert_string_not_equal(s.token, s.csrf);
        /* The store keeps SHA-256 of the 32 bytes, not the cookie value. */
        unsigned char raw[32], key[32];
        size_t len;
        assert_int_equal(sodium_base642bin(raw, sizeof raw, s.token, AUTH_TOKEN_LEN, NULL, &len,
                                           NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                         0);
        assert_int_equal(len, 32);
        crypto_hash_sha256(key, raw, sizeof raw);
        char sql[256], hex[65];
        sodium_bin2hex(hex, sizeof hex, key, sizeof key);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE key = x'%s'", hex);
        assert_int_equal(count(f, sql), 1);
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sessions WHERE key = x'%s'", hex);
        assert_int_equal(count(f, sql), 0);

        struct err e = {0};
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, T0 + 5, &got, &e), 1);
        assert_string_equal(got.user.email, "ann@example.org");
        assert_string_equal(got.user.la, "901");
        assert_string_equal(got.user.role, "admin");
        assert_string_equal(got.csrf, s.csrf);
        assert_int_equal(got.user.pwhash[0], '\0'); /* the web layer never holds the hash */

        /* Malformed and unknown identifiers find nothing. */
        const char *bad[] = {"", "short", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
                             "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
                assert_int_equal(auth_session_lookup(f->s, &f->cfg, bad[i], T0, &got, &e), 0);

        /* Logout destroys the server-side state. */
        assert_int_equal(auth_session_destroy(f->s, s.token, &e), 0);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, T0 + 6, &got, &e), 0);
        assert_int_equal(count(f, "SELECT count(*) FROM sessions"), 0);
        assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'login' AND "
                                  "user = 'ann@example.org' AND la = '901'"),
                         1);
}

static void test_session_timeouts(void **state)
{
        struct fixture *f = *state;
        struct auth_session s, got;
        struct err e = {0};
        assert_int_equal(login(f, "ann@example.org", "correct horse battery", "a", NULL, T0, &s),
                         AUTH_LOGIN_OK);
        /* Idle: valid up to 30 minutes after the last request, not a second more. */
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, T0 + 1800, &got, &e), 1);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, T0 + 3600, &got, &e), 1);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, T0 + 5401, &got, &e), 0);
        /* An ended session is deleted, so it cannot come back. */
        assert_int_equal(count(f, "SELECT count(*) FROM sessions"), 0);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, T0 + 3601, &got, &e), 0);

        /* Absolute: a session used every 20 minutes still ends 12 hours after sign-in. */
        assert_int_equal(login(f, "ann@example.org", "correct horse battery", "a", NULL, T0, &s),
                         AUTH_LOGIN_OK);
        int64_t t = T0;
        for (; t + 1200 <= T0 + 12 * 3600; t += 1200)
                assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, t + 1200, &got, &e),
                                 1);
        assert_int_equal(t, T0 + 12 * 3600);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, t + 1, &got, &e), 0);
}

static void test_session_rotated_at_login(void **state)
{
        struct fixture *f = *state;
        struct auth_session a, b, got;
        struct err e = {0};
        assert_int_equal(login(f, "ann@example.org", "correct horse battery", "a", NULL, T0, &a),
                         AUTH_LOGIN_OK);
        /* Signing in again while holding session a: a is destroyed, b is new. */
        assert_int_equal(
            login(f, "ann@example.org", "correct horse battery", "a", a.token, T0 + 10, &b),
            AUTH_LOGIN_OK);
        assert_string_not_equal(a.token, b.token);
        assert_string_not_equal(a.csrf, b.csrf);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, a.token, T0 + 11, &got, &e), 0);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, b.token, T0 + 11, &got, &e), 1);
        assert_int_equal(count(f, "SELECT count(*) FROM sessions"), 1);
        /* A failed sign-in leaves the existing session alone. */
        assert_int_equal(login(f, "ann@example.org", "wrong", "a", b.token, T0 + 12, &a),
                         AUTH_LOGIN_BAD);
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, b.token, T0 + 13, &got, &e), 1);
}

static void test_failed_logins_audited(void **state)
{
        struct fixture *f = *state;
        struct auth_session s;
        assert_int_equal(login(f, "ann@example.org", "wrong password", "10.1.1.1", NULL, T0, &s),
                         AUTH_LOGIN_BAD);
        assert_int_equal(s.token[0], '\0');
        assert_int_equal(login(f, "nobody@example.org", "whatever", "10.1.1.1", NULL, T0, &s),
                         AUTH_LOGIN_BAD);
        assert_int_equal(login(f, "not an email", "whatever", "10.1.1.1", NULL, T0, &s),
                         AUTH_LOGIN_BAD);
        assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'login-failed'"),
                         3);
        /* A known account's failure is filed under its authority; an unknown one under none. */
        assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'login-failed' "
                                  "AND user = 'ann@example.org' AND la = '901' AND detail LIKE "
                                  "'%10.1.1.1%'"),
                         1);
        assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'login-failed' "
                                  "AND user = 'nobody@example.org' AND la IS NULL"),
                         1);
        /* The password is never logged. */
        assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE detail LIKE '%wrong%' OR "
                                  "detail LIKE '%whatever%'"),
                         0);
        /* The e-mail matches whatever its case. */
        assert_int_equal(
            login(f, "ANN@Example.org", "correct horse battery", "10.1.1.1", NULL, T0 + 1, &s),
            AUTH_LOGIN_OK);
}

static void test_rate_limit_account(void **state)
{
        struct fixture *f = *state;
        struct auth_session s;
        /* Five failures from five addresses lock the account, even for the right password. */
        for (int i = 0; i < 5; i++) {
                char addr[32];
                snprintf(addr, sizeof addr, "10.0.0.%d", i);
                assert_int_equal(login(f, "ann@example.org", "guess", addr, NULL, T0 + i, &s),
                                 AUTH_LOGIN_BAD);
        }
        assert_int_equal(
            login(f, "ann@example.org", "correct horse battery", "10.9.9.9", NULL, T0 + 10, &s),
            AUTH_LOGIN_LOCKED);
        assert_int_equal(s.token[0], '\0');
        /* Another account is not affected. */
        assert_int_equal(
            login(f, "bob@example.org", "staple paper clip", "10.0.0.1", NULL, T0 + 11, &s),
            AUTH_LOGIN_OK);
        /* The window slides: while five failures (the refused attempts count too) lie within
         * the last 15 minutes the account stays locked; once they have aged out, it opens. */
        assert_int_equal(
            login(f, "ann@example.org", "correct horse battery", "10.9.9.9", NULL, T0 + 810, &s),
            AUTH_LOGIN_LOCKED);
        assert_int_equal(login(f, "ann@example.org", "correct horse battery", "10.9.9.9", NULL,
                               T0 + 810 + 901, &s),
                         AUTH_LOGIN_OK);
        /* Success clears the account's count. */
        assert_int_equal(count(f, "SELECT count(*) FROM login_failures WHERE email = "
                                  "'ann@example.org'"),
                         0);
}

static void test_rate_limit_address(void **state)
{
        struct fixture *f = *state;
        struct auth_session s;
        /* Twenty failures from one address, each on a different (unknown) account. */
        for (int i = 0; i < 20; i++) {
                char email[64];
                snprintf(email, sizeof email, "guess%d@example.org", i);
                assert_int_equal(login(f, email, "guess", "192.0.2.7", NULL, T0 + i, &s),
                                 AUTH_LOGIN_BAD);
        }
        assert_int_equal(
            login(f, "bob@example.org", "staple paper clip", "192.0.2.7", NULL, T0 + 30, &s),
            AUTH_LOGIN_LOCKED);
        assert_int_equal(
            login(f, "bob@example.org", "staple paper clip", "192.0.2.8", NULL, T0 + 31, &s),
            AUTH_LOGIN_OK);
        assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'login-failed' "
                                  "AND detail LIKE '%too many failures (address)%'"),
                         1);
}

static void test_disabled_user(void **state)
{
        struct fixture *f = *state;
        struct auth_session s, got;
        struct err e = {0};
        assert_int_equal(login(f, "bob@example.org", "staple paper clip", "a", NULL, T0, &s),
                         AUTH_LOGIN_OK);
        struct store_user u;
        assert_int_equal(store_user_get_email(f->s, "bob@example.org", &u, &e), 1);
        assert_int_equal(store_user_set_disabled(f->s, u.id, 1, &e), 1);
        /* A live session of a disabled account stops working at its next request. */
        assert_int_equal(auth_session_lookup(f->s, &f->cfg, s.token, T0 + 1, &got, &e), 0);
        assert_int_equal(login(f, "bob@example.org", "staple paper clip", "a", NULL, T0 + 2, &s),
                         AUTH_LOGIN_BAD);
        assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action = 'login-failed' "
                                  "AND detail LIKE '%account disabled%'"),
                         1);
        assert_int_equal(store_user_set_disabled(f->s, u.id, 0, &e), 1);
        assert_int_equal(login(f, "bob@example.org", "staple paper clip", "a", NULL, T0 + 3, &s),
                         AUTH_LOGIN_OK);
        assert_int_equal(store_user_set_disabled(f->s, 9999, 1, &e), 0);
}

static void test_rehash_on_login(void **state)
{
        struct fixture *f = *state;
        struct auth_session s;
        struct err e = {0};
        /* Raise the cost: the next sign-in stores a hash at the new cost. */
        struct auth_config stronger = f->cfg;
        stronger.opslimit = f->cfg.opslimit + 1;
        struct store_user before, after;
        assert_int_equal(store_user_get_email(f->s, "ann@example.org", &before, &e), 1);
        enum auth_login_result r;
        assert_int_equal(auth_login(f->s, &stronger, "ann@example.org", "correct horse battery",
                                    "a", NULL, T0, &s, &r, &e),
                         0);
        assert_int_equal(r, AUTH_LOGIN_OK);
        assert_int_equal(store_user_get_email(f->s, "ann@example.org", &after, &e), 1);
        assert_string_not_equal(before.pwhash, after.pwhash);
        assert_true(auth_verify_password(after.pwhash, "correct horse battery"));
        char want[16];
        snprintf(want, sizeof want, "t=%llu", stronger.opslimit);
        assert_non_null(strstr(after.pwhash, want));
}

static void test_store_users(void **state)
{
        struct fixture *f = *state;
        struct err e = {0};
        struct store_user u = {0};
        int64_t id;
        /* Duplicate e-mail, unknown authority, bad role: refused with EXIT_INPUT. */
        snprintf(u.email, sizeof u.email, "ann@example.org");
        snprintf(u.la, sizeof u.la, "901");
        snprintf(u.role, sizeof u.role, "admin");
        snprintf(u.pwhash, sizeof u.pwhash, "x");
        assert_int_equal(store_user_add(f->s, &u, &id, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_non_null(strstr(e.msg, "already exists"));
        snprintf(u.email, sizeof u.email, "new@example.org");
        snprintf(u.la, sizeof u.la, "999");
        assert_int_equal(store_user_add(f->s, &u, &id, &e), -1);
        assert_non_null(strstr(e.msg, "authorities first"));
        snprintf(u.la, sizeof u.la, "901");
        snprintf(u.role, sizeof u.role, "superuser");
        assert_int_equal(store_user_add(f->s, &u, &id, &e), -1);
        assert_int_equal(e.code, EXIT_INPUT);
        assert_int_equal(count(f, "SELECT count(*) FROM users"), 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        const struct CMUnitTest tests[] = {
            T(test_password_hashing),
            T(test_password_rules),
            T(test_email),
            T(test_token_compare),
            T(test_session_stored_hashed),
            T(test_session_timeouts),
            T(test_session_rotated_at_login),
            T(test_failed_logins_audited),
            T(test_rate_limit_account),
            T(test_rate_limit_address),
            T(test_disabled_user),
            T(test_rehash_on_login),
            T(test_store_users),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
