//! Dragging cards between a board's columns with pointer events (mouse,
//! pen and touch alike), shared by the review board and the fulfilment
//! board. A column carries its name in a data attribute; a press that
//! travels a few pixels becomes a drag; letting go over a column asks the
//! board to move the card there (the server then decides). Each card keeps
//! its own keyboard controls: dragging is never the only way.

use leptos::prelude::*;

/// Pointer travel before a press on a card counts as a drag, not a click.
const DRAG_THRESHOLD: f64 = 6.0;

#[derive(Clone)]
pub struct Drag<C> {
    pub card: C,
    pub start: (f64, f64),
    pub at: (f64, f64),
    pub moved: bool,
}

/// A board's drag state: the card in hand and the column under it.
pub struct Dragging<C: Send + Sync + 'static> {
    pub drag: RwSignal<Option<Drag<C>>>,
    pub over: RwSignal<Option<String>>,
}

impl<C: Send + Sync + 'static> Clone for Dragging<C> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<C: Send + Sync + 'static> Copy for Dragging<C> {}

/// The value of `attr` on the column under the point, if any.
fn column_at_point(attr: &str, x: f64, y: f64) -> Option<String> {
    let el = document().element_from_point(x as f32, y as f32)?;
    let column = el.closest(&format!("[{attr}]")).ok().flatten()?;
    column.get_attribute(attr)
}

impl<C: Clone + Send + Sync + 'static> Dragging<C> {
    /// Listens on the window for the drag's moves and its end; `on_drop`
    /// gets the card and the column's name.
    pub fn new(attr: &'static str, on_drop: impl Fn(C, String) + 'static) -> Self {
        let drag: RwSignal<Option<Drag<C>>> = RwSignal::new(None);
        let over: RwSignal<Option<String>> = RwSignal::new(None);
        let move_handle = window_event_listener(leptos::ev::pointermove, move |ev| {
            let (x, y) = (ev.client_x() as f64, ev.client_y() as f64);
            let Some((moved, far)) = drag.with_untracked(|d| {
                d.as_ref().map(|d| {
                    let far = (x - d.start.0).hypot(y - d.start.1) > DRAG_THRESHOLD;
                    (d.moved, far)
                })
            }) else {
                return;
            };
            if moved || far {
                drag.update(|d| {
                    if let Some(d) = d {
                        d.moved = true;
                        d.at = (x, y);
                    }
                });
                over.set(column_at_point(attr, x, y));
            }
        });
        let up_handle = window_event_listener(leptos::ev::pointerup, move |ev| {
            let Some(d) = drag.get_untracked() else {
                return;
            };
            drag.set(None);
            over.set(None);
            if d.moved {
                if let Some(to) = column_at_point(attr, ev.client_x() as f64, ev.client_y() as f64)
                {
                    on_drop(d.card, to);
                }
            }
        });
        let cancel_handle = window_event_listener(leptos::ev::pointercancel, move |_| {
            drag.set(None);
            over.set(None);
        });
        on_cleanup(move || {
            move_handle.remove();
            up_handle.remove();
            cancel_handle.remove();
        });
        Dragging { drag, over }
    }

    /// A card's `pointerdown`: picks it up, unless the press is on one of
    /// its own controls (a link, a list, a button, a label, a field).
    pub fn press(self, ev: &leptos::ev::PointerEvent, card: C) {
        if ev.button() != 0 {
            return;
        }
        let on_control = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| {
                el.closest("a, select, button, label, input, textarea, summary")
                    .ok()
                    .flatten()
            })
            .is_some();
        if on_control {
            return;
        }
        ev.prevent_default();
        let at = (ev.client_x() as f64, ev.client_y() as f64);
        self.drag.set(Some(Drag {
            card,
            start: at,
            at,
            moved: false,
        }));
    }

    /// Whether a card is being dragged (the board shows it).
    pub fn active(self) -> bool {
        self.drag.with(|d| d.as_ref().is_some_and(|d| d.moved))
    }

    /// Whether the column named `name` is under the card.
    pub fn is_over(self, name: &str) -> bool {
        self.over.with(|o| o.as_deref() == Some(name))
    }

    /// Where the card in hand is drawn, with its label, while it moves.
    pub fn ghost(self, label: impl Fn(&C) -> String) -> Option<((f64, f64), String)> {
        self.drag.with(|d| {
            d.as_ref()
                .filter(|d| d.moved)
                .map(|d| (d.at, label(&d.card)))
        })
    }
}
