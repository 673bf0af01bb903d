//! The search page's data: a small static index per edition that the page's own script
//! (`themes/default/static/search.js`) reads, loading only what a query needs. Why this and
//! not Pagefind or another library is in docs/search.md. The files of an edition, under
//! `<edition>/search/`, all scripts (so that search also works opened from disk, where
//! `fetch` is refused, as the map's data does):
//!
//! - `index.js`: what the first query needs: the first word of every shard, the stop words,
//!   kinds and periods, the page's strings (`window.RUZSHOMAR_SEARCH`);
//! - `words/<n>.js`: shard `n` of the inverted index ([`index`]), words in order;
//! - `results/<n>.js`: the records of events `n × RECORDS_PER_FILE …` for the list of results
//!   ([`data::records`]);
//! - `facets.js`: the events of each filter's values and the days ([`data::facets`]), loaded
//!   when the reader opens the filters.
//!
//! Words are folded the same way here and in the browser ([`fold`]).

mod code;
mod data;
pub mod fold;
mod index;

use super::map::Maps;
use super::map_data::script;
use super::theme::Theme;
use super::views::{path, Views};
use super::{lang_prefix, File, RenderContext, Renderer};
use crate::config::localized;
use crate::diagnostic::Diagnostic;
use crate::site::Site;
use rayon::prelude::*;
use serde_json::{json, Value};

pub struct Search;

/// About how many bytes a shard of the index has (before compression): a query's word loads
/// one shard, sometimes two.
pub const SHARD_BYTES: usize = 32 * 1024;

/// Event records per file of results: a page of results loads the files of its events.
pub const RECORDS_PER_FILE: usize = 16;

/// The UI strings the script uses (the page's own markup has the others).
const STRINGS: &[&str] = &[
    "search_found_one",
    "search_found_many",
    "search_none",
    "search_loading",
    "search_failed",
    "search_prompt",
    "search_page",
    "search_any",
    "list_separator",
    "single_source",
    "thousands_separator",
    "date_format",
];

impl Renderer for Search {
    /// Every edition's index at once, beside the pages: the editions share the folded words
    /// of the original text. An edit in `serve` shows its pages first; the index (the slowest
    /// output by far) is made after them, by `LiveSite::update_search`.
    fn site(&self, cx: &RenderContext) -> Result<Vec<File>, Vec<Diagnostic>> {
        Ok(match cx.selection {
            None => index_files(cx.site, cx.theme, &cx.maps),
            Some(_) => Vec::new(),
        })
    }
}

/// The index files of every edition (the benchmark times them alone, and `serve` makes them
/// after an edit).
pub fn index_files(site: &Site, theme: &Theme, maps: &Maps) -> Vec<File> {
    let shared = index::Shared::new(site);
    (site.data.config.languages.iter())
        .flat_map(|lang| {
            let views = Views::new(site, theme.text(lang), maps);
            files(&shared, &views, &lang_prefix(site, lang))
        })
        .collect()
}

fn files(shared: &index::Shared, views: &Views, prefix: &str) -> Vec<File> {
    let (postings, records) = rayon::join(|| shared.edition(views), || data::records(views));
    let shards = index::shards(&postings, SHARD_BYTES);
    drop(postings);
    let firsts: Vec<&str> = shards.iter().map(|(first, _)| first.as_str()).collect();
    let mut files = vec![
        File {
            path: format!("{prefix}search/index.js"),
            bytes: script("RUZSHOMAR_SEARCH", None, &manifest(views, &firsts)),
        },
        File {
            path: format!("{prefix}search/facets.js"),
            bytes: script("RUZSHOMAR_SEARCH_F", None, &data::facets(views)),
        },
    ];
    files.par_extend(shards.par_iter().enumerate().map(|(n, (_, text))| File {
        path: format!("{prefix}search/words/{n}.js"),
        bytes: script("RUZSHOMAR_SEARCH_W", Some(&n.to_string()), text),
    }));
    files.par_extend(
        records
            .par_chunks(RECORDS_PER_FILE)
            .enumerate()
            .map(|(n, chunk)| File {
                path: format!("{prefix}search/results/{n}.js"),
                bytes: script("RUZSHOMAR_SEARCH_R", Some(&n.to_string()), &chunk),
            }),
    );
    files
}

/// `search/index.js`: everything the page needs before it loads a shard.
fn manifest(views: &Views, firsts: &[&str]) -> Value {
    let site = views.site;
    let t = views.text;
    // Events are in date order: a period is a range of them.
    let first_on = |day: chrono::NaiveDate| site.events.partition_point(|e| e.date < day);
    let periods: Vec<Value> = (site.periods().iter())
        .map(|p| {
            let end = p.end.map_or(site.events.len(), |end| {
                site.events.partition_point(|e| e.date <= end)
            });
            json!([p.id, localized(&p.title, &t.lang), first_on(p.start), end])
        })
        .collect();
    let kinds: Vec<Value> = (site.data.kinds.items.iter())
        .map(|k| json!([k.id, views.kind_label(&k.id), path::kind(&k.id)]))
        .collect();
    // The Solar Hijri months name the dates picked in the filters.
    let months = (1..=12).map(|m| format!("solar_month_{m}"));
    let strings: serde_json::Map<String, Value> = (STRINGS.iter().map(|k| k.to_string()))
        .chain(months)
        .map(|key| {
            let value = json!(t.t(&key));
            (key, value)
        })
        .collect();
    let original = site.data.config.default_language();
    json!({
        "n": site.events.len(),
        "per": RECORDS_PER_FILE,
        "shards": firsts,
        "stop": fold::stop_words(),
        "max": fold::MAX_WORD,
        "kinds": kinds,
        "periods": periods,
        "digits": if t.is_persian() { "fa" } else { "latn" },
        // The language of untranslated titles, and its direction.
        "original": [original, views.site.data.config.is_right_to_left(original)],
        "t": strings,
    })
}
