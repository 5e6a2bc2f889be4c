//! The pages, in lazily loaded pieces of the WASM (Leptos lazy routes, split
//! by `cargo leptos build --split`): a first visit downloads the shell and
//! the group of pages it opens, not the review board and the admin pages.
//! On the server these are ordinary routes that name their pieces in a
//! `Link` header (base/pieces.rs), so they load beside the main module.
//!
//! Pieces are per group of pages that go together, not per page: the
//! splitter makes a file for every set of pieces that share code, and with
//! one piece per page that was 511 files (203 for the hub alone), each a
//! request and a run of wasm-opt.

use std::future::Future;

use leptos::lazy;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// `pages!(group fn, enum { Route => component, … })` declares one lazily
/// loaded function for the group and a route type per page that asks it
/// for its page.
macro_rules! pages {
    ($group:ident, $which:ident { $($route:ident => $page:path),* $(,)? }) => {
        #[derive(Clone, Copy)]
        pub enum $which {
            $($route),*
        }

        #[lazy]
        fn $group(which: $which) -> AnyView {
            match which {
                $($which::$route => view! { <$page/> }.into_any()),*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                fn view(_this: Self) -> impl Future<Output = AnyView> {
                    #[cfg(feature = "ssr")]
                    crate::base::pieces::preload(stringify!($group));
                    $group($which::$route)
                }
            }
        )*
    };
}

pages!(home_pages, HomePage {
    HomeRoute => crate::home::Home,
});

pages!(sign_in_pages, SignInPage {
    SignIn => crate::auth::SignInPage,
    Invite => crate::auth::InvitePage,
});

pages!(hub_pages, HubPage {
    Hub => crate::hub::HubPage,
});

pages!(my_pages, MyPage {
    Impact => crate::impact::ImpactPage,
    Leaderboard => crate::leaderboard::LeaderboardPage,
    Profile => crate::profile::ProfilePage,
    Notifications => crate::notices::NotificationsPage,
    Rewards => crate::rewards::RewardsPage,
    Recognition => crate::kudos::RecognitionPage,
    Challenges => crate::challenges::ChallengesPage,
    MyPosts => crate::posts::MyPostsPage,
});

pages!(writing_pages, WritingPage {
    PostEditor => crate::posts::PostEditorPage,
    Board => crate::posts::BoardPage,
    Review => crate::posts::ReviewPage,
    BlockedWords => crate::posts::BlockedWordsPage,
});

pages!(content_pages, ContentPage {
    ContentList => crate::content::ContentListPage,
    ContentEdit => crate::content::ContentEditPage,
});

pages!(admin_pages, AdminPage {
    Manage => super::nav::ManagePage,
    Team => crate::people::TeamPage,
    PeopleAdmin => crate::people::PeopleAdminPage,
    GroupsAdmin => crate::people::GroupsAdminPage,
    PointRules => crate::points::PointRulesPage,
    ScreensAdmin => crate::screens::ScreensAdminPage,
    RewardsAdmin => crate::rewards::RewardsAdminPage,
    Fulfilment => crate::rewards::FulfilmentPage,
    KudosAdmin => crate::kudos::KudosAdminPage,
});

pages!(tv_pages, TvPage {
    Tv => crate::screens::TvPage,
});
