//! "Write a post": the author's editor. Nothing typed is lost: every change
//! is kept in this browser at once and saved to the server a moment later,
//! and a save that fails (offline, server gone) is retried until it lands.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};

use super::ui::{CommentThread, PostFields, PostForm};
use super::{stage_label, Post, PostInput};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::content::stage::Stage;
use crate::ui::ErrorNote;
use crate::ui::RequireRole;

/// Typing pauses this long before a save goes out.
const SAVE_AFTER: Duration = Duration::from_millis(800);
/// A failed save is tried again this often.
const RETRY_AFTER: Duration = Duration::from_secs(4);

#[component]
pub fn PostEditorPage() -> impl IntoView {
    view! {
        <RequireRole>
            <EditorLoader/>
        </RequireRole>
    }
}

#[component]
fn EditorLoader() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let post = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => super::get_post(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // The editor reads this browser's copy, so it starts after hydration.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let loading = move || view! { <p>{move || i18n.t(T::Loading)}</p> };
    view! {
        <section class="card wide">
            <p><a href="/posts">{move || i18n.t(T::PostsBack)}</a></p>
            <Show when=move || mounted.get() fallback=loading>
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match post.await {
                            Ok(post) => view! { <AuthorEditor post=post/> }.into_any(),
                            Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </section>
    }
}

/// What this browser keeps of a post between keystrokes and saves.
#[derive(Serialize, Deserialize)]
struct LocalCopy {
    input: PostInput,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn local_key(id: Option<i64>) -> String {
    match id {
        Some(id) => format!("sprida.post.{id}"),
        None => "sprida.post.new".into(),
    }
}

fn read_local(id: Option<i64>) -> Option<PostInput> {
    let raw = storage()?.get_item(&local_key(id)).ok().flatten()?;
    serde_json::from_str::<LocalCopy>(&raw)
        .ok()
        .map(|c| c.input)
}

fn write_local(id: Option<i64>, input: &PostInput) {
    if let (Some(s), Ok(raw)) = (
        storage(),
        serde_json::to_string(&LocalCopy {
            input: input.clone(),
        }),
    ) {
        // A full storage only loses the browser copy; the server save goes on.
        let _ = s.set_item(&local_key(id), &raw);
    }
}

fn forget_local(id: Option<i64>) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&local_key(id));
    }
}

#[derive(Clone, PartialEq)]
enum SaveState {
    Saved(i64),
    Pending,
    Saving,
    /// Not saved on the server yet; kept in this browser and retried.
    Retrying(AppError),
    /// Refused for a reason retrying cannot fix.
    Refused(AppError),
}

