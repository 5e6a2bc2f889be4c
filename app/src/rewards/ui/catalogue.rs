//! `/rewards`: what I can spend, rewards that match what motivates me
//! first, redeeming one (with its delivery form), and my requests.

use leptos::prelude::*;

use super::super::{Catalogue, FieldKind, Offer, RedeemReward, Request, Status};
use crate::base::i18n::{use_i18n, T};
use crate::ui::{format_date, format_thousands, new_key, ErrorNote, RequireRole};

#[component]
pub fn RewardsPage() -> impl IntoView {
    view! {
        <RequireRole>
            <Rewards/>
        </RequireRole>
    }
}

#[component]
fn Rewards() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let catalogue = Resource::new(move || version.get(), |_| super::super::rewards_catalogue());
    let mine = Resource::new(
        move || version.get(),
        |_| super::super::my_reward_requests(),
    );
    crate::ui::listen("/events/live", &["rewards", "points"], move || {
        version.update(|v| *v += 1)
    });
    let open: RwSignal<Option<Offer>> = RwSignal::new(None);
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::RewardsTitle)}</h1>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match catalogue.await {
                        Ok(c) => view! { <CatalogueView catalogue=c open=open/> }.into_any(),
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        {move || open.get().map(|offer| view! {
            <RedeemDialog offer=offer on_close=move || { open.set(None); version.update(|v| *v += 1); }/>
        })}
        <section class="card" id="my-requests" aria-labelledby="my-requests-title">
            <h2 id="my-requests-title">{move || i18n.t(T::RewardsMine)}</h2>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t(T::RewardsNoneYet)}</p> }.into_any(),
                        Ok(list) => view! { <MyRequests list=list on_change=move || version.update(|v| *v += 1)/> }.into_any(),
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CatalogueView(catalogue: Catalogue, open: RwSignal<Option<Offer>>) -> impl IntoView {
    let i18n = use_i18n();
    // The next reward worth saving for: the first that moves me and that I
    // cannot yet afford (the list is in that order already).
    let next = catalogue
        .offers
        .iter()
        .find(|o| o.refusal.is_none() && o.points_to_go > 0)
        .map(|o| (o.name.clone(), o.points_to_go));
    view! {
        <div class="figures" data-testid="reward-balances">
            {[
                (T::ImpactSpendable, catalogue.spendable, "rewards-spendable"),
                (T::ImpactLifetime, catalogue.lifetime, "rewards-lifetime"),
                (T::RewardsHeld, catalogue.held, "rewards-held"),
            ].into_iter().map(|(label, value, id)| view! {
                <div class="figure">
                    <span class="value" data-testid=id>{format_thousands(value)}</span>
                    <span class="label">{move || i18n.t(label)}</span>
                </div>
            }).collect_view()}
        </div>
        {next.map(|(name, to_go)| view! {
            <p data-testid="next-reward">{move || i18n.n(T::RewardsToGo, &[("points", to_go)]).replace("{name}", &name)}</p>
        })}
        {if catalogue.offers.is_empty() {
            view! { <p class="muted">{move || i18n.t(T::RewardsEmpty)}</p> }.into_any()
        } else {
            view! {
                <ul class="rewards" data-testid="rewards">
                    {catalogue.offers.into_iter().map(|o| view! { <OfferCard offer=o open=open/> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn OfferCard(offer: Offer, open: RwSignal<Option<Offer>>) -> impl IntoView {
    let i18n = use_i18n();
    let stored = StoredValue::new(offer.clone());
    let (price, to_go, category) = (offer.price, offer.points_to_go, offer.category);
    view! {
        <li class="reward" data-testid="reward" data-id=offer.id.to_string() class:matches=offer.matches>
            {offer.image_id.map(|id| view! { <img class="reward-image" src=format!("/media/{id}") alt="" width="320" height="180"/> })}
            <h3>{offer.name.clone()}</h3>
            <p class="muted">
                {move || i18n.t(category.label())}
                {offer.matches.then(|| view! { " · " <span class="badge">{move || i18n.t(T::RewardsMatches)}</span> })}
            </p>
            <p>{offer.description.clone()}</p>
            <p><strong data-testid="reward-price">{move || i18n.n(T::RewardsPrice, &[("points", price)])}</strong>
                {offer.left.map(|left| view! { " · " <span data-testid="reward-left">{move || i18n.n(T::RewardsLeft, &[("count", left)])}</span> })}
            </p>
            {match offer.refusal {
                Some(why) => view! { <p class="muted" data-testid="reward-refusal">{move || i18n.t(why)}</p> }.into_any(),
                None if to_go > 0 => view! {
                    <p class="muted" data-testid="reward-to-go">{move || i18n.n(T::RewardsPointsToGo, &[("points", to_go)])}</p>
                }.into_any(),
                None => view! {
                    <button type="button" class="primary" data-testid="redeem"
                        on:click=move |_| open.set(Some(stored.get_value()))>{move || i18n.t(T::RewardsRedeem)}</button>
                }.into_any(),
            }}
        </li>
    }
}

/// Confirms a redemption, with the reward's delivery form when it has one.
#[component]
fn RedeemDialog(
    offer: Offer,
    on_close: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = new_key();
    let answers: Vec<RwSignal<String>> = offer
        .fields
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let redeem = ServerAction::<RedeemReward>::new();
    let (value, pending) = (redeem.value(), redeem.pending());
    let reward_id = offer.id;
    let stored_answers = StoredValue::new(answers.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        redeem.dispatch(RedeemReward {
            reward_id,
            key: key.clone(),
            answers: stored_answers
                .get_value()
                .iter()
                .map(|a| a.get_untracked())
                .collect(),
        });
    };
    let done = move || value.try_get().flatten().and_then(|r| r.ok());
    let close = on_close.clone();
    let escape = on_close.clone();
    view! {
        <div class="modal-backdrop">
            <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="redeem-title" data-testid="redeem-dialog"
                on:keydown=move |ev| if ev.key() == "Escape" { escape() }>
                <h2 id="redeem-title">{offer.name.clone()}</h2>
                <Show when=move || done().is_none() fallback=move || view! { <RedeemDone request=done()/> }>
                    <form class="stack" on:submit=submit.clone() novalidate>
                        <p>{move || i18n.n(T::RewardsConfirm, &[("points", offer.price)])}</p>
                        {offer.fields.iter().zip(answers.clone()).enumerate().map(|(i, (f, answer))| {
                            let id = format!("answer-{i}");
                            let label = f.label.clone();
                            let input = match f.kind {
                                FieldKind::Address => view! {
                                    <textarea id=id.clone() rows="3" required=f.required maxlength="500"
                                        prop:value=answer on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                                }.into_any(),
                                FieldKind::Choice => view! {
                                    <select id=id.clone() required=f.required on:change=move |ev| answer.set(event_target_value(&ev))>
                                        <option value="">{move || i18n.t(T::RewardsChoose)}</option>
                                        {f.choices.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                                    </select>
                                }.into_any(),
                                kind => view! {
                                    <input id=id.clone() required=f.required maxlength="500"
                                        type=match kind { FieldKind::Number => "number", FieldKind::Date => "date", _ => "text" }
                                        prop:value=answer on:input=move |ev| answer.set(event_target_value(&ev))/>
                                }.into_any(),
                            };
                            view! { <label for=id>{label}{f.required.then_some(" *")}</label> {input} }
                        }).collect_view()}
                        <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
                        <div class="row">
                            <button type="submit" class="primary" data-testid="redeem-confirm"
                                disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::RewardsRedeem)}</button>
                            <button type="button" on:click={let c = close.clone(); move |_| c()}>{move || i18n.t(T::Cancel)}</button>
                        </div>
                    </form>
                </Show>
                <Show when=move || done().is_some()>
                    <button type="button" class="primary" on:click={let c = on_close.clone(); move |_| c()}>{move || i18n.t(T::Close)}</button>
                </Show>
            </div>
        </div>
    }
}

#[component]
fn RedeemDone(request: Option<Request>) -> impl IntoView {
    let i18n = use_i18n();
    let Some(r) = request else {
        return ().into_any();
    };
    let points = r.points;
    view! {
        <div role="status" data-testid="redeem-outcome">
            {if r.status == Status::Requested {
                view! { <p>{move || i18n.n(T::RewardsHeldNow, &[("points", points)])}</p> }.into_any()
            } else {
                view! { <p>{move || i18n.n(T::RewardsSpentNow, &[("points", points)])}</p> }.into_any()
            }}
            {r.voucher.map(|code| view! { <p>{move || i18n.t(T::RewardsYourCode)}" " <code data-testid="voucher-code">{code.clone()}</code></p> })}
        </div>
    }
    .into_any()
}

#[component]
fn MyRequests(
    list: Vec<Request>,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let cancel = Action::new_local(|id: &i64| super::super::cancel_reward_request(*id));
    let cancel_value = cancel.value();
    let changed = on_change.clone();
    Effect::new(move |_| {
        if let Some(Ok(())) = cancel_value.try_get().flatten() {
            changed();
        }
    });
    view! {
        <ErrorNote error=Signal::derive(move || cancel_value.try_get().flatten().and_then(|r| r.err()))/>
        <ul class="requests" data-testid="my-requests">
            {list.into_iter().map(|r| {
                let (id, status, points) = (r.id, r.status, r.points);
                view! {
                    <li data-testid="my-request" data-status=status.code()>
                        <strong>{r.reward.clone()}</strong>
                        " · " <span data-testid="request-status">{move || i18n.t(status.label())}</span>
                        " · " {move || i18n.n(T::RewardsPrice, &[("points", points)])}
                        " · " <time>{format_date(r.created_at)}</time>
                        {r.voucher.clone().map(|code| view! { <p>{move || i18n.t(T::RewardsYourCode)}" " <code data-testid="my-voucher">{code.clone()}</code></p> })}
                        {(!r.note.is_empty()).then(|| view! { <p class="muted" data-testid="request-note">{r.note.clone()}</p> })}
                        {(status == Status::Requested).then(|| view! {
                            <button type="button" data-testid="cancel-request" on:click=move |_| { cancel.dispatch_local(id); }>
                                {move || i18n.t(T::RewardsCancel)}
                            </button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
