//! Stage 2, resolve & validate: raw documents become [`Event`]s, names become gazetteer and
//! registry entries, and every rule of the event format is checked. This is the only place
//! that knows the rules.

mod event;
mod fields;
pub mod markdown;
mod place;

use crate::config::SiteConfig;
use crate::diagnostic::{self, Diagnostic, Location};
use crate::gazetteer::Gazetteer;
use crate::model::Event;
use crate::read::Inputs;
use crate::registry::{Kind, Publisher, Registry};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;

/// What the rules need to know besides the file itself.
pub struct Context<'a> {
    pub config: &'a SiteConfig,
    pub gazetteer: &'a Gazetteer,
    pub publishers: &'a Registry<Publisher>,
    pub kinds: &'a Registry<Kind>,
    /// Today in Tehran: nothing may be dated after it.
    pub today: NaiveDate,
}

/// A site whose events all passed the rules.
#[derive(Debug)]
pub struct Resolved {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub gazetteer: Gazetteer,
    pub publishers: Registry<Publisher>,
    pub kinds: Registry<Kind>,
    /// Every valid event, drafts included, sorted by date then id.
    pub events: Vec<Event>,
}

/// Today's date in Tehran (UTC+3:30, no daylight saving since 2022).
pub fn tehran_today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::minutes(210)).date_naive()
}

/// Resolves every event document; problems from all files are returned together.
pub fn resolve(inputs: Inputs, today: NaiveDate) -> (Resolved, Vec<Diagnostic>) {
    let Inputs {
        root,
        config,
        gazetteer,
        publishers,
        kinds,
        events: documents,
    } = inputs;
    let cx = Context {
        config: &config,
        gazetteer: &gazetteer,
        publishers: &publishers,
        kinds: &kinds,
        today,
    };
    let results: Vec<(Option<Event>, Vec<Diagnostic>)> = documents
        .par_iter()
        .map(|doc| {
            let mut problems = Vec::new();
            let event = event::resolve_event(doc, &cx, &mut problems);
            (event, problems)
        })
        .collect();
    let mut problems = Vec::new();
    let mut events = Vec::with_capacity(results.len());
    for (event, p) in results {
        problems.extend(p);
        events.extend(event);
    }
    let documents: HashMap<&std::path::Path, &crate::read::Document> =
        documents.iter().map(|d| (d.path.as_path(), d)).collect();
    check_ids(&events, &documents, &mut problems);
    events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    diagnostic::sort(&mut problems);
    (
        Resolved {
            root,
            config,
            gazetteer,
            publishers,
            kinds,
            events,
        },
        problems,
    )
}

/// Ids and aliases name one event each, across all files.
fn check_ids(
    events: &[Event],
    documents: &HashMap<&std::path::Path, &crate::read::Document>,
    problems: &mut Vec<Diagnostic>,
) {
    let alias_at = |event: &Event, i: usize| {
        documents
            .get(event.file.as_path())
            .map(|d| d.spans().value(&format!("aliases/{i}")))
            .unwrap_or(Location::START)
    };
    let mut owners: HashMap<&str, &Event> = HashMap::new();
    for event in events {
        if let Some(other) = owners.insert(&event.id, event) {
            problems.push(
                Diagnostic::error(&event.file, Location::START, format!("the id `{}` is also used by {}", event.id, diagnostic::display_path(&other.file)))
                    .with_hint("two files have the same name in different folders; rename one (ids must be unique)"),
            );
        }
    }
    for event in events {
        for (i, alias) in event.aliases.iter().enumerate() {
            match owners.get(alias.as_str()) {
                Some(other) if other.id != event.id => problems.push(
                    Diagnostic::error(
                        &event.file,
                        alias_at(event, i),
                        format!(
                            "alias `{alias}` is the id of {}",
                            diagnostic::display_path(&other.file)
                        ),
                    )
                    .with_hint(
                        "an alias is an old id of this event; remove it or rename the other file",
                    ),
                ),
                _ => {}
            }
        }
    }
    let mut alias_owner: HashMap<&str, &Event> = HashMap::new();
    for event in events {
        for (i, alias) in event.aliases.iter().enumerate() {
            if let Some(other) = alias_owner.insert(alias, event) {
                if other.id != event.id {
                    problems.push(
                        Diagnostic::error(
                            &event.file,
                            alias_at(event, i),
                            format!(
                                "alias `{alias}` is also claimed by {}",
                                diagnostic::display_path(&other.file)
                            ),
                        )
                        .with_hint("an old id can redirect to one event only"),
                    );
                }
            }
        }
    }
}