fn clock(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// Errors a later try may get past (no connection, server restarting).
fn is_transient(e: &AppError) -> bool {
    matches!(e, AppError::ServerFn(_) | AppError::Internal)
}

#[component]
fn AuthorEditor(post: Option<Post>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let server_input = post.as_ref().map(|p| p.input.clone()).unwrap_or_default();
    let form = PostForm::new(&server_input);
    let id = RwSignal::new(post.as_ref().map(|p| p.id));
    let version = RwSignal::new(post.as_ref().map(|p| p.version));
    let stage = post.as_ref().map_or(Stage::Draft, |p| p.stage);
    let editable = stage.author_may_edit();
    let state = RwSignal::new(match &post {
        Some(p) => SaveState::Saved(p.updated_at),
        None => SaveState::Saved(0),
    });
    let restored = RwSignal::new(false);
    let submit_error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let comments = post
        .as_ref()
        .map(|p| p.comments.clone())
        .unwrap_or_default();
    let author_id = post.as_ref().map(|p| p.id);

    // What this browser kept and the server does not have yet wins: it is
    // the newer text (the tab closed or the connection dropped before it
    // was saved).
    if editable {
        if let Some(local) = read_local(author_id) {
            if local != server_input {
                form.set(&local);
                restored.set(true);
            } else {
                forget_local(author_id);
            }
        }
    }

    let in_flight = StoredValue::new(false);
    let again = StoredValue::new(false);
    let seq = StoredValue::new(0u64);
    // Declared before use: saving schedules itself again.
    let save_now: StoredValue<Option<Box<dyn Fn() + Send + Sync>>> = StoredValue::new(None);
    let schedule = move |after: Duration| {
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        set_timeout(
            move || {
                if seq.get_value() == mine {
                    save_now.with_value(|f| {
                        if let Some(f) = f {
                            f()
                        }
                    });
                }
            },
            after,
        );
    };
    save_now.set_value(Some(Box::new(move || {
        if in_flight.get_value() {
            again.set_value(true);
            return;
        }
        in_flight.set_value(true);
        state.set(SaveState::Saving);
        let input = form.input_untracked();
        let (was, base) = (id.get_untracked(), version.get_untracked());
        leptos::task::spawn_local(async move {
            let result = super::save_post(was, base, input.clone()).await;
            in_flight.set_value(false);
            match result {
                Ok(saved) => {
                    id.set(Some(saved.id));
                    version.set(Some(saved.version));
                    if was.is_none() {
                        forget_local(None);
                        // The address now names the post, so a reload finds it.
                        let _ = window().history().map(|h| {
                            h.replace_state_with_url(
                                &wasm_bindgen::JsValue::NULL,
                                "",
                                Some(&format!("/posts/{}", saved.id)),
                            )
                        });
                    }
                    if form.input_untracked() == input {
                        forget_local(Some(saved.id));
                        state.set(SaveState::Saved(saved.at));
                    } else {
                        write_local(Some(saved.id), &form.input_untracked());
                        state.set(SaveState::Pending);
                        schedule(SAVE_AFTER);
                    }
                }
                Err(e) if is_transient(&e) => {
                    state.set(SaveState::Retrying(e));
                    schedule(RETRY_AFTER);
                }
                Err(e) => state.set(SaveState::Refused(e)),
            }
            if again.get_value() {
                again.set_value(false);
                schedule(SAVE_AFTER);
            }
        });
    })));

    if restored.get_untracked() {
        state.set(SaveState::Pending);
        schedule(SAVE_AFTER);
    }
    // Every change: into this browser at once, to the server after a pause.
    Effect::new(move |previous: Option<PostInput>| {
        let input = form.input();
        if let Some(previous) = previous {
            if previous != input && editable {
                write_local(id.get_untracked(), &input);
                state.set(SaveState::Pending);
                schedule(SAVE_AFTER);
            }
        }
        input
    });

    let submitting = RwSignal::new(false);
    let submit = move |_| {
        submitting.set(true);
        submit_error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            // Whatever was typed last goes with the submission.
            let input = form.input_untracked();
            let saved = super::save_post(id.get_untracked(), version.get_untracked(), input).await;
            let result = match saved {
                Ok(saved) => {
                    id.set(Some(saved.id));
                    version.set(Some(saved.version));
                    seq.update_value(|s| *s += 1);
                    forget_local(None);
                    forget_local(Some(saved.id));
                    state.set(SaveState::Saved(saved.at));
                    super::submit_post(saved.id, saved.version).await
                }
                Err(e) => Err(e),
            };
            submitting.set(false);
            match result {
                Ok(_) => navigate("/posts", Default::default()),
                Err(e) => submit_error.set(Some(e)),
            }
        });
    };

    let status_line = move || match state.get() {
        SaveState::Saved(0) => i18n.t(T::PostNotSavedYet).to_string(),
        SaveState::Saved(at) => i18n.t(T::PostSavedAt).replace("{time}", &clock(at)),
        SaveState::Pending | SaveState::Saving => i18n.t(T::PostSaving).to_string(),
        SaveState::Retrying(_) => i18n.t(T::PostOffline).to_string(),
        SaveState::Refused(e) => e.message(i18n.lang()),
    };
    let heading = if post.is_some() {
        T::PostEditTitle
    } else {
        T::PostWrite
    };
    view! {
        <div class="row-between">
            <h1>{move || i18n.t(heading)}</h1>
            <span class=format!("badge stage-{}", stage.code()) data-testid="post-stage">{move || i18n.t(stage_label(stage))}</span>
        </div>
        {(!editable).then(|| {
            let why = match stage {
                Stage::Published | Stage::Approved => T::PostLockedPublished,
                Stage::Rejected => T::PostLockedRejected,
                _ => T::PostLocked,
            };
            view! { <p class="notice" role="status">{move || i18n.t(why)}</p> }
        })}
        {(stage == Stage::ChangesRequested).then(|| view! { <p class="notice" role="status">{move || i18n.t(T::PostChangesHelp)}</p> })}
        <Show when=move || restored.get()>
            <p class="notice" role="status" data-testid="restored">{move || i18n.t(T::PostRestored)}</p>
        </Show>
        <p class="save-state" role="status" aria-live="polite" data-testid="save-state"
            class:error=move || matches!(state.get(), SaveState::Refused(_) | SaveState::Retrying(_))>
            {status_line}
        </p>
        <form novalidate on:submit=move |ev| ev.prevent_default()>
            <PostFields form=form disabled=Signal::stored(!editable)/>
            <ErrorNote error=submit_error/>
            {editable.then(|| view! {
                <div class="actions">
                    <button type="button" class="primary" data-testid="submit-post"
                        disabled=move || submitting.get() on:click=submit>
                        {move || i18n.t(if stage == Stage::ChangesRequested { T::PostResubmit } else { T::PostSubmit })}
                    </button>
                </div>
            })}
        </form>
        {author_id.map(|id| view! {
            <CommentThread id=id comments=comments as_author=true/>
        })}
    }
}
