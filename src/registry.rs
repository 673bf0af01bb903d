//! The registries contributors pick ids from: who publishes sources (data/publishers.yaml) and
//! what kinds of event there are (data/kinds.yaml).

use crate::config::Localized;
use crate::diagnostic::{Diagnostic, Location};
use crate::names::is_slug;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const PUBLISHERS_FILE: &str = "data/publishers.yaml";
pub const KINDS_FILE: &str = "data/kinds.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Affiliation {
    StateMedia,
    StateAffiliated,
    Government,
    Opposition,
    RightsGroup,
    IndependentMedia,
    InternationalMedia,
    WireAgency,
    Ngo,
    SocialMedia,
    Other,
}

impl Affiliation {
    /// The i18n key of the affiliation's label.
    pub fn key(self) -> &'static str {
        match self {
            Affiliation::StateMedia => "state-media",
            Affiliation::StateAffiliated => "state-affiliated",
            Affiliation::Government => "government",
            Affiliation::Opposition => "opposition",
            Affiliation::RightsGroup => "rights-group",
            Affiliation::IndependentMedia => "independent-media",
            Affiliation::InternationalMedia => "international-media",
            Affiliation::WireAgency => "wire-agency",
            Affiliation::Ngo => "ngo",
            Affiliation::SocialMedia => "social-media",
            Affiliation::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_fa: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    pub affiliation: Affiliation,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub id: String,
    pub label: Localized,
    #[serde(default)]
    pub plural: Localized,
    /// A CSS colour for the map and charts: `#rrggbb`.
    pub color: String,
    #[serde(default)]
    pub description: Localized,
}

/// A list of records with unique ids, looked up by id.
#[derive(Debug, Clone)]
pub struct Registry<T> {
    pub items: Vec<T>,
    /// Where each item is in its file, for diagnostics (empty when built in memory).
    locations: Vec<Location>,
    by_id: HashMap<String, usize>,
}

pub trait HasId {
    fn id(&self) -> &str;
}

impl HasId for Publisher {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for Kind {
    fn id(&self) -> &str {
        &self.id
    }
}

impl<T: HasId> Registry<T> {
    pub fn new(items: Vec<T>) -> Self {
        let by_id = items
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id().to_string(), i))
            .collect();
        Registry {
            items,
            locations: Vec::new(),
            by_id,
        }
    }

    /// Where the `i`th item is in its file.
    pub fn location(&self, i: usize) -> Location {
        self.locations.get(i).copied().unwrap_or(Location::START)
    }

    /// Where an item is in its file (and in `items`).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, id: &str) -> Option<&T> {
        self.by_id.get(id).map(|i| &self.items[*i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(HasId::id)
    }

    /// The records of `file`, each with where it is, checking that ids are unique slugs.
    pub fn located(
        records: Vec<(Location, T)>,
        file: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut seen = HashMap::new();
        for (at, item) in &records {
            if !is_slug(item.id()) {
                problems.push(
                    Diagnostic::error(file, *at, format!("id `{}` is not a slug", item.id()))
                        .with_hint("ids are lower-case words joined by `-`"),
                );
            }
            if seen.insert(item.id().to_string(), ()).is_some() {
                problems.push(Diagnostic::error(
                    file,
                    *at,
                    format!("id `{}` appears twice", item.id()),
                ));
            }
        }
        let (locations, items): (Vec<_>, Vec<_>) = records.into_iter().unzip();
        let mut registry = Registry::new(items);
        registry.locations = locations;
        registry
    }
}

/// Publishers' addresses are links on every page that cites them: http(s) only.
pub fn check_publishers(registry: &Registry<Publisher>, problems: &mut Vec<Diagnostic>) {
    for (i, p) in registry.items.iter().enumerate() {
        if p.url
            .as_deref()
            .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
        {
            problems.push(Diagnostic::error(
                PUBLISHERS_FILE,
                registry.location(i),
                format!(
                    "publisher `{}`: `url` must start with http:// or https://",
                    p.id
                ),
            ));
        }
    }
}

/// Kinds have a colour (`#rrggbb`, written into a stylesheet) and a label in every language.
pub fn check_kinds(
    registry: &Registry<Kind>,
    languages: &[String],
    problems: &mut Vec<Diagnostic>,
) {
    for (i, k) in registry.items.iter().enumerate() {
        let at = registry.location(i);
        let hex = k.color.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            problems.push(
                Diagnostic::error(
                    KINDS_FILE,
                    at,
                    format!("kind `{}`: colour `{}` is not #rrggbb", k.id, k.color),
                )
                .with_hint("write colours as six hex digits: \"#c2410c\""),
            );
        }
        for lang in languages {
            if !k.label.contains_key(lang) {
                problems.push(Diagnostic::error(
                    KINDS_FILE,
                    at,
                    format!("kind `{}` has no `{lang}` label", k.id),
                ));
            }
        }
    }
}
