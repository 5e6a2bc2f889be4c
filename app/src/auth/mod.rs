//! Sign-in, sign-out, passwords and invitations.

#[cfg(feature = "ssr")]
pub mod device;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::T;
use crate::base::session::SessionInfo;

pub use ui::{InvitePage, SignInPage};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub name: String,
    pub email: String,
}

#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<SessionInfo, AppError> {
    ssr::sign_in(&email, &password).await
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<SessionInfo, AppError> {
    ssr::sign_out().await
}

#[server(prefix = "/api", endpoint = "get_invite")]
pub async fn get_invite(token: String) -> Result<InviteInfo, AppError> {
    ssr::invite_info(&token).await
}

#[server(prefix = "/api", endpoint = "accept_invite")]
pub async fn accept_invite(token: String, password: String) -> Result<SessionInfo, AppError> {
    ssr::accept_invite(&token, &password).await
}

pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 256;

pub fn check_new_password(password: &str) -> Result<(), AppError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD {
        Err(AppError::Invalid(T::ErrPasswordShort))
    } else if len > MAX_PASSWORD {
        Err(AppError::Invalid(T::ErrPasswordLong))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_length_is_checked_in_characters() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("åäöåäöåäöå").is_ok());
        assert!(check_new_password(&"x".repeat(257)).is_err());
    }
}
