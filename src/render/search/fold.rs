//! The words of a text as the search index stores them and a query looks them up. The same
//! folding runs in the reader's browser (`themes/default/static/search.js`, `words`), so a
//! query matches whatever the reader typed:
//!
//! - compatibility decomposition (NFKD), then every combining mark and the tatweel dropped:
//!   Latin accents, Arabic short vowels, and the hamza of أ ؤ ئ ۀ;
//! - Arabic ي ى and ك become Persian ی and ک; ة and ە become ه; ٱ becomes ا;
//! - Persian and Arabic-Indic digits become ASCII digits;
//! - lower case;
//! - the zero-width non-joiner (and joiner, and soft hyphen) glues the parts of a word
//!   together, and so do a space after the prefixes «می»/«نمی» and before the suffixes
//!   «ها»/«های»/«هایی», however the writer spaced them: «می‌خواهند», «می خواهند» and
//!   «میخواهند» are one word. In the index a word with such a prefix is also stored without
//!   it («خواهند»).
//!
//! Words of one character and a few very common words ([`STOP_WORDS`]) are left out of the
//! index and ignored in queries; words are cut at [`MAX_WORD`] characters.
//!
//! Names are matched with a stricter key in [`crate::names::match_key`]; this folding keeps
//! word boundaries, which that key drops.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Very common words, left out of the index (their lists would be the biggest) and ignored in
/// queries. Written as readers write them; they are folded before use.
pub const STOP_WORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it",
    "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "with", "از", "به", "در",
    "که", "را", "با", "این", "آن", "برای", "تا", "است", "یا", "بر", "هم", "نیز",
];

/// The longest word stored; longer words are cut (and a query's word is then a prefix).
pub const MAX_WORD: usize = 32;

const PREFIXES: &[&str] = &["می", "نمی"];
const SUFFIXES: &[&str] = &["ها", "های", "هایی"];

/// What separates a word from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    /// Only zero-width joiners: parts of one word.
    Glued,
    /// Only spaces (and joiners).
    Space,
    /// Punctuation, or the start of the text.
    Other,
}

/// A character after folding.
enum Folded {
    Drop,
    Joiner,
    Letter(char),
    Space,
    Other,
}

fn fold_char(c: char) -> Folded {
    if c.is_ascii() {
        return match c {
            c if c.is_ascii_alphanumeric() => Folded::Letter(c),
            c if c.is_ascii_whitespace() || c == '\x0B' => Folded::Space,
            _ => Folded::Other,
        };
    }
    if is_plain_arabic_letter(c) {
        return Folded::Letter(match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            c => c,
        });
    }
    if is_combining_mark(c) || c == '\u{0640}' {
        return Folded::Drop;
    }
    if matches!(c, '\u{200C}' | '\u{200D}' | '\u{00AD}') {
        return Folded::Joiner;
    }
    let c = match c {
        'ي' | 'ى' => 'ی',
        'ك' => 'ک',
        'ة' | 'ە' => 'ه',
        'ٱ' => 'ا',
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        c => c,
    };
    if c.is_alphanumeric() {
        Folded::Letter(c)
    } else if c.is_whitespace() {
        Folded::Space
    } else {
        Folded::Other
    }
}

/// The folded words of `text` with what precedes each.
fn pieces(text: &str) -> Vec<(String, Gap)> {
    let mut pieces = Pieces::default();
    for c in text.chars() {
        // NFKD, a character at a time: the reordering it would also do moves only combining
        // marks, which folding drops. ASCII decomposes to itself.
        if c.is_ascii() || is_plain_arabic_letter(c) {
            pieces.push(c);
        } else {
            decompose_compatible(c, |c| pieces.push(c));
        }
    }
    pieces.finish()
}

/// An Arabic-script letter that NFKD leaves as it is and that has no case: most of a Persian
/// text, which then skips the Unicode tables.
fn is_plain_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0627}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | 'پ' | 'چ' | 'ژ' | 'ک' | 'گ' | 'ی')
}

/// [`pieces`] as it reads a text.
struct Pieces {
    out: Vec<(String, Gap)>,
    word: String,
    gap: Gap,
    word_gap: Gap,
}

impl Default for Pieces {
    fn default() -> Self {
        Pieces {
            out: Vec::new(),
            word: String::new(),
            gap: Gap::Other,
            word_gap: Gap::Other,
        }
    }
}

impl Pieces {
    fn push(&mut self, c: char) {
        match fold_char(c) {
            Folded::Drop => {}
            Folded::Letter(c) => {
                if self.word.is_empty() {
                    self.word_gap = self.gap;
                }
                if c.is_ascii() {
                    self.word.push(c.to_ascii_lowercase());
                } else if is_plain_arabic_letter(c) {
                    self.word.push(c);
                } else {
                    self.word.extend(c.to_lowercase());
                }
            }
            other => {
                if !self.word.is_empty() {
                    self.out
                        .push((std::mem::take(&mut self.word), self.word_gap));
                    self.gap = Gap::Glued;
                }
                self.gap = self.gap.max(match other {
                    Folded::Joiner => Gap::Glued,
                    Folded::Space => Gap::Space,
                    _ => Gap::Other,
                });
            }
        }
    }

    fn finish(mut self) -> Vec<(String, Gap)> {
        if !self.word.is_empty() {
            self.out.push((self.word, self.word_gap));
        }
        self.out
    }
}

