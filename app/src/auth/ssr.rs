//! Server side of sign-in: password hashing, sessions and their cookie, the
//! per-request identity, invitations. Nothing here is compiled to WASM.

use std::net::SocketAddr;
use std::time::Instant;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::ConnectInfo;
use http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue};
use leptos::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{check_new_password, InviteInfo, Me, Role, SessionInfo};
use crate::db::{flag, now_ms, Db};
use crate::error::{AppError, AppResult};
use crate::i18n::{negotiate, Lang, T};
use crate::state::{app_state, AppState};

pub const LANG_COOKIE: &str = "sprida_lang";
const INVITE_VALID_MS: i64 = 14 * 24 * 3600 * 1000;
/// Writing `last_seen_at` on every request would turn reads into writes.
const TOUCH_EVERY_MS: i64 = 60_000;

/// Who is calling, resolved once per request by the server's middleware and
/// stored in the request extensions.
#[derive(Debug, Clone, Default)]
pub struct RequestAuth {
    pub me: Option<Me>,
    pub session_hash: Option<String>,
    /// The language from the cookie or browser, used when `me` has none.
    pub fallback_lang: Lang,
}

impl RequestAuth {
    pub fn lang(&self) -> Lang {
        self.me
            .as_ref()
            .and_then(|m| m.language)
            .unwrap_or(self.fallback_lang)
    }

    pub fn info(&self) -> SessionInfo {
        SessionInfo {
            me: self.me.clone(),
            lang: self.lang(),
        }
    }
}

pub fn request_parts() -> AppResult<Parts> {
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from context");
        AppError::Internal
    })
}

pub fn request_auth() -> AppResult<RequestAuth> {
    Ok(request_parts()?
        .extensions
        .get::<RequestAuth>()
        .cloned()
        .unwrap_or_default())
}

/// Any signed-in person.
pub fn require_user() -> AppResult<Me> {
    request_auth()?.me.ok_or(AppError::Unauthenticated)
}

