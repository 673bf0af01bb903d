//! The search page: a form, filters and an empty list that the page's script fills from the
//! index (`render/search/`), and, for readers without JavaScript, the way to the browse pages.

use crate::config::localized;
use crate::render::views::{path, Link, Views};
use tera::Context;

pub fn search(views: &Views) -> (&'static str, Context, String) {
    let (site, t) = (views.site, views.text);
    let timelines: Vec<Link> = (site.periods().iter())
        .map(|p| Link {
            label: localized(&p.title, &t.lang),
            url: path::period(&p.id),
        })
        .collect();
    let mut cx = Context::new();
    cx.insert("timelines", &timelines);
    ("search.html", cx, t.t("search_title"))
}