/// The words of `text`, folded and joined, in order (with repeats). With `bare`, a word with
/// the prefix «می»/«نمی» is followed by the word without it (for the index).
pub fn words(text: &str, bare: bool) -> Vec<String> {
    let mut pieces = pieces(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut word = std::mem::take(&mut pieces[i].0);
        let mut rest: Option<String> = None;
        let joins = |j: usize| pieces.get(j).is_some_and(|(_, gap)| *gap <= Gap::Space);
        if PREFIXES.contains(&word.as_str()) && joins(i + 1) {
            i += 1;
            word.push_str(&pieces[i].0);
            rest = Some(pieces[i].0.clone());
        }
        while joins(i + 1)
            && (pieces[i + 1].1 == Gap::Glued || SUFFIXES.contains(&pieces[i + 1].0.as_str()))
        {
            i += 1;
            word.push_str(&pieces[i].0);
            if let Some(rest) = &mut rest {
                rest.push_str(&pieces[i].0);
            }
        }
        out.push(word);
        out.extend(rest.filter(|_| bare));
        i += 1;
    }
    out.into_iter().filter_map(keep).collect()
}

/// A word as stored: cut to [`MAX_WORD`] characters; `None` for one letter or a stop word.
fn keep(word: String) -> Option<String> {
    // Byte lengths first: nearly every word is short, and most are ASCII.
    if word.len() < 2 || (!word.is_ascii() && word.chars().nth(1).is_none()) {
        return None;
    }
    let word = match word.len() > MAX_WORD {
        true => match word.char_indices().nth(MAX_WORD) {
            Some((cut, _)) => word[..cut].to_string(),
            None => word,
        },
        false => word,
    };
    let stop = word.len() <= LONGEST_STOP_WORD && stop_words().binary_search(&word).is_ok();
    (!stop).then_some(word)
}

/// The length in bytes of the longest of [`STOP_WORDS`] (folded).
const LONGEST_STOP_WORD: usize = 8;

/// [`STOP_WORDS`], folded.
pub fn stop_words() -> &'static [String] {
    static FOLDED: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FOLDED.get_or_init(|| {
        let mut words: Vec<String> = STOP_WORDS
            .iter()
            .flat_map(|w| pieces(w).into_iter().map(|(w, _)| w))
            .collect();
        words.sort();
        words.dedup();
        words
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str) -> Vec<String> {
        words(text, false)
    }

    #[test]
    fn arabic_letters_and_digits_fold_to_persian_and_ascii() {
        assert_eq!(w("يكشنبه"), w("یکشنبه"));
        assert_eq!(w("كارگران"), ["کارگران"]);
        assert_eq!(w("۱۴۰۱ ١٤٠١ 1401"), ["1401", "1401", "1401"]);
        assert_eq!(w("تأمین"), w("تامین"));
        assert_eq!(w("مُعَلِّمان"), ["معلمان"]);
        assert_eq!(w("خوانندهٔ خوانندۀ"), ["خواننده", "خواننده"]);
        assert_eq!(w("آزادی"), ["ازادی"]);
    }

    #[test]
    fn zwnj_prefixes_and_suffixes_join_however_they_are_spaced() {
        for spelling in ["می‌خواهند", "می خواهند", "میخواهند"] {
            assert_eq!(w(spelling), ["میخواهند"], "{spelling}");
        }
        assert_eq!(words("می‌خواهند", true), ["میخواهند", "خواهند"]);
        assert_eq!(words("نمی خواهند", true), ["نمیخواهند", "خواهند"]);
        for spelling in ["دانشگاه‌ها", "دانشگاه ها", "دانشگاهها"] {
            assert_eq!(w(spelling), ["دانشگاهها"], "{spelling}");
        }
        assert_eq!(w("خیابان‌های تهران"), ["خیابانهای", "تهران"]);
        // Punctuation keeps them apart.
        assert_eq!(w("می، خواهند"), ["می", "خواهند"]);
    }

    #[test]
    fn latin_words_fold_case_and_accents() {
        assert_eq!(w("Zāhedān, SOUTH-Pars!"), ["zahedan", "south", "pars"]);
        assert_eq!(w("The strike at a mine"), ["strike", "mine"]);
        assert_eq!(w("Governor's office"), ["governor", "office"]);
    }

    /// The examples `search.js` is tested on too (tests/browser/search.test.mjs).
    #[test]
    fn the_shared_examples_fold_as_in_the_browser() {
        let examples = include_str!("../../../tests/fixtures/search-words.tsv");
        for line in examples.lines().filter(|l| !l.starts_with('#')) {
            let (text, expected) = line.split_once('\t').unwrap();
            let mut found = w(text);
            let mut seen = std::collections::HashSet::new();
            found.retain(|word| seen.insert(word.clone()));
            assert_eq!(found.join(" "), expected, "{text:?}");
        }
    }

    #[test]
    fn no_stop_word_is_longer_than_the_bound_keep_relies_on() {
        assert!(stop_words().iter().all(|w| w.len() <= LONGEST_STOP_WORD));
    }

    #[test]
    fn stop_words_and_single_letters_are_left_out_and_long_words_cut() {
        assert_eq!(w("و در آن x"), Vec::<String>::new());
        let long = "a".repeat(100);
        assert_eq!(w(&long), ["a".repeat(MAX_WORD)]);
        assert_eq!(w("قم ری"), ["قم", "ری"]);
    }
}
