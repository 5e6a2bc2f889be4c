use leptos::prelude::*;

use super::{matches, HubCard, RecordShare, ShareOutcome};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, I18n, T};
use crate::content::suggested_text;
use crate::points::{is_personalised, PointRules};
use crate::share::channel_name;
use crate::share::intent::{intent, x_length, Channel, Intent};
use crate::share::link::domain_of;
use crate::ui::RequireRole;
use crate::ui::{format_date, ErrorNote};

#[component]
pub fn HubPage() -> impl IntoView {
    view! {
        <RequireRole>
            <HubView/>
        </RequireRole>
    }
}

#[component]
fn HubView() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let hub = Resource::new(move || version.get(), |_| super::load_hub());
    let tag = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let sharing: RwSignal<Option<(HubCard, PointRules)>> = RwSignal::new(None);

    view! {
        <section class="card">
            <h1>{move || i18n.t(T::HubTitle)}</h1>
            <p class="muted">{move || i18n.t(T::HubIntro)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match hub.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(hub) => {
                            let rules = hub.rules;
                            let cards = StoredValue::new(hub.cards);
                            let tags = hub.tags.clone();
                            let shown = move || {
                                cards.with_value(|cards| {
                                    cards
                                        .iter()
                                        .filter(|c| tag.with(|t| query.with(|q| matches(c, t, q))))
                                        .cloned()
                                        .collect::<Vec<_>>()
                                })
                            };
                            view! {
                                <p data-testid="new-count">{move || if hub.new_count == 0 {
                                    i18n.t(T::HubNothingNew).to_string()
                                } else {
                                    i18n.n(T::HubNewCount, &[("count", hub.new_count as i64)])
                                }}</p>
                                <div class="filters" role="search">
                                    <label>
                                        <span class="sr-only">{move || i18n.t(T::HubSearch)}</span>
                                        <input type="search" id="hub-search" placeholder=move || i18n.t(T::HubSearch)
                                            prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                                    </label>
                                    <div class="tags" aria-label=move || i18n.t(T::HubTags)>
                                        <button type="button" class="chip" aria-pressed=move || tag.with(String::is_empty).to_string()
                                            on:click=move |_| tag.set(String::new())>{move || i18n.t(T::HubAllTags)}</button>
                                        {tags.into_iter().map(|t| {
                                            let value = t.clone();
                                            let pressed = value.clone();
                                            view! {
                                                <button type="button" class="chip" data-tag=t.clone()
                                                    aria-pressed=move || (tag.get() == pressed).to_string()
                                                    on:click=move |_| tag.set(value.clone())>{format!("#{t}")}</button>
                                            }
                                        }).collect_view()}
                                    </div>
                                </div>
                                <div class="hub-grid">
                                    {move || {
                                        let shown = shown();
                                        if shown.is_empty() {
                                            view! { <p data-testid="hub-empty">{move || i18n.t(T::HubEmpty)}</p> }.into_any()
                                        } else {
                                            shown.into_iter().map(|card| view! {
                                                <Card card=card on_share=move |c| sharing.set(Some((c, rules)))/>
                                            }).collect_view().into_any()
                                        }
                                    }}
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
        {move || sharing.get().map(|(card, rules)| view! {
            <ShareDialog card=card rules=rules
                on_close=move || sharing.set(None)
                on_shared=move || version.update(|v| *v += 1)/>
        })}
    }
}

#[component]
fn Card(card: HubCard, on_share: impl Fn(HubCard) + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let stats = colleagues_did(&card, i18n);
    let mine = card
        .my_channels
        .iter()
        .map(|c| channel_name(*c, i18n.lang()))
        .collect::<Vec<_>>()
        .join(", ");
    let has_mine = !mine.is_empty();
    let domain = domain_of(&card.destination_url).to_string();
    let shared = card.clone();
    view! {
        <article class="hub-card" data-testid="hub-card" data-item=card.id.to_string()>
            {card.image_id.map(|id| view! { <img class="hub-image" src=format!("/media/{id}") alt="" loading="lazy"/> })}
            <div class="hub-body">
                <p class="hub-meta">
                    {card.is_new.then(|| view! { <span class="badge new" data-testid="new-badge">{move || i18n.t(T::HubNew)}</span> })}
                    <time>{format_date(card.live_since)}</time>
                </p>
                <h2>{card.title.clone()}</h2>
                {if card.body_html.is_empty() {
                    view! { <p>{card.summary.clone()}</p> }.into_any()
                } else {
                    view! { <div class="post-body" inner_html=card.body_html.clone()></div> }.into_any()
                }}
                {card.author.clone().map(|name| view! {
                    <p class="muted" data-testid="card-author">{move || i18n.t(T::HubBy).replace("{name}", &name)}</p>
                })}
                <p class="hub-link">
                    <a href=card.destination_url.clone() target="_blank" rel="noopener noreferrer">{domain}</a>
                </p>
                <p class="tags">{card.tags.iter().map(|t| view! { <span class="tag">{format!("#{t}")}</span> }).collect_view()}</p>
                <p class="muted" data-testid="card-stats">{stats}</p>
                {has_mine.then(|| view! {
                    <p class="muted" data-testid="my-shares">{move || i18n.t(T::HubYouShared).replace("{channels}", &mine)}</p>
                })}
                <button type="button" class="primary" data-testid="share-button" on:click=move |_| on_share(shared.clone())>
                    {move || i18n.t(T::ShareButton)}
                </button>
            </div>
        </article>
    }
}

/// What colleagues have achieved with an item, as a line for its card.
pub fn colleagues_did(card: &HubCard, i18n: I18n) -> String {
    if card.shares == 0 {
        i18n.t(T::HubCardFirst).to_string()
    } else {
        i18n.n(
            T::HubCardStats,
            &[
                ("shares", card.shares),
                ("people", card.sharers),
                ("clicks", card.clicks),
            ],
        )
    }
}

/// Hands text to the clipboard; the promise's outcome is not awaited, since a
/// refusal only means the person pastes the text themselves.
fn copy_to_clipboard(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

#[component]
pub fn ShareDialog(
    card: HubCard,
    rules: PointRules,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
    on_shared: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let channel = RwSignal::new(Channel::LinkedIn);
    let card = StoredValue::new(card);
    let suggested =
        move || card.with_value(|c| suggested_text(&c.texts, channel.get(), &c.summary));
    let text = RwSignal::new(untrack(suggested));
    let item_id = card.with_value(|c| c.id);
    // Fetched as soon as a channel is picked, so that the share itself can
    // open the window synchronously (browsers block pop-ups opened later).
    let fetched = LocalResource::new(move || {
        let c = channel.get();
        async move { (c, super::share_link(item_id, c).await) }
    });
    // Only the link of the network picked now: while another one loads, the
    // previous network's link must not be shown or shared.
    let link = move || match fetched.get() {
        Some((c, result)) if c == channel.get() => Some(result),
        _ => None,
    };
    let record = ServerAction::<RecordShare>::new();
    let record_value = record.value();
    let record_pending = record.pending();
    let outcome: RwSignal<Option<Result<ShareOutcome, AppError>>> = RwSignal::new(None);
    let copied = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(result) = record_value.try_get().flatten() {
            if result.is_ok() {
                on_shared();
            }
            outcome.set(Some(result));
        }
    });
    let pick = move |c: Channel| {
        channel.set(c);
        text.set(card.with_value(|card| suggested_text(&card.texts, c, &card.summary)));
        outcome.set(None);
        copied.set(false);
    };
    let x_count = move || text.with(|t| x_length(t));
    let too_long = move || channel.get() == Channel::X && x_count() > crate::share::intent::X_LIMIT;
    let own_words = move || text.with(|t| is_personalised(&suggested(), t));
    let share = move |_| {
        let Some(Ok(link)) = untrack(link) else {
            return;
        };
        let c = channel.get_untracked();
        let body = text.get_untracked();
        let title = card.with_value(|c| c.title.clone());
        match intent(c, &title, &body, &link.url) {
            Intent::Open(url) if c == Channel::Email => {
                let _ = window().location().set_href(&url);
            }
            Intent::Open(url) => {
                // LinkedIn and Facebook take only the link: the text goes to
                // the clipboard for the person to paste there.
                if matches!(c, Channel::LinkedIn | Channel::Facebook) {
                    copy_to_clipboard(&body);
                    copied.set(true);
                }
                let _ = window().open_with_url_and_target_and_features(&url, "_blank", "noopener");
            }
            Intent::Clipboard(all) => {
                copy_to_clipboard(&all);
                copied.set(true);
            }
        }
        record.dispatch(RecordShare {
            item_id,
            channel: c,
            text: body,
        });
    };
    let close = on_close.clone();
    let close_key = on_close.clone();
    let title = card.with_value(|c| c.title.clone());

    view! {
        <div class="modal-backdrop" on:click=move |_| close()>
            <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="share-title"
                data-testid="share-dialog"
                on:click=|ev| ev.stop_propagation()
                on:keydown=move |ev| if ev.key() == "Escape" { close_key() }>
                <h2 id="share-title">{move || i18n.t(T::ShareTitle).replace("{title}", &title)}</h2>
                <div class="channels" role="radiogroup" aria-label=move || i18n.t(T::ShareChannel)>
                    {Channel::ALL.into_iter().map(|c| view! {
                        <button type="button" class="chip" role="radio" data-channel=c.code()
                            aria-checked=move || (channel.get() == c).to_string()
                            on:click=move |_| pick(c)>{move || channel_name(c, i18n.lang())}</button>
                    }).collect_view()}
                </div>
                <label for="share-text">{move || i18n.t(T::ShareText)}</label>
                <textarea id="share-text" rows="6" prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <p class="hint" data-testid="personalise-hint">{move || if own_words() {
                    i18n.n(T::ShareOwnWords, &[("points", rules.personalised_bonus)])
                } else {
                    i18n.n(T::SharePersonalise, &[("points", rules.personalised_bonus)])
                }}</p>
                <Show when=move || channel.get() == Channel::X>
                    <p class="counter" class:over=too_long data-testid="x-counter">
                        {move || format!("{} / {}", x_count(), crate::share::intent::X_LIMIT)}
                        " " {move || i18n.t(T::ShareLinkCounts)}
                    </p>
                </Show>
                <p class="muted">
                    {move || i18n.t(T::ShareYourLink)} " "
                    // In two unbreakable halves, so a narrow screen wraps it
                    // before the path, not inside the host or its port.
                    <code class="link-text" data-testid="tracked-link">{move || match link() {
                        Some(Ok(l)) => {
                            let (site, path) = l.url.split_at(l.url.find("/s/").unwrap_or(l.url.len()));
                            view! { <span>{site.to_string()}</span><wbr/><span>{path.to_string()}</span> }.into_any()
                        }
                        Some(Err(_)) => ().into_any(),
                        None => i18n.t(T::Loading).into_any(),
                    }}</code>
                </p>
                {move || match link() {
                    Some(Err(e)) => Some(view! { <ErrorNote error=Signal::stored(Some(e))/> }),
                    _ => None,
                }}
                <div class="actions">
                    <button type="button" class="primary" data-testid="share-go"
                        disabled=move || too_long() || !matches!(link(), Some(Ok(_))) || record_pending.try_get().unwrap_or(false)
                        on:click=share>
                        {move || match channel.get() {
                            Channel::Copy => i18n.t(T::ShareCopy).to_string(),
                            c => i18n.t(T::ShareOn).replace("{network}", channel_name(c, i18n.lang())),
                        }}
                    </button>
                    <button type="button" on:click=move |_| on_close()>{move || i18n.t(T::Close)}</button>
                </div>
                <Show when=move || copied.get()>
                    <p class="muted" data-testid="copied">{move || i18n.t(T::ShareCopied)}</p>
                </Show>
                {move || outcome.get().map(|result| match result {
                    Ok(o) => {
                        let message = if o.points > 0 {
                            i18n.n(T::ShareEarned, &[("points", o.points)])
                        } else {
                            i18n.t(T::ShareAgain).to_string()
                        };
                        view! {
                            <p class="success" role="status" data-testid="share-outcome">
                                {message} " " {i18n.n(T::ShareBalance, &[("points", o.spendable)])}
                            </p>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                })}
            </div>
        </div>
    }
}
