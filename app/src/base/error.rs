use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;

use crate::base::i18n::{Lang, T};

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
    /// More than may be sent or stored (an image, a CSV file, a request body).
    #[error("too large: {0:?}")]
    TooLarge(T),
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

    /// Called once per failed server function, as its response is made:
    /// the one place its HTTP status is set (leptos_axum answers 500
    /// otherwise).
    fn ser(&self) -> server_fn::Bytes {
        #[cfg(feature = "ssr")]
        if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(self.status());
            if let Some(secs) = self.retry_after() {
                res.insert_header(http::header::RETRY_AFTER, secs.into());
            }
        }
        <JsonEncoding as server_fn::Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| server_fn::Bytes::from_static(br#""Internal""#))
    }
}

impl AppError {
    /// The HTTP status of this error, for server functions, the request
    /// guard and the event streams alike.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 400,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::TooLarge(_) => 413,
            AppError::RateLimited(_) => 429,
            AppError::Internal => 500,
            // What the caller sent could not be read as the function's
            // arguments (a form field, or a JSON body naming an unknown
            // choice): their mistake, not the server's.
            AppError::ServerFn(
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_),
            ) => 400,
            AppError::ServerFn(_) => 500,
        }
    }

    /// Seconds to wait before trying again, for a `Retry-After` header.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited(secs) => Some(*secs),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    pub fn status(&self) -> http::StatusCode {
        http::StatusCode::from_u16(self.status_code())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// The same JSON body and status as a failed server function, so the
/// browser decodes it into the same translated message.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let mut res = (self.status(), axum::Json(&self)).into_response();
        if let Some(secs) = self.retry_after() {
            res.headers_mut()
                .insert(http::header::RETRY_AFTER, secs.into());
        }
        res
    }
}

impl AppError {
    /// What the user reads: translated, never an internal detail.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Unauthenticated => T::ErrSignedOut.in_lang(lang).to_string(),
            AppError::Forbidden => T::ErrForbidden.in_lang(lang).to_string(),
            AppError::NotFound => T::ErrNotFound.in_lang(lang).to_string(),
            AppError::Invalid(t) | AppError::Conflict(t) | AppError::TooLarge(t) => {
                t.in_lang(lang).to_string()
            }
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
            AppError::ServerFn(ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_)) => {
                T::ErrBadRequest.in_lang(lang).to_string()
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
