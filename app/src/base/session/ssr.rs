//! The server side of the session: who is calling (resolved once per request
//! by the server's middleware), role checks, the session and language
//! cookies, and the small token helpers. Nothing here is compiled to WASM.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use http::request::Parts;
use http::{HeaderMap, HeaderValue};
use leptos::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{Me, Role, SessionInfo};
use crate::base::db::{now_ms, Db};
use crate::base::error::{AppError, AppResult};
use crate::base::i18n::{negotiate, Lang, T};
use crate::base::state::{app_state, AppConfig};

pub const LANG_COOKIE: &str = "sprida_lang";
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

/// The client's address, for rate limiting only (never stored), behind
/// `proxy_hops` trusted reverse proxies (0: the peer itself).
pub fn client_address(parts: &Parts, proxy_hops: usize) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded: Vec<&str> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    forwarded_client(&forwarded.join(","), proxy_hops, peer)
        .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The address behind `hops` proxies. Each proxy appends the address it
/// was connected from, so the client is the `hops`-th entry from the
/// right; whatever stands left of it the client wrote itself, and is
/// ignored. A missing, short or unparsable list gives the peer: with the
/// proxy's own address, everyone shares one limit, which is safe, where a
/// made-up one would give a guesser a fresh limit per request.
pub fn forwarded_client(
    header: &str,
    hops: usize,
    peer: Option<std::net::IpAddr>,
) -> Option<std::net::IpAddr> {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = header
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let Some(entry) = entries.len().checked_sub(hops).map(|i| entries[i]) else {
        return peer;
    };
    entry
        .parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or(peer)
}

pub fn browser_lang(headers: &HeaderMap) -> Option<Lang> {
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
    #[derive(sqlx::FromRow)]
    struct PersonRow {
        name: String,
        email: String,
        language: String,
    }
    let Some(p) = sqlx::query_as::<_, PersonRow>(
        "SELECT name, email, language FROM people WHERE id = $1 AND active = 1",
    )
    .bind(person_id)
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(Me {
        id: person_id,
        name: p.name,
        email: p.email,
        roles: load_roles(db, person_id).await?,
        language: Lang::parse(&p.language),
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
pub async fn resolve(db: &Db, config: &AppConfig, headers: &HeaderMap) -> AppResult<RequestAuth> {
    let fallback_lang = header_lang(headers);
    let Some(token) = cookie_value(headers, config.session_cookie_name()) else {
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    };
    let hash = sha256_hex(token);
    #[derive(sqlx::FromRow)]
    struct SessionRow {
        person_id: i64,
        last_seen_at: i64,
        expires_at: i64,
    }
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT person_id, last_seen_at, expires_at FROM sessions WHERE id_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(db)
    .await?;
    let Some(SessionRow {
        person_id,
        last_seen_at: last_seen,
        expires_at,
    }) = row
    else {
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    };
    let now = now_ms();
    let idle_ms = config.session_idle.as_millis() as i64;
    if now >= expires_at || now - last_seen >= idle_ms {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(&hash)
            .execute(db)
            .await?;
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    }
    let Some(me) = load_me(db, person_id).await? else {
        // Deactivated: the session must not outlive the account.
        end_sessions(db, person_id, None).await?;
        return Ok(RequestAuth {
            fallback_lang,
            ..Default::default()
        });
    };
    if now - last_seen >= TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(db)
            .await?;
    }
    Ok(RequestAuth {
        me: Some(me),
        session_hash: Some(hash),
        fallback_lang,
    })
}

pub fn set_cookie(value: String) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        res.append_header(SET_COOKIE, v);
    }
}

/// Ends every session of `person_id` (all of them, or all but `keep`, the
/// hash of the caller's own). One statement for a pool or a transaction.
pub async fn end_sessions<'c, E>(exec: E, person_id: i64, keep: Option<&str>) -> AppResult<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND id_hash <> $2")
        .bind(person_id)
        .bind(keep.unwrap_or(""))
        .execute(exec)
        .await?;
    Ok(())
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

#[cfg(test)]
mod forwarded_tests {
    use super::*;

    #[test]
    fn the_client_is_read_from_the_right_past_the_trusted_hops() {
        let peer = Some("10.0.0.2".parse().unwrap());
        let ip = |s: &str| Some(s.parse::<std::net::IpAddr>().unwrap());
        // Not behind a proxy: the header is the client's own words.
        assert_eq!(forwarded_client("9.9.9.9", 0, peer), peer);
        // One proxy: it appended the real address last; the client's
        // made-up entries to the left are ignored.
        assert_eq!(
            forwarded_client("9.9.9.1, 127.0.0.1, 203.0.113.5", 1, peer),
            ip("203.0.113.5")
        );
        assert_eq!(
            forwarded_client("9.9.9.1, 203.0.113.5, 10.0.0.9", 2, peer),
            ip("203.0.113.5")
        );
        // Ports and IPv6 are addresses too.
        assert_eq!(
            forwarded_client("203.0.113.5:4711", 1, peer),
            ip("203.0.113.5")
        );
        assert_eq!(forwarded_client("2001:db8::1", 1, peer), ip("2001:db8::1"));
        assert_eq!(
            forwarded_client("[2001:db8::1]:443", 1, peer),
            ip("2001:db8::1")
        );
        // Missing, short or garbage: the peer.
        assert_eq!(forwarded_client("", 1, peer), peer);
        assert_eq!(forwarded_client("203.0.113.5", 2, peer), peer);
        assert_eq!(forwarded_client("not-an-address", 1, peer), peer);
    }
}
