//! The site as `serve` keeps it: built into memory rather than onto disk, and after an edit of
//! event files, only the files that show those events made again — the event's page, its day,
//! its places, kind, tags and publishers, the pages that sum up the site, the feeds, map data
//! and exports that hold it. An edit of anything else (site.toml, the gazetteer, a registry, a
//! template) builds the whole site again.

use crate::build::Options;
use crate::diagnostic::{self, Diagnostic};
use crate::model::Event;
use crate::render::map::Maps;
use crate::render::selection::Selection;
use crate::render::{self, exports, search, theme::Theme, File};
use crate::resolve::{self, Resolved};
use crate::site::Site;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A file of the site as served: its bytes, and the update that made it.
#[derive(Debug, Clone)]
pub struct Served {
    pub bytes: Arc<[u8]>,
    /// 0 for the first build, then one more for every update.
    pub generation: u64,
}

/// What a build or an update did.
#[derive(Debug, Clone)]
pub struct Update {
    pub events: usize,
    /// Files made (all of them for a whole build).
    pub files: usize,
    /// Files that no longer exist.
    pub removed: usize,
    /// Whether the whole site was built again.
    pub whole: bool,
    pub elapsed: Duration,
    /// Warnings found on the way (the build succeeded).
    pub warnings: Vec<Diagnostic>,
}

pub struct LiveSite {
    options: Options,
    theme: Theme,
    /// Every valid event, drafts included: an edit replaces some of them.
    events: Vec<Event>,
    /// The site made from `events` (`None` only while an update is under way).
    site: Option<Site>,
    files: HashMap<String, Served>,
    generation: u64,
    /// Whether the search index is older than the site (an update makes it afterwards).
    search_behind: bool,
    /// Every page of the site, by path (to drop those an update removes).
    pages: HashSet<String>,
}

impl LiveSite {
    /// Builds the whole site into memory.
    pub fn build(options: &Options) -> Result<(LiveSite, Update), Vec<Diagnostic>> {
        let started = Instant::now();
        let (resolved, problems) = crate::load(&options.root, options.today);
        let mut resolved = match resolved {
            Some(r) if !diagnostic::has_errors(&problems) => r,
            _ => return Err(problems),
        };
        let theme = Theme::load(&options.root, &resolved.config)?;
        let events = resolved.events.clone();
        resolved.events = events.clone();
        let site = Site::new(resolved, options.base_url.clone(), options.drafts);
        let mut live = LiveSite {
            options: options.clone(),
            theme,
            events,
            site: None,
            files: HashMap::new(),
            generation: 0,
            search_behind: false,
            pages: page_paths(&site),
        };
        let made = live.render(&site, None)?;
        live.site = Some(site);
        let update = live.report(started, made, 0, true, problems);
        Ok((live, update))
    }

