//! Pieces the author's and the reviewers' pages share, and the smaller
//! pages: My posts, notifications, blocked words.

use leptos::prelude::*;

use super::markdown::{self, Format};
use super::{stage_label, Comment, PostInput};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::content::stage::Stage;
use crate::content::{SuggestedText, TEXT_CHANNELS};
use crate::share::link::domain_of;
use crate::ui::RequireRole;
use crate::ui::{format_date, now_ms, ErrorNote};

/// The fields of a post as signals, for the author's editor and the
/// reviewer's edit form alike.
#[derive(Clone, Copy)]
pub(super) struct PostForm {
    pub title: RwSignal<String>,
    pub body: RwSignal<String>,
    pub url: RwSignal<String>,
    pub image: RwSignal<Option<i64>>,
    pub texts: [RwSignal<String>; 5],
    pub tags: RwSignal<String>,
}

impl PostForm {
    pub fn new(input: &PostInput) -> Self {
        let form = PostForm {
            title: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            url: RwSignal::new(String::new()),
            image: RwSignal::new(None),
            texts: TEXT_CHANNELS.map(|_| RwSignal::new(String::new())),
            tags: RwSignal::new(String::new()),
        };
        form.set(input);
        form
    }

    pub fn set(&self, input: &PostInput) {
        self.title.set(input.title.clone());
        self.body.set(input.body.clone());
        self.url.set(input.destination_url.clone());
        self.image.set(input.image_id);
        for (channel, text) in TEXT_CHANNELS.iter().zip(self.texts) {
            text.set(
                input
                    .texts
                    .iter()
                    .find(|t| t.channel == *channel)
                    .map(|t| t.text.clone())
                    .unwrap_or_default(),
            );
        }
        self.tags.set(input.tags.clone());
    }

    /// Tracked when called in an effect: every keystroke is seen.
    pub fn input(&self) -> PostInput {
        PostInput {
            title: self.title.get(),
            body: self.body.get(),
            destination_url: self.url.get(),
            image_id: self.image.get(),
            texts: TEXT_CHANNELS
                .iter()
                .zip(self.texts)
                .map(|(c, t)| SuggestedText {
                    channel: *c,
                    text: t.get(),
                })
                .filter(|t| !t.text.is_empty())
                .collect(),
            tags: self.tags.get(),
        }
    }

    pub fn input_untracked(&self) -> PostInput {
        untrack(|| self.input())
    }
}

fn format_label(f: Format) -> T {
    match f {
        Format::Bold => T::FmtBold,
        Format::Italic => T::FmtItalic,
        Format::Heading => T::FmtHeading,
        Format::List => T::FmtList,
        Format::Link => T::FmtLink,
        Format::Quote => T::FmtQuote,
    }
}

fn format_symbol(f: Format) -> &'static str {
    match f {
        Format::Bold => "B",
        Format::Italic => "I",
        Format::Heading => "H",
        Format::List => "•",
        Format::Link => "↗",
        Format::Quote => "❝",
    }
}

