//! The signature pad: a canvas that follows a finger, a stylus or the mouse through pointer
//! events, without scrolling the page while signing (`touch-action: none` and pointer
//! capture). It keeps the strokes as drawn (points with their time) and hands out the
//! strokes plus the pad's PNG; an empty pad hands out nothing.

use lastmile_protocol::ui::SignatureUi;
use leptos::html::Canvas;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::use_i18n;

type Strokes = Vec<Vec<[f32; 3]>>;

/// What the pad holds right now, read when the driver confirms.
#[derive(Clone, Copy)]
pub struct PadHandle {
    canvas: NodeRef<Canvas>,
    strokes: StoredValue<Strokes>,
    /// Points drawn so far (reactive, for "signed" / "empty" on screen).
    pub points: RwSignal<usize>,
}

impl PadHandle {
    pub fn new() -> Self {
        Self {
            canvas: NodeRef::new(),
            strokes: StoredValue::new(Vec::new()),
            points: RwSignal::new(0),
        }
    }

    /// The signature, or `None` when nothing was drawn.
    pub fn signature(&self) -> Option<SignatureUi> {
        let strokes = self.strokes.get_value();
        if strokes.iter().all(Vec::is_empty) {
            return None;
        }
        let canvas = self.canvas.get_untracked()?;
        Some(SignatureUi {
            strokes,
            width: canvas.width(),
            height: canvas.height(),
            png_b64: canvas.to_data_url().ok()?,
        })
    }

    fn clear(&self) {
        self.strokes.update_value(Vec::clear);
        self.points.set(0);
        if let Some(c) = self.canvas.get_untracked()
            && let Some(ctx) = context(&c)
        {
            ctx.clear_rect(0.0, 0.0, f64::from(c.width()), f64::from(c.height()));
        }
    }
}

impl Default for PadHandle {
    fn default() -> Self {
        Self::new()
    }
}

fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
}

/// The point of `ev` in canvas pixels.
fn point(canvas: &web_sys::HtmlCanvasElement, ev: &web_sys::PointerEvent) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    let sx = f64::from(canvas.width()) / rect.width().max(1.0);
    let sy = f64::from(canvas.height()) / rect.height().max(1.0);
    (
        (f64::from(ev.client_x()) - rect.left()) * sx,
        (f64::from(ev.client_y()) - rect.top()) * sy,
    )
}

/// The pad with its "clear" button. `pad` is read by the dialog on confirm.
#[component]
pub fn SignaturePad(pad: PadHandle) -> impl IntoView {
    let i18n = use_i18n();
    let drawing = StoredValue::new(false);
    let start = StoredValue::new(0.0_f64);

    let down = move |ev: web_sys::PointerEvent| {
        ev.prevent_default();
        let Some(canvas) = pad.canvas.get_untracked() else {
            return;
        };
        // Without capture the stroke still draws while the pointer stays on the pad.
        canvas.set_pointer_capture(ev.pointer_id()).ok();
        drawing.set_value(true);
        if pad.strokes.with_value(Vec::is_empty) {
            start.set_value(js_sys::Date::now());
        }
        let (x, y) = point(&canvas, &ev);
        let t = js_sys::Date::now() - start.get_value();
        pad.strokes
            .update_value(|s| s.push(vec![[x as f32, y as f32, t as f32]]));
        pad.points.update(|n| *n += 1);
        if let Some(ctx) = context(&canvas) {
            ctx.begin_path();
            ctx.move_to(x, y);
        }
    };
    let moved = move |ev: web_sys::PointerEvent| {
        if !drawing.get_value() {
            return;
        }
        ev.prevent_default();
        let Some(canvas) = pad.canvas.get_untracked() else {
            return;
        };
        let (x, y) = point(&canvas, &ev);
        let t = js_sys::Date::now() - start.get_value();
        pad.strokes.update_value(|s| {
            if let Some(stroke) = s.last_mut() {
                stroke.push([x as f32, y as f32, t as f32]);
            }
        });
        pad.points.update(|n| *n += 1);
        if let Some(ctx) = context(&canvas) {
            ctx.set_line_width(3.0);
            ctx.set_line_cap("round");
            ctx.set_line_join("round");
            ctx.set_stroke_style_str("#111");
            ctx.line_to(x, y);
            ctx.stroke();
        }
    };
    let up = move |_ev: web_sys::PointerEvent| drawing.set_value(false);
    let points = pad.points;
    view! {
        <div class="signature">
            <canvas class="pad" data-testid="signature-pad" width="600" height="240"
                data-points=move || points.get()
                node_ref=pad.canvas
                on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up></canvas>
            <div class="pad-row">
                <span class="muted">{move || if points.get() == 0 { i18n.t("sign-empty") } else { i18n.t("sign-here") }}</span>
                <button class="secondary" data-testid="signature-clear" on:click=move |_| pad.clear()>{move || i18n.t("sign-clear")}</button>
            </div>
        </div>
    }
}
