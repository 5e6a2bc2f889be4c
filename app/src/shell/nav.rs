//! Navigation for three audiences: the employee's daily places (the top
//! bar; a bottom tab bar on phones, as in an installed app), and review and
//! management in an area of their own with a side menu grouped by purpose,
//! which has room for the features still to come.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::base::i18n::{use_i18n, T};
use crate::base::session::{use_session, Role};

/// One entry of the management menu: where, its name, who sees it.
pub struct Place {
    pub href: &'static str,
    pub name: T,
    pub roles: &'static [Role],
}

const ADMIN: &[Role] = &[Role::Admin];
const CURATORS: &[Role] = &[Role::Reviewer, Role::Admin];
const MANAGERS: &[Role] = &[Role::Manager, Role::Admin];

/// The management menu's groups, by purpose, in order.
pub const MANAGE: &[(T, &[Place])] = &[
    (
        T::ManagePeople,
        &[
            Place {
                href: "/team",
                name: T::NavTeam,
                roles: MANAGERS,
            },
            Place {
                href: "/admin/people",
                name: T::NavPeople,
                roles: ADMIN,
            },
            Place {
                href: "/admin/groups",
                name: T::NavGroups,
                roles: ADMIN,
            },
        ],
    ),
    (
        T::ManageContent,
        &[
            Place {
                href: "/review",
                name: T::NavReview,
                roles: CURATORS,
            },
            Place {
                href: "/content",
                name: T::NavContent,
                roles: CURATORS,
            },
            Place {
                href: "/admin/blocked-words",
                name: T::NavBlocked,
                roles: ADMIN,
            },
        ],
    ),
    (
        T::ManageGamification,
        &[
            Place {
                href: "/admin/points",
                name: T::NavPoints,
                roles: ADMIN,
            },
            Place {
                href: "/admin/rewards",
                name: T::NavRewardsAdmin,
                roles: ADMIN,
            },
            Place {
                href: "/admin/fulfilment",
                name: T::NavFulfilment,
                roles: ADMIN,
            },
            Place {
                href: "/admin/recognition",
                name: T::NavRecognitionAdmin,
                roles: ADMIN,
            },
            Place {
                href: "/challenges",
                name: T::NavChallenges,
                roles: MANAGERS,
            },
        ],
    ),
    (
        T::ManageScreens,
        &[Place {
            href: "/admin/screens",
            name: T::NavScreens,
            roles: ADMIN,
        }],
    ),
];

/// The name of the page at `path`, for its `<title>` (None: no such page). One table, beside the routes' menu entries.
pub fn page_name(path: &str) -> Option<T> {
    let path = path.trim_end_matches('/');
    let exact = [
        ("", T::NavHome),
        ("/hub", T::NavHub),
        ("/impact", T::NavImpact),
        ("/leaderboard", T::NavLeaderboard),
        ("/posts", T::NavPosts),
        ("/posts/new", T::PostWrite),
        ("/notifications", T::NavNotices),
        ("/profile", T::NavProfile),
        ("/team", T::NavTeam),
        ("/review", T::NavReview),
        ("/content", T::NavContent),
        ("/content/new", T::ContentNew),
        ("/admin/people", T::NavPeople),
        ("/admin/groups", T::NavGroups),
        ("/admin/points", T::NavPoints),
        ("/admin/blocked-words", T::NavBlocked),
        ("/admin/screens", T::NavScreens),
        ("/admin/rewards", T::NavRewardsAdmin),
        ("/admin/fulfilment", T::NavFulfilment),
        ("/rewards", T::NavRewards),
        ("/recognition", T::NavRecognition),
        ("/challenges", T::NavChallenges),
        ("/admin/recognition", T::NavRecognitionAdmin),
        ("/manage", T::ManageTitle),
        ("/sign-in", T::NavSignIn),
        ("/tv", T::TvPageTitle),
    ];
    if let Some((_, name)) = exact.iter().find(|(p, _)| *p == path) {
        return Some(*name);
    }
    // Pages of one item or one invitation, by their section.
    let sections = [
        ("/posts/", T::NavPosts),
        ("/review/", T::NavReview),
        ("/content/", T::NavContent),
        ("/invite/", T::InviteTitle),
    ];
    sections
        .iter()
        .find(|(prefix, _)| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        })
        .map(|(_, name)| *name)
}