/// Title, Markdown body with toolbar and live preview, link, image, share
/// texts and tags.
#[component]
pub(super) fn PostFields(form: PostForm, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let apply = move |f: Format| {
        let Some(el) = body_ref.get_untracked() else {
            return;
        };
        let start = el.selection_start().ok().flatten().unwrap_or(0);
        let end = el.selection_end().ok().flatten().unwrap_or(start);
        let (text, s, e) = markdown::apply_format(&form.body.get_untracked(), start, end, f);
        el.set_value(&text);
        form.body.set(text);
        let _ = el.focus();
        let _ = el.set_selection_range(s, e);
    };
    view! {
        <label for="p-title">{move || i18n.t(T::ContentItemTitle)}</label>
        <input id="p-title" maxlength=crate::content::MAX_TITLE.to_string() prop:value=form.title
            disabled=disabled on:input=move |ev| form.title.set(event_target_value(&ev))/>
        <div class="editor">
            <div>
                <label for="p-body">{move || i18n.t(T::PostBody)}</label>
                <div class="md-toolbar" role="toolbar" aria-label=move || i18n.t(T::PostToolbar)>
                    {Format::ALL.into_iter().map(|f| view! {
                        <button type="button" class="tool" disabled=disabled
                            title=move || i18n.t(format_label(f)) aria-label=move || i18n.t(format_label(f))
                            data-format=format!("{f:?}").to_lowercase()
                            on:click=move |_| apply(f)>{format_symbol(f)}</button>
                    }).collect_view()}
                </div>
                <textarea id="p-body" rows="14" node_ref=body_ref prop:value=form.body disabled=disabled
                    on:input=move |ev| form.body.set(event_target_value(&ev))></textarea>
                <p class="muted">{move || i18n.t(T::PostBodyHelp)}</p>
            </div>
            <div>
                <p class="label">{move || i18n.t(T::PostPreview)}</p>
                <PostPreview title=form.title body=form.body image=form.image url=form.url/>
            </div>
        </div>
        <label for="p-url">{move || i18n.t(T::ContentDestination)}</label>
        <input id="p-url" type="url" placeholder="https://" prop:value=form.url disabled=disabled
            on:input=move |ev| form.url.set(event_target_value(&ev))/>
        <crate::content::ImageField image=form.image disabled=disabled/>
        <crate::content::TextFields texts=form.texts disabled=disabled/>
        <label for="p-tags">{move || i18n.t(T::ContentTags)}</label>
        <input id="p-tags" placeholder=move || i18n.t(T::TagsExample) prop:value=form.tags disabled=disabled
            on:input=move |ev| form.tags.set(event_target_value(&ev))/>
    }
}

/// A post as the hub shows it, from the same renderer and the same styles.
#[component]
pub(super) fn PostPreview(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    #[prop(into)] image: Signal<Option<i64>>,
    #[prop(into)] url: Signal<String>,
) -> impl IntoView {
    view! {
        <article class="hub-card preview" data-testid="post-preview">
            {move || image.get().map(|id| view! { <img class="hub-image" src=format!("/media/{id}") alt=""/> })}
            <div class="hub-body">
                <h2>{move || title.get()}</h2>
                <div class="post-body" inner_html=move || markdown::render(&body.get())></div>
                <p class="hub-link">{move || domain_of(&url.get()).to_string()}</p>
            </div>
        </article>
    }
}

/// The conversation between author and reviewers, with a reply box.
/// `as_author` says which side the person writing here is on.
#[component]
pub(super) fn CommentThread(id: i64, comments: Vec<Comment>, as_author: bool) -> impl IntoView {
    let i18n = use_i18n();
    let session = crate::base::session::use_session();
    let comments = RwSignal::new(comments);
    let text = RwSignal::new(String::new());
    let send = Action::new_local(move |body: &String| {
        let body = body.clone();
        async move { super::comment_post(id, body.clone()).await.map(|()| body) }
    });
    let send_value = send.value();
    let send_pending = send.pending();
    Effect::new(move |_| {
        if let Some(Ok(body)) = send_value.try_get().flatten() {
            text.set(String::new());
            comments.update(|c| {
                c.push(Comment {
                    author: session.me().map(|m| m.name).unwrap_or_default(),
                    by_author: as_author,
                    body: body.trim().to_string(),
                    at: now_ms(),
                })
            });
        }
    });
    view! {
        <section class="comments" aria-labelledby="comments-title">
            <h2 id="comments-title">{move || i18n.t(T::PostComments)}</h2>
            <Show when=move || comments.with(Vec::is_empty)>
                <p class="muted">{move || i18n.t(T::PostNoComments)}</p>
            </Show>
            <ol class="thread" data-testid="comments">
                <For each=move || comments.get().into_iter().enumerate() key=|(i, _)| *i let:((_, c))>
                    <li class:mine=c.by_author>
                        <p class="muted">{c.author.clone()} " · " {format_date(c.at)}</p>
                        <p class="comment-body">{c.body.clone()}</p>
                    </li>
                </For>
            </ol>
            <form novalidate on:submit=move |ev| {
                ev.prevent_default();
                send.dispatch_local(text.get_untracked());
            }>
                <label for="comment-text">{move || i18n.t(T::PostAddComment)}</label>
                <textarea id="comment-text" rows="3" prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                <ErrorNote error=Signal::derive(move || send_value.try_get().flatten().and_then(|r| r.err()))/>
                <button type="submit" data-testid="send-comment" disabled=move || send_pending.try_get().unwrap_or(false)>{move || i18n.t(T::PostSendComment)}</button>
            </form>
        </section>
    }
}

