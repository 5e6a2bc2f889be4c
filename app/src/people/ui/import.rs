//! CSV import: the upload or pasted text, and the report of what was
//! imported and which lines were refused, with why.

use leptos::prelude::*;

use super::super::{ImportPeople, ImportReport};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::ui::{picked_file, ErrorNote};

#[component]
pub(super) fn ImportCsv(action: ServerAction<ImportPeople>) -> impl IntoView {
    let action_value = action.value();
    let action_pending = action.pending();
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<AppError>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = picked_file(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(value) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                text.set(value.as_string().unwrap_or_default());
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let csv = text.get_untracked();
        if csv.trim().is_empty() {
            local_error.set(Some(AppError::Invalid(T::ImportNothing)));
            return;
        }
        local_error.set(None);
        action.dispatch(ImportPeople { csv });
    };
    let error = Signal::derive(move || {
        local_error
            .get()
            .or_else(|| action_value.try_get().flatten().and_then(|r| r.err()))
    });
    view! {
        <details class="panel" open=move || action_value.try_with(|v| matches!(v, Some(Err(_)))).unwrap_or(false)>
            <summary>{move || i18n.t(T::ImportTitle)}</summary>
            <form class="stack" id="import-people" on:submit=on_submit>
                <p class="muted">{move || i18n.t(T::ImportHelp)}</p>
                <label>
                    <span>{move || i18n.t(T::ImportFile)}</span>
                    <input type="file" accept=".csv,text/csv" on:change=on_file/>
                </label>
                <label>
                    <span>{move || i18n.t(T::ImportPaste)}</span>
                    <textarea name="csv" rows="6" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
                <ErrorNote error=error/>
                <button type="submit" disabled=move || action_pending.try_get().unwrap_or(false)>{move || i18n.t(T::ImportButton)}</button>
            </form>
        </details>
    }
}

#[component]
pub(super) fn ImportReportView(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let count = report.created.len() as i64;
    view! {
        <div class="notice" role="status" data-testid="import-report">
            <p>{move || i18n.n(T::ImportResult, &[("count", count)])}</p>
            <ul>
                {report.created.iter().map(|inv| view! {
                    <li>{format!("{} <{}>: ", inv.name, inv.email)}<code>{inv.url.clone()}</code></li>
                }).collect_view()}
            </ul>
            <ul class="errors">
                {report.errors.iter().map(|e| {
                    let (row, email, error) = (e.row, e.email.clone(), e.error);
                    view! {
                        <li class="error">{move || format!("{} ({}): {}", i18n.t(T::ImportRowError).replace("{row}", &row.to_string()), email, i18n.t(error))}</li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