/// Whether a path belongs to the management area (and shows its menu).
pub fn in_manage_area(path: &str) -> bool {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    ["/manage", "/admin", "/content", "/review", "/team"]
        .iter()
        .any(|p| under(p))
}

/// The groups and places someone with `roles` sees; empty groups left out.
pub fn places_for(has: impl Fn(Role) -> bool) -> Vec<(T, Vec<&'static Place>)> {
    MANAGE
        .iter()
        .map(|(group, places)| {
            let mine = places
                .iter()
                .filter(|p| p.roles.iter().any(|r| has(*r)))
                .collect::<Vec<_>>();
            (*group, mine)
        })
        .filter(|(_, places)| !places.is_empty())
        .collect()
}

/// The management side menu (a scrolling strip on phones).
#[component]
pub fn ManageMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let groups = move || places_for(|r| session.has(r));
    view! {
        <nav id="manage-nav" class="manage-nav" aria-label=move || i18n.t(T::ManageMenu)>
            <A href="/manage" exact=true attr:class="manage-home">{move || i18n.t(T::ManageOverview)}</A>
            {move || groups().into_iter().map(|(group, places)| view! {
                <div class="manage-group">
                    <p class="manage-heading" aria-hidden="true">{move || i18n.t(group)}</p>
                    <ul aria-label=move || i18n.t(group)>
                        {places.into_iter().map(|p| view! {
                            <li><A href=p.href>{move || i18n.t(p.name)}</A></li>
                        }).collect_view()}
                    </ul>
                </div>
            }).collect_view()}
        </nav>
    }
}

/// `/manage`: every management place this person may open, with what it is for.
#[component]
pub fn ManagePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let groups = move || places_for(|r| session.has(r));
    view! {
        <crate::ui::RequireRole roles=vec![Role::Reviewer, Role::Manager, Role::Admin]>
            <section class="card">
                <h1>{move || i18n.t(T::ManageTitle)}</h1>
                <p class="muted">{move || i18n.t(T::ManageIntro)}</p>
                {move || groups().into_iter().map(|(group, places)| view! {
                    <h2>{move || i18n.t(group)}</h2>
                    <ul class="links" data-testid="manage-group">
                        {places.into_iter().map(|p| view! {
                            <li><A href=p.href>{move || i18n.t(p.name)}</A></li>
                        }).collect_view()}
                    </ul>
                }).collect_view()}
            </section>
        </crate::ui::RequireRole>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manage_area_is_its_pages_and_nothing_that_starts_alike() {
        for path in [
            "/manage",
            "/admin/people",
            "/content/12",
            "/review",
            "/review/3",
            "/team",
        ] {
            assert!(in_manage_area(path), "{path}");
        }
        for path in ["/", "/hub", "/teams", "/reviews", "/contentious", "/impact"] {
            assert!(!in_manage_area(path), "{path}");
        }
    }

    #[test]
    fn every_page_has_its_own_title() {
        assert_eq!(page_name("/"), Some(T::NavHome));
        assert_eq!(page_name("/hub"), Some(T::NavHub));
        assert_eq!(page_name("/posts/new"), Some(T::PostWrite));
        assert_eq!(page_name("/posts/12"), Some(T::NavPosts));
        assert_eq!(page_name("/review/3"), Some(T::NavReview));
        assert_eq!(page_name("/admin/blocked-words"), Some(T::NavBlocked));
        assert_eq!(page_name("/invite/abc"), Some(T::InviteTitle));
        assert_eq!(page_name("/nowhere"), None);
        assert_eq!(page_name("/review/3/x"), None);
    }

    #[test]
    fn each_role_sees_only_its_groups() {
        let names = |roles: &[Role]| {
            places_for(|r| roles.contains(&r))
                .into_iter()
                .flat_map(|(_, p)| p.into_iter().map(|p| p.href))
                .collect::<Vec<_>>()
        };
        assert!(names(&[Role::Employee]).is_empty());
        assert_eq!(names(&[Role::Manager]), ["/team", "/challenges"]);
        assert_eq!(names(&[Role::Reviewer]), ["/review", "/content"]);
        assert_eq!(names(&[Role::Admin]).len(), 12);
    }
}
