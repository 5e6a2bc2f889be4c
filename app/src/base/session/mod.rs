//! Who is calling: roles, the signed-in person, the session as the UI
//! sees it, and the language. Every feature builds on this; it imports none.

#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos::server::SharedValue;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::{I18n, Lang, T};

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

/// `lang` is a language code, or empty to follow the browser.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<SessionInfo, AppError> {
    ssr::set_language(&lang).await
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
}
