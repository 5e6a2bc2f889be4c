//! Server side of sign-in: password hashing, starting a session, the
//! invitations. Nothing here is compiled to WASM.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use super::rate_limit::{self, LIMITS};
use super::{check_new_password, InviteInfo};
use crate::base::change::{Changed, Fact};
use crate::base::db::{flag, now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::T;
use crate::base::session::ssr::{
    client_address, cookie_value, end_sessions, load_me, random_token, request_auth, request_parts,
    set_cookie, sha256_hex, RequestAuth,
};
use crate::base::session::SessionInfo;
use crate::base::state::{app_state, AppState};

const INVITE_VALID_MS: i64 = 14 * 24 * 3600 * 1000;

/// Argon2 takes tens of milliseconds of a core and 19 MB per hash: a burst
/// of sign-ins waits here for one of two workers instead of taking every
/// core and the memory with it.
static HASHERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A new password must not be a common one or a near variant (zxcvbn's
/// estimate: under a million guesses), nor built from the person's own
/// e-mail address or name. Checked on the server only, at every change.
pub fn check_not_common(password: &str, own: &[&str]) -> AppResult<()> {
    // Each part of an address or name is a word of its own ("anna.berg@…"
    // gives "anna" and "berg"): zxcvbn matches user inputs whole.
    let words: Vec<String> = own
        .iter()
        .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    let words: Vec<&str> = own
        .iter()
        .copied()
        .chain(words.iter().map(String::as_str))
        .collect();
    let guessable = zxcvbn::zxcvbn(password, &words).score() < zxcvbn::Score::Two;
    if guessable {
        Err(AppError::Invalid(T::ErrPasswordCommon))
    } else {
        Ok(())
    }
}

pub async fn hash_password(password: &str) -> AppResult<String> {
    let _worker = HASHERS.acquire().await.map_err(|_| AppError::Internal)?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    })
}

/// Verifies against `hash`, or against a fixed dummy when there is none, so
/// that an unknown e-mail address takes as long as a wrong password.
pub async fn verify_password(password: &str, hash: Option<String>) -> bool {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3ByaWRhZHVtbXlzYWx0$0o4bvDYdDrKmnDw2Eu7ZEvpqOn6bOcHoFa6TjwYhp+Q";
    let real = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY.to_owned());
    let password = password.to_owned();
    let Ok(_worker) = HASHERS.acquire().await else {
        return false;
    };
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    ok && real
}

fn session_cookie(state: &AppState, token: &str, max_age_secs: u64) -> String {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
        state.config.session_cookie_name()
    )
}

/// Starts a session with a fresh id (a cookie planted before sign-in is never
/// promoted) and sets its cookie on the response.
pub async fn start_session(
    state: &AppState,
    person_id: i64,
    previous: Option<&str>,
) -> AppResult<()> {
    if let Some(previous) = previous {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(previous)
            .execute(&state.db)
            .await?;
    }
    let token = random_token();
    let now = now_ms();
    let max_ms = state.config.session_max.as_millis() as i64;
    sqlx::query("INSERT INTO sessions (id_hash, person_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)")
        .bind(sha256_hex(&token))
        .bind(person_id)
        .bind(now)
        .bind(now + max_ms)
        .execute(&state.db)
        .await?;
    set_cookie(session_cookie(
        state,
        &token,
        state.config.session_max.as_secs(),
    ));
    Ok(())
}

