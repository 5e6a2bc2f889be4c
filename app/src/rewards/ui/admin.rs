//! `/admin/rewards`: the catalogue an administrator keeps — each reward's
//! name, picture, category, price, stock, limits, audience, dates, approval
//! and how it is fulfilled (with its delivery form or voucher pool).

use leptos::prelude::*;

use super::super::rules::LimitPeriod;
use super::super::{
    AddVouchers, DeliveryField, FieldKind, Fulfilment, RewardAdmin, RewardInput, SaveReward,
    CATEGORIES,
};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::content::{local_to_ms, ms_to_local, ImageField};
use crate::people::motivation::Motivation;
use crate::people::Group;
use crate::ui::{picked_file, ErrorNote, RequireRole};

#[component]
pub fn RewardsAdminPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <RewardsAdmin/>
        </RequireRole>
    }
}

#[component]
fn RewardsAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let rewards = Resource::new(move || version.get(), |_| super::super::list_rewards());
    let groups = Resource::new(|| (), |_| crate::people::list_groups());
    // None: the list; Some(None): a new reward; Some(Some(r)): editing r.
    let editing: RwSignal<Option<Option<RewardAdmin>>> = RwSignal::new(None);
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::RewardsAdminTitle)}</h1>
            <p class="muted">{move || i18n.t(T::RewardsAdminHelp)}</p>
            <Show when=move || editing.with(Option::is_none)>
                <button type="button" class="primary" data-testid="new-reward"
                    on:click=move |_| editing.set(Some(None))>{move || i18n.t(T::RewardsNew)}</button>
            </Show>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let (list, groups) = match (rewards.await, groups.await) {
                        (Ok(l), Ok(g)) => (l, g),
                        (Err(e), _) | (_, Err(e)) => return view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    };
                    let groups = StoredValue::new(groups);
                    view! {
                        {move || editing.get().map(|current| view! {
                            <RewardEditor current=current groups=groups.get_value()
                                on_done=move || { editing.set(None); version.update(|v| *v += 1); }/>
                        })}
                        <Show when=move || editing.with(Option::is_none)>
                            <RewardTable list=list.clone() on_edit=move |r| editing.set(Some(Some(r)))/>
                        </Show>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RewardTable(
    list: Vec<RewardAdmin>,
    on_edit: impl Fn(RewardAdmin) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p class="muted">{move || i18n.t(T::RewardsAdminEmpty)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="rewards-admin">
                <thead><tr>
                    <th>{move || i18n.t(T::RewardName)}</th>
                    <th>{move || i18n.t(T::RewardPrice)}</th>
                    <th>{move || i18n.t(T::RewardFulfilment)}</th>
                    <th>{move || i18n.t(T::RewardRequested)}</th>
                    <th><span class="sr-only">{move || i18n.t(T::Edit)}</span></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|r| {
                        let stored = StoredValue::new(r.clone());
                        let input = r.input.clone();
                        let left = if input.fulfilment == Fulfilment::Voucher { Some(r.codes_left) } else { input.stock };
                        view! {
                            <tr data-testid="reward-row">
                                <td>{input.name.clone()}{(!input.active).then(|| view! { " " <span class="badge">{move || i18n.t(T::RewardInactive)}</span> })}</td>
                                <td>{input.price}</td>
                                <td>{move || i18n.t(input.fulfilment.label())}
                                    {left.map(|l| view! { " · " {move || i18n.n(T::RewardsLeft, &[("count", l)])} })}</td>
                                <td>{r.requested}</td>
                                <td><button type="button" on:click=move |_| on_edit(stored.get_value())>{move || i18n.t(T::Edit)}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn number(text: &str) -> Result<Option<i64>, AppError> {
    let t = text.trim().replace([' ', '\u{a0}'], "");
    if t.is_empty() {
        Ok(None)
    } else {
        t.parse()
            .map(Some)
            .map_err(|_| AppError::Invalid(T::ErrRewardCount))
    }
}

#[component]
fn RewardEditor(
    current: Option<RewardAdmin>,
    groups: Vec<Group>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = current.as_ref().map(|r| r.id);
    let codes_left = current.as_ref().map(|r| r.codes_left);
    let start = current
        .map(|r| r.input)
        .unwrap_or_else(|| RewardInput::new("", "", Motivation::Experiences, 100));
    let name = RwSignal::new(start.name.clone());
    let description = RwSignal::new(start.description.clone());
    let image = RwSignal::new(start.image_id);
    let category = RwSignal::new(start.category);
    let price = RwSignal::new(start.price.to_string());
    let stock = RwSignal::new(start.stock.map(|n| n.to_string()).unwrap_or_default());
    let per_person = RwSignal::new(start.per_person.map(|n| n.to_string()).unwrap_or_default());
    let period = RwSignal::new(start.limit_period);
    let from = RwSignal::new(ms_to_local(start.available_from));
    let until = RwSignal::new(ms_to_local(start.available_until));
    let approval = RwSignal::new(start.needs_approval);
    let fulfilment = RwSignal::new(start.fulfilment);
    let fields = RwSignal::new(start.fields.clone());
    let chosen_groups = RwSignal::new(start.groups.clone());
    let active = RwSignal::new(start.active);
    let cost = RwSignal::new(start.cost.map(|n| n.to_string()).unwrap_or_default());
    let local_error = RwSignal::new(None::<AppError>);
    let save = ServerAction::<SaveReward>::new();
    let (value, pending) = (save.value(), save.pending());
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.try_get().flatten() {
            on_done();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = || -> Result<RewardInput, AppError> {
            Ok(RewardInput {
                name: name.get_untracked(),
                description: description.get_untracked(),
                image_id: image.get_untracked(),
                category: category.get_untracked(),
                price: number(&price.get_untracked())?
                    .ok_or(AppError::Invalid(T::ErrRewardPrice))?,
                stock: number(&stock.get_untracked())?,
                per_person: number(&per_person.get_untracked())?,
                limit_period: period.get_untracked(),
                available_from: local_to_ms(&from.get_untracked())?,
                available_until: local_to_ms(&until.get_untracked())?,
                needs_approval: approval.get_untracked(),
                fulfilment: fulfilment.get_untracked(),
                fields: fields.get_untracked(),
                groups: chosen_groups.get_untracked(),
                active: active.get_untracked(),
                cost: number(&cost.get_untracked())
                    .map_err(|_| AppError::Invalid(T::ErrRewardCost))?,
            })
        };
        match read().and_then(|input| super::super::validate(&input)) {
            Ok(input) => {
                local_error.set(None);
                save.dispatch(SaveReward { id, input });
            }
            Err(e) => local_error.set(Some(e)),
        }
    };
    let error = Signal::derive(move || {
        local_error
            .get()
            .or_else(|| value.try_get().flatten().and_then(|r| r.err()))
    });
    view! {
        <form class="stack" id="reward-form" on:submit=submit novalidate>
            <h2>{move || i18n.t(if id.is_some() { T::RewardsEdit } else { T::RewardsNew })}</h2>
            <label for="r-name">{move || i18n.t(T::RewardName)}</label>
            <input id="r-name" required maxlength="120" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="r-description">{move || i18n.t(T::RewardDescription)}</label>
            <textarea id="r-description" rows="3" maxlength="2000" prop:value=description
                on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            <ImageField image=image/>
            <div class="two">
                <div>
                    <label for="r-category">{move || i18n.t(T::RewardCategory)}</label>
                    <select id="r-category" on:change=move |ev| {
                        if let Some(m) = Motivation::parse(&event_target_value(&ev)) { category.set(m) }
                    }>
                        {CATEGORIES.into_iter().map(|m| view! {
                            <option value=m.code() selected=move || category.get() == m>{move || i18n.t(m.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="r-price">{move || i18n.t(T::RewardPrice)}</label>
                    <input id="r-price" type="number" min="1" inputmode="numeric" prop:value=price
                        on:input=move |ev| price.set(event_target_value(&ev))/>
                </div>
            </div>
            <div class="two">
                <div>
                    <label for="r-fulfilment">{move || i18n.t(T::RewardFulfilment)}</label>
                    <select id="r-fulfilment" on:change=move |ev| {
                        if let Some(f) = Fulfilment::parse(&event_target_value(&ev)) { fulfilment.set(f) }
                    }>
                        {Fulfilment::ALL.into_iter().map(|f| view! {
                            <option value=f.code() selected=move || fulfilment.get() == f>{move || i18n.t(f.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || fulfilment.get() != Fulfilment::Voucher>
                    <div>
                        <label for="r-stock">{move || i18n.t(T::RewardStock)}</label>
                        <input id="r-stock" type="number" min="0" inputmode="numeric" prop:value=stock
                            placeholder=move || i18n.t(T::RewardNoLimit) on:input=move |ev| stock.set(event_target_value(&ev))/>
                    </div>
                </Show>
            </div>
            <label for="r-cost">{move || i18n.t(T::RewardCost)}</label>
            <input id="r-cost" type="number" min="0" inputmode="numeric" data-testid="reward-cost" prop:value=cost
                on:input=move |ev| cost.set(event_target_value(&ev))/>
            <div class="two">
                <div>
                    <label for="r-per-person">{move || i18n.t(T::RewardPerPerson)}</label>
                    <input id="r-per-person" type="number" min="0" inputmode="numeric" prop:value=per_person
                        placeholder=move || i18n.t(T::RewardNoLimit) on:input=move |ev| per_person.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="r-period">{move || i18n.t(T::RewardPeriod)}</label>
                    <select id="r-period" on:change=move |ev| {
                        if let Some(p) = LimitPeriod::parse(&event_target_value(&ev)) { period.set(p) }
                    }>
                        {LimitPeriod::ALL.into_iter().map(|p| view! {
                            <option value=p.code() selected=move || period.get() == p>{move || i18n.t(p.label())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="two">
                <div>
                    <label for="r-from">{move || i18n.t(T::RewardFrom)}</label>
                    <input id="r-from" type="datetime-local" prop:value=from on:input=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="r-until">{move || i18n.t(T::RewardUntil)}</label>
                    <input id="r-until" type="datetime-local" prop:value=until on:input=move |ev| until.set(event_target_value(&ev))/>
                </div>
            </div>
            <label class="check"><input type="checkbox" id="r-approval" prop:checked=approval
                on:change=move |ev| approval.set(event_target_checked(&ev))/>{move || i18n.t(T::RewardNeedsApproval)}</label>
            <label class="check"><input type="checkbox" id="r-active" prop:checked=active
                on:change=move |ev| active.set(event_target_checked(&ev))/>{move || i18n.t(T::RewardActive)}</label>
            <fieldset>
                <legend>{move || i18n.t(T::RewardAudience)}</legend>
                <p class="muted">{move || i18n.t(T::RewardAudienceHelp)}</p>
                <div class="checks">
                    {groups.into_iter().map(|g| {
                        let gid = g.id;
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=move || chosen_groups.with(|gs| gs.contains(&gid))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen_groups.update(|gs| { gs.retain(|x| *x != gid); if on { gs.push(gid); } });
                                    }/>
                                {format!("{} ({})", g.name, i18n.t(g.kind.label()))}
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <Show when=move || fulfilment.get() == Fulfilment::Delivery>
                <FieldsEditor fields=fields/>
            </Show>
            <ErrorNote error=error/>
            <div class="row">
                <button type="submit" class="primary" data-testid="save-reward"
                    disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
                <button type="button" on:click=move |_| on_done()>{move || i18n.t(T::Cancel)}</button>
            </div>
        </form>
        {move || (fulfilment.get() == Fulfilment::Voucher).then(|| match id {
            Some(id) => view! { <VoucherUpload reward_id=id left=codes_left.unwrap_or(0)/> }.into_any(),
            None => view! { <p class="muted">{move || i18n.t(T::RewardVouchersAfterSave)}</p> }.into_any(),
        })}
    }
}

/// The delivery form's design: one row per field.
#[component]
fn FieldsEditor(fields: RwSignal<Vec<DeliveryField>>) -> impl IntoView {
    let i18n = use_i18n();
    let edit = move |i: usize, f: &dyn Fn(&mut DeliveryField)| {
        fields.update(|all| {
            if let Some(x) = all.get_mut(i) {
                f(x)
            }
        })
    };
    view! {
        <fieldset data-testid="delivery-fields">
            <legend>{move || i18n.t(T::RewardFields)}</legend>
            <p class="muted">{move || i18n.t(T::RewardFieldsHelp)}</p>
            {move || fields.get().into_iter().enumerate().map(|(i, f)| {
                let label_id = format!("f-label-{i}");
                let kind_id = format!("f-kind-{i}");
                let choices_id = format!("f-choices-{i}");
                view! {
                    <div class="field-row">
                        <label for=label_id.clone()>{move || i18n.t(T::RewardFieldLabel)}</label>
                        <input id=label_id maxlength="80" value=f.label.clone()
                            on:change=move |ev| { let v = event_target_value(&ev); edit(i, &|x| x.label = v.clone()) }/>
                        <label for=kind_id.clone()>{move || i18n.t(T::RewardFieldKind)}</label>
                        <select id=kind_id on:change=move |ev| {
                            if let Some(k) = FieldKind::parse(&event_target_value(&ev)) { edit(i, &|x| x.kind = k) }
                        }>
                            {FieldKind::ALL.into_iter().map(|k| view! {
                                <option value=k.code() selected={k == f.kind}>{move || i18n.t(k.label())}</option>
                            }).collect_view()}
                        </select>
                        {(f.kind == FieldKind::Choice).then(|| view! {
                            <label for=choices_id.clone()>{move || i18n.t(T::RewardFieldChoices)}</label>
                            <input id=choices_id value=f.choices.join(", ")
                                on:change=move |ev| {
                                    let v: Vec<String> = event_target_value(&ev).split(',').map(|c| c.trim().to_string()).collect();
                                    edit(i, &|x| x.choices = v.clone())
                                }/>
                        })}
                        <label class="check"><input type="checkbox" prop:checked=f.required
                            on:change=move |ev| { let on = event_target_checked(&ev); edit(i, &|x| x.required = on) }/>
                            {move || i18n.t(T::RewardFieldRequired)}</label>
                        <button type="button" class="link" on:click=move |_| fields.update(|all| { all.remove(i); })>
                            {move || i18n.t(T::RewardFieldRemove)}</button>
                    </div>
                }
            }).collect_view()}
            <button type="button" data-testid="add-field" on:click=move |_| fields.update(|all| all.push(DeliveryField {
                label: String::new(),
                kind: FieldKind::Text,
                required: true,
                choices: Vec::new(),
            }))>{move || i18n.t(T::RewardFieldAdd)}</button>
        </fieldset>
    }
}

/// Voucher codes from a CSV file or pasted text: one code per row.
#[component]
fn VoucherUpload(reward_id: i64, left: i64) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let add = ServerAction::<AddVouchers>::new();
    let (value, pending) = (add.value(), add.pending());
    let on_file = move |ev: leptos::ev::Event| {
        if let Some(file) = picked_file(&ev) {
            leptos::task::spawn_local(async move {
                if let Ok(t) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    text.set(t.as_string().unwrap_or_default());
                }
            });
        }
    };
    view! {
        <section class="panel" data-testid="vouchers">
            <h3>{move || i18n.t(T::RewardVouchers)}</h3>
            <p class="muted">{move || i18n.n(T::RewardVouchersLeft, &[("count", left)])}</p>
            <label for="voucher-file">{move || i18n.t(T::RewardVouchersFile)}</label>
            <input id="voucher-file" type="file" accept=".csv,text/csv,text/plain" on:change=on_file/>
            <label for="voucher-text">{move || i18n.t(T::RewardVouchersPaste)}</label>
            <textarea id="voucher-text" rows="4" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
            {move || value.try_get().flatten().and_then(|r| r.ok()).map(|r| view! {
                <p class="success" role="status" data-testid="voucher-report">
                    {move || i18n.n(T::RewardVouchersAdded, &[("count", r.added), ("duplicates", r.duplicates), ("left", r.left)])}
                </p>
            })}
            <button type="button" data-testid="add-vouchers" disabled=move || pending.try_get().unwrap_or(false)
                on:click=move |_| { add.dispatch(AddVouchers { reward_id, csv: text.get_untracked() }); }>
                {move || i18n.t(T::RewardVouchersAdd)}</button>
        </section>
    }
}