#[component]
pub fn MyPostsPage() -> impl IntoView {
    view! {
        <RequireRole>
            <MyPosts/>
        </RequireRole>
    }
}

#[component]
fn MyPosts() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let posts = Resource::new(move || reload.get(), |_| super::my_posts());
    let error: RwSignal<Option<AppError>> = RwSignal::new(None);
    let withdraw = move |id: i64, version: i64| {
        leptos::task::spawn_local(async move {
            match super::withdraw_post(id, version).await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            reload.update(|v| *v += 1);
        });
    };
    view! {
        <section class="card">
            <div class="row-between">
                <h1>{move || i18n.t(T::PostsTitle)}</h1>
                <a class="button primary" href="/posts/new" data-testid="write-post">{move || i18n.t(T::PostWrite)}</a>
            </div>
            <p class="muted">{move || i18n.t(T::PostsIntro)}</p>
            <ErrorNote error=error/>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match posts.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(posts) if posts.is_empty() => view! { <p data-testid="no-posts">{move || i18n.t(T::PostsNone)}</p> }.into_any(),
                        Ok(posts) => view! {
                            <ul class="post-list">
                                {posts.into_iter().map(|p| {
                                    let (id, version, stage) = (p.id, p.version, p.stage);
                                    let title = if p.title.is_empty() { i18n.t(T::PostUntitled).to_string() } else { p.title.clone() };
                                    view! {
                                        <li data-testid="my-post" data-stage=stage.code()>
                                            <div class="row-between">
                                                <a href=format!("/posts/{id}")>{title}</a>
                                                <span class=format!("badge stage-{}", stage.code()) data-testid="post-stage">{move || i18n.t(stage_label(stage))}</span>
                                            </div>
                                            <p class="muted">{move || i18n.t(T::ContentUpdated)} " " {format_date(p.updated_at)}</p>
                                            {(!p.comments.is_empty()).then(|| view! {
                                                <ol class="thread">
                                                    {p.comments.iter().map(|c| view! {
                                                        <li class:mine=c.by_author>
                                                            <p class="muted">{c.author.clone()}</p>
                                                            <p class="comment-body">{c.body.clone()}</p>
                                                        </li>
                                                    }).collect_view()}
                                                </ol>
                                            })}
                                            <div class="actions">
                                                {stage.author_may_edit().then(|| view! {
                                                    <a class="button" href=format!("/posts/{id}") data-testid="edit-post">
                                                        {move || i18n.t(if stage == Stage::ChangesRequested { T::PostEditResubmit } else { T::PostEdit })}
                                                    </a>
                                                })}
                                                {(stage == Stage::Submitted).then(|| view! {
                                                    <button type="button" on:click=move |_| withdraw(id, version)>{move || i18n.t(T::PostWithdraw)}</button>
                                                })}
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn BlockedWordsPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <BlockedWords/>
        </RequireRole>
    }
}

#[component]
fn BlockedWords() -> impl IntoView {
    let i18n = use_i18n();
    let words = Resource::new(|| (), |_| super::get_blocked_words());
    let save = ServerAction::<super::SaveBlockedWords>::new();
    let save_value = save.value();
    let save_pending = save.pending();
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(T::BlockedTitle)}</h1>
            <p class="muted">{move || i18n.t(T::BlockedHelp)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match words.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(words) => {
                            let text = RwSignal::new(words.join("\n"));
                            view! {
                                <form novalidate on:submit=move |ev| {
                                    ev.prevent_default();
                                    save.dispatch(super::SaveBlockedWords { list: text.get_untracked() });
                                }>
                                    <label for="blocked-list">{move || i18n.t(T::BlockedLabel)}</label>
                                    <textarea id="blocked-list" rows="12" prop:value=text
                                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                                    <ErrorNote error=Signal::derive(move || save_value.try_get().flatten().and_then(|r| r.err()))/>
                                    {move || save_value.try_get().flatten().and_then(|r| r.ok()).map(|list| view! {
                                        <p class="success" role="status">{move || i18n.n(T::BlockedSaved, &[("count", list.len() as i64)])}</p>
                                    })}
                                    <button type="submit" class="primary" disabled=move || save_pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
                                </form>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
