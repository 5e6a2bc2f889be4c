//! The curators' pages: the content list and the item editor. The form
//! fields that employee posts use too are in `fields`.

mod fields;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::{
    ContentInput, ContentItem, ContentStatus, DeleteContent, SaveContent, SetContentStatus,
    SuggestedText, CURATORS, TEXT_CHANNELS,
};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::people::Group;
use crate::share::intent::Channel;
use crate::ui::RequireRole;
use crate::ui::{confirm, format_date, ErrorNote, Outcome};

#[component]
pub fn ContentListPage() -> impl IntoView {
    view! {
        <RequireRole roles=CURATORS.to_vec()>
            <ContentList/>
        </RequireRole>
    }
}

#[component]
fn ContentList() -> impl IntoView {
    let i18n = use_i18n();
    let rows = Resource::new(|| (), |_| super::list_content());
    view! {
        <section class="card">
            <div class="row-between">
                <h1>{move || i18n.t(T::ContentTitle)}</h1>
                <a class="button primary" href="/content/new" data-testid="new-item">{move || i18n.t(T::ContentNew)}</a>
            </div>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p>{move || i18n.t(T::ContentNone)}</p> }.into_any(),
                        Ok(rows) => view! {
                            <table class="table" data-testid="content-table">
                                <thead><tr>
                                    <th>{move || i18n.t(T::ContentItemTitle)}</th>
                                    <th>{move || i18n.t(T::PeopleStatus)}</th>
                                    <th class="num">{move || i18n.t(T::ImpactShares)}</th>
                                    <th class="num">{move || i18n.t(T::ImpactClicks)}</th>
                                    <th>{move || i18n.t(T::ContentUpdated)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            // A post is changed on the review board, not here.
                                            <td><a href=if r.post { format!("/review/{}", r.id) } else { format!("/content/{}", r.id) }>{r.title.clone()}</a></td>
                                            <td>
                                                {move || i18n.t(r.status.label())}
                                                {r.live.then(|| view! { " " <span class="badge live">{move || i18n.t(T::ContentLive)}</span> })}
                                            </td>
                                            <td class="num">{r.shares}</td>
                                            <td class="num">{r.clicks}</td>
                                            <td>{format_date(r.updated_at)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[derive(Clone, Copy)]
struct Form {
    title: RwSignal<String>,
    summary: RwSignal<String>,
    url: RwSignal<String>,
    image: RwSignal<Option<i64>>,
    texts: [RwSignal<String>; 5],
    tags: RwSignal<String>,
    groups: RwSignal<Vec<i64>>,
    publish: RwSignal<String>,
    expires: RwSignal<String>,
}

impl Form {
    fn new(item: Option<&ContentItem>) -> Self {
        let text = |c: Channel| {
            item.and_then(|i| i.texts.iter().find(|t| t.channel == c))
                .map(|t| t.text.clone())
                .unwrap_or_default()
        };
        Form {
            title: RwSignal::new(item.map(|i| i.title.clone()).unwrap_or_default()),
            summary: RwSignal::new(item.map(|i| i.summary.clone()).unwrap_or_default()),
            url: RwSignal::new(item.map(|i| i.destination_url.clone()).unwrap_or_default()),
            image: RwSignal::new(item.and_then(|i| i.image_id)),
            texts: TEXT_CHANNELS.map(|c| RwSignal::new(text(c))),
            tags: RwSignal::new(item.map(|i| i.tags.join(", ")).unwrap_or_default()),
            groups: RwSignal::new(
                item.map(|i| i.target_groups.iter().map(|g| g.id).collect())
                    .unwrap_or_default(),
            ),
            publish: RwSignal::new(ms_to_local(item.and_then(|i| i.publish_at))),
            expires: RwSignal::new(ms_to_local(item.and_then(|i| i.expires_at))),
        }
    }

    fn input(&self) -> Result<ContentInput, AppError> {
        let input = ContentInput {
            title: self.title.get_untracked(),
            summary: self.summary.get_untracked(),
            destination_url: self.url.get_untracked(),
            image_id: self.image.get_untracked(),
            texts: TEXT_CHANNELS
                .iter()
                .zip(self.texts)
                .map(|(c, t)| SuggestedText {
                    channel: *c,
                    text: t.get_untracked(),
                })
                .collect(),
            tags: self.tags.get_untracked(),
            target_groups: self.groups.get_untracked(),
            publish_at: local_to_ms(&self.publish.get_untracked())?,
            expires_at: local_to_ms(&self.expires.get_untracked())?,
        };
        // Checked here too, so mistakes show without a round trip.
        super::validate_content(&input)?;
        Ok(input)
    }
}

#[component]
pub fn ContentEditPage() -> impl IntoView {
    view! {
        <RequireRole roles=CURATORS.to_vec()>
            <ContentEdit/>
        </RequireRole>
    }
}

#[component]
fn ContentEdit() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let version = RwSignal::new(0u32);
    let item = Resource::new(
        move || (id.get(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => super::get_content(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let groups = Resource::new(|| (), |_| crate::people::list_groups());
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    // Kept above the editor, which is rebuilt when the item reloads after a save.
    let note: RwSignal<Option<Result<T, AppError>>> = RwSignal::new(None);

    view! {
        <section class="card">
            <p><a href="/content">{move || i18n.t(T::ContentBack)}</a></p>
            <Show when=move || mounted.get() fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        let loaded = async { Ok::<_, AppError>((item.await?, groups.await?)) };
                        match loaded.await {
                            Ok((item, groups)) => view! {
                                <Editor item=item groups=groups version=version note=note/>
                            }.into_any(),
                            Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </section>
    }
}

#[component]
fn Editor(
    item: Option<ContentItem>,
    groups: Vec<Group>,
    version: RwSignal<u32>,
    note: RwSignal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let form = Form::new(item.as_ref());
    let id = item.as_ref().map(|i| i.id);
    let status = item.as_ref().map(|i| i.status);
    let live = item.as_ref().is_some_and(|i| i.live);
    let shares = item.as_ref().map_or(0, |i| i.shares);
    let save = ServerAction::<SaveContent>::new();
    let save_value = save.value();
    let save_pending = save.pending();
    let set_status = ServerAction::<SetContentStatus>::new();
    let set_status_value = set_status.value();
    let set_status_pending = set_status.pending();
    let delete = ServerAction::<DeleteContent>::new();
    let delete_value = delete.value();
    // Set when "Save and publish" is pressed: publishing follows a good save.
    let publish_after_save = RwSignal::new(false);

    Effect::new(move |_| {
        if let Some(result) = save_value.try_get().flatten() {
            match result {
                Ok(saved) => {
                    if publish_after_save.get_untracked() {
                        publish_after_save.set(false);
                        set_status.dispatch(SetContentStatus {
                            id: saved,
                            status: ContentStatus::Published,
                        });
                    } else {
                        note.set(Some(Ok(T::Saved)));
                        if id.is_none() {
                            navigate(&format!("/content/{saved}"), Default::default());
                        } else {
                            version.update(|v| *v += 1);
                        }
                    }
                }
                Err(e) => {
                    publish_after_save.set(false);
                    note.set(Some(Err(e)));
                }
            }
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(result) = set_status_value.try_get().flatten() {
            match result {
                Ok(()) => {
                    note.set(Some(Ok(T::Saved)));
                    match (id, save_value.try_get_untracked().flatten()) {
                        (None, Some(Ok(new_id))) => {
                            navigate(&format!("/content/{new_id}"), Default::default())
                        }
                        _ => version.update(|v| *v += 1),
                    }
                }
                Err(e) => note.set(Some(Err(e))),
            }
        }
    });
    // A new image means the person moved on: an earlier message is stale.
    Effect::new(move |previous: Option<Option<i64>>| {
        let image = form.image.get();
        if previous.is_some_and(|p| p != image) {
            note.set(None);
        }
        image
    });
    let navigate = use_navigate();
    Effect::new(move |_| match delete_value.try_get().flatten() {
        Some(Ok(())) => navigate("/content", Default::default()),
        Some(Err(e)) => note.set(Some(Err(e))),
        None => {}
    });

    let submit = move |publish: bool| match form.input() {
        Ok(input) => {
            publish_after_save.set(publish);
            save.dispatch(SaveContent { id, input });
        }
        Err(e) => note.set(Some(Err(e))),
    };
    let change_status = move |status: ContentStatus| {
        if let Some(id) = id {
            set_status.dispatch(SetContentStatus { id, status });
        }
    };
    let remove = move |_| {
        if let Some(id) = id {
            if confirm(i18n.t(T::ContentDeleteConfirm)) {
                delete.dispatch(DeleteContent { id });
            }
        }
    };
    let busy = move || {
        save_pending.try_get().unwrap_or(false) || set_status_pending.try_get().unwrap_or(false)
    };

    view! {
        <h1>{move || i18n.t(if id.is_some() { T::ContentEdit } else { T::ContentNew })}</h1>
        {status.map(|s| view! {
            <p data-testid="item-status">
                {move || i18n.t(s.label())}
                {live.then(|| view! { " " <span class="badge live">{move || i18n.t(T::ContentLive)}</span> })}
                " · " {move || i18n.n(T::ContentShares, &[("count", shares)])}
            </p>
        })}
        <form novalidate on:submit=move |ev| { ev.prevent_default(); submit(false); }>
            <label for="c-title">{move || i18n.t(T::ContentItemTitle)}</label>
            <input id="c-title" maxlength=super::MAX_TITLE.to_string() prop:value=form.title
                on:input=move |ev| form.title.set(event_target_value(&ev))/>
            <label for="c-summary">{move || i18n.t(T::ContentSummary)}</label>
            <textarea id="c-summary" rows="3" prop:value=form.summary
                on:input=move |ev| form.summary.set(event_target_value(&ev))></textarea>
            <label for="c-url">{move || i18n.t(T::ContentDestination)}</label>
            <input id="c-url" type="url" placeholder="https://" prop:value=form.url
                on:input=move |ev| form.url.set(event_target_value(&ev))/>
            <ImageField image=form.image/>
            <TextFields texts=form.texts/>
            <label for="c-tags">{move || i18n.t(T::ContentTags)}</label>
            <input id="c-tags" placeholder=move || i18n.t(T::TagsExample) prop:value=form.tags
                on:input=move |ev| form.tags.set(event_target_value(&ev))/>
            <TargetFields groups=groups selected=form.groups publish=form.publish expires=form.expires/>
            <Outcome note=note/>
            <div class="actions">
                <button type="submit" disabled=busy data-testid="save-item">{move || i18n.t(T::Save)}</button>
                {(status != Some(ContentStatus::Published) && status != Some(ContentStatus::Archived)).then(|| view! {
                    <button type="button" class="primary" disabled=busy data-testid="publish-item"
                        on:click=move |_| submit(true)>{move || i18n.t(T::ContentSavePublish)}</button>
                })}
                {(status == Some(ContentStatus::Published)).then(|| view! {
                    <button type="button" disabled=busy data-testid="unpublish-item"
                        on:click=move |_| change_status(ContentStatus::Unpublished)>{move || i18n.t(T::ContentUnpublish)}</button>
                })}
                {(status.is_some() && status != Some(ContentStatus::Archived)).then(|| view! {
                    <button type="button" disabled=busy data-testid="archive-item"
                        on:click=move |_| change_status(ContentStatus::Archived)>{move || i18n.t(T::ContentArchive)}</button>
                })}
                {(status == Some(ContentStatus::Archived)).then(|| view! {
                    <button type="button" disabled=busy data-testid="restore-item"
                        on:click=move |_| change_status(ContentStatus::Unpublished)>{move || i18n.t(T::ContentRestore)}</button>
                })}
                {(status.is_some() && shares == 0).then(|| view! {
                    <button type="button" class="danger" disabled=busy data-testid="delete-item"
                        on:click=remove>{move || i18n.t(T::GroupDelete)}</button>
                })}
            </div>
        </form>
    }
}

pub(crate) use fields::{local_to_ms, ms_to_local, ImageField, TargetFields, TextFields};