    /// The site after `changed` (paths below the site's root) were edited, created or
    /// deleted. On any error the site stays as it was, and the errors come back.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let events_dir = Path::new(crate::read::EVENTS_DIR);
        let only_events = changed
            .iter()
            .all(|p| p.starts_with(events_dir) && p.extension().is_some_and(|e| e == "yaml"));
        if !only_events {
            return self.rebuild();
        }
        self.update_events(changed)
    }

    /// The whole site made again (what a template, registry, gazetteer or `site.toml` edit
    /// needs).
    fn rebuild(&mut self) -> Result<Update, Vec<Diagnostic>> {
        let (live, mut update) = LiveSite::build(&self.options)?;
        let generation = self.generation + 1;
        *self = live;
        self.generation = generation;
        self.files
            .values_mut()
            .for_each(|f| f.generation = generation);
        update.files = self.files.len();
        Ok(update)
    }

    /// An edit of event files only: the events read again, the site made again from them, and
    /// the files that show any version of the edited events rendered again.
    fn update_events(&mut self, changed: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let started = Instant::now();
        let old = self.site.take().expect("a site between updates");
        let (fresh, mut problems) = old.data.reread(changed, self.options.today);
        let changed: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
        let before: Vec<Event> = (self.events.iter())
            .filter(|e| changed.contains(e.file.as_path()))
            .cloned()
            .collect();
        // An event merged into another (`duplicate_of`), or one that others are merged into,
        // changes another event's page: the whole site is made again.
        let merged = &old.data.merged;
        let merges = |e: &Event| {
            e.duplicate_of.is_some()
                || merged.iter().any(|m| {
                    let target = m.duplicate_of.as_deref();
                    target == Some(e.id.as_str()) || e.aliases.iter().any(|a| target == Some(a))
                })
        };
        let edits_merged = merged.iter().any(|m| changed.contains(m.file.as_path()));
        if edits_merged || fresh.iter().chain(&before).any(merges) {
            self.site = Some(old);
            return self.rebuild();
        }
        // The events as they are now, in place (and back as they were on an error).
        let replace = |events: &mut Vec<Event>, with: &[Event]| {
            events.retain(|e| !changed.contains(e.file.as_path()));
            events.extend(with.iter().cloned());
            events.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        };
        replace(&mut self.events, &fresh);
        problems.extend(resolve::check_across_files(&self.events));
        if diagnostic::has_errors(&problems) {
            replace(&mut self.events, &before);
            self.site = Some(old);
            diagnostic::sort(&mut problems);
            return Err(problems);
        }
        // What showed the events before (their old day, places, …) and what shows them now.
        let mut selection = Selection {
            same_order: order_keys(&before) == order_keys(&fresh),
            ..Selection::default()
        };
        for event in &before {
            selection.add(&old, event);
        }
        let old_days: Vec<NaiveDate> = old.days.keys().copied().collect();
        let site = self.site_of(old.data, self.events.clone());
        for event in &fresh {
            selection.add(&site, event);
        }
        let days: Vec<NaiveDate> = site.days.keys().copied().collect();
        selection.same_days = old_days == days;
        if !selection.same_days {
            selection.add_neighbouring_days(&old_days);
            selection.add_neighbouring_days(&days);
        }
        self.generation += 1;
        let same_order = selection.same_order;
        let made = self.render(&site, Some(selection))?;
        self.search_behind = true;
        let pages = page_paths(&site);
        let old_pages = std::mem::replace(&mut self.pages, pages);
        let removed = self.remove_stale(&site, &old_pages, same_order);
        self.refresh_manifest(&site);
        self.site = Some(site);
        Ok(self.report(started, made, removed, false, problems))
    }

    /// The search index of the site as it is now, when an update left it behind (made
    /// apart, so that a server can make it while it serves the pages, then hand it to
    /// [`LiveSite::set_search`]).
    pub fn search_behind(&self) -> Option<Vec<File>> {
        let site = self.site.as_ref().filter(|_| self.search_behind)?;
        let maps = Maps::new(&site.data.gazetteer);
        Some(search::index_files(site, &self.theme, &maps))
    }

    /// Serves `files` (from [`LiveSite::search_behind`]) as the search index, in place of the
    /// old one (a shard that is no longer made is dropped).
    pub fn set_search(&mut self, files: Vec<File>) {
        let made: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        self.files
            .retain(|path, _| !is_search_data(path) || made.contains(path.as_str()));
        let generation = self.generation;
        for f in files {
            let served = Served {
                bytes: f.bytes.into(),
                generation,
            };
            self.files.insert(f.path, served);
        }
        self.search_behind = false;
    }

    /// The site of `events` over `data` (whose own events are not used).
    fn site_of(&self, mut data: Resolved, events: Vec<Event>) -> Site {
        data.events = events;
        Site::new(data, self.options.base_url.clone(), self.options.drafts)
    }

    /// Renders the site (or the part `selection` covers) into the served files; returns how
    /// many were made.
    fn render(
        &mut self,
        site: &Site,
        selection: Option<Selection>,
    ) -> Result<usize, Vec<Diagnostic>> {
        let generation = self.generation;
        let mut made = 0;
        let files = &mut self.files;
        render::render_part(site, &self.theme, selection, &mut |batch| {
            made += batch.len();
            for f in batch {
                let served = Served {
                    bytes: f.bytes.into(),
                    generation,
                };
                files.insert(f.path, served);
            }
            Ok(())
        })?;
        Ok(made)
    }

    /// Drops the files an update made obsolete: pages that no longer exist (a deleted event,
    /// the last page of a list that got shorter), and the feeds, map data and exports of
    /// places and years that have no events left (the site feed's archives only when events
    /// moved: otherwise the archives not made again are as they were).
    fn remove_stale(
        &mut self,
        site: &Site,
        old_pages: &HashSet<String>,
        same_order: bool,
    ) -> usize {
        let before = self.files.len();
        for path in old_pages.difference(&self.pages) {
            self.files.remove(path);
        }
        let generation = self.generation;
        let years: HashSet<String> = (exports::by_year(site).keys())
            .map(|y| format!("{}/{y}.", exports::DIR))
            .collect();
        let places = map_places(site);
        let place_folders = place_folders(site);
        self.files.retain(|path, served| {
            let made_now = served.generation == generation;
            let stale_export = path.starts_with(exports::DIR)
                && path.ends_with(".gz")
                && !years.iter().any(|y| path.starts_with(y.as_str()));
            let stale_place = path
                .strip_prefix("map/places/")
                .and_then(|p| p.strip_suffix(".js"))
                .is_some_and(|id| !places.contains(id));
            // When events moved, every page of the site's feed is made again: an archive page
            // not made now is one too many. A place's feed is stale when the place has no
            // events left.
            let stale_feed = !made_now
                && path.ends_with(".xml")
                && ((path.contains("feeds/") && !same_order)
                    || stale_place_feed(site, &place_folders, path));
            !(stale_export || stale_place || stale_feed)
        });
        before - self.files.len()
    }

    /// `data/index.json` again, from the sizes of the year files now served.
    fn refresh_manifest(&mut self, site: &Site) {
        let files = &self.files;
        let size = |path: &str| files.get(path).map_or(0, |f| f.bytes.len());
        let bytes = exports::manifest(site, size);
        let served = Served {
            bytes: bytes.into(),
            generation: self.generation,
        };
        self.files.insert(exports::MANIFEST.to_string(), served);
    }

    fn report(
        &self,
        started: Instant,
        files: usize,
        removed: usize,
        whole: bool,
        mut warnings: Vec<Diagnostic>,
    ) -> Update {
        warnings.retain(|d| !d.is_error());
        Update {
            events: self.site.as_ref().map_or(0, |s| s.events.len()),
            files,
            removed,
            whole,
            elapsed: started.elapsed(),
            warnings,
        }
    }

    /// The file at `path` (from the site's root, `/` separators), if the site has one.
    pub fn get(&self, path: &str) -> Option<&Served> {
        self.files.get(path)
    }

    /// The paths of every file of the site, in no order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// What places events in the lists of each edition: their ids, dates, draft state and
