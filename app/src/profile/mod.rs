//! A person's own profile: name, title, language, networks and audiences.

pub mod motivations;
#[cfg(feature = "ssr")]
mod ssr;
mod ui;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::{Lang, T};
use crate::base::session::{Role, SessionInfo};
use crate::networks::Network;
use crate::people::GroupRef;

pub use ui::ProfilePage;

pub const MAX_AUDIENCE: i64 = 100_000_000;
pub const MAX_NAME: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkAudience {
    pub network: Network,
    pub audience: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub title: String,
    pub language: Option<Lang>,
    pub roles: Vec<Role>,
    pub groups: Vec<GroupRef>,
    pub networks: Vec<NetworkAudience>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileUpdate {
    pub name: String,
    pub title: String,
    /// A language code, or empty to follow the browser.
    pub language: String,
    pub networks: Vec<NetworkAudience>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSaved {
    pub profile: Profile,
    pub session: SessionInfo,
}

/// Trims and checks a profile edit; shared by the server and the form.
pub fn validate_update(update: &ProfileUpdate) -> Result<ProfileUpdate, AppError> {
    let name = update.name.trim().to_string();
    let title = update.title.trim().to_string();
    if name.is_empty() {
        return Err(AppError::Invalid(T::ErrNameRequired));
    }
    if name.chars().count() > MAX_NAME || title.chars().count() > MAX_NAME {
        return Err(AppError::Invalid(T::ErrTooLong));
    }
    let language = match update.language.trim() {
        "" => String::new(),
        code => Lang::parse(code)
            .ok_or(AppError::Invalid(T::ErrLanguageUnknown))?
            .code()
            .to_string(),
    };
    let mut networks: Vec<NetworkAudience> = Vec::new();
    for n in &update.networks {
        if !(0..=MAX_AUDIENCE).contains(&n.audience) {
            return Err(AppError::Invalid(T::ErrAudience));
        }
        // A network listed twice keeps its last value rather than failing.
        networks.retain(|m| m.network != n.network);
        networks.push(*n);
    }
    networks.sort_by_key(|n| n.network);
    Ok(ProfileUpdate {
        name,
        title,
        language,
        networks,
    })
}

#[server(prefix = "/api", endpoint = "my_profile")]
pub async fn my_profile() -> Result<Profile, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::load_profile(&state.db, me.id).await
}

#[server(prefix = "/api", endpoint = "update_profile", input = server_fn::codec::Json)]
pub async fn update_profile(update: ProfileUpdate) -> Result<ProfileSaved, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let update = validate_update(&update)?;
    let state = crate::base::state::app_state()?;
    // A new name shows on the leaderboards and screens at once.
    ssr::save_profile(&state.db, me.id, &update)
        .await?
        .publish(&state);
    let profile = ssr::load_profile(&state.db, me.id).await?;
    let mut auth = crate::base::session::ssr::request_auth()?;
    auth.me = crate::base::session::ssr::load_me(&state.db, me.id).await?;
    Ok(ProfileSaved {
        profile,
        session: auth.info(),
    })
}

#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let me = crate::base::session::ssr::require_user()?;
    crate::auth::check_new_password(&new)?;
    crate::auth::ssr::check_not_common(&new, &[&me.email, &me.name])?;
    let state = crate::base::state::app_state()?;
    let auth = crate::base::session::ssr::request_auth()?;
    ssr::change_password(&state, me.id, &current, &new, auth.session_hash.as_deref()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(name: &str, networks: Vec<NetworkAudience>) -> ProfileUpdate {
        ProfileUpdate {
            name: name.into(),
            title: " Engineer ".into(),
            language: "SV".into(),
            networks,
        }
    }

    #[test]
    fn trims_and_normalises() {
        let ok = validate_update(&update(
            "  Ann  ",
            vec![
                NetworkAudience {
                    network: Network::X,
                    audience: 10,
                },
                NetworkAudience {
                    network: Network::LinkedIn,
                    audience: 500,
                },
                NetworkAudience {
                    network: Network::X,
                    audience: 20,
                },
            ],
        ))
        .unwrap();
        assert_eq!(ok.name, "Ann");
        assert_eq!(ok.title, "Engineer");
        assert_eq!(ok.language, "sv");
        assert_eq!(
            ok.networks,
            vec![
                NetworkAudience {
                    network: Network::LinkedIn,
                    audience: 500
                },
                NetworkAudience {
                    network: Network::X,
                    audience: 20
                },
            ]
        );
    }

    #[test]
    fn rejects_bad_values() {
        assert_eq!(
            validate_update(&update(" ", vec![])),
            Err(AppError::Invalid(T::ErrNameRequired))
        );
        assert_eq!(
            validate_update(&update(&"a".repeat(121), vec![])),
            Err(AppError::Invalid(T::ErrTooLong))
        );
        assert_eq!(
            validate_update(&update(
                "Ann",
                vec![NetworkAudience {
                    network: Network::X,
                    audience: -1
                }]
            )),
            Err(AppError::Invalid(T::ErrAudience))
        );
        let mut bad_lang = update("Ann", vec![]);
        bad_lang.language = "klingon".into();
        assert_eq!(
            validate_update(&bad_lang),
            Err(AppError::Invalid(T::ErrLanguageUnknown))
        );
    }
}
