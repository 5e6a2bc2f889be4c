//! Sign-in, sessions, roles and invitations.

#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod ssr;
mod ui;

use leptos::prelude::*;
use leptos::server::SharedValue;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{I18n, Lang, T};

pub use ui::{InvitePage, RequireRole, SignInPage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Employee,
    Reviewer,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Employee, Role::Reviewer, Role::Manager, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Reviewer => "reviewer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(code.trim()))
    }

    pub fn label(self) -> T {
        match self {
            Role::Employee => T::RoleEmployee,
            Role::Reviewer => T::RoleReviewer,
            Role::Manager => T::RoleManager,
            Role::Admin => T::RoleAdmin,
        }
    }
}

/// The signed-in person as the UI needs them. Carries no secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
    /// `None` follows the browser.
    pub language: Option<Lang>,
}

impl Me {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub me: Option<Me>,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteInfo {
    pub name: String,
    pub email: String,
}

/// The session as the whole UI sees it; server functions that change who is
/// signed in (or their language) return a fresh `SessionInfo` to put here.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<SessionInfo>);

impl Session {
    pub fn me(&self) -> Option<Me> {
        self.0.with(|s| s.me.clone())
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.with(|s| s.me.as_ref().is_some_and(|m| m.has(role)))
    }

    pub fn set(&self, info: SessionInfo) {
        self.0.set(info);
    }

    /// Acts signed out in this tab, keeping the language.
    pub fn forget(&self) {
        self.0.update(|s| s.me = None);
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Server-rendering reads the session the request middleware resolved; the
/// browser gets the same value serialized into the page, so hydration matches.
pub fn provide_session() {
    let initial = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            ssr::request_auth().map(|a| a.info()).unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            SessionInfo::default()
        }
    });
    let session = Session(RwSignal::new(initial.into_inner()));
    provide_context(session);
    provide_context(I18n::new(Signal::derive(move || {
        session.0.with(|s| s.lang)
    })));
}

/// Server functions that anyone may call without a session. Every other
/// `/api/` endpoint is refused for anonymous callers before it runs (see the
/// server's request guard); a test enumerates the registry to prove it.
pub const PUBLIC_ENDPOINTS: &[&str] = &[
    "/api/get_session",
    "/api/sign_in",
    "/api/set_language",
    "/api/get_invite",
    "/api/accept_invite",
    // Screens have no person signed in; they show their display cookie.
    "/api/tv_board",
];

#[server(prefix = "/api", endpoint = "get_session")]
pub async fn get_session() -> Result<SessionInfo, AppError> {
    Ok(ssr::request_auth()?.info())
}

#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<SessionInfo, AppError> {
    ssr::sign_in(&email, &password).await
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<SessionInfo, AppError> {
    ssr::sign_out().await
}

/// `lang` is a language code, or empty to follow the browser.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<SessionInfo, AppError> {
    ssr::set_language(&lang).await
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
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse(" Admin "), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn password_length_is_checked_in_characters() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("åäöåäöåäöå").is_ok());
        assert!(check_new_password(&"x".repeat(257)).is_err());
    }
}
