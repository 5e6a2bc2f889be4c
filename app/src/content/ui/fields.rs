//! Form fields shared by curated items and employee posts: the image
//! picker, the suggested texts per network, targeting and schedule, and
//! the browser-local date conversion they need.

use leptos::prelude::*;

use super::super::{image::MAX_BYTES, TEXT_CHANNELS};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::people::Group;
use crate::share::channel_name;
use crate::share::intent::{x_length, Channel, X_LIMIT};
use crate::ui::{picked_file, ErrorNote};

/// `datetime-local` values are in the browser's time zone; only the browser
/// knows it, so the conversion happens there (the editor renders only after
/// hydration).
pub(crate) fn local_to_ms(value: &str) -> Result<Option<i64>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    if ms.is_nan() {
        Err(AppError::Invalid(T::ErrDate))
    } else {
        Ok(Some(ms as i64))
    }
}

pub(crate) fn ms_to_local(ms: Option<i64>) -> String {
    let Some(ms) = ms else {
        return String::new();
    };
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The image picker: checks the size here, uploads, and shows the result or
/// why it was refused.
#[component]
pub(crate) fn ImageField(
    image: RwSignal<Option<i64>>,
    #[prop(optional, into)] disabled: MaybeProp<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let disabled = move || disabled.get().unwrap_or(false);
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let upload = Action::new_local(|data: &String| super::super::upload_image(data.clone()));
    let upload_value = upload.value();
    let upload_pending = upload.pending();
    Effect::new(move |_| match upload_value.try_get().flatten() {
        Some(Ok(id)) => {
            image.set(Some(id));
            error.set(None);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let pick_image = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else {
            return;
        };
        if file.size() > MAX_BYTES as f64 {
            error.set(Some(AppError::TooLarge(T::ErrImageTooBig)));
            return;
        }
        leptos::task::spawn_local(async move {
            let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
                error.set(Some(AppError::Invalid(T::ErrImageType)));
                return;
            };
            use base64::Engine;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            upload.dispatch_local(base64::engine::general_purpose::STANDARD.encode(bytes));
        });
    };
    view! {
        <label for="c-image">{move || i18n.t(T::ContentImage)}</label>
        <p class="muted">{move || i18n.t(T::ContentImageHelp)}</p>
        {move || image.get().map(|id| view! {
            <p class="image-preview">
                <img src=format!("/media/{id}") alt="" data-testid="image-preview"/>
                <button type="button" disabled=disabled on:click=move |_| image.set(None)>{move || i18n.t(T::ContentImageRemove)}</button>
            </p>
        })}
        <input id="c-image" type="file" accept="image/jpeg,image/png,image/webp" disabled=disabled on:change=pick_image/>
        <Show when=move || upload_pending.try_get().unwrap_or(false)>
            <p class="muted" role="status">{move || i18n.t(T::Uploading)}</p>
        </Show>
        <ErrorNote error=Signal::derive(move || error.get())/>
    }
}

/// A suggested text per network, each with its length (and X's limit, the
/// link counted as 23).
#[component]
pub(crate) fn TextFields(
    texts: [RwSignal<String>; 5],
    #[prop(optional, into)] disabled: MaybeProp<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let disabled = move || disabled.get().unwrap_or(false);
    view! {
        <fieldset>
            <legend>{move || i18n.t(T::ContentTexts)}</legend>
            <p class="muted">{move || i18n.t(T::ContentTextsHelp)}</p>
            {TEXT_CHANNELS.into_iter().zip(texts).map(|(channel, text)| {
                let field = format!("c-text-{}", channel.code());
                view! {
                    <label for=field.clone()>{move || channel_name(channel, i18n.lang())}</label>
                    <textarea id=field rows="3" prop:value=text disabled=disabled
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    {if channel == Channel::X {
                        let count = move || text.with(|t| x_length(t));
                        let over = move || count() > X_LIMIT;
                        view! {
                            <p class="counter" class:over=over data-testid="x-suggested-counter">
                                {move || format!("{} / {X_LIMIT}", count())} " " {move || i18n.t(T::ShareLinkCounts)}
                            </p>
                        }.into_any()
                    } else {
                        view! {
                            <p class="counter" data-testid=format!("{}-counter", channel.code())>
                                {move || i18n.n(T::CharCount, &[("count", text.with(|t| t.chars().count()) as i64)])}
                            </p>
                        }.into_any()
                    }}
                }
            }).collect_view()}
        </fieldset>
    }
}

/// Who sees an item and when.
#[component]
pub(crate) fn TargetFields(
    groups: Vec<Group>,
    selected: RwSignal<Vec<i64>>,
    publish: RwSignal<String>,
    expires: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset>
            <legend>{move || i18n.t(T::ContentTargets)}</legend>
            <p class="muted">{move || i18n.t(T::ContentTargetsHelp)}</p>
            <div class="checks">
                {groups.into_iter().map(|g| {
                    let gid = g.id;
                    view! {
                        <label class="check">
                            <input type="checkbox" value=gid.to_string()
                                prop:checked=move || selected.with(|gs| gs.contains(&gid))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    selected.update(|gs| {
                                        gs.retain(|x| *x != gid);
                                        if on { gs.push(gid); }
                                    });
                                }/>
                            {format!("{} ({})", g.name, i18n.t(g.kind.label()))}
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
        <div class="two">
            <div>
                <label for="c-publish">{move || i18n.t(T::ContentPublishAt)}</label>
                <input id="c-publish" type="datetime-local" prop:value=publish
                    on:input=move |ev| publish.set(event_target_value(&ev))/>
            </div>
            <div>
                <label for="c-expires">{move || i18n.t(T::ContentExpiresAt)}</label>
                <input id="c-expires" type="datetime-local" prop:value=expires
                    on:input=move |ev| expires.set(event_target_value(&ev))/>
            </div>
        </div>
        <p class="muted">{move || i18n.t(T::ContentScheduleHelp)}</p>
    }
}
