use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;

use crate::i18n::{Lang, T};

/// The one error type of every server function. It crosses the wire, so it
/// carries only what the user may see: internals are logged on the server and
/// replaced by `Internal`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(T),
    #[error("conflict: {0:?}")]
    Conflict(T),
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("too many attempts; retry in {0} s")]
    RateLimited(u64),
    #[error("internal error")]
    Internal,
    #[error("request failed: {0}")]
    ServerFn(ServerFnErrorErr),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::ServerFn(value)
    }
}

impl AppError {
    /// What the user reads: translated, never an internal detail.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthenticated => T::ErrSignedOut.in_lang(lang).to_string(),
            AppError::Forbidden => T::ErrForbidden.in_lang(lang).to_string(),
            AppError::NotFound => T::ErrNotFound.in_lang(lang).to_string(),
            AppError::Invalid(t) | AppError::Conflict(t) => t.in_lang(lang).to_string(),
            AppError::BadCredentials => T::ErrBadCredentials.in_lang(lang).to_string(),
            AppError::RateLimited(secs) => {
                let minutes = secs.div_ceil(60).max(1);
                T::ErrRateLimited
                    .in_lang(lang)
                    .replace("{minutes}", &minutes.to_string())
            }
            AppError::Internal => T::ErrInternal.in_lang(lang).to_string(),
            AppError::ServerFn(ServerFnErrorErr::Request(_)) => {
                T::ErrNetwork.in_lang(lang).to_string()
            }
            AppError::ServerFn(_) => T::ErrInternal.in_lang(lang).to_string(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;