/// languages, in a fixed order.
fn order_keys(events: &[Event]) -> Vec<(&str, NaiveDate, bool, Vec<&String>)> {
    let mut keys: Vec<_> = (events.iter())
        .map(|e| {
            let mut languages: Vec<&String> = e.translations.keys().collect();
            languages.sort();
            (e.id.as_str(), e.date, e.draft, languages)
        })
        .collect();
    keys.sort();
    keys
}

/// Whether `path` is a file of an edition's search index (`search/index.js`,
/// `fa/search/words/3.js`, …), not the search page.
fn is_search_data(path: &str) -> bool {
    let in_search = path.starts_with("search/")
        || path
            .split_once('/')
            .is_some_and(|(_, rest)| rest.starts_with("search/"));
    in_search && path.ends_with(".js")
}

/// Every page of every edition, by path from the site's root.
fn page_paths(site: &Site) -> HashSet<String> {
    (site.data.config.languages.iter())
        .flat_map(|lang| {
            let prefix = render::lang_prefix(site, lang);
            (render::pages::all(site, lang).into_iter())
                .map(move |page| format!("{prefix}{}", page.path(site)))
        })
        .collect()
}

/// The ids of the map's marks (city ids, `province-<id>`), whose files the map loads.
fn map_places(site: &Site) -> HashSet<String> {
    let g = &site.data.gazetteer;
    let cities = site.by_city.keys().map(|c| g.city(*c).id.clone());
    let provinces = (site.province_level.keys()).map(|p| format!("province-{}", g.province(*p).id));
    cities.chain(provinces).collect()
}

/// The folders of the cities and provinces that have events (`cities/x/`, `provinces/y/`),
/// whose feeds exist.
fn place_folders(site: &Site) -> HashSet<String> {
    let g = &site.data.gazetteer;
    let cities = site
        .by_city
        .keys()
        .map(|c| format!("cities/{}/", g.city(*c).id));
    let provinces = (site.by_province.keys()).map(|p| format!("provinces/{}/", g.province(*p).id));
    cities.chain(provinces).collect()
}

/// Whether `path` is a place's feed (`cities/x/feed.xml`, `fa/provinces/y/feed.xml`) whose
/// place has no events left.
fn stale_place_feed(site: &Site, folders: &HashSet<String>, path: &str) -> bool {
    let Some(folder) = path.strip_suffix("feed.xml").filter(|f| !f.is_empty()) else {
        return false;
    };
    // `fa/cities/x/` → `cities/x/`
    let folder = folder
        .split_once('/')
        .filter(|(first, _)| site.data.config.languages.iter().any(|l| l == first))
        .map_or(folder, |(_, rest)| rest);
    !folders.contains(folder)
}