/// Deletes sessions past their idle or absolute expiry and invitations past
/// theirs. Expired rows are already refused when presented; this only keeps
/// the tables from growing with sessions nobody comes back to.
pub async fn purge_expired(db: &Db, idle: std::time::Duration) -> AppResult<u64> {
    let now = now_ms();
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(now - idle.as_millis() as i64)
        .execute(db)
        .await?
        .rows_affected();
    let invites = sqlx::query("DELETE FROM invites WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?
        .rows_affected();
    Ok(sessions + invites)
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub async fn sign_in(email: &str, password: &str) -> AppResult<SessionInfo> {
    let state = app_state()?;
    let parts = request_parts()?;
    let auth = request_auth()?;
    let email = normalize_email(email);
    if email.is_empty() || password.is_empty() {
        return Err(AppError::Invalid(T::SignInEmptyFields));
    }
    if email.len() > 320 || password.len() > 4 * super::MAX_PASSWORD {
        return Err(AppError::BadCredentials);
    }
    let address = client_address(&parts, state.config.proxy_hops);
    let now = now_ms();
    let secret = &state.config.secret_key;
    let device_cookie = cookie_value(
        &parts.headers,
        super::device::cookie_name(state.config.secure_cookies),
    );
    let device = device_cookie.and_then(|c| super::device::device_for(secret, &email, c));
    let keys = rate_limit::keys(&LIMITS, &email, &address, device);
    let (attempt, wait) = rate_limit::attempt(&state.db, LIMITS.window, keys, now).await?;
    if let Some(wait) = wait {
        tracing::warn!(target: "sprida::auth", "sign-in rate limited");
        return Err(AppError::RateLimited(wait.as_secs().max(1)));
    }
    #[derive(sqlx::FromRow)]
    struct Account {
        id: i64,
        password_hash: Option<String>,
        active: i64,
    }
    let row: Option<Account> =
        sqlx::query_as("SELECT id, password_hash, active FROM people WHERE email = $1")
            .bind(&email)
            .fetch_optional(&state.db)
            .await?;
    let (person_id, hash, active) = match row {
        Some(a) => (Some(a.id), a.password_hash, a.active == 1),
        None => (None, None, false),
    };
    if !verify_password(password, hash).await {
        // The attempt stays counted.
        return Err(AppError::BadCredentials);
    }
    let person_id = person_id.ok_or(AppError::BadCredentials)?;
    rate_limit::succeeded(&state.db, &attempt).await?;
    if !active {
        return Err(AppError::Invalid(T::ErrDeactivated));
    }
    // This browser is now a known device of the account: its later
    // attempts count only against itself (`auth::device`).
    let device = random_token();
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    set_cookie(format!(
        "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        super::device::cookie_name(state.config.secure_cookies),
        super::device::value(secret, &email, &device),
        super::device::MAX_AGE_SECS,
    ));
    start_session(&state, person_id, auth.session_hash.as_deref()).await?;
    let me = load_me(&state.db, person_id)
        .await?
        .ok_or(AppError::BadCredentials)?;
    tracing::info!(target: "sprida::auth", person_id, "signed in");
    Ok(RequestAuth {
        me: Some(me),
        session_hash: None,
        fallback_lang: auth.fallback_lang,
    }
    .info())
}

pub async fn sign_out() -> AppResult<SessionInfo> {
    let state = app_state()?;
    let auth = request_auth()?;
    if let Some(hash) = &auth.session_hash {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(hash)
            .execute(&state.db)
            .await?;
    }
    set_cookie(session_cookie(&state, "", 0));
    Ok(SessionInfo {
        me: None,
        lang: auth.fallback_lang,
    })
}

/// Creates a one-time invitation link for `person_id`, valid for 14 days,
/// and revokes any earlier one still unused: one live link per person, so a
/// link sent to a wrong address or forwarded stops working once a new one
/// is made.
pub async fn create_invite(
    conn: &mut sqlx::AnyConnection,
    base_url: &str,
    person_id: i64,
) -> AppResult<String> {
    let token = random_token();
    let now = now_ms();
    sqlx::query("DELETE FROM invites WHERE person_id = $1 AND used_at IS NULL")
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO invites (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(sha256_hex(&token))
        .bind(person_id)
        .bind(now)
        .bind(now + INVITE_VALID_MS)
        .execute(&mut *conn)
        .await?;
    Ok(format!("{base_url}/invite/{token}"))
}

async fn valid_invite(db: &Db, token: &str) -> AppResult<(i64, InviteInfo)> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    #[derive(sqlx::FromRow)]
    struct Invited {
        id: i64,
        name: String,
        email: String,
    }
    let p: Invited = sqlx::query_as(
        "SELECT p.id, p.name, p.email FROM invites i JOIN people p ON p.id = i.person_id \
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND p.active = 1",
    )
    .bind(sha256_hex(token))
    .bind(now_ms())
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((
        p.id,
        InviteInfo {
            name: p.name,
            email: p.email,
        },
    ))
}

pub async fn invite_info(token: &str) -> AppResult<InviteInfo> {
    let state = app_state()?;
    Ok(valid_invite(&state.db, token).await?.1)
}

pub async fn accept_invite(token: &str, password: &str) -> AppResult<SessionInfo> {
    let state = app_state()?;
    let auth = request_auth()?;
    let (person_id, invited) = valid_invite(&state.db, token).await?;
    check_new_password(password)?;
    check_not_common(password, &[&invited.email, &invited.name])?;
    let hash = hash_password(password).await?;
    let now = now_ms();
    let mut tx = state.db.begin().await?;
    // Claiming the invite and setting the password happen together or not at
    // all; the `used_at IS NULL` guard makes a double submit a no-op.
    let claimed =
        sqlx::query("UPDATE invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
            .bind(now)
            .bind(sha256_hex(token))
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if claimed != 1 {
        return Err(AppError::NotFound);
    }
    sqlx::query("UPDATE invites SET used_at = $1 WHERE person_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE people SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(now)
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
    end_sessions(&mut *tx, person_id, None).await?;
    tx.commit().await?;
    start_session(&state, person_id, auth.session_hash.as_deref()).await?;
    let me = load_me(&state.db, person_id).await?;
    tracing::info!(target: "sprida::auth", person_id, "invitation accepted");
    Ok(RequestAuth {
        me,
        session_hash: None,
        fallback_lang: auth.fallback_lang,
    }
    .info())
}

/// Sets `active`; deactivating ends every session of the person at once.
pub async fn set_active(db: &Db, person_id: i64, active: bool) -> AppResult<Changed<()>> {
    let mut tx = db.begin().await?;
    let changed = sqlx::query("UPDATE people SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(flag(active))
        .bind(now_ms())
        .bind(person_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    if !active {
        end_sessions(&mut *tx, person_id, None).await?;
    }
    tx.commit().await?;
    Ok(Changed::new((), Fact::PersonChanged { person: person_id }))
}

#[cfg(test)]
mod tests {
    use super::check_not_common;

    #[test]
    fn common_passwords_and_ones_made_of_the_persons_name_are_refused() {
        for common in [
            "password123",
            "qwerty12345",
            "iloveyou1",
            "Password1!",
            "1234567890",
        ] {
            assert!(check_not_common(common, &[]).is_err(), "{common}");
        }
        let own = ["anna.berg@example.com", "Anna Berg"];
        assert!(check_not_common("anna.berg@example.com", &own).is_err());
        assert!(check_not_common("AnnaBergAnnaBerg", &own).is_err());
        for fine in [
            "correct horse battery staple",
            "newcomer password 1",
            "Blåbärssylt på fredag!",
        ] {
            assert!(check_not_common(fine, &[]).is_ok(), "{fine}");
        }
    }
}
