//! The theme's files as the site serves them: its static files (styles, scripts), a
//! stylesheet of the kinds' colours, and the country outline behind every locator map.

use super::{render_file, File, RenderContext, Renderer};
use crate::diagnostic::Diagnostic;
use crate::site::Site;
use tera::Context;

pub struct Assets;

/// Where the locator maps' country outline is, from the output root.
pub const LOCATOR_IMAGE: &str = "locator/iran.svg";

impl Renderer for Assets {
    fn site(&self, cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        let mut files = vec![locator_image(cx).map_err(|d| vec![d])?];
        files.extend(province_images(cx).map_err(|d| vec![d])?);
        files.push(File {
            path: "kinds.css".into(),
            bytes: kinds_css(cx.site).into_bytes(),
        });
        files.extend((cx.theme.static_files.iter()).map(|(path, bytes)| File {
            path: path.clone(),
            bytes: bytes.clone(),
        }));
        Ok(files)
    }
}

/// The country outline, drawn once and cached by browsers.
fn locator_image(cx: &RenderContext) -> Result<File, Diagnostic> {
    let maps = &cx.maps;
    let mut context = Context::new();
    context.insert("width", &maps.small.width);
    context.insert("height", &maps.small.height);
    let paths: Vec<&str> = maps.small_paths.iter().map(|(_, d)| d.as_str()).collect();
    context.insert("paths", &paths);
    render_file(cx.theme, "", "locator.svg", &context, LOCATOR_IMAGE.into())
}

/// Each province outlined on its own, laid over the country outline on the locator maps of
/// its places: one small cached image instead of the outline inside every page.
fn province_images(cx: &RenderContext) -> Result<Vec<File>, Diagnostic> {
    let maps = &cx.maps;
    let g = &cx.site.data.gazetteer;
    (maps.small_paths.iter())
        .map(|(p, d)| {
            let mut context = Context::new();
            context.insert("width", &maps.small.width);
            context.insert("height", &maps.small.height);
            context.insert("path", d);
            let path = format!("locator/{}.svg", g.province(*p).id);
            render_file(cx.theme, "", "locator_province.svg", &context, path)
        })
        .collect()
}

/// Each kind's colour as a CSS class: data-driven colours without inline styles (which the
/// Content-Security-Policy forbids).
fn kinds_css(site: &Site) -> String {
    (site.data.kinds.items.iter())
        .map(|k| format!(".kind-{}{{--kind:{}}}\n", k.id, k.color))
        .collect()
}