/// A signed-in person holding at least one of `roles`. Deny by default.
pub fn require_any(roles: &[Role]) -> AppResult<Me> {
    let me = require_user()?;
    if roles.iter().any(|r| me.has(*r)) {
        Ok(me)
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

pub async fn hash_password(password: &str) -> AppResult<String> {
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

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The client's address, for rate limiting only (never stored).
pub fn client_address(parts: &Parts, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return forwarded.trim().to_owned();
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn browser_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(negotiate)
}

fn header_lang(headers: &HeaderMap) -> Lang {
    cookie_value(headers, LANG_COOKIE)
        .and_then(Lang::parse)
        .or_else(|| browser_lang(headers))
        .unwrap_or_default()
}

pub async fn load_me(db: &Db, person_id: i64) -> AppResult<Option<Me>> {
    let Some(row) =
        sqlx::query("SELECT id, name, email, language FROM people WHERE id = $1 AND active = 1")
            .bind(person_id)
            .fetch_optional(db)
            .await?
    else {
        return Ok(None);
    };
    let roles = load_roles(db, person_id).await?;
    let language: String = row.try_get("language")?;
    Ok(Some(Me {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        roles,
        language: Lang::parse(&language),
    }))
}

pub async fn load_roles(db: &Db, person_id: i64) -> AppResult<Vec<Role>> {
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT role FROM person_roles WHERE person_id = $1")
            .bind(person_id)
            .fetch_all(db)
            .await?;
    let mut roles: Vec<Role> = codes.iter().filter_map(|c| Role::parse(c)).collect();
    roles.sort();
    Ok(roles)
}

/// Resolves the session cookie into a person, enforcing the idle and the
/// absolute expiry. Called by the middleware for every non-static request.
pub async fn resolve(state: &AppState, headers: &HeaderMap) -> AppResult<RequestAuth> {
    let fallback_lang = header_lang(headers);
    let Some(token) = cookie_value(headers, state.config.session_cookie_name()) else {
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    };
    let hash = sha256_hex(token);
    let row =
        sqlx::query("SELECT person_id, last_seen_at, expires_at FROM sessions WHERE id_hash = $1")
            .bind(&hash)
            .fetch_optional(&state.db)
            .await?;
    let Some(row) = row else {
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    };
    let person_id: i64 = row.try_get("person_id")?;
    let last_seen: i64 = row.try_get("last_seen_at")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let now = now_ms();
    let idle_ms = state.config.session_idle.as_millis() as i64;
    if now >= expires_at || now - last_seen >= idle_ms {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&hash)
            .execute(&state.db)
            .await?;
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    }
    let Some(me) = load_me(&state.db, person_id).await? else {
        // Deactivated: the session must not outlive the account.
        sqlx::query("DELETE FROM sessions WHERE person_id = $1")
            .bind(person_id)
            .execute(&state.db)
            .await?;
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    };
    if now - last_seen >= TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(&state.db)
            .await?;
    }
    Ok(RequestAuth {
        me: Some(me),
        session_hash: Some(hash),
        fallback_lang,
    })
}

fn set_cookie(value: String) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
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

pub async fn end_all_sessions(db: &Db, person_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE person_id = $1")
        .bind(person_id)
        .execute(db)
        .await?;
    Ok(())
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
    let address = client_address(&parts, state.config.trust_proxy);
    if let Err(wait) = state.limiter.check(&email, &address, Instant::now()) {
        tracing::warn!(target: "sprida::auth", "sign-in rate limited");
        return Err(AppError::RateLimited(wait.as_secs().max(1)));
    }
    let row = sqlx::query("SELECT id, password_hash, active FROM people WHERE email = $1")
        .bind(&email)
        .fetch_optional(&state.db)
        .await?;
    let (person_id, hash, active) = match row {
        Some(r) => (
            Some(r.try_get::<i64, _>("id")?),
            r.try_get::<Option<String>, _>("password_hash")?,
            r.try_get::<i64, _>("active")? == 1,
        ),
        None => (None, None, false),
    };
    if !verify_password(password, hash).await {
        state
            .limiter
            .record_failure(&email, &address, Instant::now());
        return Err(AppError::BadCredentials);
    }
    let person_id = person_id.ok_or(AppError::BadCredentials)?;
    if !active {
        return Err(AppError::Invalid(T::ErrDeactivated));
    }
    state.limiter.clear_account(&email);
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

pub async fn set_language(code: &str) -> AppResult<SessionInfo> {
    let state = app_state()?;
    let mut auth = request_auth()?;
    let lang = match code.trim() {
        "" => None,
        other => Some(Lang::parse(other).ok_or(AppError::Invalid(T::ErrLanguageUnknown))?),
    };
    if let Some(me) = auth.me.as_mut() {
        sqlx::query("UPDATE people SET language = $1, updated_at = $2 WHERE id = $3")
            .bind(lang.map(Lang::code).unwrap_or(""))
            .bind(now_ms())
            .bind(me.id)
            .execute(&state.db)
            .await?;
        me.language = lang;
    }
    match lang {
        Some(lang) => {
            auth.fallback_lang = lang;
            set_cookie(format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            ));
        }
        None => {
            set_cookie(format!("{LANG_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax"));
            auth.fallback_lang = browser_lang(&request_parts()?.headers).unwrap_or_default();
        }
    }
    Ok(auth.info())
}

/// Creates a one-time invitation link for `person_id`, valid for 14 days.
pub async fn create_invite<'c, E>(exec: E, base_url: &str, person_id: i64) -> AppResult<String>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let token = random_token();
    let now = now_ms();
    sqlx::query("INSERT INTO invites (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(sha256_hex(&token))
        .bind(person_id)
        .bind(now)
        .bind(now + INVITE_VALID_MS)
        .execute(exec)
        .await?;
    Ok(format!("{base_url}/invite/{token}"))
}

async fn valid_invite(db: &Db, token: &str) -> AppResult<(i64, InviteInfo)> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let row = sqlx::query(
        "SELECT p.id, p.name, p.email FROM invites i JOIN people p ON p.id = i.person_id \
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND p.active = 1",
    )
    .bind(sha256_hex(token))
    .bind(now_ms())
    .fetch_optional(db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((
        row.try_get("id")?,
        InviteInfo {
            name: row.try_get("name")?,
            email: row.try_get("email")?,
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
    let (person_id, _) = valid_invite(&state.db, token).await?;
    check_new_password(password)?;
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
    sqlx::query("DELETE FROM sessions WHERE person_id = $1")
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
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
pub async fn set_active(db: &Db, person_id: i64, active: bool) -> AppResult<()> {
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
        sqlx::query("DELETE FROM sessions WHERE person_id = $1")
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
